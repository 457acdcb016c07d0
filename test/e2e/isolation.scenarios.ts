/** Workload isolation (`critical-jobs` and `batch-jobs`, each on capacity of its own). */
import { keys, PREFIX } from '../../lib/state/keys';
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { driveToEnd, embeddedOnlyTest, entered, getItem, history, lambdaStates, queryPk, run, start, uniqueId, waitUntil } from './helpers';
import { Target } from './targets';

export function defineIsolationScenarios(getTarget: () => Target) {
  const t = () => getTarget();
  const embeddedOnly = embeddedOnlyTest(t);
  const holders = async (cls: string) => Object.keys((await getItem(t(), keys.pool(`workload-${cls}`)))?.holders ?? {}).length;
  const queued = async (cls: string) => (await queryPk(t(), keys.pool(`workload-${cls}`).pk)).filter((i) => i.sk.startsWith(PREFIX.waiter)).length;

  describe('workload isolation (critical-jobs, batch-jobs)', () => {
    test('each class runs on its own pool and quota', async () => {
      for (const cls of ['critical', 'batch']) {
        const e = await run(t(), `${cls}-jobs`, { request: { jobId: uniqueId('j') } });
        expect(e.status).toBe('SUCCEEDED');
        expect(entered(await history(t(), e.executionArn!))).toEqual(['CheckInput', 'TakeJobToken', 'TakeJobTokenWaitForTokens', 'AcquireJobSlot', 'JobWithSlot', 'RunJob', 'ReleaseJobSlot', 'Done']);
        expect(JSON.parse(e.output!).slot.pool).toBe(`workload-${cls}`);
      }
    });

    embeddedOnly('batch work saturating its share does not delay critical runs', async () => {
      const rt = t().runtime!;
      // Batch jobs take 2 minutes each: 3 hold batch's slots, the others queue behind them.
      const slow = rt.faults.inject({ target: { function: 'BatchWorkload/WorkerFn' }, latencyMs: 120_000 });
      const batchWorker = rt.fn('BatchWorkload/WorkerFn');
      try {
        const batch = await Promise.all(Array.from({ length: 12 }, () => start(t(), 'batch-jobs', { request: { jobId: uniqueId('b') } })));
        await waitUntil(t(), 'batch to saturate its pool', async () => ((await holders('batch')) === 3 && (await queued('batch')) === 9 ? true : undefined), 0);
        // Critical runs, without moving the clock: nothing of batch's stands in their way. Asserted on
        // order and path, not on elapsed time: all four end while every batch job still runs (each
        // needs 2 minutes of clock), and none of them waited in its pool's queue.
        const critical = await Promise.all(Array.from({ length: 4 }, () => run(t(), 'critical-jobs', { request: { jobId: uniqueId('c') } }, 0)));
        expect(critical.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
        const batchStatuses = await Promise.all(batch.map((a) => t().sfn.send(new DescribeExecutionCommand({ executionArn: a })).then((d) => d.status)));
        expect(batchStatuses).toEqual(Array(12).fill('RUNNING'));
        for (const e of critical) {
          const h = await history(t(), e.executionArn!);
          expect(entered(h)).toEqual(['CheckInput', 'TakeJobToken', 'TakeJobTokenWaitForTokens', 'AcquireJobSlot', 'JobWithSlot', 'RunJob', 'ReleaseJobSlot', 'Done']);
          expect(lambdaStates(h).filter((s) => s === 'AcquireJobSlot')).toHaveLength(1);
        }
        expect(await holders('critical')).toBe(0);
        expect(await holders('batch')).toBe(3);
        expect(batchWorker.maxInFlight).toBeLessThanOrEqual(3); // its reserved concurrency
        slow.remove();
        // The clock moves only while no Lambda but the (slowed) worker is mid-call: a 10 s step during
        // a slot Lambda's call on a loaded machine could time it out (30 s of clock in a few polls).
        expect((await driveToEnd(t(), batch, 10_000, ['BatchWorkload/WorkerFn'])).map((d) => `${d.status} ${d.error ?? ''} ${d.cause ?? ''}`.trim())).toEqual(Array(12).fill('SUCCEEDED'));
        expect(await queued('batch')).toBe(0);
      } finally { slow.remove(); }
      // 8 minutes of clock, moved only while no slot Lambda is mid-call: on a loaded machine that
      // takes longer than jest's default minute of real time.
    }, 240_000);
  });
}
