/**
 * State machines written the modern way (aws-cdk-lib's `.jsonata(...)` factories, `assign`,
 * `DistributedMap`, Express), synthesized and run on the runtime through the SDK: StartSyncExecution,
 * RedriveExecution, DescribeMapRun / ListMapRuns / ListExecutions(mapRunArn), and
 * GetExecutionHistory paging both ways. Embedded target only.
 */
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import {
  DescribeExecutionCommand, DescribeMapRunCommand, GetExecutionHistoryCommand, HistoryEvent, ListExecutionsCommand, ListMapRunsCommand,
  RedriveExecutionCommand, SFNClient, StartExecutionCommand, StartSyncExecutionCommand, StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import * as path from 'path';
import { localClientConfig, LocalRuntime } from '../../local/runtime';
import { synthFixture } from './fixture-app';

const cdkOut = synthFixture((stack) => {
  // A function that fails while its input says so: the redrive scenario flips the flag in between.
  const flaky = new lambda.Function(stack, 'GateFn', {
    runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(path.join(__dirname, '..', 'fixtures', 'gate-fn')),
  });
  // JSONata throughout: Arguments/Output, assign, a Choice Condition, a Map over Items.
  const price = sfn.Pass.jsonata(stack, 'Price', { assign: { total: '{% $sum($states.input.lines.(qty * price)) %}', currency: 'EUR' }, outputs: '{% $states.input %}' });
  const route = sfn.Choice.jsonata(stack, 'Route');
  const big = sfn.Pass.jsonata(stack, 'Big', { outputs: { size: 'big', total: '{% $total %}', currency: '{% $currency %}' } });
  const small = sfn.Pass.jsonata(stack, 'Small', { outputs: { size: 'small', total: '{% $total %}' } });
  route.when(sfn.Condition.jsonata('{% $total > 100 %}'), big).otherwise(small);
  new sfn.StateMachine(stack, 'Modern', { stateMachineName: 'Fixture-modern', queryLanguage: sfn.QueryLanguage.JSONATA, definitionBody: sfn.DefinitionBody.fromChainable(price.next(route)) });

  // A Distributed Map whose children call the function; Express children.
  const mapFn = new lambda.Function(stack, 'MapFn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(path.join(__dirname, '..', 'fixtures', 'gate-fn')) });
  const call = tasks.LambdaInvoke.jsonata(stack, 'CallGate', { lambdaFunction: mapFn, payload: sfn.TaskInput.fromObject({ item: '{% $states.input %}', failUntil: 0 }), outputs: '{% $states.result.Payload.item %}' });
  const fan = new sfn.DistributedMap(stack, 'Fan', { queryLanguage: sfn.QueryLanguage.JSONATA, items: sfn.ProvideItems.jsonata('{% $states.input.items %}'), label: 'fan', mapExecutionType: sfn.StateMachineType.EXPRESS, maxConcurrency: 2 });
  fan.itemProcessor(call);
  new sfn.StateMachine(stack, 'Distributed', { stateMachineName: 'Fixture-distributed', definitionBody: sfn.DefinitionBody.fromChainable(fan) });

  // Redrive: a task that fails without retries, after a state that must not run again.
  const first = new sfn.Pass(stack, 'First', { assign: { seen: sfn.JsonPath.stringAt('$.who') } });
  const gate = new tasks.LambdaInvoke(stack, 'Gate', { lambdaFunction: flaky, payloadResponseOnly: true, retryOnServiceExceptions: false, payload: sfn.TaskInput.fromObject({ 'failUntil.$': '$.failUntil', 'item.$': '$$.Execution.RedriveCount' }), resultPath: '$.gate' });
  const after = new sfn.Pass(stack, 'After', { parameters: { 'gate.$': '$.gate', 'seen.$': '$seen' } });
  new sfn.StateMachine(stack, 'Redrive', { stateMachineName: 'Fixture-redrive', definitionBody: sfn.DefinitionBody.fromChainable(first.next(gate).next(after)) });

  // A long Wait, to stop and redrive.
  new sfn.StateMachine(stack, 'Pause', { stateMachineName: 'Fixture-pause', definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Before').next(new sfn.Wait(stack, 'Hold', { time: sfn.WaitTime.duration(Duration.hours(1)) })).next(new sfn.Pass(stack, 'Done'))) });
  // Express, for StartSyncExecution.
  new sfn.StateMachine(stack, 'Quick', {
    stateMachineName: 'Fixture-quick', stateMachineType: sfn.StateMachineType.EXPRESS, timeout: Duration.minutes(1),
    definitionBody: sfn.DefinitionBody.fromChainable(sfn.Pass.jsonata(stack, 'Echo', { outputs: { echoed: '{% $states.input.msg %}', by: '{% $states.context.StateMachine.Name %}' } })),
  });
  // Many states, for history paging.
  let chain: sfn.INextable & sfn.IChainable = new sfn.Pass(stack, 'Step0');
  const start = chain;
  for (let i = 1; i < 30; i++) { const p = new sfn.Pass(stack, `Step${i}`); chain.next(p); chain = p; }
  new sfn.StateMachine(stack, 'Long', { stateMachineName: 'Fixture-long', definitionBody: sfn.DefinitionBody.fromChainable(start) });
});

let rt: LocalRuntime;
let sfnClient: SFNClient;
beforeAll(async () => {
  rt = await LocalRuntime.start({ cdkOut, synth: 'never' });
  sfnClient = new SFNClient(localClientConfig(rt.endpointUrl));
});
afterAll(async () => { sfnClient?.destroy(); await rt?.stop(); });

async function ended(executionArn: string) {
  for (let i = 0; i < 1000; i++) {
    const d = await sfnClient.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') return d;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${executionArn} did not end`);
}
async function historyOf(executionArn: string, reverseOrder = false, maxResults = 1000): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await sfnClient.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder, maxResults, nextToken }));
    events.push(...page.events!);
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}
const start = async (workflow: string, input: unknown) => (await sfnClient.send(new StartExecutionCommand({ stateMachineArn: rt.stateMachineArn(workflow), input: JSON.stringify(input) }))).executionArn!;

test('a JSONata machine built with CDK runs: variables from assign reach a later Choice and Output', async () => {
  const arn = await start('modern', { lines: [{ qty: 3, price: 40 }, { qty: 1, price: 5 }] });
  const d = await ended(arn);
  expect(d.status).toBe('SUCCEEDED');
  expect(JSON.parse(d.output!)).toEqual({ size: 'big', total: 125, currency: 'EUR' });
  const h = await historyOf(arn);
  expect(h.filter((e) => e.type!.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails!.name)).toEqual(['Price', 'Route', 'Big']);
  // The Pass that assigned records what it assigned, as JSON text (workflow-variables docs).
  const exited = h.find((e) => e.type === 'PassStateExited' && e.stateExitedEventDetails!.name === 'Price')!;
  expect(exited.stateExitedEventDetails!.assignedVariables).toEqual({ total: '125', currency: '"EUR"' });
});

test('a Distributed Map runs each item as a child execution of a Map Run, visible through DescribeMapRun and ListExecutions', async () => {
  const arn = await start('distributed', { items: ['a', 'b', 'c', 'd', 'e'] });
  const d = await ended(arn);
  expect(d.status).toBe('SUCCEEDED');
  expect(JSON.parse(d.output!)).toEqual(['a', 'b', 'c', 'd', 'e']);
  const h = await historyOf(arn);
  expect(h.map((e) => e.type)).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']);
  const mapRunArn = h.find((e) => e.type === 'MapRunStarted')!.mapRunStartedEventDetails!.mapRunArn!;
  expect(mapRunArn).toMatch(/^arn:aws:states:us-east-1:\d+:mapRun:Fixture-distributed\/fan:[0-9a-f-]{36}$/);
  const runs = await sfnClient.send(new ListMapRunsCommand({ executionArn: arn }));
  expect(runs.mapRuns!.map((r) => r.mapRunArn)).toEqual([mapRunArn]);
  const run = await sfnClient.send(new DescribeMapRunCommand({ mapRunArn }));
  expect(run).toMatchObject({ status: 'SUCCEEDED', maxConcurrency: 2, itemCounts: { total: 5, succeeded: 5, failed: 0, pending: 0, running: 0 } });
  const children = await sfnClient.send(new ListExecutionsCommand({ mapRunArn }));
  expect(children.executions!.map((e) => e.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
  // Express children have Express execution ARNs, under the machine name and the label.
  expect(children.executions![0].executionArn).toMatch(/:express:Fixture-distributed\/fan:/);
  // Children are not listed among the machine's own executions.
  const own = await sfnClient.send(new ListExecutionsCommand({ stateMachineArn: rt.stateMachineArn('distributed') }));
  expect(own.executions!.map((e) => e.executionArn)).toEqual([arn]);
});

test('RedriveExecution resumes a failed execution at the failed state; the states before it do not run again', async () => {
  const arn = await start('redrive', { who: 'ops', failUntil: 1 });
  const failed = await ended(arn);
  expect(failed).toMatchObject({ status: 'FAILED', error: 'GateClosed', redriveStatus: 'REDRIVABLE' });
  await sfnClient.send(new RedriveExecutionCommand({ executionArn: arn }));
  const d = await ended(arn);
  expect(d).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
  // The second call succeeds; $$.Execution.RedriveCount is 1 on the redriven run; the variable survives.
  expect(JSON.parse(d.output!)).toEqual({ gate: { calls: 2, item: 1 }, seen: 'ops' });
  const h = await historyOf(arn);
  expect(h.filter((e) => e.type!.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails!.name)).toEqual(['First', 'Gate', 'Gate', 'After']);
  expect(h.find((e) => e.type === 'ExecutionRedriven')!.executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
  await expect(sfnClient.send(new RedriveExecutionCommand({ executionArn: arn }))).rejects.toMatchObject({ name: 'ExecutionNotRedrivable' });
});

test('a stopped execution can be redriven: it resumes at the state it was stopped in', async () => {
  const arn = await start('pause', {});
  for (let i = 0; i < 200 && !(await historyOf(arn)).some((e) => e.type === 'WaitStateEntered'); i++) await new Promise((r) => setTimeout(r, 5));
  await sfnClient.send(new StopExecutionCommand({ executionArn: arn, error: 'Ops', cause: 'maintenance' }));
  expect(await ended(arn)).toMatchObject({ status: 'ABORTED', redriveStatus: 'REDRIVABLE' });
  await sfnClient.send(new RedriveExecutionCommand({ executionArn: arn }));
  expect((await sfnClient.send(new DescribeExecutionCommand({ executionArn: arn }))).status).toBe('RUNNING');
  await new Promise((r) => setTimeout(r, 20));
  await rt.clock.advance(3_600_000);
  expect(await ended(arn)).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
  const names = (await historyOf(arn)).filter((e) => e.type!.endsWith('StateEntered')).map((e) => e.stateEnteredEventDetails!.name);
  expect(names).toEqual(['Before', 'Hold', 'Hold', 'Done']);
});

test('StartSyncExecution answers an Express execution with its output; a Standard machine is refused', async () => {
  const out = await sfnClient.send(new StartSyncExecutionCommand({ stateMachineArn: rt.stateMachineArn('quick'), input: JSON.stringify({ msg: 'hi' }) }));
  expect(out.status).toBe('SUCCEEDED');
  expect(JSON.parse(out.output!)).toEqual({ echoed: 'hi', by: 'Fixture-quick' });
  await expect(sfnClient.send(new StartSyncExecutionCommand({ stateMachineArn: rt.stateMachineArn('long') }))).rejects.toMatchObject({ name: 'StateMachineTypeNotSupported' });
});

test('GetExecutionHistory pages in both orders and the pages join into the same history', async () => {
  const arn = await start('long', { n: 1 });
  await ended(arn);
  const all = await historyOf(arn);
  expect(all).toHaveLength(1 + 30 * 2 + 1);
  const paged = await historyOf(arn, false, 7);
  expect(paged.map((e) => e.id)).toEqual(all.map((e) => e.id));
  const reversed = await historyOf(arn, true, 9);
  expect(reversed.map((e) => e.id)).toEqual(all.map((e) => e.id).reverse());
  // In a sequential machine every event follows the one before it, except the first state's
  // Entered event, which AWS records with previousEventId 0 (recorded, localstack test_base snapshots).
  expect(all[1].previousEventId).toBe(0);
  expect(all.slice(2).every((e, i) => e.previousEventId === all[i + 1].id)).toBe(true);
});
