/**
 * Runtime features the product workflows do not all use yet, executed from a small synthesized
 * fixture app: .waitForTaskToken with the token registry, plain .sync, Wait on the clock, execution
 * timeouts, StopExecution, API errors, and refusals at boot. Embedded target only.
 */
import { Duration } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import {
  DescribeExecutionCommand, GetExecutionHistoryCommand, SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand,
  SFNClient, StartExecutionCommand, StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import * as path from 'path';
import { localClientConfig, LocalRuntime } from '../../local/runtime';
import { synthFixture } from './fixture-app';

const cdkOut = synthFixture((stack) => {
  const fn = new lambda.Function(stack, 'TokenFn', {
    runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(path.join(__dirname, '..', 'fixtures', 'token-fn')),
    environment: { FIXTURE_MARK: 'fixture' },
  });
  const child = new sfn.StateMachine(stack, 'Child', { stateMachineName: 'Fixture-child', definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Answer', { result: sfn.Result.fromObject({ answer: 42 }) })) });
  const park = new tasks.LambdaInvoke(stack, 'Park', {
    lambdaFunction: fn, integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken, 'who.$': '$.who' }), resultPath: '$.approval',
  });
  const runChild = new sfn.CustomState(stack, 'RunChild', { stateJson: {
    Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: { StateMachineArn: child.stateMachineArn, Input: { from: 'parent' } },
    ResultSelector: { 'output.$': '$.Output', 'status.$': '$.Status' }, ResultPath: '$.child',
  } });
  new sfn.StateMachine(stack, 'Tokens', {
    stateMachineName: 'Fixture-tokens',
    definitionBody: sfn.DefinitionBody.fromChainable(park.next(new sfn.Wait(stack, 'Hold', { time: sfn.WaitTime.duration(Duration.hours(1)) })).next(runChild)),
  });
  const echo = new lambda.Function(stack, 'EchoFn', {
    runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromAsset(path.join(__dirname, '..', 'fixtures', 'echo-fn')),
    reservedConcurrentExecutions: 2,
  });
  const big = new tasks.LambdaInvoke(stack, 'Produce', { lambdaFunction: echo, payloadResponseOnly: true, resultPath: '$.produced', retryOnServiceExceptions: false });
  big.addCatch(new sfn.Pass(stack, 'Caught'), { errors: ['States.ALL'] });
  new sfn.StateMachine(stack, 'Big', { stateMachineName: 'Fixture-big', definitionBody: sfn.DefinitionBody.fromChainable(big) });
  new sfn.StateMachine(stack, 'Slow', {
    stateMachineName: 'Fixture-slow', timeout: Duration.seconds(60),
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Wait(stack, 'Forever', { time: sfn.WaitTime.duration(Duration.days(1)) })),
  });
});

let rt: LocalRuntime;
let sfnClient: SFNClient;
beforeAll(async () => {
  rt = await LocalRuntime.start({ cdkOut, synth: 'never' });
  sfnClient = new SFNClient(localClientConfig(rt.endpointUrl));
});
afterAll(async () => { sfnClient?.destroy(); await rt?.stop(); });

async function until<T>(probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('condition not reached');
}
const describe_ = (executionArn: string) => sfnClient.send(new DescribeExecutionCommand({ executionArn }));
const tokenFromLogs = (n: number) => until(() => {
  const lines = rt.fn('TokenFn').logs.map((l) => JSON.parse(l.text));
  return lines.length >= n ? lines[n - 1] as { token: string; env: string } : undefined;
});

