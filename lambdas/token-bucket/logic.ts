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
import { createHash } from 'crypto';
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
  /**
   * Identifies this take across retries: the execution, the state and the time it was entered (the
   * same on every attempt of one state entry, different on the next entry). A retried take that
   * already took answers with its first grant and takes nothing new.
   */
  readonly takeKey: string;
}

/** How long a take is remembered for its retries (they come within minutes); after that the record expires. */
export const TAKE_MEMORY_SECONDS = 24 * 3600;

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
    takeKey: takeKeyOf(asString(e.execution, 'execution'), asString(e.state, 'state'), asString(e.enteredAt, 'enteredAt')),
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

/** The take's idempotency key: a hash (fixed length, key-safe) of execution, state and entry time. */
export function takeKeyOf(execution: string, state: string, enteredAt: string): string {
  return createHash('sha256').update(`${execution}\n${state}\n${enteredAt}`).digest('base64url').slice(0, 32);
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

/** A take's record (off the hot shard item): the fence its retries meet, then its answer. */
export interface TakeRecord { readonly status: 'PENDING' | 'DONE'; readonly shard?: number; readonly tat?: number; readonly result?: ConsumeResult }

/**
 * The store, as plain conditional single-item writes: no transaction touches the hot shard item
 * (on AWS a transaction on an item that others write at the same time is cancelled with
 * TransactionConflict, and costs twice the write units).
 */
export interface BucketStore {
  /** Puts the take's PENDING record if it has none; false when one exists (this is a retry). */
  fence(bucket: string, key: string, nowMs: number): Promise<boolean>;
  recall(bucket: string, key: string): Promise<TakeRecord | undefined>;
  /**
   * Conditional `SET tat = tat + :inc` if `tat >= :now AND tat + :inc <= :max` and the shard holds
   * no mark of this take; the mark `take_<key>` (the new tat) is set by the same write. The new tat,
   * or undefined when the condition failed.
   */
  takeBacklogged(bucket: string, shard: number, inc: number, nowMs: number, maxTatAfter: number, cfg: BucketConfig, key: string): Promise<number | undefined>;
  /** The same with `SET tat = :now + :inc` if the shard is unused or `tat < :now` (full). */
  takeIdle(bucket: string, shard: number, inc: number, nowMs: number, cfg: BucketConfig, key: string): Promise<number | undefined>;
  /** The shard's tat (strongly consistent), for choosing a shard and reporting a denial. */
  peek(bucket: string, shard: number): Promise<number | undefined>;
  /** The tat this take's mark holds on the shard, or undefined. */
  takenTat(bucket: string, shard: number, key: string): Promise<number | undefined>;
  /** PENDING -> DONE with the answer, conditional on PENDING; false when another attempt finalized first. */
  finalize(bucket: string, key: string, record: { shard: number; tat: number; result: ConsumeResult }): Promise<boolean>;
  /** Gives a take back (`SET tat = tat - :inc`): an attempt that took although another one finalized. */
  refund(bucket: string, shard: number, inc: number): Promise<void>;
  /** Adds to the per-workflow usage counters (an atomic ADD), once per take: by the attempt that finalized it. */
  recordUsage(bucket: string, workflow: string, tokens: number, nowMs: number): Promise<void>;
  /** Removes the take's mark from the shard (idempotent). */
  forget(bucket: string, shard: number, key: string): Promise<void>;
}

export interface ConsumeDeps {
  readonly store: BucketStore;
  readonly now: () => number;
  /** Shard to try first (random in production, so load spreads). */
  readonly firstShard: (shards: number) => number;
}

const MAX_ROUNDS = 8;

type Taken = { shard: number; tat: number; nowMs: number; mine: boolean };

/**
 * One shard: the take as one of two conditional writes (which one depends on whether the bucket is
 * full). `mine` is false when the shard already holds this take's mark (an overlapping attempt took).
 */
async function takeFrom(req: ConsumeRequest, cfg: BucketConfig, shard: number, deps: ConsumeDeps, maxWaitMs: number): Promise<Taken | undefined> {
  const { store } = deps;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const nowMs = deps.now();
    const { inc, maxTatAfter } = plan(cfg, req.tokens, nowMs, maxWaitMs);
    // The two writes with one `now`: when the full-bucket write loses to another take that just moved
    // tat past `now`, the owed-tokens write with the same `now` then holds (tat only moves forward).
    // A fresh `now` per write let a full bucket under hundreds of takers livelock between the two.
    const tat = (await store.takeBacklogged(req.bucket, shard, inc, nowMs, maxTatAfter, cfg, req.takeKey))
      ?? (await store.takeIdle(req.bucket, shard, inc, nowMs, cfg, req.takeKey))
      ?? (await store.takeBacklogged(req.bucket, shard, inc, nowMs, maxTatAfter, cfg, req.takeKey));
    if (tat !== undefined) return { shard, tat, nowMs, mine: true };
    const marked = await store.takenTat(req.bucket, shard, req.takeKey);
    if (marked !== undefined) return { shard, tat: marked, nowMs, mine: false };
    // Neither held: either the shard is too far in debt (a denial), or another take flipped it between
    // our two writes (then the first write holds next round).
    const current = await store.peek(req.bucket, shard);
    if (current !== undefined && current >= nowMs && current + inc > maxTatAfter) return undefined;
  }
  throw new ConcurrencyConflict(`token bucket ${req.bucket}/${shard}: the shard kept changing state (${MAX_ROUNDS} rounds)`);
}

