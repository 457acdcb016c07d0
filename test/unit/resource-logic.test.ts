import { decideGate, BudgetConfig, BudgetState, nextPeriodStart, periodOf, runCost, US_EAST_1_PRICES, settle, BudgetStore, RunRecord } from '../../lambdas/budget-gate/logic';
import { acquire, assign, dispatch, drain, PoolDeps, PoolState, PoolStore, release, Waiter } from '../../lambdas/pool-slots/logic';
import { reapPlan } from '../../lambdas/pool-reaper/logic';
import { available, BucketStore, consume, parseConsume, plan, TakeRecord, takeKeyOf, waitAfter } from '../../lambdas/token-bucket/logic';
import { QuotaExceeded, ValidationError } from '../../lambdas/shared/errors';

describe('token bucket (GCRA): refill, reservations and edges', () => {
  const cfg = { capacity: 10, refillPerSecond: 5 }; // one token per 200 ms, a burst of 10 (2,000 ms)
  test('a never-used shard is full', () => expect(available(undefined, cfg, 1000)).toBe(10));
  test('zero elapsed adds nothing: right after taking 3 of a full bucket, 7 are left', () => expect(available(1000 + 3 * 200, cfg, 1000)).toBe(7));
  test('refill is continuous: 300 ms later 1.5 more tokens', () => expect(available(1000 + 3 * 200, cfg, 1300)).toBeCloseTo(8.5, 10));
  test('a large gap is capped at capacity', () => expect(available(0, cfg, 365 * 86_400_000)).toBe(10));
  test('clock skew: a caller whose clock is behind sees fewer tokens, never more', () => {
    expect(available(5000, cfg, 4000)).toBeLessThan(available(5000, cfg, 5000));
    expect(available(5000, cfg, 4000)).toBe(5);
  });
  test('a debt (reservations) shows as negative tokens', () => expect(available(1000 + 12 * 200, cfg, 1000)).toBe(-2));
  test('the wait after a take is exactly the time the refill needs, rounded up to whole ms', () => {
    expect(waitAfter(1000 + 12 * 200, cfg, 1000)).toBe(400);
    expect(waitAfter(1000 + 9 * 200, cfg, 1000)).toBe(0);
    // At 3 tokens/s, one token past the burst is 333.3 ms away: the wait is 334 ms, never early.
    expect(waitAfter(10_000 / 3 + 1000 / 3, { capacity: 10, refillPerSecond: 3 }, 0)).toBe(334);
  });
  test('the plan bounds a take: increment n x T, tat after at most now + burst + max wait', () => {
    expect(plan(cfg, 2, 1000, 0)).toEqual({ inc: 400, maxTatAfter: 3000, burstMs: 2000 });
    expect(plan(cfg, 2, 1000, 5000).maxTatAfter).toBe(8000);
  });
  test('input: tokens above the capacity of one shard can never be granted and are refused', () => {
    expect(() => parseConsume({ bucket: 'b', tokens: 6, capacity: 10, refillPerSecond: 1, shards: 2, workflow: 'w', execution: 'e', state: 's', enteredAt: 't' })).toThrow(ValidationError);
    expect(() => parseConsume({ bucket: 'b', tokens: 1, capacity: 10, refillPerSecond: 0, workflow: 'w', execution: 'e', state: 's', enteredAt: 't' })).toThrow(/refillPerSecond/);
    expect(() => parseConsume({ bucket: 'b', tokens: 1, capacity: 10, refillPerSecond: 1, workflow: 'w' })).toThrow(/execution/);
  });
});

