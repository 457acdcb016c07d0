/**
 * npm run bench: speed and cost figures of the embedded runtime, one JSON object per line.
 * Timing goals live here, never in test assertions.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import * as path from 'path';
import { pct } from './stats';
import { PIPELINE_REQUESTED } from '../lib/events';
import { ensureAssembly, localClientConfig, LocalRuntime } from '../local/runtime';
import { benchCommonCircuitDesign, benchPatterns } from './patterns';
import { benchInterpreter } from './interpreter';
import { benchResourcePatterns } from './resources';

const projectDir = path.resolve(__dirname, '..');
const emit = (metric: string, value: number, unit: string, extra: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ metric, value: Math.round(value * 100) / 100, unit, ...extra })}\n`);

async function main() {
  // The bare interpreter first, in a fresh heap (the runtime below keeps hundreds of executions).
  await benchInterpreter((l) => process.stdout.write(`${JSON.stringify(l)}\n`));
  ensureAssembly(projectDir, path.join(projectDir, 'cdk.out'), 'auto');
  const t0 = performance.now();
  const rt = await LocalRuntime.start({ projectDir, synth: 'never' });
  emit('runtime.boot_ms', performance.now() - t0, 'ms', { note: 'loads the assembly and validates every definition' });
  const pipeline = rt.stateMachineArn('pipeline');
  let seq = 0;
  const run = async (records = 1) => {
    const e = rt.startExecution(pipeline, { request: { runId: `bench-${process.pid}-${seq++}`, records } });
    await e.done;
    if (e.status !== 'SUCCEEDED') throw new Error(`bench execution ${e.name} ${e.status}: ${e.error} ${e.cause}`);
    return e;
  };
  // Warm-up: first invocations load the bundles (cold starts).
  for (let i = 0; i < 20; i++) await run();

  const durations: number[] = [];
  let last = await run();
  const c1Start = performance.now();
  const C1 = 100;
  for (let i = 0; i < C1; i++) {
    const s = performance.now();
    last = await run();
    durations.push(performance.now() - s);
  }
  const c1Seconds = (performance.now() - c1Start) / 1000;
  emit('pipeline.overhead_ms', pct(durations, 50), 'ms', { p99: Math.round(pct(durations, 99) * 100) / 100, note: '8 trivial Lambda tasks, 1 DynamoDB read + 10 writes, status-change events to the ledger; concurrency 1, median' });
  emit('pipeline.exec_per_s.c1', C1 / c1Seconds, 'executions/s');

  const total = 500;
  const c50Start = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 50 }, async () => { while (next++ < total) await run(); }));
  emit('pipeline.exec_per_s.c50', total / ((performance.now() - c50Start) / 1000), 'executions/s');

  emit('pipeline.state_transitions', last.transitions, 'transitions/execution');
  emit('pipeline.lambda_invocations', last.lambdaInvocations, 'invocations/execution');
  const real = await run(1000);
  emit('pipeline.duration_ms.records_1000', real.stopDate! - real.startDate, 'ms', { note: 'end to end, 1000 records per generator' });

  // Event to start: PutEvents through the SDK and the endpoint, until ExecutionStarted.
  const events = new EventBridgeClient(localClientConfig(rt.endpointUrl));
  const started = new Map<string, { at: number; done: Promise<void> }>();
  rt.onEvent(({ execution, event }) => {
    if (event.type === 'ExecutionStarted') started.set(JSON.parse(execution.input).request?.runId, { at: performance.now(), done: execution.done });
  });
  const latencies: number[] = [];
  for (let i = 0; i < 200; i++) {
    const runId = `evt-${process.pid}-${i}`;
    const t = performance.now();
    await events.send(new PutEventsCommand({ Entries: [{ EventBusName: rt.busName(), Source: PIPELINE_REQUESTED.source, DetailType: PIPELINE_REQUESTED.detailType, Detail: JSON.stringify({ runId, records: 1 }) }] }));
    while (!started.has(runId)) await new Promise((r) => setImmediate(r));
    latencies.push(started.get(runId)!.at - t);
    // Measured on an idle runtime: the previous execution (and its ledger events) has finished.
    await started.get(runId)!.done;
    await new Promise((r) => setTimeout(r, 2));
  }
  emit('event_to_start_ms.p50', pct(latencies, 50), 'ms');
  emit('event_to_start_ms.p99', pct(latencies, 99), 'ms');
  while (rt.executions({ status: 'RUNNING' }).length > 0) await new Promise((r) => setTimeout(r, 10));
  events.destroy();

  const emitLine = (l: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(l)}\n`);
  await benchPatterns(rt, emitLine);
  await rt.stop();
  const t1 = performance.now();
  const again = await LocalRuntime.start({ projectDir, synth: 'never' });
  emit('runtime.boot_ms.second', performance.now() - t1, 'ms', { note: 'a second boot of the same assembly in the same process' });
  await again.stop();
  await benchCommonCircuitDesign(emitLine);
  await benchResourcePatterns(emitLine);
}

main().then(() => process.exit(0), (err) => { process.stderr.write(`bench failed: ${err?.stack ?? err}\n`); process.exit(1); });
