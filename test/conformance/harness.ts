/**
 * Runs one conformance case on the interpreter: the definition is validated as CreateStateMachine
 * would, then executed on a virtual clock that jumps to the next timer whenever nothing else can
 * run (a Wait of an hour costs nothing), with the case's Lambda doubles behind the real Lambda
 * integration module.
 */
import { randomUUID } from 'crypto';
import { ChildExecutions, Execution, MapRunRecord, Outcome, TimerClock, TokenRegistry } from '../../local/interpreter/executor';
import { validateDefinition } from '../../local/interpreter/validate';
import { Invocable, lambdaIntegration } from '../../local/services/lambda';
import { ServiceRegistry } from '../../local/services/registry';
import { CaseResult, ConformanceCase, FunctionCall, MapRunResult } from './case';

export const START = Date.parse('2025-01-01T00:00:00.000Z');
export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';

/** Discrete-event clock: time stands still while work runs and jumps to the next timer when idle. */
export class VirtualClock implements TimerClock {
  private t = START;
  private seq = 0;
  private readonly timers = new Map<number, { due: number; fn: () => void; seq: number }>();
  now() { return this.t; }
  setTimeout(fn: () => void, ms: number) { const id = ++this.seq; this.timers.set(id, { due: this.t + Math.max(0, ms), fn, seq: id }); return id; }
  clearTimeout(h: unknown) { this.timers.delete(h as number); }
  /** Fires the earliest timer; false when none is left. */
  fireNext(): boolean {
    let best: [number, { due: number; fn: () => void; seq: number }] | undefined;
    for (const e of this.timers) if (!best || e[1].due < best[1].due || (e[1].due === best[1].due && e[1].seq < best[1].seq)) best = e;
    if (!best) return false;
    this.timers.delete(best[0]);
    this.t = Math.max(this.t, best[1].due);
    best[1].fn();
    return true;
  }
}

const idle = async () => { for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r)); };

function lambdaErrorOf(err: unknown) {
  const e = err as Error;
  const trace = (e.stack ?? '').split('\n');
  return { errorType: e.name || 'Error', cause: JSON.stringify({ errorType: e.name || 'Error', errorMessage: e.message, trace }) };
}

