/**
 * Interpreter speed: transitions per second of a 100-state Pass chain and of a 10-state Pass/Choice
 * machine on our interpreter and, in the same run, on aws-local-stepfunctions (dev-only comparison,
 * while it is installable), and a Map of 10,000 inline items (time and peak heap, with 1,000 and
 * 5,000 to show it stays linear).
 */
import { Execution, TaskRequest, TokenRegistry } from '../local/interpreter/executor';

type Emit = (line: Record<string, unknown>) => void;

const clock = { now: () => Date.now(), setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms), clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout) };
const info = { executionArn: 'arn:aws:states:us-east-1:0:execution:bench:x', name: 'x', stateMachineArn: 'arn:aws:states:us-east-1:0:stateMachine:bench', stateMachineName: 'bench', roleArn: 'arn:aws:iam::0:role/bench', startTime: Date.now() };
const services = { invoke: async (r: TaskRequest) => r.parameters };

async function ours(definition: Record<string, unknown>, input: unknown, mayFail = false) {
  const run = new Execution({ definition, input, clock, services, tokens: new TokenRegistry(), region: 'us-east-1', execution: info }).start();
  const outcome = await run.done;
  if (outcome.status !== 'SUCCEEDED' && !mayFail) throw new Error(`bench machine ${outcome.status}: ${JSON.stringify(outcome)}`);
  return { transitions: run.transitions, outcome, events: run.history.length };
}

function passChain(n: number) {
  const States: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) States[`P${i}`] = i === n - 1 ? { Type: 'Pass', End: true } : { Type: 'Pass', Next: `P${i + 1}` };
  return { StartAt: 'P0', States };
}

function passChoice() {
  const States: Record<string, unknown> = {};
  for (let i = 0; i < 5; i++) {
    States[`P${i}`] = { Type: 'Pass', Parameters: { 'n.$': '$.n', step: i }, Next: `C${i}` };
    States[`C${i}`] = { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 0, Next: i === 4 ? 'Done' : `P${i + 1}` }], Default: 'Done' };
  }
  States.Done = { Type: 'Succeed' };
  return { StartAt: 'P0', States };
}

async function library(): Promise<((def: Record<string, unknown>, input: unknown) => Promise<void>) | undefined> {
  try {
    if (!(Promise as unknown as { withResolvers?: unknown }).withResolvers) {
      (Promise as unknown as { withResolvers: () => unknown }).withResolvers = function withResolvers() {
        let resolve!: (v: unknown) => void; let reject!: (e: unknown) => void;
        const promise = new Promise((res, rej) => { resolve = res; reject = rej; });
        return { promise, resolve, reject };
      };
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { StateMachine } = require('aws-local-stepfunctions') as { StateMachine: new (d: unknown, o: unknown) => { run(i: unknown): { result: Promise<unknown> } } };
    const built = new Map<unknown, { run(i: unknown): { result: Promise<unknown> } }>();
    return async (def, input) => {
      let sm = built.get(def);
      if (!sm) { sm = new StateMachine(def, { validationOptions: { noValidate: true } }); built.set(def, sm); }
      await sm.run(input).result;
    };
  } catch {
    return undefined;
  }
}

async function transitionsPerSecond(run: () => Promise<number>, seconds = 2): Promise<number> {
  for (let i = 0; i < 50; i++) await run(); // warm-up
  let transitions = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) transitions += await run();
  return transitions / ((performance.now() - t0) / 1000);
}

export async function benchInterpreter(emit: Emit): Promise<void> {
  const lib = await library();
  const round = (v: number) => Math.round(v);
  for (const [label, def, input, transitions] of [
    ['pass_chain_100', passChain(100), { n: 1 }, 100],
    ['pass_choice_10', passChoice(), { n: 1 }, 11],
  ] as const) {
    const mine = await transitionsPerSecond(async () => (await ours(def as Record<string, unknown>, input)).transitions);
    const theirs = lib ? await transitionsPerSecond(async () => { await lib(def as Record<string, unknown>, input); return transitions; }) : undefined;
    emit({ metric: `interpreter.transitions_per_s.${label}`, value: round(mine), unit: 'transitions/s', ...(theirs ? { aws_local_stepfunctions: round(theirs), ratio: Math.round((mine / theirs) * 100) / 100 } : { note: 'aws-local-stepfunctions not installed' }) });
  }
  for (const items of [1_000, 5_000, 6_000, 10_000]) {
    const def = { StartAt: 'M', States: { M: { Type: 'Map', ItemsPath: '$.items', ItemSelector: { 'v.$': '$$.Map.Item.Value', 'i.$': '$$.Map.Item.Index' }, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } } };
    const input = { items: Array.from({ length: items }, (_, i) => i) };
    global.gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    let peak = heap0;
    // Sampled at the interpreter's yields (every 500 states), from a collected heap (npm run bench
    // passes --expose-gc).
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().heapUsed); }, 1);
    const t0 = performance.now();
    // 4 events per item: past 6,249 items an inline Map reaches AWS's 25,000-event history limit
    // and fails as it would on AWS (a Distributed Map is AWS's answer for more items).
    const r = await ours(def, input, true);
    const ms = performance.now() - t0;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    emit({
      metric: `interpreter.map_inline.items_${items}`, value: Math.round(ms), unit: 'ms', us_per_item: Math.round((ms * 1000) / items),
      peak_heap_mb: Math.round((peak - heap0) / 1e5) / 10,
      status: r.outcome.status, events: r.events, ...(r.outcome.status === 'SUCCEEDED' ? {} : { error: r.outcome.error, cause: r.outcome.cause }),
    });
  }
}

if (require.main === module) {
  benchInterpreter((l) => process.stdout.write(`${JSON.stringify(l)}\n`)).then(() => process.exit(0), (e) => { process.stderr.write(`${e?.stack ?? e}\n`); process.exit(1); });
}
