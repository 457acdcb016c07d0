/**
 * Pools (counting semaphores) with a priority queue of parked waiters. Pure: the store and the
 * task-token notifier are ports.
 *
 * The pool item holds the holders (execution id -> lease expiry) and a version; every change to it is
 * a conditional write on that version. A waiter parks FIRST (its task token in a queue item whose
 * sort key orders by priority, then arrival) and only then runs `dispatch`; a release frees its slot
 * FIRST and then runs `dispatch`. `dispatch` reads the pool and the head of the queue (strongly
 * consistent) and hands free slots to the first waiters in one conditional write, then wakes them
 * with SendTaskSuccess. Because both sides write before they read, a release can never miss a waiter
 * that parked before it (no lost wake-up), and no one polls.
 */
import { ConcurrencyConflict, ValidationError } from '../shared/errors';
import { asNumber, asObject, asString } from '../shared/parse';

export interface PoolState { readonly holders: Readonly<Record<string, number>>; readonly version: number }
export interface Waiter { readonly sk: string; readonly holder: string; readonly priority: number; readonly arrivalMs: number; readonly token: string }
export interface PoolConfig { readonly pool: string; readonly slots: number; readonly leaseSeconds: number }

export interface PoolStore {
  get(pool: string): Promise<PoolState | undefined>;
  /** Conditional on the version read (0: no item yet). False when another writer won. */
  put(pool: string, next: PoolState, expectedVersion: number): Promise<boolean>;
  /** The first `limit` waiters in queue order (strongly consistent). */
  queue(pool: string, limit: number): Promise<Waiter[]>;
  /** Number of parked waiters (read only when the queue is longer than a page). */
  queueLength(pool: string): Promise<number>;
  /** The waiters parked by one holder (a reaped execution may have left one). */
  waitersOf(pool: string, holder: string): Promise<Waiter[]>;
  park(pool: string, waiter: Waiter): Promise<void>;
  unpark(pool: string, sk: string): Promise<void>;
}

export interface Notifier {
  /** SendTaskSuccess; false when the token is dead (its execution ended or the task timed out). */
  grant(token: string, output: Record<string, unknown>): Promise<boolean>;
}

export interface PoolDeps {
  readonly store: PoolStore;
  readonly notifier: Notifier;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Builds a waiter's sort key (keys.poolWaiter). */
  readonly waiterKey: (pool: string, priority: number, arrivalMs: number, holder: string) => string;
}

export interface AcquireRequest extends PoolConfig { readonly holder: string; readonly priority: number; readonly arrivalMs: number; readonly token: string }
export interface ReleaseRequest extends PoolConfig {
  readonly holder: string;
  /** The holder gave up waiting (its acquire timed out): its parked waiter leaves the queue too. */
  readonly abandon: boolean;
}
export interface PoolSummary { readonly pool: string; readonly holders: number; readonly queued: number }

export const MAX_PRIORITY = 999;

export function parseConfig(e: Record<string, unknown>): PoolConfig {
  const slots = asNumber(e.slots, 'slots');
  const leaseSeconds = asNumber(e.leaseSeconds, 'leaseSeconds');
  if (!Number.isInteger(slots) || slots < 1) throw new ValidationError('slots must be a positive integer');
  if (!Number.isInteger(leaseSeconds) || leaseSeconds < 1) throw new ValidationError('leaseSeconds must be a positive integer');
  return { pool: asString(e.pool, 'pool'), slots, leaseSeconds };
}

export function parseAcquire(event: unknown): AcquireRequest {
  const e = asObject(event, 'input');
  const priority = asNumber(e.priority, 'priority');
  if (!Number.isInteger(priority) || priority < 0 || priority > MAX_PRIORITY) throw new ValidationError(`priority must be an integer from 0 to ${MAX_PRIORITY}`);
  const arrivalMs = Date.parse(asString(e.arrival, 'arrival'));
  if (Number.isNaN(arrivalMs)) throw new ValidationError('arrival must be an ISO timestamp');
  return { ...parseConfig(e), holder: asString(e.holder, 'holder'), priority, arrivalMs, token: asString(e.taskToken, 'taskToken') };
}