describe('token bucket: consume against a store with the two conditional writes', () => {
  /** The store's conditional single-item writes, in memory (each method is one DynamoDB call). */
  function memoryStore() {
    const tats = new Map<string, number>();
    const usage = new Map<string, number>();
    const records = new Map<string, TakeRecord>();
    const marks = new Map<string, number>();
    const take = (b: string, s: number, tat: number, key: string) => {
      tats.set(`${b}#${s}`, tat); store.writes.push(s); marks.set(`${b}#${s}/${key}`, tat); return tat;
    };
    const store: BucketStore & { tats: typeof tats; usage: typeof usage; records: typeof records; marks: typeof marks; writes: number[] } = {
      tats, usage, records, marks, writes: [],
      async fence(b, key) { if (records.has(`${b}/${key}`)) return false; records.set(`${b}/${key}`, { status: 'PENDING' }); return true; },
      async recall(b, key) { return records.get(`${b}/${key}`); },
      async takeBacklogged(b, s, inc, now, max, _cfg, key) {
        const tat = tats.get(`${b}#${s}`);
        if (marks.has(`${b}#${s}/${key}`) || tat === undefined || tat < now || tat + inc > max) return undefined;
        return take(b, s, tat + inc, key);
      },
      async takeIdle(b, s, inc, now, _cfg, key) {
        const tat = tats.get(`${b}#${s}`);
        if (marks.has(`${b}#${s}/${key}`) || (tat !== undefined && tat >= now)) return undefined;
        return take(b, s, now + inc, key);
      },
      async peek(b, s) { return tats.get(`${b}#${s}`); },
      async takenTat(b, s, key) { return marks.get(`${b}#${s}/${key}`); },
      async finalize(b, key, r) {
        if (records.get(`${b}/${key}`)?.status !== 'PENDING') return false;
        records.set(`${b}/${key}`, { status: 'DONE', ...r }); return true;
      },
      async refund(b, s, inc) { tats.set(`${b}#${s}`, tats.get(`${b}#${s}`)! - inc); },
      async recordUsage(b, w, n) { usage.set(`${b}/${w}`, (usage.get(`${b}/${w}`) ?? 0) + n); },
      async forget(b, s, key) { marks.delete(`${b}#${s}/${key}`); },
    };
    return store;
  }
  let takeNo = 0;
  const fresh = <T extends object>(r: T) => ({ ...r, takeKey: `take-${takeNo++}` });
  const base = { bucket: 'b', tokens: 1, capacity: 10, refillPerSecond: 5, shards: 1, maxWaitMs: 0, workflow: 'w', takeKey: '' };
  // Each call is a new take (a new state entry) unless a test reuses a key on purpose.
  const req = base;
  test('the burst is granted at once, then a fail-fast take is refused with the exact time to retry', async () => {
    const store = memoryStore();
    const deps = { store, now: () => 1000, firstShard: () => 0 };
    for (let i = 0; i < 10; i++) expect((await consume(fresh(req), deps)).waitMs).toBe(0);
    await expect(consume(fresh(req), deps)).rejects.toMatchObject({ name: 'QuotaExceeded', retryAfterMs: 200 });
    expect(store.usage.get('b/w')).toBe(10);
  });
  test('a waiting take reserves: each one waits one more token time, and the grant instants respect capacity + rate x elapsed', async () => {
    const store = memoryStore();
    const deps = { store, now: () => 0, firstShard: () => 0 };
    const results = [];
    for (let i = 0; i < 20; i++) results.push(await consume(fresh({ ...req, maxWaitMs: 60_000 }), deps));
    expect(results.slice(10).map((r) => r.waitMs)).toEqual([200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000]);
    results.forEach((r, i) => expect(i + 1).toBeLessThanOrEqual(10 + (5 * Date.parse(r.grantAt)) / 1000));
    await expect(consume(fresh({ ...req, maxWaitMs: 1000 }), deps)).rejects.toMatchObject({ name: 'QuotaExceeded' });
  });
  test('an idle shard refills to capacity, not beyond', async () => {
    const store = memoryStore();
    let now = 0;
    const deps = { store, now: () => now, firstShard: () => 0 };
    for (let i = 0; i < 10; i++) await consume(fresh(req), deps);
    now = 3_600_000;
    for (let i = 0; i < 10; i++) await consume(fresh(req), deps);
    await expect(consume(fresh(req), deps)).rejects.toMatchObject({ name: 'QuotaExceeded' });
  });
  test('sharded: each shard holds capacity / shards; an immediate grant is taken wherever it is, so load spreads', async () => {
    const store = memoryStore();
    let next = 0;
    const deps = { store, now: () => 0, firstShard: () => next++ % 4 };
    const sharded = { ...req, capacity: 8, refillPerSecond: 4, shards: 4 };
    for (let i = 0; i < 8; i++) await consume(fresh(sharded), deps);
    expect([0, 1, 2, 3].map((s) => store.writes.filter((w) => w === s).length)).toEqual([2, 2, 2, 2]);
    await expect(consume(fresh(sharded), deps)).rejects.toBeInstanceOf(QuotaExceeded);
    // A waiting take reserves on the shard that refills soonest.
    const r = await consume(fresh({ ...sharded, maxWaitMs: 10_000 }), deps);
    expect(r.waitMs).toBe(1000);
  });
  test('a retried take (same key) takes nothing new and answers as the first attempt did', async () => {
    const store = memoryStore();
    let now = 0;
    const deps = { store, now: () => now, firstShard: () => 0 };
    for (let i = 0; i < 10; i++) await consume(fresh(req), deps);
    const take = fresh({ ...req, maxWaitMs: 60_000 });
    const first = await consume(take, deps);
    expect(first.waitMs).toBe(200);
    now = 5_000; // the retry comes later: the answer is still the first one, and no token moved
    const tatBefore = store.tats.get('b#0');
    expect(await consume(take, deps)).toEqual(first);
    expect(store.tats.get('b#0')).toBe(tatBefore);
    expect(store.usage.get('b/w')).toBe(11);
    expect(store.marks.size).toBe(0);
  });
  for (const [step, fails] of [['finalize', 'finalize'], ['usage', 'recordUsage'], ['the mark removal', 'forget']] as const) {
    test(`an attempt that dies at ${step} after taking: the retry answers from what it took, exactly, and takes nothing new`, async () => {
      const store = memoryStore();
      const deps = { store, now: () => 0, firstShard: () => 0 };
      for (let i = 0; i < 10; i++) await consume(fresh(req), deps);
      const take = fresh({ ...req, maxWaitMs: 60_000 });
      const real = store[fails];
      (store as unknown as Record<string, unknown>)[fails] = async () => { throw new Error('Sandbox.Timedout'); };
      await expect(consume(take, deps)).rejects.toThrow('Sandbox.Timedout');
      (store as unknown as Record<string, unknown>)[fails] = real;
      await consume(fresh({ ...req, maxWaitMs: 60_000 }), deps); // another take reserves after it
      const retried = await consume(take, deps);
      expect(retried.waitMs).toBe(200); // its own reservation, exactly: not the later one's 400 ms
      expect(store.tats.get('b#0')).toBe(12 * 200); // 12 takes of 200 ms each from a full bucket at 0
      expect(store.marks.size).toBe(0);
      // Usage is recorded by the attempt that finalized: once (or not at all if it died right there).
      expect(store.usage.get('b/w')).toBe(fails === 'recordUsage' ? 11 : 12);
    });
  }
  test('two overlapping attempts of one take (a task timeout shorter than the Lambda): one take, one answer', async () => {
    const store = memoryStore();
    const deps = { store, now: () => 0, firstShard: () => 0 };
    for (let i = 0; i < 5; i++) await consume(fresh(req), deps);
    const take = fresh({ ...req, maxWaitMs: 60_000 });
    const [a, b] = await Promise.all([consume(take, deps), consume(take, deps)]);
    expect(a).toEqual(b);
    expect(store.tats.get('b#0')).toBe(6 * 200);
    expect(store.usage.get('b/w')).toBe(6);
  });
  test('an attempt that took after an overlapping one had finished gives its take back', async () => {
    const store = memoryStore();
    const deps = { store, now: () => 0, firstShard: () => 0 };
    const take = fresh({ ...req, maxWaitMs: 60_000 });
    const first = await consume(take, deps); // took, finalized and removed its mark
    // The overlapping attempt read the record while it was still PENDING, and found no mark: it takes.
    const recall = store.recall.bind(store);
    let stale = true;
    store.recall = async (b, k) => (stale ? ((stale = false), { status: 'PENDING' as const }) : recall(b, k));
    expect(await consume(take, deps)).toEqual(first);
    expect(store.tats.get('b#0')).toBe(200); // one take: the second attempt's was refunded
    expect(store.usage.get('b/w')).toBe(1);
    expect(store.marks.size).toBe(0);
  });
  test('a refused take writes nothing but its fence, so its retry may take', async () => {
    const store = memoryStore();
    let now = 0;
    const deps = { store, now: () => now, firstShard: () => 0 };
    for (let i = 0; i < 10; i++) await consume(fresh(req), deps);
    const take = fresh(req);
    await expect(consume(take, deps)).rejects.toMatchObject({ name: 'QuotaExceeded' });
    expect(store.usage.get('b/w')).toBe(10);
    now = 200;
    expect((await consume(take, deps)).waitMs).toBe(0);
    expect(store.usage.get('b/w')).toBe(11);
  });
  test('the take key is the same for one state entry and differs for the next', () => {
    const a = takeKeyOf('arn:exec:1', 'TakeTokens', '2026-01-01T00:00:00.000Z');
    expect(takeKeyOf('arn:exec:1', 'TakeTokens', '2026-01-01T00:00:00.000Z')).toBe(a);
    expect(takeKeyOf('arn:exec:1', 'TakeTokens', '2026-01-01T00:00:00.001Z')).not.toBe(a);
    expect(takeKeyOf('arn:exec:2', 'TakeTokens', '2026-01-01T00:00:00.000Z')).not.toBe(a);
    expect(a).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });
  test('a take raced between the two writes is retried on the shard\'s new state', async () => {
    const store = memoryStore();
    store.tats.set('b#0', -1e9); // full
    const idle = store.takeIdle.bind(store);
    let raced = false;
    store.takeIdle = async (...a) => {
      if (!raced) { raced = true; store.tats.set('b#0', 0 + 200); return undefined; } // another take got there first
      return idle(...a);
    };
    const r = await consume(fresh(req), { store, now: () => 0, firstShard: () => 0 });
    expect(r).toMatchObject({ waitMs: 0, remaining: 8 });
  });
});

