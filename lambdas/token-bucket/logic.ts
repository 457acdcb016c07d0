/**
 * Token bucket with continuous refill and reservations, kept as GCRA (the generic cell rate
 * algorithm): a shard stores one instant, `tat` (theoretical arrival time). With T = 1/rate per token
 * and a burst allowance tau = capacity x T, the tokens available at `now` are
 * min(capacity, (now + tau - tat) / T): refill is elapsed time x rate, capped at capacity, never
 * minute windows. Taking n tokens moves tat to max(tat, now) + n x T.
 *
 * Why GCRA: the take is ONE conditional UpdateItem with no read (`SET tat = tat + :inc` if
 * `tat >= :now AND tat <= :max`, or `SET tat = :now + :inc` if the bucket is full), so concurrent
 * consumers do not lose optimistic races against each other the way read-compute-write does.
 *
 * A take that finds too few tokens and may wait RESERVES them: tat moves past now + tau and the caller
 * is told the exact instant (`grantAt` = new tat - tau) at which the refill covers it; it waits until
 * then (a Wait state), never polled or re-checked, because the tokens are already its own. Later takes
 * queue behind it, so the tokens granted by any time t never exceed capacity + rate x (t - start).
 * Pure: the store is a port, time is passed in.
 */
import { ConcurrencyConflict, QuotaExceeded, ValidationError } from '../shared/errors';
import { asNumber, asObject, asString } from '../shared/parse';

export interface BucketConfig { readonly capacity: number; readonly refillPerSecond: number }

export interface ConsumeRequest {
  readonly bucket: string;
  readonly tokens: number;
  readonly capacity: number;
  readonly refillPerSecond: number;
  readonly shards: number;
  /** 0: fail fast when the tokens are not there now. */
  readonly maxWaitMs: number;
  /** The consuming workflow (state machine name): usage is recorded per workflow. */
  readonly workflow: string;
}

export interface ConsumeResult {
  readonly bucket: string;
  readonly tokens: number;
  readonly shard: number;
  /** How long the caller must wait before it uses the tokens (0: now). */
  readonly waitMs: number;
  /** ISO instant at which the tokens are the caller's (a Wait state's TimestampPath). */
  readonly grantAt: string;
  /** Tokens left in the shard after this take (negative: reservations outstanding). */
  readonly remaining: number;
}

/** One DynamoDB key takes ~1,000 writes/s; 100 shards cover any rate a workflow fleet would ask of one bucket. */
export const MAX_SHARDS = 100;

export function parseConsume(event: unknown): ConsumeRequest {
  const e = asObject(event, 'input');
  const req = {
    bucket: asString(e.bucket, 'bucket'), tokens: asNumber(e.tokens, 'tokens'), capacity: asNumber(e.capacity, 'capacity'),
    refillPerSecond: asNumber(e.refillPerSecond, 'refillPerSecond'), shards: asNumber(e.shards ?? 1, 'shards'),
    maxWaitMs: asNumber(e.maxWaitSeconds ?? 0, 'maxWaitSeconds') * 1000, workflow: asString(e.workflow, 'workflow'),
  };
  if (!(req.capacity > 0)) throw new ValidationError('capacity must be > 0');
  if (!(req.refillPerSecond > 0)) throw new ValidationError('refillPerSecond must be > 0');
  if (!Number.isInteger(req.shards) || req.shards < 1 || req.shards > MAX_SHARDS) throw new ValidationError(`shards must be an integer from 1 to ${MAX_SHARDS}`);
  if (!(req.tokens > 0)) throw new ValidationError('tokens must be > 0');
  if (req.tokens > req.capacity / req.shards) {
    throw new ValidationError(`tokens (${req.tokens}) must not exceed the capacity of one shard (${req.capacity / req.shards}): such a request could never be granted`);
  }
  if (req.maxWaitMs < 0) throw new ValidationError('maxWaitSeconds must be >= 0');
  return req;
}

/** Milliseconds one token takes to refill (T) and the burst allowance (tau = capacity x T). */
export function spacing(cfg: BucketConfig): { perTokenMs: number; burstMs: number } {
  const perTokenMs = 1000 / cfg.refillPerSecond;
  return { perTokenMs, burstMs: cfg.capacity * perTokenMs };
}

/** Tokens available at `nowMs` for a shard whose tat is `tat` (undefined: never used, so full). Negative: owed to reservations. */
export function available(tat: number | undefined, cfg: BucketConfig, nowMs: number): number {
  if (tat === undefined) return cfg.capacity;
  const { perTokenMs, burstMs } = spacing(cfg);
  return Math.min(cfg.capacity, (nowMs + burstMs - tat) / perTokenMs);
}

/** What a take of `tokens` at `nowMs` needs: the increment, and the largest tat it may leave. */
export function plan(cfg: BucketConfig, tokens: number, nowMs: number, maxWaitMs: number) {
  const { perTokenMs, burstMs } = spacing(cfg);
  const inc = tokens * perTokenMs;
  return { inc, maxTatAfter: nowMs + burstMs + maxWaitMs, burstMs };
}

