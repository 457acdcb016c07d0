/**
 * Budget gating: a budget per scope (a team or a workflow) per period. The gate reserves a run's
 * estimated cost before the expensive work (or defers or denies it); when the run ends, its actual
 * cost, computed from its execution history, replaces the reservation. Pure: store, history and
 * event publisher are ports.
 */
import { ConcurrencyConflict, ValidationError } from '../shared/errors';
import { KEY_PART_PATTERN } from '../../lib/state/keys';
import { asNumber, asObject, asString } from '../shared/parse';

export type Period = 'DAY' | 'MONTH';

export interface Prices {
  /** Standard workflow state transition. us-east-1: $0.025 per 1,000. */
  readonly transitionUsd: number;
  /** Lambda compute per GB-second. us-east-1, arm64: $0.0000133334. */
  readonly gbSecondUsd: number;
  /** Lambda request. us-east-1: $0.20 per 1M. */
  readonly requestUsd: number;
}

export const US_EAST_1_PRICES: Prices = { transitionUsd: 0.000025, gbSecondUsd: 0.0000133334, requestUsd: 0.0000002 };

export interface BudgetConfig {
  readonly period: Period;
  readonly defaultLimitUsd: number;
  /** Fraction of the limit whose crossing publishes BudgetThresholdReached. */
  readonly threshold: number;
  readonly onExceeded: 'defer' | 'deny';
  readonly prices: Prices;
  /** Memory (MB) of the Lambda functions the tracked workflows call, by function name. */
  readonly functionMemoryMb: Readonly<Record<string, number>>;
}

export interface BudgetState {
  readonly spentUsd: number;
  /** Outstanding reservations: execution id -> estimated USD. */
  readonly reservations: Readonly<Record<string, number>>;
  readonly runs: number;
  /** undefined: not crossed; PENDING: crossed, event not yet confirmed; SENT. */
  readonly threshold?: 'PENDING' | 'SENT';
  readonly version: number;
}

export interface GateRequest { readonly scope: string; readonly estimatedCostUsd: number; readonly holder: string }
export type GateDecision =
  | { readonly decision: 'proceed'; readonly scope: string; readonly period: string; readonly limitUsd: number; readonly committedUsd: number }
  | { readonly decision: 'defer'; readonly scope: string; readonly period: string; readonly limitUsd: number; readonly committedUsd: number; readonly retryAt: string }
  | { readonly decision: 'deny'; readonly scope: string; readonly period: string; readonly limitUsd: number; readonly committedUsd: number; readonly reason: string };

export function parseGate(event: unknown): GateRequest {
  const e = asObject(event, 'input');
  const estimatedCostUsd = asNumber(e.estimatedCostUsd, 'estimatedCostUsd');
  if (estimatedCostUsd < 0) throw new ValidationError('estimatedCostUsd must be >= 0');
  const scope = asString(e.scope, 'scope');
  if (!KEY_PART_PATTERN.test(scope)) throw new ValidationError(`scope must match ${KEY_PART_PATTERN} (a team or workflow name)`);
  return { scope, estimatedCostUsd, holder: asString(e.holder, 'holder') };
}

/** `2026-11` (MONTH) or `2026-11-22` (DAY), in UTC. */
export function periodOf(nowMs: number, period: Period): string {
  const iso = new Date(nowMs).toISOString();
  return period === 'MONTH' ? iso.slice(0, 7) : iso.slice(0, 10);
}

