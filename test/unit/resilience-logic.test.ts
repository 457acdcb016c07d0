/** Pure logic of the failure-recovery patterns: no mocks, ports are in-memory. */
import { acquire, acquireSlot, parseAcquire, Partition, PartitionStore } from '../../lambdas/bulkhead-slots/logic';
import { beginRun } from '../../lambdas/begin-run/logic';
import { answer, parseDependencyCall } from '../../lambdas/call-dependency/logic';
import { applyCircuitRequest, Circuit, CircuitConfig, CircuitStore, MAX_ATTEMPTS, onFailure, onProbeRequest, parseCircuitRequest } from '../../lambdas/circuit-breaker/logic';
import { orderServiceResult, parseOrderServiceCall } from '../../lambdas/order-service/logic';
import { parseReportStep, runReportStep } from '../../lambdas/report-step/logic';
import { BulkheadFull, ConcurrencyConflict, InvalidInput, PayloadTooLarge, PERMANENT_ERROR_NAMES, TRANSIENT_ERROR_NAMES, ValidationError } from '../../lambdas/shared/errors';
import { ensurePayloadFits } from '../../lambdas/shared/payload';
import { RETRY_PRESETS } from '../../lambdas/shared/retry-presets';

const cfg: CircuitConfig = { threshold: 3, windowSeconds: 60, cooldownSeconds: 30, probeLeaseSeconds: 10 };
const T0 = Date.parse('2026-01-01T00:00:00.000Z');

