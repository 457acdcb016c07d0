/** Budget gating (`experiment`, a daily budget per team). */
import { DescribeExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { BUDGET_THRESHOLD_REACHED } from '../../lib/events';
import { keys } from '../../lib/state/keys';
import { US_EAST_1_PRICES } from '../../lambdas/budget-gate/logic';
import { busEvents, embeddedOnlyTest, entered, getItem, history, run, start, uniqueId, waitUntil } from './helpers';
import { Target } from './targets';

const DEFAULT_LIMIT = 0.001;

export function defineBudgetScenarios(getTarget: () => Target) {
  const t = () => getTarget();
  const embeddedOnly = embeddedOnlyTest(t);
  const experiment = (team: string, estimatedCostUsd: number) => ({ request: { team, experimentId: uniqueId('x'), estimatedCostUsd } });
  const today = () => new Date(t().runtime ? t().runtime!.clock.now() : Date.now()).toISOString().slice(0, 10);
  const period = (team: string) => getItem(t(), keys.budgetPeriod(team, today()));
  /** Budgets are per UTC day: a scenario must not straddle midnight (the embedded clock is moved past it). */
  const awayFromMidnight = async () => {
    const now = t().runtime ? t().runtime!.clock.now() : Date.now();
    const d = new Date(now);
    const toMidnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - now;
    if (toMidnight < 2 * 3_600_000 && t().runtime) await t().runtime!.clock.advance(toMidnight + 60_000);
  };
  const settled = (team: string, runs: number) => waitUntil(t(), `${runs} settled runs of ${team}`, async () => ((await period(team))?.runs === runs ? await period(team) : undefined), 0);

  describe('budget gating (experiment)', () => {
    test('a run within budget proceeds, and its actual cost (transitions and Lambda) replaces its reservation', async () => {
      await awayFromMidnight();
      const team = uniqueId('team');
      const e = await run(t(), 'experiment', experiment(team, 0.0004));
      expect(e.status).toBe('SUCCEEDED');
      const h = await history(t(), e.executionArn!);
      expect(entered(h)).toEqual(['CheckInput', 'CheckBudget', 'CheckBudgetDecision', 'CheckBudgetApproved', 'RunExperiment', 'Done']);
      const state = await settled(team, 1);
      expect(state!.reservations).toEqual({});
      const record = await getItem(t(), keys.budgetRun(e.executionArn!));
      expect(record).toMatchObject({ scope: team, estimatedCostUsd: 0.0004 });
      // 6 transitions and 2 Lambda requests; GB-seconds are what the calls took.
      const floor = 6 * US_EAST_1_PRICES.transitionUsd + 2 * US_EAST_1_PRICES.requestUsd;
      expect(record!.actualCostUsd).toBeGreaterThanOrEqual(floor);
      expect(record!.actualCostUsd).toBeLessThan(floor + 0.00001);
      expect(state!.spentUsd).toBeCloseTo(record!.actualCostUsd, 10);
    });

    embeddedOnly('concurrent runs never commit more than the budget: the rest are deferred to the next period, then run', async () => {
      await awayFromMidnight();
      const team = uniqueId('team');
      const rt = t().runtime!;
      const committed = (p: Record<string, any> | undefined) => (p?.spentUsd ?? 0) + Object.values<number>(p?.reservations ?? {}).reduce((a, b) => a + b, 0);
      let maxCommitted = 0;
      // 6 runs estimated at 0.0004 against 0.001 a day: two fit at once; as runs end, their actual cost
      // (~0.00015) replaces their reservation and frees room for another.
      const arns = await Promise.all(Array.from({ length: 6 }, () => start(t(), 'experiment', experiment(team, 0.0004))));
      const states = async () => Promise.all(arns.map(async (a) => {
        const d = await t().sfn.send(new DescribeExecutionCommand({ executionArn: a }));
        return d.status === 'RUNNING' ? (entered(await history(t(), a)).pop() ?? '') : d.status!;
      }));
      /** Every run has either finished or is waiting for the next day; the budget is sampled meanwhile. */
      const quiet = () => waitUntil(t(), 'every run to finish or be deferred', async () => {
        maxCommitted = Math.max(maxCommitted, committed(await period(team)));
        const s = await states();
        return s.every((x) => x === 'SUCCEEDED' || x === 'CheckBudgetDeferUntilNextPeriod') ? s : undefined;
      }, 0);
      const day1 = await quiet();
      const done1 = day1.filter((x) => x === 'SUCCEEDED').length;
      expect(done1).toBeGreaterThanOrEqual(2);
      expect(done1).toBeLessThan(6); // 6 x ~0.00015 plus a 0.0004 reservation never fit in 0.001
      const spent1 = await settled(team, done1);
      expect(spent1!.spentUsd).toBeLessThanOrEqual(DEFAULT_LIMIT);
      // The next days (UTC) the deferred runs ask again, until every one has run.
      let done = done1;
      for (let day = 2; day <= 4 && done < 6; day++) {
        const now = rt.clock.now();
        await rt.clock.advance(Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate() + 1) - now + 60_000);
        done = (await quiet()).filter((x) => x === 'SUCCEEDED').length;
        expect((await period(team))?.spentUsd ?? 0).toBeLessThanOrEqual(DEFAULT_LIMIT);
      }
      expect(done).toBe(6);
      expect(maxCommitted).toBeLessThanOrEqual(DEFAULT_LIMIT);
      expect(maxCommitted).toBeGreaterThan(0);
    });

    test('a run whose estimate exceeds the whole budget is denied with BudgetExceeded, and nothing is reserved', async () => {
      await awayFromMidnight();
      const team = uniqueId('team');
      const e = await run(t(), 'experiment', experiment(team, 0.002));
      expect(e).toMatchObject({ status: 'FAILED', error: 'BudgetExceeded' });
      expect(e.cause).toMatch(/larger than the whole budget/);
      expect(entered(await history(t(), e.executionArn!))).not.toContain('RunExperiment');
      expect(await period(team)).toBeUndefined();
      expect(await getItem(t(), keys.budgetRun(e.executionArn!))).toBeUndefined();
    });

    embeddedOnly('crossing 80% of the limit publishes BudgetThresholdReached once', async () => {
      await awayFromMidnight();
      const team = uniqueId('team');
      // An operator's limit for this team overrides the default (what `orch budget set` writes).
      await t().doc.send(new PutCommand({ TableName: t().tableName, Item: { ...keys.budgetLimit(team), limitUsd: 0.00035 } }));
      const events = () => busEvents(t(), BUDGET_THRESHOLD_REACHED.detailType).filter((e) => e.detail.scope === team);
      expect((await run(t(), 'experiment', experiment(team, 0.00016), 0)).status).toBe('SUCCEEDED');
      await settled(team, 1);
      expect(events()).toHaveLength(0); // ~43%
      expect((await run(t(), 'experiment', experiment(team, 0.00016), 0)).status).toBe('SUCCEEDED');
      const state = await settled(team, 2); // ~86%
      await waitUntil(t(), 'the threshold event', async () => (events().length === 1 ? true : undefined), 0);
      expect(events()[0].detail).toMatchObject({ scope: team, limitUsd: 0.00035, threshold: 0.8 });
      expect((await waitUntil(t(), 'SENT', async () => ((await period(team))?.threshold === 'SENT' ? true : undefined), 0))).toBe(true);
      expect(state!.spentUsd).toBeGreaterThanOrEqual(0.8 * 0.00035);
      // A third run does not fit today: it is deferred, and no second event is published.
      const third = await start(t(), 'experiment', experiment(team, 0.00016));
      await waitUntil(t(), 'the third run to be deferred', async () => (entered(await history(t(), third)).includes('CheckBudgetDeferUntilNextPeriod') ? true : undefined), 0);
      expect(events()).toHaveLength(1);
      await t().sfn.send(new StopExecutionCommand({ executionArn: third }));
    });

    test('an input without a team or an estimate is rejected before the gate', async () => {
      expect(await run(t(), 'experiment', { request: { team: 'a', experimentId: 'x' } })).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
      expect(await run(t(), 'experiment', { request: { team: 'has space', experimentId: 'x', estimatedCostUsd: 0.0001 } })).toMatchObject({ status: 'FAILED', error: 'ValidationError' });
    });
  });
}
