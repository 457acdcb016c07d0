/**
 * Errors as the Amazon States Language names them. A `StatesError` is what Retry and Catch match:
 * `name` is the error name (`ErrorEquals`), `message` the cause.
 * https://states-language.net/spec.html#error-names
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
export class StatesError extends Error {
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
  }
}

/** The predefined error names (ASL spec, "Error names"; AWS adds the ones marked). */
export const ERRORS = {
  ALL: 'States.ALL',
  Runtime: 'States.Runtime',
  Timeout: 'States.Timeout',
  TaskFailed: 'States.TaskFailed',
  Permissions: 'States.Permissions',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  ParameterPathFailure: 'States.ParameterPathFailure',
  BranchFailed: 'States.BranchFailed',
  NoChoiceMatched: 'States.NoChoiceMatched',
  IntrinsicFailure: 'States.IntrinsicFailure',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  DataLimitExceeded: 'States.DataLimitExceeded',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  ItemReaderFailed: 'States.ItemReaderFailed',
  ResultWriterFailed: 'States.ResultWriterFailed',
  QueryEvaluationError: 'States.QueryEvaluationError',
} as const;

/** A definition AWS rejects at CreateStateMachine (`InvalidDefinition`), with AWS's message text. */
export class InvalidDefinitionError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid State Machine Definition: '${problems.join(', ')}'`);
    this.name = 'InvalidDefinition';
  }
}
