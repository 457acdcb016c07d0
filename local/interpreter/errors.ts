/**
 * Errors as the Amazon States Language names them. A `StatesError` is what Retry and Catch match:
 * `name` is the error name (`ErrorEquals`), `message` the cause.
 * https://states-language.net/spec.html#error-names
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
export class StatesError extends Error {
  constructor(name: string, cause: string, readonly facts: ErrorFacts = {}) {
    super(cause);
    this.name = name;
  }

  /** The same error with another cause and more facts (a subclass keeps its own fields). */
  withCause(cause: string, facts: ErrorFacts): StatesError {
    return new StatesError(this.name, cause, { ...this.facts, ...facts });
  }
}

/** What the history and a Catch need to know about an error besides its name and cause. */
export interface ErrorFacts {
  /** No error name / no cause was given (SendTaskFailure without them, a Fail without Error): a Catch sees null. */
  readonly absentError?: boolean;
  readonly absentCause?: boolean;
  /** A heartbeat timeout: reported as States.Timeout, matched by States.HeartbeatTimeout too. */
  readonly heartbeat?: boolean;
  /** The cause already names the state and the event that entered it. */
  readonly located?: boolean;
  /** Raised after the state's fields were evaluated (a value the state then could not use). */
  readonly afterEntered?: boolean;
  /** It reached a Parallel or Map from one of its branches or iterations. */
  readonly fromBranches?: boolean;
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
