/**
 * Figures of the resource-management patterns, on a fixture app synthesized from the same constructs:
 * token grants per second one bucket sustains at concurrency 50, pool acquire and release latency, and
 * the state transitions of a parked (task-token) acquire compared with the common 3-second polling
 * loop over the same wait (10 s, 60 s, 600 s, on the runtime's clock).
 */
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as fs from 'fs';
import * as path from 'path';
import { pct } from './stats';
import { Pool } from '../lib/patterns/pool';
import { TokenBucket } from '../lib/patterns/token-bucket';
import { Execution } from '../local/engine';
import { LocalRuntime } from '../local/runtime';

type Emit = (line: Record<string, unknown>) => void;
const TRANSITION_USD = 0.000025;
/** How long the holder keeps the slot while a second acquire waits (seconds on the runtime's clock). */
const HOLD_SECONDS = [10, 60, 600] as const;

function fixture(outdir: string) {
  const app = new App({ outdir, context: { 'aws:cdk:enable-asset-metadata': true, 'aws:cdk:enable-path-metadata': true } });
  const stack = new Stack(app, 'BenchResources');
  const table = new dynamodb.Table(stack, 'State', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING }, removalPolicy: RemovalPolicy.DESTROY,
  });
  const machine = (name: string, definition: sfn.IChainable) => new sfn.StateMachine(stack, name, { stateMachineName: `BenchResources-${name}`, definitionBody: sfn.DefinitionBody.fromChainable(definition) });
  // A bucket that never runs dry: what is measured is the consume path under contention.
  const bucket = new TokenBucket(stack, 'Bucket', { table, bucketName: 'bench', capacity: 1e9, refillPerSecond: 1e9 });
  machine('consume', bucket.consume(stack, 'Take', { tokens: 1, onEmpty: 'fail' }).next(new sfn.Succeed(stack, 'Granted')));
  const pool = new Pool(stack, 'Pool', { table, poolName: 'bench', slots: 1, lease: Duration.hours(1), maxWait: Duration.hours(1) });
  pool.attach(machine('acquire', pool.withSlot(stack, 'Work', new sfn.Pass(stack, 'DoWork')).next(new sfn.Succeed(stack, 'Done'))));
  // The holder keeps the slot for $.holdSeconds. A Wait on that path has no worst case, which the pool
  // refuses at synth, so the hold is a Choice over fixed Waits of the lengths measured (worst case 600 s,
  // inside the 1-hour lease). The Choice adds one transition to the holder only: the lines below report
  // the parked acquirer's transitions and the polling loop's, never the holder's.
  const holdFor = new sfn.Choice(stack, 'HowLongToHold')
    .otherwise(new sfn.Fail(stack, 'UnknownHold', { error: 'UnknownHold', cause: `holdSeconds must be one of ${HOLD_SECONDS.join(', ')}` }));
  for (const seconds of HOLD_SECONDS) {
    holdFor.when(sfn.Condition.numberEquals('$.holdSeconds', seconds), new sfn.Wait(stack, `HoldFor${seconds}Seconds`, { time: sfn.WaitTime.duration(Duration.seconds(seconds)) }));
  }
  pool.attach(machine('hold', pool.withSlot(stack, 'Hold', holdFor).next(new sfn.Succeed(stack, 'Held'))));
  // The common design (AWS samples): try to take a lock with a conditional write; if taken, wait 3 s and try again.
  const lockKey = { pk: tasks.DynamoAttributeValue.fromString('LOCK#bench'), sk: tasks.DynamoAttributeValue.fromString('LOCK') };
  const tryLock = new tasks.DynamoPutItem(stack, 'TryAcquire', {
    table, item: { ...lockKey, holder: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')) },
    conditionExpression: 'attribute_not_exists(pk)', resultPath: sfn.JsonPath.DISCARD,
  });
  const pollWait = new sfn.Wait(stack, 'WaitBeforeRetry', { time: sfn.WaitTime.duration(Duration.seconds(3)) }).next(tryLock);
  tryLock.addCatch(pollWait, { errors: ['DynamoDB.ConditionalCheckFailedException'], resultPath: sfn.JsonPath.DISCARD });
  const unlock = new tasks.DynamoDeleteItem(stack, 'ReleaseLock', { table, key: lockKey, resultPath: sfn.JsonPath.DISCARD });
  machine('poll', tryLock.next(new sfn.Pass(stack, 'PollWork')).next(unlock).next(new sfn.Succeed(stack, 'PollDone')));
  app.synth();
}

