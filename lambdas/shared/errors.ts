/**
 * The error taxonomy. Each class sets `name`, which is what ASL `Retry`/`Catch` `ErrorEquals` match
 * (Lambda reports it as `errorType`). Transient errors are retried with backoff (the presets in
 * `retry-presets.ts`); permanent ones never: they are caught, compensated or reported.
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

/** Optimistic concurrency lost too many times in a row (another writer kept winning). Retried. */
export class ConcurrencyConflict extends TransientError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConcurrencyConflict';
  }
}

/** A bulkhead partition has no free slot now. Retried with backoff (the `capacity` preset). */
export class BulkheadFull extends TransientError {
  constructor(readonly partition: string, readonly limit: number) {
    super(`bulkhead partition ${partition} is full (${limit} slots in use)`);
    this.name = 'BulkheadFull';
  }
}

/** A failure that will fail again with the same input. Never retried. */
export class PermanentError extends OrchestrationError {
  readonly transient = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentError';
  }
}

/** The input of a task does not have the documented shape. Never retried. */
export class ValidationError extends PermanentError {
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

/** A step output too large for a Step Functions payload (256 KB): refused whole, never truncated. */
export class PayloadTooLarge extends PermanentError {
  constructor(readonly step: string, readonly bytes: number, readonly limit: number) {
    super(`the output of step ${step} is ${bytes} bytes, over the ${limit}-byte payload limit; store it elsewhere (e.g. S3) and return a reference`);
    this.name = 'PayloadTooLarge';
  }
}

/**
 * The names a workflow fails with when a pattern refuses work (not thrown by Lambda code: the state
 * machines raise them with Fail states). Permanent: retrying at once would defeat their purpose.
 */
export const PATTERN_ERROR_NAMES = {
  /** The protected dependency's circuit is open (or half-open with its probe in flight). */
  circuitOpen: 'CircuitOpen',
  /** A saga compensation failed after its retries; the saga is left COMPENSATION_FAILED. */
  sagaCompensationFailed: 'SagaCompensationFailed',
  /** The budget of the scope for this period is spent (the gate denied the run). */
  budgetExceeded: 'BudgetExceeded',
} as const;

/**
 * A token bucket cannot grant the tokens now (fail-fast callers) or within the caller's maximum
 * wait. Permanent for the caller: retrying at once would only take tokens from others.
 */
export class QuotaExceeded extends PermanentError {
  constructor(readonly bucket: string, readonly requested: number, readonly retryAfterMs: number) {
    super(`token bucket ${bucket}: ${requested} token(s) are not available ${retryAfterMs > 0 ? `for another ${retryAfterMs} ms` : 'now'}`);
    this.name = 'QuotaExceeded';
  }
}

/** Error names (as Step Functions reports them) that the retry presets treat as transient. */
export const TRANSIENT_ERROR_NAMES = [
  'TransientError',
  'ConcurrencyConflict',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Sandbox.Timedout',
  'States.Timeout',
] as const;

/** Error names that are permanent: matched by Catch, never by Retry. */
export const PERMANENT_ERROR_NAMES = ['PermanentError', 'ValidationError', 'InvalidInput', 'PayloadTooLarge', 'QuotaExceeded', PATTERN_ERROR_NAMES.circuitOpen, PATTERN_ERROR_NAMES.sagaCompensationFailed, PATTERN_ERROR_NAMES.budgetExceeded] as const;

/** DynamoDB errors a direct integration should retry (throttling and server faults). */
export const DYNAMODB_TRANSIENT_ERROR_NAMES = [
  'DynamoDB.ProvisionedThroughputExceededException',
  'DynamoDB.ThrottlingException',
  'DynamoDB.RequestLimitExceeded',
  'DynamoDB.InternalServerErrorException',
] as const;

/** EventBridge errors a direct PutEvents should retry. */
export const EVENTBRIDGE_TRANSIENT_ERROR_NAMES = ['EventBridge.EventBridgeException', 'EventBridge.InternalException', 'EventBridge.ThrottlingException', 'EventBridge.FailedEntry'] as const;
