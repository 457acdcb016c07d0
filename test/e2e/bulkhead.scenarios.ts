/** Bulkhead (`tenant-jobs`): a slow, failing tenant does not delay or fail another tenant. */
import { DescribeExecutionCommand } from '@aws-sdk/client-sfn';
import { keys } from '../../lib/state/keys';
import { entered, finish, getItem, history, run, start, uniqueId, waitUntil } from './helpers';
import { Target } from './targets';

export function defineBulkheadScenarios(getTarget: () => Target) {
  const t = () => getTarget();
  const jobs = (n: number) => Array.from({ length: n }, (_, i) => ({ id: uniqueId(`job${i}`) }));
  const holders = async (partition: string) => Object.keys((await getItem(t(), keys.bulkheadPartition('tenant-jobs', partition)))?.holders ?? {}).length;

  describe('bulkhead (tenant-jobs)', () => {
    test('a batch runs in its partition and releases its slot', async () => {
      const exec = await run(t(), 'tenant-jobs', { request: { partition: 'tenant-b', jobs: jobs(3) } }, 0);
      expect(exec.status).toBe('SUCCEEDED');
      expect(JSON.parse(exec.output!).results.map((r: { dependency: string }) => r.dependency)).toEqual(['tenant-b', 'tenant-b', 'tenant-b']);
      expect(entered(await history(t(), exec.executionArn!))).toEqual(expect.arrayContaining(['AcquireTenantBSlot', 'RunTenantBItems', 'ReleaseTenantBSlot']));
      expect(await holders('tenant-b')).toBe(0);
    });

    test('an unknown partition or an empty batch is rejected before any slot is taken', async () => {
      expect(await run(t(), 'tenant-jobs', { request: { partition: 'tenant-z', jobs: jobs(1) } }, 0)).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
      expect(await run(t(), 'tenant-jobs', { request: { partition: 'tenant-a', jobs: [] } }, 0)).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
    });

    test('one partition made slow and failing does not delay or fail another partition', async () => {
      const rt = t().runtime;
      if (!rt) { console.log(`skipped on ${t().name}: needs the embedded runtime's fault injection`); return; }
      // tenant-a's partner answers after 60 s, with an error.
      const fault = rt.faults.inject({ target: { function: 'TenantJobs/TenantAWorkerFn' }, latencyMs: 60_000, error: { name: 'PartnerDown', message: 'tenant-a partner down' } });
      const workerB = rt.fn('TenantJobs/TenantBWorkerFn');
      try {
        const slowRuns = await Promise.all([1, 2, 3].map(() => start(t(), 'tenant-jobs', { request: { partition: 'tenant-a', jobs: jobs(2) } })));
        await waitUntil(t(), 'tenant-a to hold its 2 slots', async () => ((await holders('tenant-a')) === 2 ? true : undefined), 0);
        // tenant-b runs while tenant-a holds every one of its slots; the clock does not move.
        const fastRuns = await Promise.all([1, 2, 3].map(() => run(t(), 'tenant-jobs', { request: { partition: 'tenant-b', jobs: jobs(4) } }, 0)));
        expect(fastRuns.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
        // Asserted on order, not elapsed time (a busy machine must not fail it): tenant-b's runs all
        // ended while every tenant-a run, which needs 60 s of clock, still runs.
        const stillRunning = await Promise.all(slowRuns.map((a) => t().sfn.send(new DescribeExecutionCommand({ executionArn: a }))));
        expect(stillRunning.map((d) => d.status)).toEqual(['RUNNING', 'RUNNING', 'RUNNING']);
        expect(await holders('tenant-a')).toBe(2); // never more than its slots
        expect(workerB.maxInFlight).toBeLessThanOrEqual(6); // its reserved concurrency (3 slots x 2 items)
        // Let tenant-a's calls time out their latency: its runs fail on their own, and give their slots back.
        const ended = await Promise.all(slowRuns.map((a) => finish(t(), a, 5_000)));
        expect(ended.every((e) => e.status === 'FAILED' && ['PartnerDown', 'BulkheadFull'].includes(e.error!))).toBe(true);
        expect(ended.filter((e) => e.error === 'PartnerDown').length).toBeGreaterThanOrEqual(2);
        expect(await holders('tenant-a')).toBe(0);
      } finally { fault.remove(); }
    });
  });
}