export async function runCase(c: ConformanceCase): Promise<CaseResult & { definitionError?: Error; first?: CaseResult }> {
  try {
    validateDefinition(c.definition, { type: c.type ?? 'STANDARD' });
  } catch (err) {
    return { status: 'INVALID', history: [], calls: {}, definitionError: err as Error };
  }
  const clock = new VirtualClock();
  const tokens = new TokenRegistry();
  const calls: Record<string, unknown[]> = {};
  const functionCall = (name: string): FunctionCall => ({
    call: (calls[name]?.length ?? 1) - 1,
    now: () => clock.now(),
    sleep: (ms) => new Promise((r) => clock.setTimeout(() => r(), ms)),
    sendTaskSuccess: (token, output) => { tokens.succeed(token, output); },
    sendTaskFailure: (token, error, cause) => { tokens.fail(token, error, cause); },
    sendTaskHeartbeat: (token) => { tokens.heartbeat(token); },
  });
  const nameOf = (ref: string) => (ref.startsWith('arn:') ? ref.split(':')[6] : ref.split(':')[0]);
  const directory = {
    // Lambda's asynchronous queue, reduced to one attempt: a case sees the call in `calls`.
    invokeAsync: (ref: string, payload: unknown) => {
      const fn = directory.find(ref);
      if (!fn) throw Object.assign(new Error(`Function not found: ${ref}`), { name: 'ResourceNotFoundException' });
      void fn.invoke(payload).catch(() => undefined);
    },
    find: (ref: string): Invocable | undefined => {
      const name = nameOf(ref);
      const double = c.functions?.[name];
      if (!double) return undefined;
      return {
        invoke: async (payload: unknown) => {
          (calls[name] ??= []).push(payload);
          try {
            // Lambda serializes the result: what Step Functions sees is JSON.
            const out = await double(JSON.parse(JSON.stringify(payload ?? null)), functionCall(name));
            return out === undefined ? null : JSON.parse(JSON.stringify(out));
          } catch (err) {
            throw lambdaErrorOf(err);
          }
        },
      };
    },
  };
  const services = new ServiceRegistry().register(lambdaIntegration(directory));
  const name = c.executionName ?? 'conformance';
  const stateMachineArn = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:conformance`;
  const roleArn = `arn:aws:iam::${ACCOUNT}:role/conformance`;
  // Distributed Map children run as executions of their own on the same clock and doubles.
  const mapRuns: { record: MapRunRecord; children: { execution: Execution; executionArn: string; name: string; input: unknown }[] }[] = [];
  const children: ChildExecutions = {
    mapRun: (record) => {
      const known = mapRuns.find((m) => m.record.mapRunArn === record.mapRunArn);
      if (known) known.record = record; else mapRuns.push({ record, children: [] });
    },
    run: (req) => {
      const child = new Execution({
        definition: req.definition, input: req.input, clock, services, tokens, region: REGION, children,
        execution: { executionArn: req.executionArn, name: req.name, stateMachineArn, stateMachineName: 'conformance', roleArn, startTime: clock.now(), type: req.type },
      });
      mapRuns.find((m) => m.record.mapRunArn === req.mapRunArn)!.children.push({ execution: child, executionArn: req.executionArn, name: req.name, input: req.input });
      req.signal.addEventListener('abort', () => child.stop());
      return child.start().done;
    },
    redrive: (executionArn, signal) => {
      const child = mapRuns.flatMap((m) => m.children).find((ch) => ch.executionArn === executionArn)!.execution;
      signal.addEventListener('abort', () => child.stop());
      return child.redrive();
    },
  };
  const execution = new Execution({
    definition: c.definition,
    input: c.input ?? {},
    clock, services, tokens, region: REGION, children,
    // Express executions have ARNs of their own form (recorded: `express:<machine>:<name>:<id>`).
    execution: {
      executionArn: c.type === 'EXPRESS' ? `arn:aws:states:${REGION}:${ACCOUNT}:express:conformance:${name}:${randomUUID()}` : `arn:aws:states:${REGION}:${ACCOUNT}:execution:conformance:${name}`,
      name, stateMachineArn, stateMachineName: 'conformance', roleArn, startTime: START, type: c.type ?? 'STANDARD',
    },
  }).start();
  const progress = () => execution.history.length + mapRuns.reduce((n, m) => n + m.children.reduce((k, ch) => k + ch.execution.history.length, 0), 0);
  let outcome = await drive(clock, execution.done, progress);
  let first: (CaseResult & { calls: Record<string, unknown[]> }) | undefined;
  if (c.redrive) {
    first = { ...describeOutcome(outcome), history: execution.history.slice(), calls: JSON.parse(JSON.stringify(calls)) };
    outcome = await drive(clock, execution.redrive(), progress);
  }
  const describe = describeOutcome;
  const runs: MapRunResult[] = mapRuns.map((m) => ({
    mapRunArn: m.record.mapRunArn,
    description: { ...m.record, startDate: m.record.startDate / 1000, stopDate: m.record.stopDate === undefined ? undefined : m.record.stopDate / 1000 },
    children: m.children.map((ch) => {
      const o = (ch.execution as unknown as { outcome?: Outcome }).outcome;
      return { executionArn: ch.executionArn, name: ch.name, input: ch.input, history: ch.execution.history, ...(o ? describe(o) : { status: 'RUNNING' }) };
    }),
  }));
  return { ...describe(outcome), history: execution.history, calls, mapRuns: runs, first };
}

function describeOutcome(o: Outcome) {
  return {
    status: o.status,
    output: o.status === 'SUCCEEDED' ? JSON.parse(o.output) : undefined,
    error: o.status === 'SUCCEEDED' ? undefined : o.error,
    cause: o.status === 'SUCCEEDED' ? undefined : o.cause,
  };
}

/**
 * Runs the clock until `done` settles: while the execution makes progress (its history grows) the
 * clock stands still; when a round of work changes nothing, the next timer fires; stuck when there
 * is none.
 */
async function drive(clock: VirtualClock, done: Promise<Outcome>, progress: () => number): Promise<Outcome> {
  let settled = false;
  void done.then(() => { settled = true; });
  let seen = -1;
  for (let round = 0; round < 1_000_000 && !settled; round++) {
    await idle();
    if (settled) break;
    const now = progress();
    if (now !== seen) { seen = now; continue; }
    if (!clock.fireNext()) throw new Error('the execution is stuck: nothing left to run and no timer');
  }
  return done;
}
