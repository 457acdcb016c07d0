import { InvalidInput } from '../shared/errors';

/** The documented input of the `pipeline` workflow: `{ request: PipelineRequest, trigger?: {...} }`. */
export interface PipelineRequest {
  readonly runId: string;
  /** Records each generator produces. @default 1000 */
  readonly records: number;
  /** PRNG seed for the synthetic data. @default derived from runId */
  readonly seed: number;
  readonly requestedBy?: string;
}

export interface ValidatedRequest extends PipelineRequest {
  /** Epoch seconds when the request was validated (the dedup claim compares expiries to it). */
  readonly nowEpoch: number;
  /** Epoch seconds when the run's claim and checkpoints expire (DynamoDB TTL). */
  readonly expiresAt: number;
  /** The same instant as an ISO timestamp, which a Choice state can compare with $$.Execution.StartTime. */
  readonly expiresAtIso: string;
}

export const RUN_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,79}$/;
export const MAX_RECORDS = 100_000;

export function hashSeed(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** Parses the workflow input. Collects every problem so the error names them all at once. */
export function parsePipelineRequest(input: unknown): PipelineRequest {
  const issues: string[] = [];
  const envelope = typeof input === 'object' && input !== null && !Array.isArray(input) ? (input as Record<string, unknown>) : undefined;
  const request = envelope?.request;
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    throw new InvalidInput('request must be an object with a runId', ['request must be an object with a runId']);
  }
  const r = request as Record<string, unknown>;
  if (r.runId === undefined) issues.push('runId is required');
  else if (typeof r.runId !== 'string') issues.push(`runId must be a string, got ${typeof r.runId}`);
  else if (!RUN_ID_PATTERN.test(r.runId)) issues.push('runId must be 1-80 characters of [A-Za-z0-9_.:-], starting with a letter or digit');
  if (r.records !== undefined && (typeof r.records !== 'number' || !Number.isInteger(r.records) || r.records < 1 || r.records > MAX_RECORDS)) {
    issues.push(`records must be an integer from 1 to ${MAX_RECORDS}`);
  }
  if (r.seed !== undefined && (typeof r.seed !== 'number' || !Number.isInteger(r.seed) || r.seed < 0)) {
    issues.push('seed must be a non-negative integer');
  }
  if (r.requestedBy !== undefined && typeof r.requestedBy !== 'string') issues.push('requestedBy must be a string');
  if (issues.length > 0) throw new InvalidInput(`Invalid pipeline request: ${issues.join('; ')}`, issues);
  const runId = r.runId as string;
  return {
    runId,
    records: (r.records as number | undefined) ?? 1000,
    seed: (r.seed as number | undefined) ?? hashSeed(runId),
    ...(r.requestedBy !== undefined ? { requestedBy: r.requestedBy as string } : {}),
  };
}

export function validateRequest(input: unknown, nowMs: number, ttlSeconds: number): ValidatedRequest {
  const request = parsePipelineRequest(input);
  const nowEpoch = Math.floor(nowMs / 1000);
  const expiresAt = nowEpoch + ttlSeconds;
  return { ...request, nowEpoch, expiresAt, expiresAtIso: new Date(expiresAt * 1000).toISOString() };
}
