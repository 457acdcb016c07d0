/** SDK-level helpers shared by the e2e scenario files (they run unchanged on every target). */
import { DescribeExecutionCommand, DescribeExecutionCommandOutput, GetExecutionHistoryCommand, HistoryEvent, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'crypto';
import { ItemKey } from '../../lib/state/keys';
import { Target } from './targets';

export const uniqueId = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;

/**
 * Polls until `probe` answers. On the embedded target it advances the clock by `advanceMs` per poll
 * (0 keeps the clock still, for scenarios that measure cooldowns and leases).
 */
export async function waitUntil<T>(t: Target, what: string, probe: () => Promise<T | undefined>, advanceMs = 1000, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    if (t.runtime && advanceMs > 0) await t.runtime.clock.advance(advanceMs);
    await new Promise((r) => setTimeout(r, t.runtime ? 5 : 1000));
  }
}

export async function start(t: Target, workflow: string, input: unknown, name?: string): Promise<string> {
  const out = await t.sfn.send(new StartExecutionCommand({ stateMachineArn: t.machineArn(workflow), input: JSON.stringify(input), ...(name ? { name } : {}) }));
  return out.executionArn!;
}

export async function finish(t: Target, executionArn: string, advanceMs = 1000): Promise<DescribeExecutionCommandOutput> {
  return waitUntil(t, `execution ${executionArn} to end`, async () => {
    const d = await t.sfn.send(new DescribeExecutionCommand({ executionArn }));
    return d.status === 'RUNNING' ? undefined : d;
  }, advanceMs);
}

/** Waits for many executions, moving the embedded clock by `stepMs` per round (one clock driver, not one per execution). */
export async function finishAll(t: Target, executionArns: readonly string[], stepMs = 1000): Promise<DescribeExecutionCommandOutput[]> {
  return waitUntil(t, `${executionArns.length} executions to end`, async () => {
    const all = await Promise.all(executionArns.map((executionArn) => t.sfn.send(new DescribeExecutionCommand({ executionArn }))));
    return all.some((d) => d.status === 'RUNNING') ? undefined : all;
  }, stepMs, 60_000);
}

export async function run(t: Target, workflow: string, input: unknown, advanceMs = 1000) {
  return finish(t, await start(t, workflow, input), advanceMs);
}

export async function history(t: Target, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await t.sfn.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** State names in the order they were entered. */
export const entered = (h: HistoryEvent[]) => h.filter((e) => e.type?.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails!.name!);

/** Names of the Task states that invoked a Lambda, once per invocation. */
export function lambdaStates(h: HistoryEvent[]): string[] {
  const byId = new Map(h.map((e) => [e.id!, e]));
  const stateOf = (e: HistoryEvent): string => {
    let cur: HistoryEvent | undefined = e;
    while (cur && cur.type !== 'TaskStateEntered') cur = byId.get(cur.previousEventId!);
    return cur?.stateEnteredEventDetails?.name ?? '?';
  };
  return h.filter((e) => e.type === 'LambdaFunctionScheduled' || (e.type === 'TaskScheduled' && e.taskScheduledEventDetails?.resourceType === 'lambda')).map(stateOf);
}

export async function getItem(t: Target, key: ItemKey) {
  return (await t.doc.send(new GetCommand({ TableName: t.tableName, Key: key, ConsistentRead: true }))).Item;
}

export async function queryPk(t: Target, pk: string) {
  return (await t.doc.send(new QueryCommand({ TableName: t.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true }))).Items ?? [];
}

/** Events the embedded runtime saw on the orchestration bus with this detail-type (embedded only). */
export function busEvents(t: Target, detailType: string): { detail: Record<string, unknown> }[] {
  return (t.runtime?.bus.seen.get(t.busName) ?? []).filter((e) => e['detail-type'] === detailType) as never;
}

/** A scenario that needs the embedded runtime (fault injection, the clock): skipped elsewhere, saying why. */
export function embeddedOnlyTest(t: () => Target) {
  return (name: string, fn: () => Promise<void>, timeoutMs?: number) => test(name, async () => {
    if (!t().runtime) { console.log(`skipped on ${t().name}: "${name}" needs the embedded runtime's fault injection and clock`); return; }
    await fn();
  }, timeoutMs);
}

/**
 * A load scenario past the everyday tests (hundreds of executions): runs under `npm run test:stress`
 * (ORCH_STRESS=1, which CI runs too) on the embedded runtime, and is skipped by `npm test`, saying so.
 */
export function stressTest(t: () => Target) {
  return (name: string, fn: () => Promise<void>, timeoutMs = 300_000) => test(`(stress) ${name}`, async () => {
    if (process.env.ORCH_STRESS !== '1') { console.log(`skipped: "${name}" is a stress scenario (npm run test:stress)`); return; }
    if (!t().runtime) { console.log(`skipped on ${t().name}: "${name}" needs the embedded runtime's fault injection and clock`); return; }
    await fn();
  }, timeoutMs);
}

/**
 * Embedded only: runs many executions to their end, moving the clock by `stepMs` only while no Lambda
 * is mid-call (a step longer than a call's timeout would time it out), and reading statuses from the
 * engine rather than through the API (hundreds of DescribeExecution calls per step are the cost
 * otherwise). Ends with one DescribeExecution per execution.
 */
export async function driveToEnd(t: Target, executionArns: readonly string[], stepMs: number, ignore: readonly string[] = [], realTimeoutMs = 300_000) {
  const rt = t.runtime!;
  const deadline = Date.now() + realTimeoutMs;
  const running = () => executionArns.some((a) => rt.execution(a)?.status === 'RUNNING');
  while (running()) {
    if (Date.now() > deadline) throw new Error(`timed out driving ${executionArns.length} executions to their end`);
    await advanceWhenIdle(t, stepMs, ignore);
    await new Promise((r) => setTimeout(r, 5));
  }
  return finishAll(t, executionArns, 0);
}

/**
 * Embedded only: moves the clock by `ms`, but never past the timeout of a Lambda call in flight
 * (other than `ignore`'s): a step must not time out a call that a slow machine is still running.
 */
export async function advanceWhenIdle(t: Target, ms: number, ignore: readonly string[] = []): Promise<void> {
  const rt = t.runtime!;
  const deadlines = [...rt.functions.values()].filter((f) => !ignore.some((n) => f.def.cdkPath.includes(`/${n}/`))).map((f) => f.earliestDeadline).filter((d): d is number => d !== undefined);
  const step = deadlines.length ? Math.min(ms, Math.min(...deadlines) - rt.clock.now() - 1_000) : ms;
  if (step > 0) await rt.clock.advance(step);
}
