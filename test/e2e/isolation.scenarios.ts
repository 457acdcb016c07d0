/** Workload isolation (`critical-jobs` and `batch-jobs`, each on capacity of its own). */
import { keys, PREFIX } from '../../lib/state/keys';
import { embeddedOnlyTest, entered, finishAll, getItem, history, queryPk, run, start, uniqueId, waitUntil } from './helpers';
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
        // Critical runs, with the clock standing still: nothing of batch's stands in their way.
        const critical = await Promise.all(Array.from({ length: 4 }, () => run(t(), 'critical-jobs', { request: { jobId: uniqueId('c') } }, 0)));
        expect(critical.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
        for (const e of critical) expect(e.stopDate!.getTime() - e.startDate!.getTime()).toBeLessThan(1000);
        expect(await holders('critical')).toBe(0);
        expect(await holders('batch')).toBe(3);
        expect(batchWorker.maxInFlight).toBeLessThanOrEqual(3); // its reserved concurrency
        slow.remove();
        expect((await finishAll(t(), batch, 10_000)).map((d) => `${d.status} ${d.error ?? ''} ${d.cause ?? ''}`.trim())).toEqual(Array(12).fill('SUCCEEDED'));
        expect(await queued('batch')).toBe(0);
      } finally { slow.remove(); }
    });
  });
}