test('waitForTaskToken parks until SendTaskSuccess, then Wait follows the clock and .sync returns the child', async () => {
  const { executionArn } = await sfnClient.send(new StartExecutionCommand({ stateMachineArn: rt.stateMachineArn('tokens'), input: JSON.stringify({ who: 'ops' }) }));
  const { token, env } = await tokenFromLogs(1);
  expect(env).toBe('fixture');
  expect(token.length).toBeGreaterThan(20);
  expect((await describe_(executionArn!)).status).toBe('RUNNING');
  await sfnClient.send(new SendTaskHeartbeatCommand({ taskToken: token }));
  await sfnClient.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ approved: true }) }));
  await until(() => rt.execution(executionArn!)!.history.some((e) => e.type === 'WaitStateEntered') || undefined);
  expect((await describe_(executionArn!)).status).toBe('RUNNING');
  await rt.clock.advance(3600_000);
  const done = await until(async () => { const d = await describe_(executionArn!); return d.status !== 'RUNNING' ? d : undefined; });
  expect(done.status).toBe('SUCCEEDED');
  const out = JSON.parse(done.output!);
  expect(out.approval).toEqual({ approved: true });
  expect(out.child).toEqual({ output: '{"answer":42}', status: 'SUCCEEDED' }); // .sync: Output stays a string
  // A used token is gone.
  await expect(sfnClient.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
});

test('SendTaskFailure fails the task with the given error and cause', async () => {
  const { executionArn } = await sfnClient.send(new StartExecutionCommand({ stateMachineArn: rt.stateMachineArn('tokens'), input: JSON.stringify({ who: 'ops' }) }));
  const { token } = await tokenFromLogs(2);
  await sfnClient.send(new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'not approved' }));
  const done = await until(async () => { const d = await describe_(executionArn!); return d.status !== 'RUNNING' ? d : undefined; });
  expect(done).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'not approved' });
  const history = (await sfnClient.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
  expect(history.find((e) => e.type === 'TaskFailed')?.taskFailedEventDetails).toMatchObject({ error: 'Rejected', cause: 'not approved', resourceType: 'lambda', resource: 'invoke.waitForTaskToken' });
});

