/**
 * The error taxonomy. Each class sets `name`, which is what ASL `Retry`/`Catch` `ErrorEquals` match
 * (Lambda reports it as `errorType`). Transient errors are retried with backoff; permanent ones never.
 */
export abstract class OrchestrationError extends Error {
  abstract readonly transient: boolean;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A failure that may succeed on retry (throttling, a flaky dependency, a timeout). */
export class TransientError extends OrchestrationError {
  readonly transient = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

/** A failure that will fail again with the same input. Never retried. */
export class ValidationError extends OrchestrationError {
  readonly transient = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ValidationError';
  }
}

/** The workflow input does not have the documented shape. Never retried. */
export class InvalidInput extends ValidationError {
  constructor(message: string, readonly issues: readonly string[] = [message]) {
    super(message);
    this.name = 'InvalidInput';
  }
}

/** Error names (as Step Functions reports them) that the retry presets treat as transient. */
export const TRANSIENT_ERROR_NAMES = [
  'TransientError',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Sandbox.Timedout',
  'States.Timeout',
] as const;

/** Error names that are permanent: matched by Catch, never by Retry. */
export const PERMANENT_ERROR_NAMES = ['ValidationError', 'InvalidInput'] as const;