function answer(req: ConsumeRequest, cfg: BucketConfig, shard: number, tat: number, nowMs: number): ConsumeResult {
  const waitMs = waitAfter(tat, cfg, nowMs);
  return { bucket: req.bucket, tokens: req.tokens, shard, waitMs, grantAt: new Date(nowMs + waitMs).toISOString(), remaining: available(tat, cfg, nowMs) };
}

/**
 * Takes `tokens`, once per `takeKey`, however often the Lambda is retried and even when two attempts
 * overlap. The protocol, each step one conditional write to one item:
 *   1. fence: the take's record, PENDING (a retry finds it and looks for what the first attempt did);
 *   2. the shard update, which leaves a mark `take_<key>` holding the new tat (exact, no read);
 *   3. finalize: the record PENDING -> DONE with the answer; only one attempt can;
 *   4. usage, by the attempt that finalized; 5. the mark is removed.
 * A retry finds DONE (the first answer), or the mark (finishes from it), or neither (nothing was
 * taken yet: it takes). An attempt that took but lost step 3 to an overlapping one gives its take
 * back. With several shards each holds capacity/shards and refills at rate/shards: shards are tried
 * from a random one on for an immediate grant; if none has the tokens, the one that will have them
 * soonest reserves. Throws QuotaExceeded when the wait would exceed `maxWaitMs` (nothing is taken).
 */
export async function consume(req: ConsumeRequest, deps: ConsumeDeps): Promise<ConsumeResult> {
  const { store } = deps;
  const cfg = { capacity: req.capacity / req.shards, refillPerSecond: req.refillPerSecond / req.shards };
  const first = deps.firstShard(req.shards);
  const order = Array.from({ length: req.shards }, (_, i) => (first + i) % req.shards);
  const inc = plan(cfg, req.tokens, 0, 0).inc;

  const finish = async (taken: Taken): Promise<ConsumeResult> => {
    const result = answer(req, cfg, taken.shard, taken.tat, taken.nowMs);
    if (await store.finalize(req.bucket, req.takeKey, { shard: taken.shard, tat: taken.tat, result })) {
      await store.recordUsage(req.bucket, req.workflow, req.tokens, taken.nowMs);
      await store.forget(req.bucket, taken.shard, req.takeKey);
      return result;
    }
    // An overlapping attempt finalized first. If its answer is not this attempt's own take, this
    // attempt took a second time: give it back.
    const winner = await store.recall(req.bucket, req.takeKey);
    if (taken.mine && !(winner?.shard === taken.shard && winner?.tat === taken.tat)) {
      await store.refund(req.bucket, taken.shard, inc);
      await store.forget(req.bucket, taken.shard, req.takeKey);
    }
    if (!winner?.result) throw new ConcurrencyConflict(`token bucket ${req.bucket}: take ${req.takeKey} was finalized but its record is not readable`);
    return winner.result;
  };

  if (!(await store.fence(req.bucket, req.takeKey, deps.now()))) {
    // A retry (or an overlapping attempt): the first answer, or what the first attempt took.
    const prior = await store.recall(req.bucket, req.takeKey);
    if (prior?.status === 'DONE' && prior.result) {
      await store.forget(req.bucket, prior.result.shard, req.takeKey); // in case the attempt that took died before it
      return prior.result;
    }
    for (const shard of order) {
      const tat = await store.takenTat(req.bucket, shard, req.takeKey);
      if (tat !== undefined) return finish({ shard, tat, nowMs: deps.now(), mine: false });
    }
    // Nothing was taken yet: take now, as the first attempt would have.
  }
  // An immediate grant from any shard first (on one shard, this is the whole story when maxWait is 0).
  const immediate = req.shards === 1 ? req.maxWaitMs : 0;
  for (const shard of order) {
    const taken = await takeFrom(req, cfg, shard, deps, immediate);
    if (taken) return finish(taken);
  }
  if (req.shards > 1 && req.maxWaitMs > 0) {
    // Reserve on the shard that will have the tokens soonest.
    const tats = await Promise.all(order.map(async (s) => [s, (await store.peek(req.bucket, s)) ?? 0] as const));
    const [shard] = tats.reduce((a, b) => (b[1] < a[1] ? b : a));
    const taken = await takeFrom(req, cfg, shard, deps, req.maxWaitMs);
    if (taken) return finish(taken);
  }
  const nowMs = deps.now();
  const soonest = Math.min(...(await Promise.all(order.map(async (s) => (await store.peek(req.bucket, s)) ?? 0))));
  throw new QuotaExceeded(req.bucket, req.tokens, waitAfter(Math.max(soonest, nowMs) + plan(cfg, req.tokens, nowMs, 0).inc, cfg, nowMs));
}
