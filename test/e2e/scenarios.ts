/**
 * The end-to-end scenarios, written only against the AWS SDK clients so they run unchanged on every
 * target. Scenarios that need fault injection or the clock run on the embedded target only.
 */
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DescribeExecutionCommand, DescribeExecutionCommandOutput, ListExecutionsCommand, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../lib/state/keys';
import { PARENT_REQUESTED, PIPELINE_REQUESTED } from '../../lib/events';
import { entered, history as historyOf, lambdaStates, uniqueId, waitUntil } from './helpers';
import { Target } from './targets';

const WORK_TASKS = ['GenerateSales', 'GenerateInventory', 'GenerateCustomers', 'AnalyzeData', 'TrainForecastModel', 'TrainClassifierModel', 'IntegrateReport'];
const ALL_TASKS = ['ValidateRequest', ...WORK_TASKS];
const CHECKPOINTS = ['request', 'sales', 'inventory', 'customers', 'analysis', 'forecast', 'classifier', 'report'];

export function defineScenarios(getTarget: () => Target) {
  const t = () => getTarget();
  const embeddedOnly = (name: string, fn: () => Promise<void>) =>
    test(`${name}`, async () => {
      if (!t().runtime) { console.log(`skipped on ${t().name}: "${name}" needs the embedded runtime's fault injection`); return; }
      await fn();
    });

  const runId = uniqueId;

  const putEvent = (source: string, detailType: string, detail: unknown) =>
    t().events.send(new PutEventsCommand({ Entries: [{ EventBusName: t().busName, Source: source, DetailType: detailType, Detail: typeof detail === 'string' ? detail : JSON.stringify(detail) }] }));

  /** Polls, advancing the embedded clock 1 s per poll so retry backoffs pass at once. */
  const waitFor = <T>(what: string, probe: () => Promise<T | undefined>) => waitUntil(t(), what, probe);

  async function executionsFor(stateMachineArn: string, id: string): Promise<DescribeExecutionCommandOutput[]> {
    const list = await t().sfn.send(new ListExecutionsCommand({ stateMachineArn, maxResults: 1000 }));
    const described = await Promise.all((list.executions ?? []).map((e) => t().sfn.send(new DescribeExecutionCommand({ executionArn: e.executionArn }))));
    return described.filter((d) => JSON.parse(d.input ?? '{}').request?.runId === id);
  }

  async function finished(stateMachineArn: string, id: string, count = 1) {
    return waitFor(`${count} finished execution(s) of ${id}`, async () => {
      const all = await executionsFor(stateMachineArn, id);
      return all.length >= count && all.every((d) => d.status !== 'RUNNING') ? all : undefined;
    });
  }

  const history = (executionArn: string) => historyOf(t(), executionArn);
  const lambdaInvocations = lambdaStates;
  const runItems = async (id: string) =>
    (await t().doc.send(new QueryCommand({ TableName: t().tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': keys.runClaim(id).pk } }))).Items ?? [];

  test('an event starts pipeline; it succeeds, the history shows all 8 tasks, and every checkpoint is in DynamoDB', async () => {
    const id = runId('happy');
    const put = await putEvent(PIPELINE_REQUESTED.source, PIPELINE_REQUESTED.detailType, { runId: id, records: 300 });
    expect(put.FailedEntryCount).toBe(0);
    const [exec] = await finished(t().pipelineArn, id);
    expect(exec.status).toBe('SUCCEEDED');
    const h = await history(exec.executionArn!);
    expect(lambdaInvocations(h).sort()).toEqual([...ALL_TASKS].sort());
    expect(entered(h)).not.toContain('DuplicateRun');
    const items = await runItems(id);
    const checkpoints = items.filter((i) => String(i.sk).startsWith('CHECKPOINT#'));
    expect(checkpoints.map((i) => String(i.sk).slice('CHECKPOINT#'.length)).sort()).toEqual([...CHECKPOINTS].sort());
    expect(checkpoints.every((i) => i.executionArn === exec.executionArn && Number(i.expiresAt) > Date.now() / 1000)).toBe(true);
    expect(JSON.parse(checkpoints.find((i) => i.sk === 'CHECKPOINT#report')!.output).runId).toBe(id);
    expect(items.find((i) => i.sk === 'CLAIM')).toMatchObject({ status: 'SUCCEEDED', executionArn: exec.executionArn });
    expect(JSON.parse(exec.output!)).toMatchObject({ runId: id, totalRecords: 900 });
  });

  test('a duplicate event runs no task a second time', async () => {
    const id = runId('dup');
    const rt = t().runtime;
    const invocations = () => Object.fromEntries(['ValidateFn', 'GenerateFn', 'AnalyzeFn', 'TrainFn', 'IntegrateFn'].map((f) => [f, rt!.fn(`Pipeline/${f}`).invocations]));
    const writes = () => ({ put: rt!.directWrites(t().tableName, 'putItem'), update: rt!.directWrites(t().tableName, 'updateItem') });
    const before = rt && { invocations: invocations(), writes: writes() };
    await Promise.all([1, 2].map(() => putEvent(PIPELINE_REQUESTED.source, PIPELINE_REQUESTED.detailType, { runId: id })));
    const execs = await finished(t().pipelineArn, id, 2);
    expect(execs.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    const histories = await Promise.all(execs.map((e) => history(e.executionArn!)));
    const winner = histories.findIndex((h) => !entered(h).includes('DuplicateRun'));
    const loser = 1 - winner;
    expect(winner).toBeGreaterThanOrEqual(0);
    expect(entered(histories[loser])).toContain('DuplicateRun');
    // The duplicate ran no work task and wrote no checkpoint; only the (side-effect free) validation ran.
    expect(lambdaInvocations(histories[loser])).toEqual(['ValidateRequest']);
    expect(entered(histories[loser]).filter((s) => s.startsWith('Checkpoint'))).toEqual([]);
    expect(lambdaInvocations(histories[winner]).filter((n) => WORK_TASKS.includes(n)).sort()).toEqual([...WORK_TASKS].sort());
    const checkpoints = (await runItems(id)).filter((i) => String(i.sk).startsWith('CHECKPOINT#'));
    expect(checkpoints).toHaveLength(CHECKPOINTS.length);
    expect(new Set(checkpoints.map((i) => i.executionArn))).toEqual(new Set([execs[winner].executionArn]));
    // The duplicate says it did nothing, and who holds the run id.
    expect(JSON.parse(execs[loser].output!)).toEqual({ runId: id, outcome: 'DUPLICATE', duplicate: true, ran: false, claimedBy: execs[winner].executionArn, claimStatus: expect.stringMatching(/^(RUNNING|SUCCEEDED)$/) });
    if (rt && before) {
      // The runtime's own counters agree: each work function ran for one execution, and the writes
      // are one claim, 8 checkpoints and one status update.
      const after = invocations();
      expect(Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before.invocations[k]]))).toEqual({ ValidateFn: 2, GenerateFn: 3, AnalyzeFn: 1, TrainFn: 2, IntegrateFn: 1 });
      expect({ put: writes().put - before.writes.put, update: writes().update - before.writes.update }).toEqual({ put: 1 + CHECKPOINTS.length, update: 1 });
    }
  });

  test('a redelivered event (same runId, after the run) invokes no Lambda at all', async () => {
    const id = runId('redeliver');
    await putEvent(PIPELINE_REQUESTED.source, PIPELINE_REQUESTED.detailType, { runId: id, records: 5 });
    const [first] = await finished(t().pipelineArn, id);
    expect(first.status).toBe('SUCCEEDED');
    await putEvent(PIPELINE_REQUESTED.source, PIPELINE_REQUESTED.detailType, { runId: id, records: 5 });
    const both = await finished(t().pipelineArn, id, 2);
    const second = both.find((e) => e.executionArn !== first.executionArn)!;
    expect(second.status).toBe('SUCCEEDED');
    const h = await history(second.executionArn!);
    expect(entered(h)).toEqual(['HasRunId', 'LookUpRun', 'IsClaimed', 'IsClaimLive', 'ReportDuplicate', 'DuplicateRun']);
    expect(lambdaInvocations(h)).toEqual([]);
    const checkpoints = (await runItems(id)).filter((i) => String(i.sk).startsWith('CHECKPOINT#'));
    expect(new Set(checkpoints.map((i) => i.executionArn))).toEqual(new Set([first.executionArn]));
  });

  /** Puts the request, waits for its execution to reach `state`, and returns its ARN. */
  const startAndReach = async (id: string, state: string) => {
    await putEvent(PIPELINE_REQUESTED.source, PIPELINE_REQUESTED.detailType, { runId: id, records: 5 });
    return waitUntil(t(), `${id} to reach ${state}`, async () => {
      const [e] = await executionsFor(t().pipelineArn, id);
      return e && entered(await history(e.executionArn!)).includes(state) ? e.executionArn! : undefined;
    }, 0);
  };
  const claimOf = async (id: string) => (await runItems(id)).find((i) => i.sk === 'CLAIM');

  for (const how of ['ABORTED', 'TIMED_OUT'] as const) {
    embeddedOnly(`a run that ends ${how} releases its claim: the redelivered request runs (it is not reported as a duplicate)`, async () => {
      const rt = t().runtime!;
      const id = runId(how === 'ABORTED' ? 'aborted' : 'timedout');
      // The run hangs in a direct DynamoDB write (no task timeout there): past the 1 h execution timeout, or stopped.
      const hang = rt.faults.inject({ target: { state: 'CheckpointAnalysis', stateMachine: 'pipeline' }, latencyMs: 2 * 3600 * 1000, when: (i) => JSON.stringify(i).includes(id) });
      try {
        const first = await startAndReach(id, 'CheckpointAnalysis');
        expect(await claimOf(id)).toMatchObject({ status: 'RUNNING', executionArn: first });
        if (how === 'ABORTED') await t().sfn.send(new StopExecutionCommand({ executionArn: first, cause: 'operator' }));
        else await rt.clock.advance(3600 * 1000);
        expect((await t().sfn.send(new DescribeExecutionCommand({ executionArn: first }))).status).toBe(how);
        // The status-change event reaches ClaimReleaseFn, which releases this execution's claim only.
        await waitUntil(t(), 'the claim to be released', async () => ((await claimOf(id))?.status === how ? true : undefined), 0);
        hang.remove();
        await putEvent(PIPELINE_REQUESTED.source, PIPELINE_REQUESTED.detailType, { runId: id, records: 5 });
        const both = await finished(t().pipelineArn, id, 2);
        const second = both.find((e) => e.executionArn !== first)!;
        expect(second.status).toBe('SUCCEEDED');
        const h = await history(second.executionArn!);
        expect(entered(h)).not.toContain('DuplicateRun');
        expect(lambdaInvocations(h).filter((n) => WORK_TASKS.includes(n)).sort()).toEqual([...WORK_TASKS].sort());
        expect(await claimOf(id)).toMatchObject({ status: 'SUCCEEDED', executionArn: second.executionArn });
        // A replayed status-change event of the first run changes nothing now that the run id is claimed again.
        const releaser = rt.fn('Pipeline/ClaimReleaseFn');
        const replay = await releaser.invoke({ detail: { executionArn: first, status: how, input: JSON.stringify({ request: { runId: id } }) } });
        expect(replay).toEqual({ runId: id, released: false });
        expect(await claimOf(id)).toMatchObject({ status: 'SUCCEEDED', executionArn: second.executionArn });
      } finally { hang.remove(); }
    });
  }

  embeddedOnly('a claim whose answer is lost (written, then retried) is recognised as the run\'s own: the run goes on and does the work once', async () => {
    const rt = t().runtime!;
    const id = runId('lostclaim');
    const lost = rt.faults.inject({ target: { state: 'ClaimRun', stateMachine: 'pipeline' }, phase: 'after', error: { name: 'DynamoDB.InternalServerErrorException', message: 'answer lost' }, times: 1, when: (i) => JSON.stringify(i).includes(id) });
    try {
      await putEvent(PIPELINE_REQUESTED.source, PIPELINE_REQUESTED.detailType, { runId: id, records: 5 });
      const [exec] = await finished(t().pipelineArn, id);
      expect(lost.hits).toBe(1);
      expect(exec.status).toBe('SUCCEEDED');
      const h = await history(exec.executionArn!);
      // Before: the retry met its own claim and reported itself as a duplicate, leaving the claim RUNNING.
      expect(entered(h)).toEqual(expect.arrayContaining(['ClaimRun', 'ReadClaimHolder', 'IsClaimHeld', 'CheckpointRequest', 'IntegrateReport']));
      expect(entered(h)).not.toContain('DuplicateRun');
      expect(lambdaInvocations(h).filter((n) => WORK_TASKS.includes(n)).sort()).toEqual([...WORK_TASKS].sort());
      expect(await claimOf(id)).toMatchObject({ status: 'SUCCEEDED', executionArn: exec.executionArn });
    } finally { lost.remove(); }
  });

  embeddedOnly('50 deliveries of one request: exactly one run does the work, 49 report that they did nothing and who holds the run id', async () => {
    const rt = t().runtime!;
    const id = runId('herd');
    const writes = () => ({ put: rt.directWrites(t().tableName, 'putItem'), update: rt.directWrites(t().tableName, 'updateItem') });
    const before = writes();
    const work = () => WORK_TASKS.length;
    await Promise.all(Array.from({ length: 50 }, () => putEvent(PIPELINE_REQUESTED.source, PIPELINE_REQUESTED.detailType, { runId: id, records: 5 })));
    const execs = await finished(t().pipelineArn, id, 50);
    expect(execs.map((e) => e.status)).toEqual(Array(50).fill('SUCCEEDED'));
    const outputs = execs.map((e) => JSON.parse(e.output!));
    const winners = execs.filter((_, i) => outputs[i].outcome !== 'DUPLICATE');
    expect(winners).toHaveLength(1);
    for (const o of outputs.filter((x) => x.outcome === 'DUPLICATE')) expect(o).toMatchObject({ runId: id, ran: false, claimedBy: winners[0].executionArn });
    const histories = await Promise.all(execs.map((e) => history(e.executionArn!)));
    expect(histories.flatMap((h) => lambdaInvocations(h).filter((n) => WORK_TASKS.includes(n)))).toHaveLength(work());
    // One claim, 8 checkpoints and one status update: the 49 duplicates wrote nothing.
    expect({ put: writes().put - before.put, update: writes().update - before.update }).toEqual({ put: 1 + CHECKPOINTS.length, update: 1 });
  });

  embeddedOnly('an expired claim counts as absent: the run id runs again after its retention', async () => {
    const rt = t().runtime!;
    const id = runId('expired');
    await putEvent(PIPELINE_REQUESTED.source, PIPELINE_REQUESTED.detailType, { runId: id, records: 5 });
    const [first] = await finished(t().pipelineArn, id);
    // Past the 7-day retention the claim is expired, whether or not a sweep has deleted it yet.
    await rt.clock.advance(8 * 24 * 3600 * 1000);
    await putEvent(PIPELINE_REQUESTED.source, PIPELINE_REQUESTED.detailType, { runId: id, records: 5 });
    const both = await finished(t().pipelineArn, id, 2);
    const second = both.find((e) => e.executionArn !== first.executionArn)!;
    expect(second.status).toBe('SUCCEEDED');
    expect(entered(await history(second.executionArn!))).toContain('IntegrateReport');
    expect((await runItems(id)).find((i) => i.sk === 'CLAIM')?.executionArn).toBe(second.executionArn);
    // The sweep deletes what has expired by the runtime clock, as DynamoDB TTL eventually does.
    await rt.clock.advance(8 * 24 * 3600 * 1000);
    expect(await rt.sweepExpired()).toBeGreaterThanOrEqual(CHECKPOINTS.length + 1);
    expect(await runItems(id)).toEqual([]);
  });

  embeddedOnly('a task failing transiently twice is retried and the run succeeds', async () => {
    const rt = t().runtime!;
    const fault = rt.faults.inject({ target: { function: 'Pipeline/TrainFn' }, error: { name: 'TransientError', message: 'model store throttled' }, times: 2, when: (input) => (input as { algorithm?: string }).algorithm === 'forecast' });
    const trainFn = rt.fn('Pipeline/TrainFn');
    const before = trainFn.invocations;
    const id = runId('transient');
    try {
      await putEvent(PIPELINE_REQUESTED.source, PIPELINE_REQUESTED.detailType, { runId: id });
      const [exec] = await finished(t().pipelineArn, id);
      expect(exec.status).toBe('SUCCEEDED');
      const h = await history(exec.executionArn!);
      expect(lambdaInvocations(h).filter((n) => n === 'TrainForecastModel')).toHaveLength(3);
      expect(h.filter((e) => e.type === 'TaskFailed' && e.taskFailedEventDetails?.error === 'TransientError')).toHaveLength(2);
      expect(fault.hits).toBe(2);
      expect(trainFn.invocations - before).toBe(4); // forecast 3 times, classifier once
    } finally { fault.remove(); }
  });

  embeddedOnly('a permanently failing task takes the Catch path and the run fails with a clear error and cause', async () => {
    const rt = t().runtime!;
    const fault = rt.faults.inject({ target: { function: 'Pipeline/AnalyzeFn' }, error: { name: 'ValidationError', message: 'datasets disagree on record counts' } });
    const id = runId('permanent');
    try {
      await putEvent(PIPELINE_REQUESTED.source, PIPELINE_REQUESTED.detailType, { runId: id });
      const [exec] = await finished(t().pipelineArn, id);
      expect(exec.status).toBe('FAILED');
      expect(exec.error).toBe('ValidationError');
      expect(JSON.parse(exec.cause!)).toMatchObject({ errorType: 'ValidationError', errorMessage: 'datasets disagree on record counts' });
      const h = await history(exec.executionArn!);
      expect(lambdaInvocations(h).filter((n) => n === 'AnalyzeData')).toHaveLength(1); // never retried
      expect(entered(h).slice(-2)).toEqual(['MarkRunFailed', 'PipelineFailed']);
      const items = await runItems(id);
      expect(items.find((i) => i.sk === 'CLAIM')?.status).toBe('FAILED');
      expect(items.map((i) => i.sk)).not.toContain('CHECKPOINT#analysis');
    } finally { fault.remove(); }
  });

  test('parent runs a waited child and a fire-and-forget child and reports each', async () => {
    const id = runId('parent');
    await putEvent(PARENT_REQUESTED.source, PARENT_REQUESTED.detailType, { runId: id, records: 100 });
    const [parent] = await finished(t().parentArn, id);
    expect(parent.status).toBe('SUCCEEDED');
    const out = JSON.parse(parent.output!);
    expect(out.runId).toBe(id);
    const [waited, async] = out.children;
    expect(waited).toMatchObject({ name: 'pipeline', mode: 'waited', status: 'SUCCEEDED' });
    expect(waited.durationMs).toBeGreaterThanOrEqual(0);
    expect(async).toMatchObject({ name: 'pipeline', mode: 'fire-and-forget', status: 'STARTED' });
    expect(typeof async.eventId).toBe('string');
    const [child] = await finished(t().pipelineArn, `${id}-child`);
    expect(child.executionArn).toBe(waited.executionArn);
    const [asyncChild] = await finished(t().pipelineArn, `${id}-async`);
    expect(asyncChild.status).toBe('SUCCEEDED');
    expect(entered(await history(parent.executionArn!))).toEqual(['ValidateRequest', 'RequestAsyncPipeline', 'RunPipelineChild', 'BuildStatus', 'ChildrenSucceeded', 'ParentSucceeded']);
  });

  embeddedOnly('parent starts a failed waited child once more and succeeds', async () => {
    const rt = t().runtime!;
    const fault = rt.faults.inject({ target: { function: 'Pipeline/IntegrateFn' }, error: { name: 'ValidationError', message: 'report schema mismatch' }, times: 1, when: (input) => String((input as { runId?: string }).runId).endsWith('-child') });
    const id = runId('retrychild');
    try {
      await putEvent(PARENT_REQUESTED.source, PARENT_REQUESTED.detailType, { runId: id });
      const [parent] = await finished(t().parentArn, id);
      expect(parent.status).toBe('SUCCEEDED');
      const children = await finished(t().pipelineArn, `${id}-child`, 2);
      expect(children.map((c) => c.status).sort()).toEqual(['FAILED', 'SUCCEEDED']);
      const h = await history(parent.executionArn!);
      expect(h.filter((e) => e.type === 'TaskFailed').map((e) => e.taskFailedEventDetails?.error)).toEqual(['States.TaskFailed']);
      expect(JSON.parse(parent.output!).children[0].status).toBe('SUCCEEDED');
    } finally { fault.remove(); }
  });

  test('pipeline started directly (no event, no trigger) succeeds', async () => {
    const id = runId('direct');
    const started = await t().sfn.send(new StartExecutionCommand({ stateMachineArn: t().pipelineArn, name: id, input: JSON.stringify({ request: { runId: id, records: 5 } }) }));
    const [exec] = await finished(t().pipelineArn, id);
    expect(exec.executionArn).toBe(started.executionArn);
    expect(exec.status).toBe('SUCCEEDED');
    expect(JSON.parse(exec.output!)).toMatchObject({ runId: id, totalRecords: 15 });
  });

  test('a malformed event and an invalid input give a clear error and write nothing', async () => {
    const scanRuns = async () => ((await t().doc.send(new ScanCommand({ TableName: t().tableName, FilterExpression: 'begins_with(pk, :p)', ExpressionAttributeValues: { ':p': 'RUN#' } }))).Items ?? []).length;
    const before = await scanRuns();
    const malformed = await putEvent(PIPELINE_REQUESTED.source, PIPELINE_REQUESTED.detailType, '{"runId": ');
    expect(malformed.FailedEntryCount).toBe(1);
    expect(malformed.Entries?.[0].ErrorCode).toBe('MalformedDetail');
    const name = runId('invalid');
    const started = await t().sfn.send(new StartExecutionCommand({ stateMachineArn: t().pipelineArn, name, input: JSON.stringify({ request: { runId: 7, records: 'many' } }) }));
    const exec = await waitFor('invalid input to fail', async () => {
      const d = await t().sfn.send(new DescribeExecutionCommand({ executionArn: started.executionArn }));
      return d.status === 'RUNNING' ? undefined : d;
    });
    expect(exec.status).toBe('FAILED');
    expect(exec.error).toBe('InvalidInput');
    expect(JSON.parse(exec.cause!).errorMessage).toBe('Invalid pipeline request: runId must be a string, got number; records must be an integer from 1 to 100000');
    const h = await history(started.executionArn!);
    expect(entered(h)).toEqual(['HasRunId', 'ValidateRequest', 'RejectInput']);
    // A string run id that DynamoDB cannot take as a key is still an InvalidInput, not a store error.
    const long = await t().sfn.send(new StartExecutionCommand({ stateMachineArn: t().pipelineArn, input: JSON.stringify({ request: { runId: 'x'.repeat(3000) } }) }));
    const longExec = await waitFor('the long run id to fail', async () => {
      const d = await t().sfn.send(new DescribeExecutionCommand({ executionArn: long.executionArn }));
      return d.status === 'RUNNING' ? undefined : d;
    });
    expect(longExec).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
    expect(await scanRuns()).toBe(before);
  });

  test('Execution Status Change events reach the default bus', async () => {
    const id = runId('status');
    await putEvent(PIPELINE_REQUESTED.source, PIPELINE_REQUESTED.detailType, { runId: id, records: 10 });
    const [exec] = await finished(t().pipelineArn, id);
    // The stack's rule on the default bus sends them to the execution ledger, which records them.
    const item = await waitFor('the ledger to record SUCCEEDED', async () => {
      const got = await t().doc.send(new GetCommand({ TableName: t().tableName, Key: keys.execution(exec.executionArn!) }));
      return got.Item?.status === 'SUCCEEDED' ? got.Item : undefined;
    });
    expect(item).toMatchObject({ executionArn: exec.executionArn, name: exec.name, status: 'SUCCEEDED' });
    if (t().runtime) {
      const seen = t().runtime!.bus.seen.get('default') ?? [];
      const statuses = seen.filter((e) => (e.detail as { executionArn?: string }).executionArn === exec.executionArn).map((e) => (e.detail as { status: string }).status);
      expect(statuses).toEqual(['RUNNING', 'SUCCEEDED']);
    }
  });
}