export function parseRelease(event: unknown): ReleaseRequest {
  const e = asObject(event, 'input');
  if (e.abandon !== undefined && typeof e.abandon !== 'boolean') throw new ValidationError('abandon must be a boolean');
  return { ...parseConfig(e), holder: asString(e.holder, 'holder'), abandon: e.abandon === true };
}

/** Holders whose lease has not expired: an expired lease is reclaimed by whoever writes next. */
export function liveHolders(state: PoolState | undefined, nowMs: number): Record<string, number> {
  return Object.fromEntries(Object.entries(state?.holders ?? {}).filter(([, until]) => until > nowMs));
}

/** Which queued waiters get the free slots: in queue order, skipping those that already hold one. */
export function assign(live: Readonly<Record<string, number>>, queue: readonly Waiter[], slots: number): { granted: Waiter[]; holding: Waiter[] } {
  const holding = queue.filter((w) => w.holder in live);
  const seen = new Set<string>();
  const candidates = queue.filter((w) => !(w.holder in live) && !seen.has(w.holder) && seen.add(w.holder));
  const free = Math.max(0, slots - Object.keys(live).length);
  return { granted: candidates.slice(0, free), holding };
}

const MAX_ATTEMPTS = 12;
const QUEUE_PAGE = 25;
/**
 * A waiter already recorded as a holder but still parked is normally one whose granting dispatcher is
 * between its write and its SendTaskSuccess: that dispatcher delivers. Only a grant older than this
 * (the dispatcher crashed) is delivered again by someone else. Delivering it early would race the
 * owner, whose SendTaskSuccess would then fail and make it take the slot back from a running holder.
 */
export const REDELIVER_AFTER_MS = 10_000;

/** Hands free slots to the head of the queue and wakes those waiters. */
export async function dispatch(cfg: PoolConfig, deps: PoolDeps): Promise<PoolSummary> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await deps.store.get(cfg.pool);
    const limit = cfg.slots + QUEUE_PAGE;
    const queue = await deps.store.queue(cfg.pool, limit);
    const now = deps.now();
    const live = liveHolders(current, now);
    const { granted, holding } = assign(live, queue, cfg.slots);
    const holders = { ...live };
    for (const w of granted) holders[w.holder] = now + cfg.leaseSeconds * 1000;
    // A waiter granted long ago but still parked (its dispatcher crashed between the write and the
    // wake-up) is woken again below; its lease starts again now, since its work has not started.
    const stale = holding.filter((w) => (live[w.holder] ?? 0) - cfg.leaseSeconds * 1000 < now - REDELIVER_AFTER_MS);
    for (const w of stale) holders[w.holder] = now + cfg.leaseSeconds * 1000;
    const changed = granted.length > 0 || stale.length > 0 || Object.keys(live).length !== Object.keys(current?.holders ?? {}).length;
    if (changed && !(await deps.store.put(cfg.pool, { holders, version: (current?.version ?? 0) + 1 }, current?.version ?? 0))) {
      await deps.sleep(Math.random() * Math.min(50, 2 ** attempt));
      continue;
    }
    // Wake the new holders, and any waiter whose grant was written but not delivered long ago (a crash
    // between the two): a repeated SendTaskSuccess on a finished token is refused and ignored.
    const dead: string[] = [];
    for (const w of [...granted, ...stale]) {
      const delivered = await deps.notifier.grant(w.token, { pool: cfg.pool, holder: w.holder, priority: w.priority, grantedAt: new Date(now).toISOString(), leaseUntil: new Date(holders[w.holder]).toISOString() });
      await deps.store.unpark(cfg.pool, w.sk);
      if (!delivered && granted.includes(w)) dead.push(w.holder);
    }
    // A waiter whose execution ended while parked got a slot it cannot use: give it back.
    for (const holder of dead) await removeHolder(cfg, holder, deps);
    if (dead.length > 0) continue;
    // The page read is the whole queue unless it was full; only then is the queue counted.
    const parked = queue.length < limit ? queue.length : await deps.store.queueLength(cfg.pool);
    return { pool: cfg.pool, holders: Object.keys(holders).length, queued: Math.max(0, parked - granted.length - holding.length) };
  }
  throw new ConcurrencyConflict(`pool ${cfg.pool}: lost ${MAX_ATTEMPTS} conditional writes in a row`);
}

