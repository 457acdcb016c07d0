/** Pools with priority (`training-jobs` on the 3-slot `gpu` pool). */
import { DescribeExecutionCommand, HistoryEvent, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { GetQueueAttributesCommand, PurgeQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { redriveLambdaFailures } from '../../bin/commands/redrive';
import { localClientConfig } from '../../local/runtime';
import { keys, PREFIX } from '../../lib/state/keys';
import { advanceWhenIdle, driveToEnd, embeddedOnlyTest, stressTest, entered, finish, finishAll, getItem, history, lambdaStates, queryPk, start, uniqueId, waitUntil } from './helpers';
import { Target } from './targets';

const SLOTS = 3;

export function definePoolScenarios(getTarget: () => Target) {
  const t = () => getTarget();
  const embeddedOnly = embeddedOnlyTest(t);
  const stress = stressTest(t);
  const pool = async () => (await getItem(t(), keys.pool('gpu'))) as { holders: Record<string, number> } | undefined;
  const holders = async () => Object.keys((await pool())?.holders ?? {});
  const queue = async () => (await queryPk(t(), keys.pool('gpu').pk)).filter((i) => i.sk.startsWith(PREFIX.waiter));
  const job = (priority: number, id = uniqueId('job')) => ({ request: { jobId: id, priority } });
  const grantedAt = (h: HistoryEvent[]) => h.find((e) => e.type === 'TaskSucceeded' && JSON.parse(e.taskSucceededEventDetails!.output!).pool === 'gpu')!.timestamp!.getTime();
  const status = async (arn: string) => (await t().sfn.send(new DescribeExecutionCommand({ executionArn: arn }))).status;
  /** Starts executions one after another, 5 ms apart on the clock, so their arrival order is defined. */
  const startInOrder = async (inputs: unknown[]) => {
    const arns: string[] = [];
    for (const input of inputs) {
      arns.push(await start(t(), 'training-jobs', input));
      if (t().runtime) await t().runtime!.clock.advance(5); else await new Promise((r) => setTimeout(r, 20));
    }
    return arns;
  };

  /** Lets Train calls left running by executions aborted in earlier scenarios end (Lambda runs on after an abort). */
  const drainTrainer = async () => {
    const rt = t().runtime!;
    const trainer = rt.fn('TrainingJobs/TrainerFn');
    for (let i = 0; i < 2000 && trainer.inFlight > 0; i++) {
      await advanceWhenIdle(t(), 60_000, ['TrainerFn']);
      await new Promise((r) => setTimeout(r, 2));
    }
    expect(trainer.inFlight).toBe(0);
    trainer.maxInFlight = 0;
    // Slots drained for executions aborted earlier come free when their drain ends.
    await waitUntil(t(), 'the pool to be empty', async () => {
      if ((await holders()).length === 0 && (await queue()).length === 0) return true;
      await advanceWhenIdle(t(), 60_000);
      return undefined;
    }, 0);
  };

  describe('pools with priority (training-jobs on the gpu pool)', () => {
    embeddedOnly('30 concurrent executions on a 3-slot pool: never more than 3 holders, waiters parked without polling, all served', async () => {
      const rt = t().runtime!;
      const trainer = rt.fn('TrainingJobs/TrainerFn');
      trainer.maxInFlight = 0;
      // Training takes 2 s of clock time, so slots are held while others queue.
      const slow = rt.faults.inject({ target: { function: 'TrainingJobs/TrainerFn' }, latencyMs: 2000 });
      let maxHolders = 0;
      const sampler = setInterval(() => { void holders().then((h) => { maxHolders = Math.max(maxHolders, h.length); }).catch(() => undefined); }, 2);
      try {
        const arns = await Promise.all(Array.from({ length: 30 }, (_, i) => start(t(), 'training-jobs', job(i % 3))));
        await waitUntil(t(), '3 holders and 27 parked waiters', async () => ((await holders()).length === SLOTS && (await queue()).length === 27 ? true : undefined), 0);
        const done = await finishAll(t(), arns, 250);
        expect(done.map((d) => d.status)).toEqual(Array(30).fill('SUCCEEDED'));
        // Measured twice: by the work itself (Lambda calls in flight) and by the pool item.
        expect(trainer.maxInFlight).toBe(SLOTS);
        expect(maxHolders).toBeLessThanOrEqual(SLOTS);
        expect(maxHolders).toBeGreaterThan(0);
        for (const a of arns) {
          const h = await history(t(), a);
          // One acquire call per execution, however long it waited: a parked task token, woken once.
          expect(lambdaStates(h).filter((s) => s === 'AcquireGpuSlot')).toHaveLength(1);
          expect(entered(h)).toEqual(['CheckInput', 'AcquireGpuSlot', 'GpuWithSlot', 'Train', 'ReleaseGpuSlot', 'Trained']);
        }
        expect(await holders()).toEqual([]);
        expect(await queue()).toEqual([]);
      } finally { clearInterval(sampler); slow.remove(); }
    });

    embeddedOnly('waiters are served by priority, then by arrival', async () => {
      const rt = t().runtime!;
      const slow = rt.faults.inject({ target: { function: 'TrainingJobs/TrainerFn' }, latencyMs: 10_000 });
      try {
        const holdersArns = await startInOrder([job(0), job(0), job(0)]);
        await waitUntil(t(), 'the pool to be full', async () => ((await holders()).length === SLOTS ? true : undefined), 0);
        const [low1, low2, low3, high] = await startInOrder([job(1), job(1), job(1), job(9)]);
        await waitUntil(t(), '4 parked waiters', async () => ((await queue()).length === 4 ? true : undefined), 0);
        const ended = await finishAll(t(), [...holdersArns, low1, low2, low3, high], 1000);
        expect(ended.every((e) => e.status === 'SUCCEEDED')).toBe(true);
        const at = Object.fromEntries(await Promise.all(Object.entries({ low1, low2, low3, high }).map(async ([k, a]) => [k, grantedAt(await history(t(), a))] as const)));
        // The 3 slots freed by the first holders go to high (arrived last, priority 9), then low1 and low2
        // (by arrival); low3 waits for a slot of that second wave, 10 s of work later.
        expect(at.high).toBeLessThanOrEqual(at.low1);
        expect(at.low1).toBeLessThanOrEqual(at.low2);
        expect(at.low3).toBeGreaterThanOrEqual(at.high + 10_000);
        expect(at.low2).toBeLessThan(at.high + 10_000);
      } finally { slow.remove(); }
    });

    embeddedOnly('a holder that is aborted gives its slot back through the reaper once its in-flight work must have ended, and an aborted waiter leaves the queue', async () => {
      const rt = t().runtime!;
      await drainTrainer();
      const trainer = rt.fn('TrainingJobs/TrainerFn');
      // The holders' Train calls hang (each attempt to its 15-minute timeout): no holder finishes on its
      // own, so the only slot that can come free is the aborted one's.
      const heldJobs = [job(0), job(0), job(0)];
      const heldIds = new Set(heldJobs.map((j) => j.request.jobId));
      const stuck = rt.faults.inject({ target: { function: 'TrainingJobs/TrainerFn' }, latencyMs: 3_600_000, when: (i) => heldIds.has((i as { requestId: string }).requestId) });
      const held: string[] = [];
      try {
        held.push(...await startInOrder(heldJobs));
        await waitUntil(t(), 'the pool to be full', async () => ((await holders()).length === SLOTS ? true : undefined), 0);
        const [waiter, abandoned] = await startInOrder([job(5), job(5)]);
        await waitUntil(t(), '2 parked waiters', async () => ((await queue()).length === 2 ? true : undefined), 0);
        await waitUntil(t(), '3 Train calls in flight', async () => (rt.fn('TrainingJobs/TrainerFn').inFlight === SLOTS ? true : undefined), 0);
        // The second waiter is aborted while parked: the reaper takes it out of the queue.
        await t().sfn.send(new StopExecutionCommand({ executionArn: abandoned, cause: 'operator' }));
        await waitUntil(t(), 'the aborted waiter to leave the queue', async () => ((await queue()).length === 1 ? true : undefined), 0);
        // A holder is aborted mid-work. Its Train call runs on (Step Functions does not stop a running
        // Lambda), up to its 15-minute timeout: the reaper drains the slot until then, and only then
        // is the waiter woken with it.
        const stoppedAt = rt.clock.now();
        await t().sfn.send(new StopExecutionCommand({ executionArn: held[0], cause: 'operator' }));
        // Drained: its lease now ends 15 minutes (Train's timeout) + the 60 s hand-off after the stop.
        await waitUntil(t(), 'the slot to be drained', async () => {
          const lease = (await pool())?.holders[held[0]];
          return lease !== undefined && lease >= stoppedAt + 960_000 && lease <= rt.clock.now() + 960_000 ? true : undefined;
        }, 0);
        for (const until = rt.clock.now() + 14 * 60_000; rt.clock.now() < until;) {
          await advanceWhenIdle(t(), Math.min(60_000, until - rt.clock.now()), ['TrainerFn']);
          await new Promise((r) => setTimeout(r, 2));
        }
        expect(await status(waiter)).toBe('RUNNING');
        expect(await holders()).toContain(held[0]);
        // The clock moves in 30 s steps only while no pool call is mid-flight (a step would time it out).
        const [woken] = await driveToEnd(t(), [waiter], 30_000, ['TrainerFn']);
        expect(woken.status).toBe('SUCCEEDED');
        expect(grantedAt(await history(t(), waiter))).toBeGreaterThanOrEqual(stoppedAt + 960_000);
        // Never a fourth Train call running: the aborted holder's ended (timed out) before the waiter's began.
        expect(trainer.maxInFlight).toBe(SLOTS);
        expect(await holders()).not.toContain(held[0]);
        expect(await status(abandoned)).toBe('ABORTED');
        expect(await queue()).toEqual([]);
      } finally {
        stuck.remove();
        for (const a of held.slice(1)) await t().sfn.send(new StopExecutionCommand({ executionArn: a })).catch(() => undefined);
      }
    });

    embeddedOnly('a reaper that keeps failing leaves its event in its on-failure queue, and a redrive frees the slot', async () => {
      const rt = t().runtime!;
      await drainTrainer();
      const heldJobs = [job(0), job(0), job(0)];
      const heldIds = new Set(heldJobs.map((j) => j.request.jobId));
      const stuck = rt.faults.inject({ target: { function: 'TrainingJobs/TrainerFn' }, latencyMs: 3_600_000, when: (i) => heldIds.has((i as { requestId: string }).requestId) });
      let failing = '';
      const reaperDown = rt.faults.inject({ target: { function: 'TrainingJobs/GpuPool/ReaperFn' }, error: { name: 'TransientError', message: 'table throttled' }, when: (i) => (i as { detail: { executionArn: string } }).detail.executionArn === failing });
      const queueUrl = rt.queueUrl('GpuPool/ReaperFn/OnFailure');
      const sqs = new SQSClient(localClientConfig(rt.endpointUrl));
      await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
      const held: string[] = [];
      try {
        held.push(...await startInOrder(heldJobs));
        failing = held[0];
        await waitUntil(t(), 'the pool to be full', async () => ((await holders()).length === SLOTS ? true : undefined), 0);
        const [waiter] = await startInOrder([job(5)]);
        await waitUntil(t(), 'a parked waiter', async () => ((await queue()).length === 1 ? true : undefined), 0);
        await waitUntil(t(), '3 Train calls in flight', async () => (rt.fn('TrainingJobs/TrainerFn').inFlight === SLOTS ? true : undefined), 0);
        await t().sfn.send(new StopExecutionCommand({ executionArn: held[0], cause: 'operator' }));
        // Lambda's asynchronous retries: after 1 and 2 more minutes (invocation 1 + 2 retries), then the queue.
        await waitUntil(t(), 'the failure record', async () => {
          const r = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
          if (Number(r.Attributes?.ApproximateNumberOfMessages) === 1) return true;
          await advanceWhenIdle(t(), 30_000, ['TrainerFn']);
          return undefined;
        }, 0);
        expect(reaperDown.hits).toBe(3);
        // The slot is still held by the aborted execution, and the waiter still waits.
        expect(await holders()).toContain(held[0]);
        expect(await status(waiter)).toBe('RUNNING');
        const [message] = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 0 }))).Messages ?? [];
        const record = JSON.parse(message.Body!);
        expect(record).toMatchObject({ requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 }, responseContext: { functionError: 'Unhandled' }, requestPayload: { detail: { executionArn: held[0], status: 'ABORTED' } } });
        reaperDown.remove();
        // The operator fixed the cause and redrives: the reaper runs on the recorded event.
        const results = await redriveLambdaFailures({ sqs, lambda: new LambdaClient(localClientConfig(rt.endpointUrl)) }, queueUrl, { out: () => undefined });
        expect(results.map((r) => r.outcome)).toEqual(['redriven']);
        // The redriven reaper drains the slot (its Train call may run up to its timeout), then hands it on.
        expect((await driveToEnd(t(), [waiter], 30_000, ['TrainerFn']))[0].status).toBe('SUCCEEDED');
        expect(await holders()).not.toContain(held[0]);
        const left = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
        expect(left.Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
      } finally {
        stuck.remove(); reaperDown.remove();
        for (const a of held) await t().sfn.send(new StopExecutionCommand({ executionArn: a })).catch(() => undefined);
      }
    });

    embeddedOnly('an expired lease is reclaimed by the next acquire', async () => {
      // A holder that vanished without any status-change event (simulated: its entry, lease passed).
      const rt = t().runtime!;
      const current = await pool();
      const ghosts = Object.fromEntries([1, 2, 3].map((i) => [`arn:ghost:${i}`, rt.clock.now() - 1000]));
      await t().doc.send(new PutCommand({ TableName: t().tableName, Item: { ...keys.pool('gpu'), pool: 'gpu', holders: ghosts, version: ((current as { version?: number })?.version ?? 0) + 1 } }));
      const e = await finish(t(), (await startInOrder([job(0)]))[0], 0);
      expect(e.status).toBe('SUCCEEDED');
      expect(await holders()).toEqual([]);
    });

    embeddedOnly('work that outlives a 30-minute lease (Train timing out and retried) never lets a fourth worker in', async () => {
      // Train: 15-minute Lambda, 4 attempts. Each job's first 3 attempts time out, so each holder works
      // about 45 minutes. Jobs arriving after 35 minutes would reclaim a 30-minute lease from a holder
      // that is still training; the pool's lease is computed from Train's worst case instead.
      const rt = t().runtime!;
      const trainer = rt.fn('TrainingJobs/TrainerFn');
      await drainTrainer();
      const attempts = new Map<string, number>();
      const hang = rt.faults.inject({ target: { function: 'TrainingJobs/TrainerFn' }, timeout: true, when: (i) => {
        const id = (i as { requestId: string }).requestId;
        attempts.set(id, (attempts.get(id) ?? 0) + 1);
        return attempts.get(id)! <= 3;
      } });
      let maxHolders = 0;
      const sample = async () => { maxHolders = Math.max(maxHolders, (await holders()).length); };
      try {
        const first = await startInOrder([job(0), job(0), job(0)]);
        await waitUntil(t(), 'the pool to be full', async () => ((await holders()).length === SLOTS ? true : undefined), 0);
        // Minutes pass only while no other Lambda is mid-call (a 60 s step would time out a 30 s pool call).
        const idle = () => [...rt.functions.values()].every((f) => f === trainer || f.inFlight === 0);
        const minute = async () => {
          while (!idle()) await new Promise((r) => setTimeout(r, 2));
          await rt.clock.advance(60_000);
          await new Promise((r) => setTimeout(r, 2));
          await sample();
        };
        for (let m = 0; m < 35; m++) await minute();
        const late = await startInOrder([job(0), job(0), job(0)]);
        let ended: (string | undefined)[] = [];
        for (let m = 0; m < 240; m++) {
          ended = await Promise.all([...first, ...late].map(status));
          if (ended.every((st) => st !== 'RUNNING')) break;
          await minute();
        }
        expect(ended).toEqual(Array(6).fill('SUCCEEDED'));
        expect([...attempts.values()]).toEqual(Array(6).fill(4));
        // Before the computed lease: 6 Train calls in flight at once on a 3-slot pool.
        expect(trainer.maxInFlight).toBe(SLOTS);
        expect(maxHolders).toBe(SLOTS);
        expect(await holders()).toEqual([]);
      } finally { hang.remove(); }
    });

    stress('200 concurrent executions on a 3-slot pool: at most 3 holders and 3 workers at any time, all served once', async () => {
      const rt = t().runtime!;
      const trainer = rt.fn('TrainingJobs/TrainerFn');
      await drainTrainer();
      const before = trainer.invocations;
      const slow = rt.faults.inject({ target: { function: 'TrainingJobs/TrainerFn' }, latencyMs: 1000 });
      let maxHolders = 0;
      const sampler = setInterval(() => { void holders().then((h) => { maxHolders = Math.max(maxHolders, h.length); }).catch(() => undefined); }, 2);
      try {
        const arns = await Promise.all(Array.from({ length: 200 }, (_, i) => start(t(), 'training-jobs', job(i % 10))));
        // 67 rounds of 1 s of work: the clock moves 1 s whenever no pool call is mid-flight.
        const done = await driveToEnd(t(), arns, 1000, ['TrainerFn']);
        expect(done.filter((d) => d.status !== 'SUCCEEDED')).toEqual([]);
        expect(trainer.maxInFlight).toBe(SLOTS);
        expect(maxHolders).toBeLessThanOrEqual(SLOTS);
        expect(trainer.invocations - before).toBe(200);
        expect(await holders()).toEqual([]);
        expect(await queue()).toEqual([]);
      } finally { clearInterval(sampler); slow.remove(); }
    });

    test('an invalid priority is rejected before anything is parked', async () => {
      const e = await finish(t(), await start(t(), 'training-jobs', { request: { jobId: uniqueId('j'), priority: 1000 } }));
      expect(e).toMatchObject({ status: 'FAILED', error: 'ValidationError' });
      expect(e.cause).toMatch(/priority must be an integer from 0 to 999/);
      expect(await queue()).toEqual([]);
    });

    embeddedOnly('holders and queue length are published as metrics by every acquire and release', async () => {
      const logs = t().runtime!.fn('TrainingJobs/GpuPool/SlotFn').logs.map((l) => l.text).filter((x) => x.includes('PoolQueueLength'));
      expect(logs.length).toBeGreaterThan(0);
      const emf = JSON.parse(logs[logs.length - 1].slice(logs[logs.length - 1].indexOf('{')));
      expect(emf._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name).sort()).toEqual(['PoolHolders', 'PoolQueueLength']);
      expect(emf.pool).toBe('gpu');
    });
  });
}