describe('circuit breaker transitions', () => {
  test('failures inside the window accumulate; the threshold-th opens with openUntil = now + cooldown', () => {
    let c: Circuit | undefined;
    for (const [i, t] of [T0, T0 + 1000].entries()) {
      const d = onFailure(c, t, cfg, 'e');
      expect(d.transition).toBeUndefined();
      expect(d.next!.failures).toHaveLength(i + 1);
      c = d.next;
    }
    const d = onFailure(c, T0 + 2000, cfg, 'e');
    expect(d.transition).toEqual({ from: 'CLOSED', to: 'OPEN', at: new Date(T0 + 2000).toISOString() });
    expect(d.next).toMatchObject({ circuitState: 'OPEN', failures: [], openUntil: new Date(T0 + 32_000).toISOString(), version: 3 });
  });
  test('failures older than the window do not count', () => {
    const old = onFailure(onFailure(undefined, T0, cfg, 'e').next, T0 + 1000, cfg, 'e').next;
    const d = onFailure(old, T0 + 60_500, cfg, 'e');
    expect(d.transition).toBeUndefined();
    expect(d.next!.failures).toEqual([T0 + 1000, T0 + 60_500]);
  });
  test('a failure stamped before a later one (clock skew between callers) is not counted twice or in the future', () => {
    const c = onFailure(undefined, T0 + 5000, cfg, 'e').next;
    const d = onFailure(c, T0 + 4000, cfg, 'e');
    expect(d.next!.failures).toEqual([T0 + 4000]); // the future-stamped entry is dropped, not kept forever
  });
  test('an OPEN circuit ignores late failures; a HALF_OPEN one re-opens only on its own probe\'s failure', () => {
    const open = onFailure(onFailure(onFailure(undefined, T0, cfg, 'e').next, T0, cfg, 'e').next, T0, cfg, 'e').next!;
    expect(onFailure(open, T0 + 1, cfg, 'e')).toEqual({});
    const probe = onProbeRequest(open, T0 + 30_000, cfg, 'probe');
    expect(probe).toMatchObject({ granted: true, transition: { from: 'OPEN', to: 'HALF_OPEN' } });
    expect(onFailure(probe.next, T0 + 30_001, cfg, 'other')).toEqual({});
    expect(onFailure(probe.next, T0 + 30_001, cfg, 'probe')).toMatchObject({ transition: { from: 'HALF_OPEN', to: 'OPEN' }, next: { openUntil: new Date(T0 + 60_001).toISOString() } });
  });
  test('a probe is granted only after the cooldown, to one caller, until its lease expires', () => {
    const open: Circuit = { circuitState: 'OPEN', failures: [], openUntil: new Date(T0 + 30_000).toISOString(), version: 4, updatedAt: new Date(T0).toISOString() };
    expect(onProbeRequest(open, T0 + 29_999, cfg, 'a')).toEqual({ granted: false });
    const a = onProbeRequest(open, T0 + 30_000, cfg, 'a');
    expect(a.next).toMatchObject({ circuitState: 'HALF_OPEN', probeHolder: 'a', probeLeaseUntil: new Date(T0 + 40_000).toISOString(), version: 5 });
    expect(onProbeRequest(a.next, T0 + 39_999, cfg, 'b')).toEqual({ granted: false });
    expect(onProbeRequest(a.next, T0 + 40_000, cfg, 'b')).toMatchObject({ granted: true, transition: { from: 'HALF_OPEN', to: 'HALF_OPEN' } });
    expect(onProbeRequest(undefined, T0, cfg, 'c')).toEqual({ granted: false });
  });
  test('the adapter loop re-reads after a lost conditional write and gives up with ConcurrencyConflict', async () => {
    let stored: Circuit | undefined;
    let losses = 2;
    const store: CircuitStore = {
      get: async () => stored,
      put: async (_d, next, expected) => {
        if (losses-- > 0) return false;
        if ((stored?.version ?? 0) !== expected) return false;
        stored = next;
        return true;
      },
    };
    const req = { op: 'recordFailure' as const, dependency: 'p', executionArn: 'e', config: cfg };
    await expect(applyCircuitRequest(req, store, () => T0)).resolves.toMatchObject({ circuitState: 'CLOSED', granted: false });
    expect(stored?.failures).toEqual([T0]);
    const never: CircuitStore = { get: async () => undefined, put: async () => false };
    await expect(applyCircuitRequest(req, never, () => T0)).rejects.toBeInstanceOf(ConcurrencyConflict);
    expect(MAX_ATTEMPTS).toBeGreaterThan(1);
  });
  test('requests are validated', () => {
    expect(() => parseCircuitRequest({ op: 'open', dependency: 'p', executionArn: 'e', config: cfg })).toThrow(ValidationError);
    expect(() => parseCircuitRequest({ op: 'recordFailure', dependency: 'p', executionArn: 'e', config: { ...cfg, threshold: 0 } })).toThrow('config.threshold must be a positive integer');
  });
});

describe('bulkhead slots', () => {
  const req = { bulkhead: 'b', partition: 'p', limit: 2, holder: 'h1', leaseSeconds: 10 };
  test('takes a slot, refuses past the limit, reclaims expired leases, is idempotent per holder', () => {
    const one = acquire(undefined, req, T0);
    const two = acquire(one, { ...req, holder: 'h2' }, T0);
    expect(() => acquire(two, { ...req, holder: 'h3' }, T0 + 9_999)).toThrow(BulkheadFull);
    expect(Object.keys(acquire(two, { ...req, holder: 'h3' }, T0 + 10_000).holders)).toEqual(['h3']);
    expect(Object.keys(acquire(two, req, T0 + 1).holders).sort()).toEqual(['h1', 'h2']);
  });
  test('concurrent acquirers never exceed the limit (conditional writes on a version)', async () => {
    let stored: Partition | undefined;
    const store: PartitionStore = {
      get: async () => stored && { ...stored, holders: { ...stored.holders } },
      put: async (_b, _p, next, expected) => {
        await new Promise((r) => setImmediate(r));
        if ((stored?.version ?? 0) !== expected) return false;
        stored = next;
        return true;
      },
    };
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => acquireSlot({ ...req, limit: 3, holder: `h${i}` }, store, () => T0)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(Object.keys(stored!.holders)).toHaveLength(3);
    expect(() => parseAcquire({ ...req, limit: 0 })).toThrow('limit must be a positive integer');
  });
});