describe('pool: queue order and dispatch', () => {
  const w = (holder: string, sk: string): Waiter => ({ sk, holder, priority: 0, arrivalMs: 0, token: `t-${holder}` });
  test('free slots go to the head of the queue; holders already in are skipped', () => {
    const r = assign({ a: 10 }, [w('a', '1'), w('b', '2'), w('c', '3'), w('d', '4')], 3);
    expect(r.granted.map((x) => x.holder)).toEqual(['b', 'c']);
    expect(r.holding.map((x) => x.holder)).toEqual(['a']);
  });
  function memoryPool(opts: { dead?: Set<string> } = {}) {
    let state: PoolState | undefined;
    const queue = new Map<string, Waiter>();
    const delivered = new Set<string>();
    const store: PoolStore = {
      async get() { return state && { holders: { ...state.holders }, version: state.version }; },
      async put(_p, next, expected) { if ((state?.version ?? 0) !== expected) return false; state = next; return true; },
      async queue(_p, limit) { return [...queue.values()].sort((a, b) => a.sk.localeCompare(b.sk)).slice(0, limit); },
      async queueLength() { return queue.size; },
      async waitersOf(_p, h) { return [...queue.values()].filter((x) => x.holder === h); },
      async park(_p, x) { queue.set(x.sk, x); },
      async unpark(_p, sk) { queue.delete(sk); },
    };
    const deps: PoolDeps = {
      store, now: () => 1000, sleep: async () => undefined,
      waiterKey: (_p, prio, arrival, holder) => `${999 - prio}#${arrival}#${holder}`,
      notifier: { async grant(token) { if (opts.dead?.has(token) || delivered.has(token)) return false; delivered.add(token); return true; } },
    };
    return { deps, queue, delivered, state: () => state };
  }
  const cfg = { pool: 'p', slots: 2, leaseSeconds: 60 };
  const req = (holder: string, priority = 0, arrivalMs = 0) => ({ ...cfg, holder, priority, arrivalMs, token: `t-${holder}` });
  test('acquire parks then grants while there is room; release hands the slot to the highest priority, then the earliest', async () => {
    const m = memoryPool();
    await acquire(req('a'), m.deps);
    await acquire(req('b'), m.deps);
    await acquire(req('low', 1, 5), m.deps);
    await acquire(req('high', 9, 9), m.deps);
    await acquire(req('low2', 1, 7), m.deps);
    expect(Object.keys(m.state()!.holders).sort()).toEqual(['a', 'b']);
    expect([...m.delivered]).toEqual(['t-a', 't-b']);
    await release({ ...cfg, holder: 'a', abandon: false }, m.deps);
    expect(Object.keys(m.state()!.holders).sort()).toEqual(['b', 'high']);
    await release({ ...cfg, holder: 'b', abandon: false }, m.deps);
    expect(Object.keys(m.state()!.holders).sort()).toEqual(['high', 'low']);
    expect(m.queue.size).toBe(1);
  });
  test('a grant whose waiter is gone gives the slot to the next waiter', async () => {
    const m = memoryPool({ dead: new Set(['t-gone']) });
    await acquire(req('a'), m.deps);
    await acquire(req('b'), m.deps);
    await acquire(req('gone', 5), m.deps);
    await acquire(req('next', 1), m.deps);
    await release({ ...cfg, holder: 'a', abandon: false }, m.deps);
    expect(Object.keys(m.state()!.holders).sort()).toEqual(['b', 'next']);
  });
  test('a fresh grant still parked is not redelivered by another dispatcher (it would race the owner and free a running holder)', async () => {
    const m = memoryPool();
    // The owner wrote the grant for `x` and has not yet delivered it (nor unparked x).
    await m.deps.store.park('p', { sk: '999#0#x', holder: 'x', priority: 0, arrivalMs: 0, token: 't-x' });
    await m.deps.store.put('p', { holders: { x: 1000 + 60_000 }, version: 1 }, 0);
    await dispatch(cfg, m.deps);
    expect(m.delivered.has('t-x')).toBe(false);
    expect(m.state()!.holders).toHaveProperty('x');
  });
  test('a stale grant (its dispatcher crashed) is redelivered', async () => {
    const m = memoryPool();
    await m.deps.store.park('p', { sk: '999#0#x', holder: 'x', priority: 0, arrivalMs: 0, token: 't-x' });
    await m.deps.store.put('p', { holders: { x: 1000 + 60_000 - 20_000 }, version: 1 }, 0);
    await dispatch(cfg, m.deps);
    expect(m.delivered.has('t-x')).toBe(true);
    expect(m.queue.size).toBe(0);
    // Its work starts only now: the lease is renewed from now, so the lease still covers the work's worst case.
    expect(m.state()!.holders.x).toBe(1000 + 60_000);
  });
  test('an aborted holder is drained: its lease is cut to when its in-flight work must have ended, its slot is not handed on before', async () => {
    const m = memoryPool();
    await acquire(req('a'), m.deps);
    await acquire(req('b'), m.deps);
    await acquire(req('w'), m.deps);
    const lease = m.state()!.holders.a;
    expect(await drain({ ...cfg, holder: 'a', untilMs: lease - 10_000 }, m.deps)).toEqual({ draining: true, unparked: 0 });
    expect(m.state()!.holders.a).toBe(lease - 10_000);
    // A drain never lengthens a lease, and a waiter that held nothing just leaves the queue.
    expect(await drain({ ...cfg, holder: 'a', untilMs: lease + 99_000 }, m.deps)).toEqual({ draining: true, unparked: 0 });
    expect(m.state()!.holders.a).toBe(lease - 10_000);
    await acquire(req('v'), m.deps);
    expect(await drain({ ...cfg, holder: 'v', untilMs: lease }, m.deps)).toEqual({ draining: false, unparked: 1 });
    // While a drains, its slot is not free: b's release goes to w, and a still holds.
    await release({ ...cfg, holder: 'b', abandon: false }, m.deps);
    expect(Object.keys(m.state()!.holders).sort()).toEqual(['a', 'w']);
    expect(m.queue.size).toBe(0);
  });
  test('the reaper drains ABORTED and TIMED_OUT holders until the stop plus the longest attempt, and frees FAILED ones at once', () => {
    expect(reapPlan({ status: 'FAILED', stopDate: 1_000 }, 960, 2_000)).toEqual({ kind: 'release' });
    expect(reapPlan({ status: 'ABORTED', stopDate: 1_000 }, 960, 2_000)).toEqual({ kind: 'drain', untilMs: 961_000 });
    expect(reapPlan({ status: 'TIMED_OUT', stopDate: 1_000 }, 960, 2_000)).toEqual({ kind: 'drain', untilMs: 961_000 });
    // A redriven event whose drain has already passed frees the slot at once.
    expect(reapPlan({ status: 'ABORTED', stopDate: 1_000 }, 960, 962_000)).toEqual({ kind: 'release' });
  });
  test('the reaper unparks an ended waiter and frees an ended holder', async () => {
    const m = memoryPool();
    await acquire(req('a'), m.deps);
    await acquire(req('b'), m.deps);
    await acquire(req('w'), m.deps);
    const r = await release({ ...cfg, holder: 'w', abandon: true }, m.deps);
    expect(r).toMatchObject({ unparked: 1, released: false });
    const r2 = await release({ ...cfg, holder: 'a', abandon: true }, m.deps);
    expect(r2).toMatchObject({ released: true });
    expect(Object.keys(m.state()!.holders)).toEqual(['b']);
  });
  test('the queue length is exact past one page of the queue (counted only then)', async () => {
    const m = memoryPool();
    let counted = 0;
    const count = m.deps.store.queueLength.bind(m.deps.store);
    m.deps.store.queueLength = async (p) => { counted++; return count(p); };
    const results = [];
    for (let i = 0; i < 40; i++) results.push(await acquire(req(`h${String(i).padStart(2, '0')}`, 0, i), m.deps));
    expect(results[2]).toMatchObject({ holders: 2, queued: 1 });
    expect(results[39]).toMatchObject({ holders: 2, queued: 38 });
    // The page is slots + 25 = 27 waiters; it is full from the 28th parked waiter on (acquires 29 to 40).
    expect(counted).toBe(12);
  });
  test('expired leases are reclaimed', async () => {
    const m = memoryPool();
    await m.deps.store.put('p', { holders: { ghost1: 999, ghost2: 500 }, version: 1 }, 0);
    await acquire(req('a'), m.deps);
    expect(Object.keys(m.state()!.holders)).toEqual(['a']);
  });
});

