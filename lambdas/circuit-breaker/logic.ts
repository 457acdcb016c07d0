/**
 * Circuit-breaker transitions that need clock arithmetic (the state machine reads the circuit with a
 * direct DynamoDB GetItem and closes it with a direct conditional UpdateItem; everything here runs
 * only on a failure or when a probe is requested). Pure: the store is a port.
 */
import { ConcurrencyConflict, ValidationError } from '../shared/errors';
import { asNumber, asObject, asString } from '../shared/parse';

export type CircuitState = 'CLOSED' | 'OPEN' | 'HALF_OPEN';

export interface CircuitConfig {
  /** Failures within the window that open the circuit. */
  readonly threshold: number;
  readonly windowSeconds: number;
  /** How long the circuit stays OPEN before one probe is admitted. */
  readonly cooldownSeconds: number;
  /** How long a probe holds HALF_OPEN before another caller may probe. */
  readonly probeLeaseSeconds: number;
}

export interface Circuit {
  readonly circuitState: CircuitState;
  /** Epoch milliseconds of the failures in the rolling window (at most `threshold` kept). */
  readonly failures: readonly number[];
  readonly openUntil?: string;
  readonly probeHolder?: string;
  readonly probeLeaseUntil?: string;
  /** Optimistic-concurrency version; every write increments it. */
  readonly version: number;
  readonly updatedAt: string;
}

export interface Transition { readonly from: CircuitState; readonly to: CircuitState; readonly at: string }
export interface Decision { readonly next?: Circuit; readonly transition?: Transition; readonly granted?: boolean }

export interface CircuitRequest {
  readonly op: 'recordFailure' | 'acquireProbe';
  readonly dependency: string;
  readonly executionArn: string;
  readonly config: CircuitConfig;
}

const CLOSED: Circuit = { circuitState: 'CLOSED', failures: [], version: 0, updatedAt: new Date(0).toISOString() };
const iso = (ms: number) => new Date(ms).toISOString();

export function parseCircuitRequest(event: unknown): CircuitRequest {
  const e = asObject(event, 'input');
  const op = asString(e.op, 'op');
  if (op !== 'recordFailure' && op !== 'acquireProbe') throw new ValidationError(`op must be recordFailure or acquireProbe, got ${op}`);
  const c = asObject(e.config, 'config');
  const positive = (v: unknown, f: string) => {
    const n = asNumber(v, f);
    if (!Number.isInteger(n) || n < 1) throw new ValidationError(`${f} must be a positive integer`);
    return n;
  };
  return {
    op, dependency: asString(e.dependency, 'dependency'), executionArn: asString(e.executionArn, 'executionArn'),
    config: { threshold: positive(c.threshold, 'config.threshold'), windowSeconds: positive(c.windowSeconds, 'config.windowSeconds'), cooldownSeconds: positive(c.cooldownSeconds, 'config.cooldownSeconds'), probeLeaseSeconds: positive(c.probeLeaseSeconds, 'config.probeLeaseSeconds') },
  };
}

/** A failed call. CLOSED counts it in the rolling window; the probe's own failure re-opens. */
export function onFailure(current: Circuit | undefined, nowMs: number, cfg: CircuitConfig, caller: string): Decision {
  const cur = current ?? CLOSED;
  const open = (from: CircuitState): Decision => ({
    next: { circuitState: 'OPEN', failures: [], openUntil: iso(nowMs + cfg.cooldownSeconds * 1000), version: cur.version + 1, updatedAt: iso(nowMs) },
    transition: { from, to: 'OPEN', at: iso(nowMs) },
  });
  if (cur.circuitState === 'HALF_OPEN') return cur.probeHolder === caller ? open('HALF_OPEN') : {};
  if (cur.circuitState === 'OPEN') return {}; // a call admitted before the circuit opened
  const windowStart = nowMs - cfg.windowSeconds * 1000;
  const failures = [...cur.failures.filter((t) => t > windowStart && t <= nowMs), nowMs].slice(-cfg.threshold);
  if (failures.length >= cfg.threshold) return open('CLOSED');
  return { next: { ...cur, failures, version: cur.version + 1, updatedAt: iso(nowMs) } };
}

/** After the cooldown (or when a probe's lease has expired), exactly one caller becomes the probe. */
export function onProbeRequest(current: Circuit | undefined, nowMs: number, cfg: CircuitConfig, caller: string): Decision {
  const cur = current ?? CLOSED;
  const now = iso(nowMs);
  const eligible = (cur.circuitState === 'OPEN' && (cur.openUntil ?? '') <= now)
    || (cur.circuitState === 'HALF_OPEN' && (cur.probeLeaseUntil ?? '') <= now && cur.probeHolder !== caller);
  // Not eligible: the probe is someone else's, the cooldown runs, or a probe closed it meanwhile
  // (then the state machine calls normally: it checks circuitState).
  if (!eligible) return { granted: false };
  return {
    granted: true,
    next: { circuitState: 'HALF_OPEN', failures: [], openUntil: cur.openUntil, probeHolder: caller, probeLeaseUntil: iso(nowMs + cfg.probeLeaseSeconds * 1000), version: cur.version + 1, updatedAt: now },
    transition: { from: cur.circuitState, to: 'HALF_OPEN', at: now },
  };
}

export interface CircuitStore {
  get(dependency: string): Promise<Circuit | undefined>;
  /** Writes when the stored version is still `expectedVersion` (0: no item yet). False when it lost the race. */
  put(dependency: string, next: Circuit, expectedVersion: number): Promise<boolean>;
}

export const MAX_ATTEMPTS = 8;

/** Read, decide, conditional write; on a lost race read again. */
export async function applyCircuitRequest(req: CircuitRequest, store: CircuitStore, now: () => number) {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const current = await store.get(req.dependency);
    const decide = req.op === 'recordFailure' ? onFailure : onProbeRequest;
    const decision = decide(current, now(), req.config, req.executionArn);
    if (!decision.next || await store.put(req.dependency, decision.next, current?.version ?? 0)) {
      const state = decision.next?.circuitState ?? current?.circuitState ?? 'CLOSED';
      return { dependency: req.dependency, circuitState: state, granted: decision.granted ?? false, ...(decision.transition ? { transition: decision.transition } : {}) };
    }
  }
  throw new ConcurrencyConflict(`circuit ${req.dependency}: lost ${MAX_ATTEMPTS} conditional writes in a row`);
}