/** The first instant of the period after the one holding `nowMs`. */
export function nextPeriodStart(nowMs: number, period: Period): number {
  const d = new Date(nowMs);
  return period === 'MONTH' ? Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

export const committed = (s: BudgetState | undefined) => (s?.spentUsd ?? 0) + Object.values(s?.reservations ?? {}).reduce((a, b) => a + b, 0);

/** Pure decision: proceed (with the reservation to write), defer to the next period, or deny. */
export function decideGate(state: BudgetState | undefined, limitUsd: number, req: GateRequest, cfg: BudgetConfig, nowMs: number):
  { decision: GateDecision; next?: BudgetState } {
  const period = periodOf(nowMs, cfg.period);
  const base = { scope: req.scope, period, limitUsd, committedUsd: round(committed(state)) };
  if (state && req.holder in state.reservations) return { decision: { decision: 'proceed', ...base } }; // a retried gate: already reserved
  if (committed(state) + req.estimatedCostUsd <= limitUsd) {
    const next: BudgetState = { spentUsd: state?.spentUsd ?? 0, reservations: { ...state?.reservations, [req.holder]: req.estimatedCostUsd }, runs: state?.runs ?? 0, threshold: state?.threshold, version: (state?.version ?? 0) + 1 };
    return { decision: { decision: 'proceed', ...base, committedUsd: round(committed(next)) }, next };
  }
  if (cfg.onExceeded === 'defer' && req.estimatedCostUsd <= limitUsd) {
    return { decision: { decision: 'defer', ...base, retryAt: new Date(nextPeriodStart(nowMs, cfg.period)).toISOString() } };
  }
  const reason = req.estimatedCostUsd > limitUsd
    ? `the estimate (${req.estimatedCostUsd} USD) is larger than the whole budget of ${req.scope} (${limitUsd} USD per ${cfg.period.toLowerCase()})`
    : `the budget of ${req.scope} for ${period} is spent: ${round(committed(state))} of ${limitUsd} USD committed, this run needs ${req.estimatedCostUsd}`;
  return { decision: { decision: 'deny', ...base, reason } };
}

export interface RunRecord { readonly scope: string; readonly period: string; readonly estimatedCostUsd: number; readonly actualCostUsd?: number }

export interface BudgetStore {
  get(scope: string, period: string): Promise<BudgetState | undefined>;
  /** The scope's limit item, if an operator set one (it overrides the construct's default). */
  limit(scope: string): Promise<number | undefined>;
  put(scope: string, period: string, next: BudgetState, expectedVersion: number): Promise<boolean>;
  /** Marks a PENDING threshold SENT (conditional on PENDING). */
  markThresholdSent(scope: string, period: string): Promise<void>;
  putRun(executionArn: string, run: RunRecord): Promise<void>;
  getRun(executionArn: string): Promise<RunRecord | undefined>;
}

export interface BudgetDeps { readonly store: BudgetStore; readonly now: () => number; readonly sleep: (ms: number) => Promise<void> }

const MAX_ATTEMPTS = 12;

export async function gate(req: GateRequest, cfg: BudgetConfig, deps: BudgetDeps): Promise<GateDecision> {
  const limitUsd = (await deps.store.limit(req.scope)) ?? cfg.defaultLimitUsd;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const now = deps.now();
    const period = periodOf(now, cfg.period);
    const state = await deps.store.get(req.scope, period);
    const { decision, next } = decideGate(state, limitUsd, req, cfg, now);
    if (next && !(await deps.store.put(req.scope, period, next, state?.version ?? 0))) {
      await deps.sleep(Math.random() * Math.min(50, 2 ** attempt));
      continue;
    }
    // Written after the reservation: a crash in between is healed by the Task's retry (the gate
    // finds its reservation and proceeds, then writes this).
    if (decision.decision === 'proceed') await deps.store.putRun(req.holder, { scope: req.scope, period, estimatedCostUsd: req.estimatedCostUsd });
    return decision;
  }
  throw new ConcurrencyConflict(`budget ${req.scope}: lost ${MAX_ATTEMPTS} conditional writes in a row`);
}

// ---- Cost of a run, from its execution history ----------------------------------------------

export interface HistoryEvent { readonly type: string; readonly timestamp: number; readonly id: number; readonly previousEventId?: number; readonly [k: string]: unknown }
export interface RunCost { readonly transitions: number; readonly lambdaRequests: number; readonly lambdaGbSeconds: number; readonly costUsd: number }

/**
 * Transitions are the states entered; Lambda GB-seconds are each Lambda task's duration (scheduled to
 * succeeded/failed/timed out, which includes its queueing, so an overestimate) times its memory.
 * A function the config does not know is priced at 128 MB, Lambda's minimum.
 */
export function runCost(history: readonly HistoryEvent[], cfg: Pick<BudgetConfig, 'prices' | 'functionMemoryMb'>): RunCost {
  let transitions = 0;
  let lambdaRequests = 0;
  let gbSeconds = 0;
  const scheduled = new Map<number, { at: number; memoryMb: number }>();
  for (const ev of history) {
    if (ev.type.endsWith('StateEntered')) transitions++;
    const lambdaScheduled = ev.type === 'LambdaFunctionScheduled' ? ev.lambdaFunctionScheduledEventDetails as { resource?: string } | undefined
      : ev.type === 'TaskScheduled' && (ev.taskScheduledEventDetails as { resourceType?: string })?.resourceType === 'lambda' ? ev.taskScheduledEventDetails as { parameters?: string } : undefined;
    if (lambdaScheduled) {
      const fn = functionName(lambdaScheduled);
      scheduled.set(ev.id, { at: ev.timestamp, memoryMb: cfg.functionMemoryMb[fn] ?? 128 });
      lambdaRequests++;
      continue;
    }
    if (/^(LambdaFunction|Task)(Succeeded|Failed|TimedOut)$/.test(ev.type)) {
      // Each event chains to the previous one of its state: Scheduled <- Started <- Succeeded.
      let prev = ev.previousEventId;
      for (let hop = 0; hop < 3 && prev !== undefined && !scheduled.has(prev); hop++) prev = history.find((h) => h.id === prev)?.previousEventId;
      const start = prev !== undefined ? scheduled.get(prev) : undefined;
      if (start) {
        gbSeconds += (Math.max(0, ev.timestamp - start.at) / 1000) * (start.memoryMb / 1024);
        scheduled.delete(prev!);
      }
    }
  }
  const costUsd = transitions * cfg.prices.transitionUsd + gbSeconds * cfg.prices.gbSecondUsd + lambdaRequests * cfg.prices.requestUsd;
  return { transitions, lambdaRequests, lambdaGbSeconds: round(gbSeconds, 6), costUsd: round(costUsd, 12) };
}