describe('run clock, dependency, report and order services', () => {
  test('beginRun computes TTL epoch and ISO expiry, and rejects a bad run id naming it', () => {
    expect(beginRun({ runId: 'r-1', ttlSeconds: 3600 }, T0 + 123)).toEqual({ runId: 'r-1', nowIso: '2026-01-01T00:00:00.123Z', expiresAt: T0 / 1000 + 3600, expiresAtIso: '2026-01-01T01:00:00.000Z' });
    expect(() => beginRun({ runId: 'a b', ttlSeconds: 3600 }, T0)).toThrow(InvalidInput);
    expect(() => beginRun({ runId: 'ab', ttlSeconds: 1 }, T0)).toThrow('ttlSeconds must be an integer of at least 60');
  });
  test('the dependency answers deterministically and validates its call', () => {
    expect(answer(parseDependencyCall({ dependency: 'payments', requestId: 'o1', amount: 3 }))).toEqual(answer({ dependency: 'payments', requestId: 'o1', amount: 3 }));
    expect(() => parseDependencyCall({ dependency: 'payments', requestId: 'o 1', amount: -1 })).toThrow('Invalid dependency call: requestId must be 1-80 characters of A-Z a-z 0-9 _ . : -; amount must be a positive number');
  });
  test('a report step whose output would exceed the payload limit throws PayloadTooLarge, never a truncated output', () => {
    const idempotencyKey = 'report#r#Transform';
    expect(runReportStep(parseReportStep({ runId: 'r', step: 'transform', rows: 3, idempotencyKey })).lines).toHaveLength(3);
    expect(() => runReportStep(parseReportStep({ runId: 'r', step: 'transform', rows: 20_000, idempotencyKey }))).toThrow(PayloadTooLarge);
    // A step without its idempotency key cannot promise exactly once: refused, never run.
    expect(() => parseReportStep({ runId: 'r', step: 'transform', rows: 3 })).toThrow(/idempotencyKey must be a string/);
    expect(() => parseReportStep({ runId: 'r', step: 'load', idempotencyKey, idempotencyExpiresAt: 1.5 })).toThrow(/idempotencyExpiresAt must be epoch seconds/);
    expect(() => ensurePayloadFits('s', 'x'.repeat(240 * 1024))).toThrow('the output of step s is');
    expect(ensurePayloadFits('s', { ok: 1 })).toEqual({ ok: 1 });
    expect(() => parseReportStep({ runId: 'r', step: 'nope' })).toThrow(InvalidInput);
  });
  test('the order service validates its call and answers per kind', () => {
    const call = parseOrderServiceCall({ sagaId: 's-1', step: 'ChargePayment', kind: 'compensation', idempotencyKey: 's-1#ChargePayment', input: {} });
    expect(orderServiceResult(call)).toHaveProperty('undone');
    expect(() => parseOrderServiceCall({ sagaId: 's', step: 'Fly', kind: 'x', idempotencyKey: '', input: null })).toThrow(InvalidInput);
  });
});

describe('error taxonomy and retry presets', () => {
  test('transient and permanent names do not overlap, and every preset retries only transient errors', () => {
    for (const name of PERMANENT_ERROR_NAMES) expect(TRANSIENT_ERROR_NAMES as readonly string[]).not.toContain(name);
    for (const preset of Object.values(RETRY_PRESETS)) {
      for (const name of PERMANENT_ERROR_NAMES) expect(preset.errors).not.toContain(name);
      expect(preset).toMatchObject({ jitter: 'FULL' });
      expect(preset.backoffRate).toBeGreaterThanOrEqual(1);
    }
    expect(new BulkheadFull('p', 2).transient).toBe(true);
    expect(new PayloadTooLarge('s', 10, 5).transient).toBe(false);
    expect(new InvalidInput('x')).toBeInstanceOf(ValidationError);
  });
});