async function removeHolder(cfg: PoolConfig, holder: string, deps: PoolDeps): Promise<boolean> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await deps.store.get(cfg.pool);
    if (!current || !(holder in current.holders)) return false;
    const holders = { ...current.holders };
    delete holders[holder];
    if (await deps.store.put(cfg.pool, { holders, version: current.version + 1 }, current.version)) return true;
    await deps.sleep(Math.random() * Math.min(50, 2 ** attempt));
  }
  throw new ConcurrencyConflict(`pool ${cfg.pool}: lost ${MAX_ATTEMPTS} conditional writes in a row`);
}

/**
 * An execution that was aborted or timed out may still have work in flight (Step Functions does not
 * stop a Lambda that is running), so its slot is not freed at once: its lease is cut to `until` (when
 * that work must have ended: the stop plus the work's longest single attempt) and its parked waiter,
 * if any, leaves the queue. The slot is handed on by the dispatch that runs at `until` (or by any
 * acquire or release after it, which drop expired leases). Returns whether it held a slot.
 */
export async function drain(req: PoolConfig & { readonly holder: string; readonly untilMs: number }, deps: PoolDeps): Promise<{ draining: boolean; unparked: number }> {
  const parked = await deps.store.waitersOf(req.pool, req.holder);
  for (const w of parked) await deps.store.unpark(req.pool, w.sk);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const current = await deps.store.get(req.pool);
    const lease = current?.holders[req.holder];
    if (!current || lease === undefined) return { draining: false, unparked: parked.length };
    if (lease <= req.untilMs) return { draining: true, unparked: parked.length };
    if (await deps.store.put(req.pool, { holders: { ...current.holders, [req.holder]: req.untilMs }, version: current.version + 1 }, current.version)) {
      return { draining: true, unparked: parked.length };
    }
    await deps.sleep(Math.random() * Math.min(50, 2 ** attempt));
  }
  throw new ConcurrencyConflict(`pool ${req.pool}: lost ${MAX_ATTEMPTS} conditional writes in a row`);
}

/** Parks the caller's task token in the queue, then dispatches (the caller may be woken at once). */
export async function acquire(req: AcquireRequest, deps: PoolDeps): Promise<PoolSummary> {
  const sk = deps.waiterKey(req.pool, req.priority, req.arrivalMs, req.holder);
  await deps.store.park(req.pool, { sk, holder: req.holder, priority: req.priority, arrivalMs: req.arrivalMs, token: req.token });
  return dispatch(req, deps);
}

/**
 * Frees the holder's slot (if it has one), then dispatches to the next waiters. With `abandon` (an
 * acquire that timed out, or the reaper's work for an execution that failed, timed out or was
 * aborted) its parked waiter leaves the queue first.
 */
export async function release(req: ReleaseRequest, deps: PoolDeps): Promise<PoolSummary & { released: boolean; unparked: number }> {
  const parked = req.abandon ? await deps.store.waitersOf(req.pool, req.holder) : [];
  for (const w of parked) await deps.store.unpark(req.pool, w.sk);
  const released = await removeHolder(req, req.holder, deps);
  return { ...(await dispatch(req, deps)), released, unparked: parked.length };
}
