/**
 * Token bucket with continuous refill and reservations. Pure: the store is a port, time is passed in.
 *
 * A shard holds `tokens` as of `updatedAtMs`. Reading it refills by elapsed time x rate, capped at
 * capacity (never minute windows). A consume that finds enough tokens takes them at once. One that
 * does not, and may wait, RESERVES them: the balance goes negative and the caller is told the exact
 * instant (`grantAt`) at which the refill covers its debt; it waits until then and is never polled or
 * re-checked, because the tokens are already its own. Later callers queue behind that debt, so the
 * tokens granted by any time T never exceed capacity + rate x (T - first use).
 */
import { ConcurrencyConflict, QuotaExceeded, ValidationError } from '../shared/errors';
import { asNumber, asObject, asString } from '../shared/parse';

export interface Shard { readonly tokens: number; readonly updatedAtMs: number; readonly version: number }
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
  /** Balance of the shard after this consume (negative while reservations are outstanding). */
  readonly remaining: number;
}

const MAX_SHARDS = 100;

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

/** The shard's balance at `nowMs`. A clock behind `updatedAtMs` (skew) adds nothing and never moves time back. */
export function refill(shard: Shard | undefined, cfg: BucketConfig, nowMs: number): Shard {
  if (!shard) return { tokens: cfg.capacity, updatedAtMs: nowMs, version: 0 };
  const elapsedMs = Math.max(0, nowMs - shard.updatedAtMs);
  const tokens = Math.min(cfg.capacity, shard.tokens + (elapsedMs / 1000) * cfg.refillPerSecond);
  return { tokens, updatedAtMs: Math.max(shard.updatedAtMs, nowMs), version: shard.version };
}

export type Decision =
  | { readonly kind: 'grant'; readonly next: Shard; readonly waitMs: number }
  | { readonly kind: 'deny'; readonly retryAfterMs: number };

/** What taking `tokens` from the shard does at `nowMs`: grant now, grant after a wait (reserve), or deny. */
export function decide(shard: Shard | undefined, cfg: BucketConfig, tokens: number, nowMs: number, maxWaitMs: number): Decision {
  const s = refill(shard, cfg, nowMs);
  const after = s.tokens - tokens;
  // The debt is covered after debt / rate seconds; rounded up to whole ms so the grant is never early.
  const waitMs = after >= 0 ? 0 : Math.ceil((-after / cfg.refillPerSecond) * 1000);
  if (waitMs > maxWaitMs) return { kind: 'deny', retryAfterMs: waitMs };
  return { kind: 'grant', next: { tokens: after, updatedAtMs: s.updatedAtMs, version: s.version + 1 }, waitMs };
}

export interface BucketStore {
  get(bucket: string, shard: number): Promise<Shard | undefined>;
  /** Conditional on the version read (0: no item yet). False when another writer won. */
  put(bucket: string, shard: number, next: Shard, expectedVersion: number): Promise<boolean>;
  /** Adds to the per-workflow usage counters (an atomic ADD). */
  recordUsage(bucket: string, workflow: string, tokens: number, nowMs: number): Promise<void>;
}

export interface ConsumeDeps {
  readonly store: BucketStore;
  readonly now: () => number;
  /** Shard to try first (random in production, so load spreads). */
  readonly firstShard: (shards: number) => number;
  /** Back-off between lost conditional writes. */
  readonly sleep: (ms: number) => Promise<void>;
}

const MAX_ATTEMPTS = 12;

/**
 * Consumes `tokens` from the bucket. With several shards each holds capacity/shards and refills at
 * rate/shards: the shards are read from a random one on, the first that can grant now does; if none
 * can, the one with the shortest wait reserves. Throws QuotaExceeded when the wait would exceed
 * `maxWaitMs`, ConcurrencyConflict after MAX_ATTEMPTS lost writes.
 */
export async function consume(req: ConsumeRequest, deps: ConsumeDeps): Promise<ConsumeResult> {
  const cfg = { capacity: req.capacity / req.shards, refillPerSecond: req.refillPerSecond / req.shards };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const first = deps.firstShard(req.shards);
    let best: { shard: number; current: Shard | undefined; decision: Decision & { kind: 'grant' } } | undefined;
    let shortestDenial = Infinity;
    for (let i = 0; i < req.shards; i++) {
      const shard = (first + i) % req.shards;
      const current = await deps.store.get(req.bucket, shard);
      const decision = decide(current, cfg, req.tokens, deps.now(), req.maxWaitMs);
      if (decision.kind === 'deny') { shortestDenial = Math.min(shortestDenial, decision.retryAfterMs); continue; }
      if (!best || decision.waitMs < best.decision.waitMs) best = { shard, current, decision };
      if (decision.waitMs === 0) break;
    }
    if (!best) throw new QuotaExceeded(req.bucket, req.tokens, shortestDenial);
    if (await deps.store.put(req.bucket, best.shard, best.decision.next, best.current?.version ?? 0)) {
      const nowMs = deps.now();
      await deps.store.recordUsage(req.bucket, req.workflow, req.tokens, nowMs);
      return {
        bucket: req.bucket, tokens: req.tokens, shard: best.shard, waitMs: best.decision.waitMs,
        grantAt: new Date(best.decision.next.updatedAtMs + best.decision.waitMs).toISOString(), remaining: best.decision.next.tokens,
      };
    }
    // Lost the race: back off with full jitter (up to 2^attempt ms, capped at 50 ms) and re-read.
    await deps.sleep(Math.random() * Math.min(50, 2 ** attempt));
  }
  throw new ConcurrencyConflict(`token bucket ${req.bucket}: lost ${MAX_ATTEMPTS} conditional writes in a row`);
}
