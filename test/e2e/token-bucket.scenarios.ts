/** Token-bucket quotas (`partner-sync` waits, `partner-lookup` fails fast; both share `partner-api`; `batch-jobs` uses a sharded bucket). */
import { HistoryEvent } from '@aws-sdk/client-sfn';
import { keys, PREFIX } from '../../lib/state/keys';
import { STACK } from './targets';
import { driveToEnd, embeddedOnlyTest, entered, finishAll, getItem, history, lambdaStates, queryPk, run, start, stressTest, uniqueId } from './helpers';
import { Target } from './targets';

const CAPACITY = 10;
const RATE = 5;

/** When the state was left (runtime clock, ms). */
const exitedAt = (h: HistoryEvent[], state: string) => h.find((e) => e.type?.endsWith('StateExited') && e.stateExitedEventDetails?.name === state)!.timestamp!.getTime();
const scheduledAt = (h: HistoryEvent[]) => h.find((e) => e.type === 'TaskScheduled' || e.type === 'LambdaFunctionScheduled')!.timestamp!.getTime();

export function defineTokenBucketScenarios(getTarget: () => Target) {
  const t = () => getTarget();
  const embeddedOnly = embeddedOnlyTest(t);
  const stress = stressTest(t);
  const usage = async (workflow: string) => (await getItem(t(), keys.quotaUsage('partner-api', `${STACK}-${workflow}`)))?.tokens ?? 0;
  /** Lets the shared bucket refill completely (embedded: the clock; elsewhere: real time). */
  const refillFully = async () => {
    if (t().runtime) await t().runtime!.clock.advance(((CAPACITY / RATE) + 1) * 1000);
    else await new Promise((r) => setTimeout(r, ((CAPACITY / RATE) + 1) * 1000));
  };

  describe('token-bucket quotas (partner-api, shared by partner-sync and partner-lookup)', () => {
    embeddedOnly('30 concurrent executions never get more than capacity + rate x elapsed tokens, and waiters wait exactly, without polling', async () => {
      await refillFully();
      const before = await usage('partner-sync');
      const arns = await Promise.all(Array.from({ length: 30 }, () => start(t(), 'partner-sync', { request: { batchId: uniqueId('b'), records: 1 } })));
      // The clock moves in 100 ms steps; the waits end when their own timestamps come.
      const done = await finishAll(t(), arns, 100);
      expect(done.map((d) => d.status)).toEqual(Array(30).fill('SUCCEEDED'));
      const histories = await Promise.all(arns.map((a) => history(t(), a)));
      const t0 = Math.min(...histories.map(scheduledAt));
      const grants = histories.map((h) => exitedAt(h, 'TakePartnerTokensWaitForTokens')).sort((a, b) => a - b);
      grants.forEach((at, i) => expect(i + 1).toBeLessThanOrEqual(CAPACITY + (RATE * (at - t0)) / 1000 + 1e-9));
      // 20 tokens beyond the burst at 5/s: the last cannot come before 4 s.
      expect(grants[29] - t0).toBeGreaterThanOrEqual(4000);
      for (const h of histories) {
        // One Wait per execution (no polling loop), ending at the instant its reservation named
        // (100 ms is the step of the test's clock).
        expect(entered(h).filter((s) => s === 'TakePartnerTokensWaitForTokens')).toHaveLength(1);
        const wait = h.find((e) => e.type === 'WaitStateEntered')!;
        const grantAt = Date.parse(JSON.parse(wait.stateEnteredEventDetails!.input!).quota.grantAt);
        const left = exitedAt(h, 'TakePartnerTokensWaitForTokens');
        expect(left).toBeGreaterThanOrEqual(grantAt);
        expect(left - Math.max(grantAt, wait.timestamp!.getTime())).toBeLessThanOrEqual(150);
      }
      expect(await usage('partner-sync') - before).toBe(30);
    });

    embeddedOnly('a fail-fast consumer gets QuotaExceeded when the shared bucket is empty, and nothing is recorded for it', async () => {
      await refillFully();
      const clock = t().runtime!.clock;
      // The clock stands still: on a busy machine 200 real milliseconds would refill a token.
      clock.freeze();
      try {
        // partner-sync takes the whole burst (10 tokens); partner-lookup, at the same instant, finds nothing.
        const sync = await run(t(), 'partner-sync', { request: { batchId: uniqueId('b'), records: CAPACITY } }, 0);
        expect(sync.status).toBe('SUCCEEDED');
        const before = await usage('partner-lookup');
        const lookup = await run(t(), 'partner-lookup', { request: { customerId: uniqueId('c') } }, 0);
        expect(lookup).toMatchObject({ status: 'FAILED', error: 'QuotaExceeded' });
        expect(entered(await history(t(), lookup.executionArn!))).not.toContain('LookupCustomer');
        expect(await usage('partner-lookup')).toBe(before);
        // 200 ms later one token has been refilled: the lookup goes through.
        await clock.advance(1000 / RATE);
        expect((await run(t(), 'partner-lookup', { request: { customerId: uniqueId('c') } }, 0)).status).toBe('SUCCEEDED');
        expect(await usage('partner-lookup')).toBe(before + 1);
      } finally { clock.thaw(); }
    });

    test('consumption is recorded per bucket and per workflow, and can be queried', async () => {
      await refillFully();
      expect((await run(t(), 'partner-sync', { request: { batchId: uniqueId('b'), records: 3 } })).status).toBe('SUCCEEDED');
      expect((await run(t(), 'partner-lookup', { request: { customerId: uniqueId('c') } })).status).toBe('SUCCEEDED');
      const items = await queryPk(t(), `${PREFIX.quota}partner-api`);
      const byWorkflow = Object.fromEntries(items.filter((i) => i.sk.startsWith(PREFIX.usage)).map((i) => [i.workflow, i.tokens]));
      expect(byWorkflow[`${STACK}-partner-sync`]).toBeGreaterThanOrEqual(3);
      expect(byWorkflow[`${STACK}-partner-lookup`]).toBeGreaterThanOrEqual(1);
      expect(items.filter((i) => i.sk.startsWith(PREFIX.shard))).toHaveLength(1);
    });

    test('a request larger than the bucket, or a wait longer than allowed, fails with a clear error and takes nothing', async () => {
      const tooBig = await run(t(), 'partner-sync', { request: { batchId: uniqueId('b'), records: CAPACITY + 1 } });
      expect(tooBig).toMatchObject({ status: 'FAILED', error: 'ValidationError' });
      expect(tooBig.cause).toMatch(/could never be granted/);
      expect((await run(t(), 'partner-sync', { request: { batchId: 'b', records: 'ten' } })).error).toBe('InvalidInput');
    });

    embeddedOnly('a sharded bucket spreads its load over its shards', async () => {
      await t().runtime!.clock.advance(10_000);
      const arns = await Promise.all(Array.from({ length: 40 }, () => start(t(), 'batch-jobs', { request: { jobId: uniqueId('j') } })));
      const done = await driveToEnd(t(), arns, 100);
      expect(done.every((d) => d.status === 'SUCCEEDED')).toBe(true);
      const shards = (await queryPk(t(), `${PREFIX.quota}workload-batch`)).filter((i) => i.sk.startsWith(PREFIX.shard));
      expect(shards.map((s) => s.sk).sort()).toEqual(['SHARD#0', 'SHARD#1', 'SHARD#2', 'SHARD#3']);
      // Every shard took writes (`writes` counts them); none took half of them.
      const total = shards.reduce((a, s) => a + s.writes, 0);
      expect(total).toBeGreaterThanOrEqual(40);
      for (const s of shards) { expect(s.writes).toBeGreaterThan(0); expect(s.writes).toBeLessThan(total / 2); }
    });

    embeddedOnly('a take whose answer is lost after it wrote is retried and takes nothing new', async () => {
      const rt = t().runtime!;
      await refillFully();
      const before = await usage('partner-sync');
      const batchId = uniqueId('lost');
      // The take's transaction commits, then the Lambda "times out": Step Functions retries the take.
      const lost = rt.faults.inject({ target: { function: 'PartnerApiQuota/ConsumeFn' }, phase: 'after', error: { name: 'Sandbox.Timedout', message: 'timed out after writing' }, times: 1 });
      try {
        const exec = await run(t(), 'partner-sync', { request: { batchId, records: 3 } }, 100);
        expect(exec.status).toBe('SUCCEEDED');
        expect(lost.hits).toBe(1);
        expect(lambdaStates(await history(t(), exec.executionArn!)).filter((s) => s === 'TakePartnerTokens')).toHaveLength(2);
        // Before the take key: 6 tokens recorded (and taken from the bucket) for 3 used.
        expect(await usage('partner-sync') - before).toBe(3);
        // The shard keeps no trace of the take once its answer is recorded (it would grow the hot item).
        expect(Object.keys((await getItem(t(), keys.bucketShard('partner-api', 0)))!).filter((k) => k.startsWith('take_'))).toEqual([]);
      } finally { lost.remove(); }
    });

    stress('300 consumers on one bucket, a third of the takes losing their answer after writing: the bound holds and no token leaks', async () => {
      const rt = t().runtime!;
      await refillFully();
      const before = await usage('partner-sync');
      // The first answer of every third execution's take is lost (its retry must take nothing new).
      let n = 0;
      const hit = new Set<string>();
      const lost = rt.faults.inject({ target: { function: 'PartnerApiQuota/ConsumeFn' }, phase: 'after', error: { name: 'Sandbox.Timedout', message: 'lost' }, when: (i) => {
        const e = (i as { execution: string }).execution;
        if (hit.has(e) || n++ % 3 !== 0) return false;
        hit.add(e);
        return true;
      } });
      try {
        // 300 one-token takes at 5 tokens/s take 58 s past the burst; each may wait up to 5 minutes.
        const arns = await Promise.all(Array.from({ length: 300 }, () => start(t(), 'partner-sync', { request: { batchId: uniqueId('herd'), records: 1 } })));
        const done = await driveToEnd(t(), arns, 100);
        const ok = done.filter((d) => d.status === 'SUCCEEDED').length;
        expect(done.filter((d) => d.status !== 'SUCCEEDED').map((d) => `${d.error}: ${d.cause}`.slice(0, 400))).toEqual([]);
        const histories = await Promise.all(arns.map((a) => history(t(), a)));
        const t0 = Math.min(...histories.map(scheduledAt));
        const grants = histories.map((h) => exitedAt(h, 'TakePartnerTokensWaitForTokens')).sort((a, b) => a - b);
        grants.forEach((at, i) => expect(i + 1).toBeLessThanOrEqual(CAPACITY + (RATE * (at - t0)) / 1000 + 1e-9));
        expect(lost.hits).toBeGreaterThanOrEqual(100);
        // Every token recorded was used by a run that succeeded: none taken twice by a retry.
        expect(await usage('partner-sync') - before).toBe(ok);
        expect(Object.keys((await getItem(t(), keys.bucketShard('partner-api', 0)))!).filter((k) => k.startsWith('take_'))).toEqual([]);
        console.log(`token bucket stress: ${ok} runs, ${lost.hits} lost answers, last grant at ${(grants[grants.length - 1] - t0) / 1000} s (bound: ${(300 - CAPACITY) / RATE} s or later)`);
      } finally { lost.remove(); }
    }, 600_000);
  });
}