describe('budget', () => {
  const cfg: BudgetConfig = { period: 'DAY', defaultLimitUsd: 1, threshold: 0.8, onExceeded: 'defer', prices: US_EAST_1_PRICES, functionMemoryMb: { fn: 1024 } };
  const now = Date.UTC(2026, 10, 22, 23, 59, 59);
  test('periods and the next period start, in UTC', () => {
    expect(periodOf(now, 'DAY')).toBe('2026-11-22');
    expect(periodOf(now, 'MONTH')).toBe('2026-11');
    expect(new Date(nextPeriodStart(now, 'DAY')).toISOString()).toBe('2026-11-23T00:00:00.000Z');
    expect(new Date(nextPeriodStart(Date.UTC(2026, 11, 31, 12), 'MONTH')).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
  const state = (spentUsd: number, reservations: Record<string, number> = {}): BudgetState => ({ spentUsd, reservations, runs: 1, version: 3 });
  test('proceeds and reserves while spent + reserved + estimate fits', () => {
    const r = decideGate(state(0.5, { x: 0.2 }), 1, { scope: 's', estimatedCostUsd: 0.3, holder: 'h' }, cfg, now);
    expect(r.decision.decision).toBe('proceed');
    expect(r.next).toMatchObject({ reservations: { x: 0.2, h: 0.3 }, version: 4 });
  });
  test('defers to the next period when it does not fit, denies when it never could, or when the policy is deny', () => {
    expect(decideGate(state(0.9), 1, { scope: 's', estimatedCostUsd: 0.2, holder: 'h' }, cfg, now).decision).toMatchObject({ decision: 'defer', retryAt: '2026-11-23T00:00:00.000Z' });
    expect(decideGate(state(0), 1, { scope: 's', estimatedCostUsd: 2, holder: 'h' }, cfg, now).decision).toMatchObject({ decision: 'deny' });
    expect(decideGate(state(0.9), 1, { scope: 's', estimatedCostUsd: 0.2, holder: 'h' }, { ...cfg, onExceeded: 'deny' }, now).decision).toMatchObject({ decision: 'deny' });
  });
  test('a retried gate finds its own reservation and proceeds without reserving twice', () => {
    const r = decideGate(state(0.9, { h: 0.1 }), 1, { scope: 's', estimatedCostUsd: 0.1, holder: 'h' }, cfg, now);
    expect(r.decision.decision).toBe('proceed');
    expect(r.next).toBeUndefined();
  });
  test('the cost of a run: transitions, Lambda requests and GB-seconds from its history', () => {
    const ev = (id: number, type: string, timestamp: number, extra: Record<string, unknown> = {}, previousEventId = id - 1) => ({ id, type, timestamp, previousEventId, ...extra });
    const c = runCost([
      ev(1, 'ExecutionStarted', 0),
      ev(2, 'TaskStateEntered', 0),
      ev(3, 'LambdaFunctionScheduled', 0, { lambdaFunctionScheduledEventDetails: { resource: 'arn:aws:lambda:us-east-1:1:function:fn' } }),
      ev(4, 'LambdaFunctionStarted', 10),
      ev(5, 'LambdaFunctionSucceeded', 2000),
      ev(6, 'TaskStateEntered', 2000),
      ev(7, 'TaskScheduled', 2000, { taskScheduledEventDetails: { resourceType: 'lambda', parameters: JSON.stringify({ FunctionName: 'other' }) } }),
      ev(8, 'TaskStarted', 2001),
      ev(9, 'TaskSucceeded', 3000),
      ev(10, 'SucceedStateEntered', 3000),
    ], cfg);
    // 2 s x 1 GB + 1 s x 128 MB (unknown function) = 2.125 GB-s
    expect(c).toMatchObject({ transitions: 3, lambdaRequests: 2, lambdaGbSeconds: 2.125 });
    expect(c.costUsd).toBeCloseTo(3 * 0.000025 + 2.125 * 0.0000133334 + 2 * 0.0000002, 10);
  });
  test('settle replaces the reservation once, and crossing the threshold publishes once', async () => {
    let st: BudgetState | undefined = { spentUsd: 0.7, reservations: { h: 0.1 }, runs: 0, version: 1 };
    const runs = new Map<string, RunRecord>([['h', { scope: 's', period: '2026-11-22', estimatedCostUsd: 0.1 }]]);
    const published: unknown[] = [];
    const store: BudgetStore = {
      async get() { return st; }, async limit() { return undefined; },
      async put(_s, _p, next, expected) { if ((st?.version ?? 0) !== expected) return false; st = next; return true; },
      async markThresholdSent() { if (st?.threshold === 'PENDING') st = { ...st, threshold: 'SENT' }; },
      async putRun(arn, r) { runs.set(arn, r); }, async getRun(arn) { return runs.get(arn); },
    };
    const deps = { store, now: () => now, sleep: async () => undefined, history: async () => [{ id: 1, type: 'PassStateEntered', timestamp: 0 }], publishThreshold: async (d: unknown) => { published.push(d); } };
    const bigCfg = { ...cfg, prices: { ...US_EAST_1_PRICES, transitionUsd: 0.2 } };
    const first = await settle('h', bigCfg, deps);
    expect(first).toMatchObject({ settled: true, thresholdReached: true, spentUsd: 0.9 });
    expect(await settle('h', bigCfg, deps)).toMatchObject({ settled: false, reason: 'already settled' });
    expect(published).toHaveLength(1);
    expect(st).toMatchObject({ reservations: {}, runs: 1, threshold: 'SENT' });
    expect(runs.get('h')).toMatchObject({ actualCostUsd: 0.2 });
    expect(await settle('unknown', bigCfg, deps)).toMatchObject({ settled: false });
  });
});