function functionName(details: { resource?: string; parameters?: string }): string {
  let ref = details.resource ?? '';
  if (details.parameters) {
    try { ref = String((JSON.parse(details.parameters) as { FunctionName?: string }).FunctionName ?? ref); } catch { /* keep resource */ }
  }
  // arn:aws:lambda:region:account:function:name[:qualifier] or a bare name.
  return ref.startsWith('arn:') ? ref.split(':')[6] ?? ref : ref.split(':')[0];
}

export interface SettleDeps extends BudgetDeps {
  readonly history: (executionArn: string) => Promise<HistoryEvent[]>;
  readonly publishThreshold: (detail: Record<string, unknown>) => Promise<void>;
}

export type SettleResult =
  | { readonly settled: false; readonly reason: string }
  | { readonly settled: true; readonly scope: string; readonly period: string; readonly cost: RunCost; readonly spentUsd: number; readonly limitUsd: number; readonly thresholdReached: boolean };

/**
 * When a gated run ends (any status): its actual cost replaces its reservation, once (the reservation
 * is the idempotency key: a replayed event finds none). Crossing the threshold publishes
 * BudgetThresholdReached once per scope and period (PENDING until the event is confirmed, so a
 * failed publish is retried by the next settle rather than lost).
 */
export async function settle(executionArn: string, cfg: BudgetConfig, deps: SettleDeps): Promise<SettleResult> {
  const run = await deps.store.getRun(executionArn);
  if (!run) return { settled: false, reason: 'the run never passed the gate (denied, deferred when it ended, or rejected before it)' };
  const limitUsd = (await deps.store.limit(run.scope)) ?? cfg.defaultLimitUsd;
  const cost = runCost(await deps.history(executionArn), cfg);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const state = await deps.store.get(run.scope, run.period);
    if (!state || !(executionArn in state.reservations)) {
      await publishPending(run.scope, run.period, state, limitUsd, cfg, deps);
      return { settled: false, reason: 'already settled' };
    }
    const reservations = { ...state.reservations };
    delete reservations[executionArn];
    const spentUsd = round(state.spentUsd + cost.costUsd, 12);
    const crossed = state.threshold === undefined && spentUsd >= cfg.threshold * limitUsd;
    const next: BudgetState = { spentUsd, reservations, runs: state.runs + 1, threshold: crossed ? 'PENDING' : state.threshold, version: state.version + 1 };
    if (!(await deps.store.put(run.scope, run.period, next, state.version))) {
      await deps.sleep(Math.random() * Math.min(50, 2 ** attempt));
      continue;
    }
    await deps.store.putRun(executionArn, { ...run, actualCostUsd: cost.costUsd });
    await publishPending(run.scope, run.period, next, limitUsd, cfg, deps);
    return { settled: true, scope: run.scope, period: run.period, cost, spentUsd, limitUsd, thresholdReached: crossed };
  }
  throw new ConcurrencyConflict(`budget ${run.scope}: lost ${MAX_ATTEMPTS} conditional writes in a row`);
}

async function publishPending(scope: string, period: string, state: BudgetState | undefined, limitUsd: number, cfg: BudgetConfig, deps: SettleDeps) {
  if (state?.threshold !== 'PENDING') return;
  await deps.publishThreshold({ scope, period, limitUsd, spentUsd: state.spentUsd, threshold: cfg.threshold, percentSpent: round((state.spentUsd / limitUsd) * 100, 2) });
  await deps.store.markThresholdSent(scope, period);
}

export function parseConfig(json: string): BudgetConfig {
  const c = asObject(JSON.parse(json), 'budget config');
  return c as unknown as BudgetConfig;
}

function round(x: number, digits = 6): number { const f = 10 ** digits; return Math.round(x * f) / f; }
