/**
 * Retry presets, defined once and used by every workflow (`lib/patterns/retry.ts` turns them into
 * CDK `RetryProps`). Full jitter spreads retries of concurrent executions
 * (https://aws.amazon.com/builders-library/timeouts-retries-and-backoff-with-jitter/).
 */
import { TRANSIENT_ERROR_NAMES } from './errors';

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
} as const satisfies Record<string, RetryPreset>;