test('StopExecution aborts a parked execution and releases its token', async () => {
  const { executionArn } = await sfnClient.send(new StartExecutionCommand({ stateMachineArn: rt.stateMachineArn('tokens'), input: JSON.stringify({ who: 'ops' }) }));
  const { token } = await tokenFromLogs(3);
  await sfnClient.send(new StopExecutionCommand({ executionArn, error: 'Operator', cause: 'cancelled' }));
  expect(await describe_(executionArn!)).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'cancelled' });
  const history = (await sfnClient.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
  expect(history.at(-1)?.type).toBe('ExecutionAborted');
  await expect(sfnClient.send(new SendTaskHeartbeatCommand({ taskToken: token }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
});

test('the execution timeout follows the clock', async () => {
  const { executionArn } = await sfnClient.send(new StartExecutionCommand({ stateMachineArn: rt.stateMachineArn('slow') }));
  await rt.clock.advance(61_000);
  const done = await until(async () => { const d = await describe_(executionArn!); return d.status !== 'RUNNING' ? d : undefined; });
  // Recorded AWS (localstack timeouts/test_timeouts.snapshot.json test_global_timeout): TIMED_OUT carries no error.
  expect(done).toMatchObject({ status: 'TIMED_OUT' });
  expect(done.error).toBeUndefined();
});

test('a state fault fails the integration without invoking the function; the retry (on the clock) does invoke it', async () => {
  const fault = rt.faults.inject({ target: { state: 'Park', stateMachine: 'tokens' }, error: { name: 'Lambda.ServiceException', message: 'injected outage' }, times: 1 });
  const fn = rt.fn('TokenFn');
  const before = fn.invocations;
  const { executionArn } = await sfnClient.send(new StartExecutionCommand({ stateMachineArn: rt.stateMachineArn('tokens'), input: JSON.stringify({ who: 'ops' }) }));
  const exec = rt.execution(executionArn!)!;
  await until(() => exec.history.some((e) => e.type === 'TaskFailed') || undefined);
  expect(exec.history.find((e) => e.type === 'TaskFailed')?.taskFailedEventDetails).toMatchObject({ error: 'Lambda.ServiceException', cause: 'injected outage' });
  expect(fn.invocations).toBe(before);
  // CDK's LambdaInvoke retries Lambda.ServiceException after 2 s: advance the clock past it.
  await rt.clock.advance(2_000);
  await until(() => (fn.invocations === before + 1 ? true : undefined));
  expect(fault.hits).toBe(1);
  expect((await describe_(executionArn!)).status).toBe('RUNNING');
  await sfnClient.send(new StopExecutionCommand({ executionArn }));
});

// Recorded AWS behaviour (FINDINGS.md, session 2): a task result over 256 KB raises
// States.DataLimitExceeded, and a Catch on States.ALL handles it.
test('a result over 256 KB fails the task with States.DataLimitExceeded, which a Catch on States.ALL handles', async () => {
  const ok = await sfnClient.send(new StartExecutionCommand({ stateMachineArn: rt.stateMachineArn('big'), input: JSON.stringify({ bytes: 10 }) }));
  expect((await until(async () => { const d = await describe_(ok.executionArn!); return d.status !== 'RUNNING' ? d : undefined; })).status).toBe('SUCCEEDED');
  const { executionArn } = await sfnClient.send(new StartExecutionCommand({ stateMachineArn: rt.stateMachineArn('big'), input: JSON.stringify({ bytes: 300 * 1024 }) }));
  const done = await until(async () => { const d = await describe_(executionArn!); return d.status !== 'RUNNING' ? d : undefined; });
  expect(done.status).toBe('SUCCEEDED');
  expect(JSON.parse(done.output!)).toMatchObject({ Error: 'States.DataLimitExceeded' });
  const history = (await sfnClient.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
  expect(history.map((e) => e.stateEnteredEventDetails?.name).filter(Boolean)).toEqual(['Produce', 'Caught']);
  expect(history.filter((e) => e.type === 'LambdaFunctionFailed').map((e) => e.lambdaFunctionFailedEventDetails?.error)).toEqual(['States.DataLimitExceeded']);
});

test('reserved concurrency caps a function: calls past it are throttled with Lambda.TooManyRequestsException', async () => {
  const fn = rt.fn('EchoFn');
  const before = fn.throttles;
  const calls = [1, 2, 3].map(() => fn.invoke({ waitMs: 1000 }).then(() => 'ok', (e) => (e as Error).name));
  await new Promise((r) => setTimeout(r, 20));
  await rt.clock.advance(1000);
  expect((await Promise.all(calls)).sort()).toEqual(['Lambda.TooManyRequestsException', 'ok', 'ok']);
  expect(fn.throttles - before).toBe(1);
  expect(fn.maxInFlight).toBe(2);
});

test('API errors have AWS names', async () => {
  const arn = rt.stateMachineArn('slow');
  await sfnClient.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'once', input: '{"a":1}' }));
  // Same name and input while open: the same execution (idempotent start); other input: an error.
  await expect(sfnClient.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'once', input: '{"a":1}' }))).resolves.toBeDefined();
  await expect(sfnClient.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'once', input: '{"a":2}' }))).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  await expect(sfnClient.send(new StartExecutionCommand({ stateMachineArn: arn, input: '{not json' }))).rejects.toMatchObject({ name: 'InvalidExecutionInput' });
  await expect(sfnClient.send(new StartExecutionCommand({ stateMachineArn: arn, name: 'has space' }))).rejects.toMatchObject({ name: 'InvalidName' });
  await expect(sfnClient.send(new StartExecutionCommand({ stateMachineArn: `${arn}-nope` }))).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
  await expect(describe_(`${arn.replace(':stateMachine:', ':execution:')}:missing`)).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
});

test('boot refuses a feature it cannot run faithfully, naming the state machine and the state', async () => {
  const out = synthFixture((stack) => {
    new sfn.StateMachine(stack, 'Heart', {
      stateMachineName: 'Fixture-heart',
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.CustomState(stack, 'Beat', { stateJson: {
        Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', HeartbeatSeconds: 30,
        Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q', MessageBody: { 'token.$': '$$.Task.Token' } },
      } })),
    });
  });
  await expect(LocalRuntime.start({ cdkOut: out, synth: 'never' })).rejects.toThrow('local runtime cannot run the Task resource arn:aws:states:::sqs:sendMessage.waitForTaskToken faithfully (state machine Fixture-heart, state Beat)');
});
