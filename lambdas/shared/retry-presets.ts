/**
 * Retry presets, defined once and used by every workflow and pattern (`lib/patterns/retry.ts` turns
 * them into CDK `RetryProps`). Full jitter spreads retries of concurrent executions
 * (https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/).
 */
import { DYNAMODB_TRANSIENT_ERROR_NAMES, EVENTBRIDGE_TRANSIENT_ERROR_NAMES, TRANSIENT_ERROR_NAMES } from './errors';

export interface RetryPreset {
  readonly errors: readonly string[];
  readonly intervalSeconds: number;
  readonly maxAttempts: number;
  readonly backoffRate: number;
  readonly maxDelaySeconds: number;
  readonly jitter: 'FULL' | 'NONE';
}

export const RETRY_PRESETS = {
  /** Default for tasks: 3 retries, 1 s, 2 s, 4 s (each with full jitter), capped at 30 s. */
  transient: { errors: TRANSIENT_ERROR_NAMES, intervalSeconds: 1, maxAttempts: 3, backoffRate: 2, maxDelaySeconds: 30, jitter: 'FULL' },
  /** Direct DynamoDB integrations: throttling and server faults only (a failed condition is an answer, not a fault). */
  dynamodb: { errors: DYNAMODB_TRANSIENT_ERROR_NAMES, intervalSeconds: 1, maxAttempts: 3, backoffRate: 2, maxDelaySeconds: 30, jitter: 'FULL' },
  /** Direct EventBridge PutEvents. */
  events: { errors: EVENTBRIDGE_TRANSIENT_ERROR_NAMES, intervalSeconds: 1, maxAttempts: 3, backoffRate: 2, maxDelaySeconds: 30, jitter: 'FULL' },
  /** Compensations must try harder than actions: 5 retries, 2 s doubling, capped at 60 s. */
  compensation: { errors: TRANSIENT_ERROR_NAMES, intervalSeconds: 2, maxAttempts: 5, backoffRate: 2, maxDelaySeconds: 60, jitter: 'FULL' },
  /** Waiting for capacity (a bulkhead slot): 6 retries, 1 s doubling, capped at 30 s. */
  capacity: { errors: ['BulkheadFull'], intervalSeconds: 1, maxAttempts: 6, backoffRate: 2, maxDelaySeconds: 30, jitter: 'FULL' },
} as const satisfies Record<string, RetryPreset>;