async function drive(rt: LocalRuntime, e: Execution, stepMs: number) {
  while (e.status === 'RUNNING') { await rt.clock.advance(stepMs); await new Promise((r) => setTimeout(r, 1)); }
  if (e.status !== 'SUCCEEDED') throw new Error(`bench execution ${e.name}: ${e.status} ${e.error} ${e.cause}`);
  return e;
}

export async function benchResourcePatterns(emit: Emit): Promise<void> {
  const cdkOut = path.join(__dirname, '..', 'cdk.out');
  fs.mkdirSync(cdkOut, { recursive: true });
  const outdir = fs.mkdtempSync(path.join(cdkOut, 'bench-resources-'));
  fixture(outdir);
  const rt = await LocalRuntime.start({ cdkOut: outdir, synth: 'never' });
  const startExec = (name: string, input: unknown = {}) => rt.startExecution(`BenchResources-${name}`, input);
  try {
    // Token grants per second on one bucket (one DynamoDB item), 50 executions in flight.
    for (let i = 0; i < 20; i++) await startExec('consume').done; // warm-up (cold starts)
    const total = 1000;
    let started = 0;
    let retried = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 50 }, async () => {
      while (started++ < total) {
        const e = startExec('consume');
        await e.done;
        if (e.status !== 'SUCCEEDED') throw new Error(`consume ${e.status} ${e.error}`);
        retried += e.transitions - 2;
      }
    }));
    const seconds = (performance.now() - t0) / 1000;
    emit({ metric: 'token_bucket.grants_per_s.c50', value: Math.round(total / seconds), unit: 'grants/s', pattern: 'token-bucket', note: `${total} executions (consume 1 token, fail-fast), one bucket item, 50 in flight; ${retried} state retries after ConcurrencyConflict; AWS caps one item near 1,000 writes/s` });

    // Pool acquire and release latency, uncontended (a free slot), from the execution history.
    const acquireMs: number[] = [];
    const releaseMs: number[] = [];
    for (let i = 0; i < 220; i++) {
      const e = startExec('acquire');
      await e.done;
      if (i < 20) continue;
      const span = (state: string) => {
        const entered = e.history.find((h) => h.type === 'TaskStateEntered' && (h.stateEnteredEventDetails as { name: string }).name === state)!;
        const exited = e.history.find((h) => h.type === 'TaskStateExited' && (h.stateExitedEventDetails as { name: string }).name === state)!;
        return exited.timestamp - entered.timestamp;
      };
      acquireMs.push(span('AcquireWorkSlot'));
      releaseMs.push(span('ReleaseWorkSlot'));
    }
    emit({ metric: 'pool.acquire_ms.p50', value: pct(acquireMs, 50), unit: 'ms', pattern: 'pool', p99: pct(acquireMs, 99), note: 'free slot: park the task token, dispatch (conditional write), SendTaskSuccess through the endpoint; 200 runs' });
    emit({ metric: 'pool.release_ms.p50', value: pct(releaseMs, 50), unit: 'ms', pattern: 'pool', p99: pct(releaseMs, 99), note: 'release (conditional write) and dispatch to the queue' });

    // A parked acquire vs a 3-second polling loop, waiting the same time for the holder.
    for (const waitSeconds of HOLD_SECONDS) {
      const holder = startExec('hold', { holdSeconds: waitSeconds });
      while (!holder.history.some((h) => h.type === 'ParallelStateEntered')) await new Promise((r) => setTimeout(r, 1));
      const parked = startExec('acquire');
      const pe = await drive(rt, parked, 1000);
      await drive(rt, holder, 1000);

      await rt.dynamodb('PutItem', { TableName: rt.tableName(), Item: { pk: { S: 'LOCK#bench' }, sk: { S: 'LOCK' }, holder: { S: 'someone' } } });
      rt.clock.setTimeout(() => { void rt.dynamodb('DeleteItem', { TableName: rt.tableName(), Key: { pk: { S: 'LOCK#bench' }, sk: { S: 'LOCK' } } }); }, waitSeconds * 1000);
      const polling = await drive(rt, startExec('poll'), 1000);
      emit({
        metric: 'pool.waiting_acquire.transitions', pattern: 'pool', path: `wait ${waitSeconds} s`, value: pe.transitions, unit: 'transitions/execution',
        polling_3s: polling.transitions, parked_usd_per_1000_runs: Math.round(pe.transitions * TRANSITION_USD * 1000 * 1000) / 1000,
        polling_usd_per_1000_runs: Math.round(polling.transitions * TRANSITION_USD * 1000 * 1000) / 1000, lambda_invocations: pe.lambdaInvocations,
        note: 'parked: a .waitForTaskToken acquire woken by the release; polling: conditional put, Catch, Wait 3 s, again',
      });
    }
  } finally {
    await rt.stop();
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
