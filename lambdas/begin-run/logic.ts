import { InvalidInput } from '../shared/errors';
import { RUN_ID_PATTERN } from '../validate-request/logic';

/** What a run needs from the clock that ASL cannot compute: expiry instants (DynamoDB TTL and ISO). */
export interface RunClock {
  readonly runId: string;
  readonly nowIso: string;
  /** Epoch seconds after which the run's state expires (DynamoDB TTL attribute). */
  readonly expiresAt: number;
  /** The same instant as ISO 8601, which a Choice state compares with $$.State.EnteredTime. */
  readonly expiresAtIso: string;
}

export function beginRun(event: unknown, nowMs: number): RunClock {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const issues: string[] = [];
  if (typeof e.runId !== 'string' || !RUN_ID_PATTERN.test(e.runId)) issues.push(`runId must match ${RUN_ID_PATTERN}`);
  if (typeof e.ttlSeconds !== 'number' || !Number.isInteger(e.ttlSeconds) || e.ttlSeconds < 60) issues.push('ttlSeconds must be an integer of at least 60');
  if (issues.length) throw new InvalidInput(`Invalid run: ${issues.join('; ')}`, issues);
  const expiresMs = nowMs + (e.ttlSeconds as number) * 1000;
  return { runId: e.runId as string, nowIso: new Date(nowMs).toISOString(), expiresAt: Math.floor(expiresMs / 1000), expiresAtIso: new Date(Math.floor(expiresMs / 1000) * 1000).toISOString() };
}