/** The wait for a take that left the shard at `tatAfter`: until the refill covers it (rounded up, never early). */
export function waitAfter(tatAfter: number, cfg: BucketConfig, nowMs: number): number {
  return Math.max(0, Math.ceil(tatAfter - spacing(cfg).burstMs - nowMs));
}

export interface BucketStore {
  /** Conditional `SET tat = tat + :inc` if `tat >= :now AND tat + :inc <= :max`; the new tat, or undefined. */
  takeBacklogged(bucket: string, shard: number, inc: number, nowMs: number, maxTatAfter: number, cfg: BucketConfig): Promise<number | undefined>;
  /** Conditional `SET tat = :now + :inc` if the shard is unused or `tat < :now` (full); true when written. */
  takeIdle(bucket: string, shard: number, inc: number, nowMs: number, cfg: BucketConfig): Promise<boolean>;
  /** The shard's tat (strongly consistent), for choosing a shard and reporting a denial. */
  peek(bucket: string, shard: number): Promise<number | undefined>;
  /** Adds to the per-workflow usage counters (an atomic ADD). */
  recordUsage(bucket: string, workflow: string, tokens: number, nowMs: number): Promise<void>;
}

export interface ConsumeDeps {
  readonly store: BucketStore;
  readonly now: () => number;
  /** Shard to try first (random in production, so load spreads). */
  readonly firstShard: (shards: number) => number;
}

const MAX_ROUNDS = 8;

/** One shard: the take as one of two conditional writes (which one depends on whether the bucket is full). */
async function takeFrom(req: ConsumeRequest, cfg: BucketConfig, shard: number, now: () => number, maxWaitMs: number, store: BucketStore): Promise<{ tat: number; nowMs: number } | undefined> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const nowMs = now();
    const { inc, maxTatAfter } = plan(cfg, req.tokens, nowMs, maxWaitMs);
    const tat = await store.takeBacklogged(req.bucket, shard, inc, nowMs, maxTatAfter, cfg);
    if (tat !== undefined) return { tat, nowMs };
    if (await store.takeIdle(req.bucket, shard, inc, nowMs, cfg)) return { tat: nowMs + inc, nowMs };
    // Neither held: either the shard is too far in debt (a denial), or another take flipped it between
    // our two writes (then the first write holds next round).
    const current = await store.peek(req.bucket, shard);
    if (current !== undefined && current >= nowMs && current + inc > maxTatAfter) return undefined;
  }
  throw new ConcurrencyConflict(`token bucket ${req.bucket}/${shard}: the shard kept changing state (${MAX_ROUNDS} rounds)`);
}

/**
 * Takes `tokens`. With several shards each holds capacity/shards and refills at rate/shards: shards
 * are tried from a random one on for an immediate grant; if none has the tokens, the one that will
 * have them soonest reserves. Throws QuotaExceeded when the wait would exceed `maxWaitMs`.
 */
export async function consume(req: ConsumeRequest, deps: ConsumeDeps): Promise<ConsumeResult> {
  const cfg = { capacity: req.capacity / req.shards, refillPerSecond: req.refillPerSecond / req.shards };
  const first = deps.firstShard(req.shards);
  const order = Array.from({ length: req.shards }, (_, i) => (first + i) % req.shards);
  const granted = async (shard: number, { tat, nowMs }: { tat: number; nowMs: number }): Promise<ConsumeResult> => {
    await deps.store.recordUsage(req.bucket, req.workflow, req.tokens, nowMs);
    const waitMs = waitAfter(tat, cfg, nowMs);
    return { bucket: req.bucket, tokens: req.tokens, shard, waitMs, grantAt: new Date(nowMs + waitMs).toISOString(), remaining: available(tat, cfg, nowMs) };
  };
  // An immediate grant from any shard first (on one shard, this is the whole story when maxWait is 0).
  const immediate = req.shards === 1 ? req.maxWaitMs : 0;
  for (const shard of order) {
    const taken = await takeFrom(req, cfg, shard, deps.now, immediate, deps.store);
    if (taken) return granted(shard, taken);
  }
  if (req.shards > 1 && req.maxWaitMs > 0) {
    // Reserve on the shard that will have the tokens soonest.
    const tats = await Promise.all(order.map(async (s) => [s, (await deps.store.peek(req.bucket, s)) ?? 0] as const));
    const [shard] = tats.reduce((a, b) => (b[1] < a[1] ? b : a));
    const taken = await takeFrom(req, cfg, shard, deps.now, req.maxWaitMs, deps.store);
    if (taken) return granted(shard, taken);
  }
  const nowMs = deps.now();
  const soonest = Math.min(...(await Promise.all(order.map(async (s) => (await deps.store.peek(req.bucket, s)) ?? 0))));
  throw new QuotaExceeded(req.bucket, req.tokens, waitAfter(Math.max(soonest, nowMs) + plan(cfg, req.tokens, nowMs, 0).inc, cfg, nowMs));
}
