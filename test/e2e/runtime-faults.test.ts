/**
 * Runtime semantics around failure, from a small synthesized fixture app: faults after the call
 * ("the effect happened, the answer was lost"), nothing of an execution runs after it ended (stop,
 * execution timeout), and a refused SendTask* call leaves the task token usable. Embedded target only.
 */
import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeExecutionCommand, GetExecutionHistoryCommand, HistoryEvent, SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand,
  SFNClient, StartExecutionCommand, StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import * as path from 'path';
import { localClientConfig, LocalRuntime } from '../../local/runtime';
import { synthFixture } from './fixture-app';

/** Each machine: a Lambda task, then `Record` puts `<id>-next` in the table (the effect of a later state). */
const cdkOut = synthFixture((stack) => {
  const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  const fixture = (name: string) => lambda.Code.fromAsset(path.join(__dirname, '..', 'fixtures', name));
  const writer = new lambda.Function(stack, 'WriterFn', {
    runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: fixture('writer-fn'), timeout: Duration.minutes(5),
    environment: { TABLE_NAME: table.tableName },
  });
  table.grantWriteData(writer);
  const tokenFn = new lambda.Function(stack, 'TokenFn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: fixture('token-fn') });
  const record = (id: string) => new tasks.DynamoPutItem(stack, `Record${id}`, {
    stateName: `Record${id}`, table, resultPath: sfn.JsonPath.DISCARD,
    item: { pk: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.format('{}-next', sfn.JsonPath.stringAt('$.id'))) },
  });
  const write = (id: string) => new tasks.LambdaInvoke(stack, `Write${id}`, {
    stateName: `Write${id}`, lambdaFunction: writer, resultPath: '$.written', retryOnServiceExceptions: false,
  });
  new sfn.StateMachine(stack, 'Flow', { stateMachineName: 'Fixture-flow', definitionBody: sfn.DefinitionBody.fromChainable(write('').next(record(''))) });
  const writeTimed = write('Timed');
  writeTimed.addRetry({ errors: ['Flaky'], interval: Duration.seconds(60), maxAttempts: 3 });
  new sfn.StateMachine(stack, 'Timed', {
    stateMachineName: 'Fixture-timed', timeout: Duration.seconds(30),
    definitionBody: sfn.DefinitionBody.fromChainable(writeTimed.next(record('Timed'))),
  });
  const park = new tasks.LambdaInvoke(stack, 'Park', {
    lambdaFunction: tokenFn, integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
    payload: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken }), resultPath: '$.approval',
  });
  new sfn.StateMachine(stack, 'Tokens', { stateMachineName: 'Fixture-tokens', definitionBody: sfn.DefinitionBody.fromChainable(park.next(record('Parked'))) });
});

let rt: LocalRuntime;
let sfnClient: SFNClient;
let ddb: DynamoDBClient;
beforeAll(async () => {
  rt = await LocalRuntime.start({ cdkOut, synth: 'never' });
  sfnClient = new SFNClient(localClientConfig(rt.endpointUrl));
  ddb = new DynamoDBClient(localClientConfig(rt.endpointUrl));
});
afterAll(async () => { sfnClient?.destroy(); ddb?.destroy(); await rt?.stop(); });
afterEach(() => rt.faults.clear());

async function until<T>(probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('condition not reached');
}
const start = async (machine: string, input: Record<string, unknown>) =>
  (await sfnClient.send(new StartExecutionCommand({ stateMachineArn: rt.stateMachineArn(machine), input: JSON.stringify(input) }))).executionArn!;
const ended = (executionArn: string) => until(async () => {
  const d = await sfnClient.send(new DescribeExecutionCommand({ executionArn }));
  return d.status !== 'RUNNING' ? d : undefined;
});
const history = async (executionArn: string): Promise<HistoryEvent[]> => (await sfnClient.send(new GetExecutionHistoryCommand({ executionArn }))).events!;
const stored = async (pk: string) => (await ddb.send(new GetItemCommand({ TableName: rt.tableName('Table'), Key: { pk: { S: pk } } }))).Item !== undefined;
const inHistory = (executionArn: string, type: string) => until(() => rt.execution(executionArn)!.history.some((e) => e.type === type) || undefined);
/** Lets whatever was in flight settle: real time for I/O, then the clock well past every wait. */
const settle = async () => { await new Promise((r) => setTimeout(r, 50)); await rt.clock.advance(10 * 60_000); await new Promise((r) => setTimeout(r, 50)); };

describe('a fault with phase after: the effect happened, the answer was lost', () => {
  test('an error after a function call: the item is written and the task fails with the injected error', async () => {
    const fault = rt.faults.inject({ target: { function: 'WriterFn' }, phase: 'after', error: { name: 'AnswerLost', message: 'connection reset' }, times: 1 });
    const invocations = rt.fn('WriterFn').invocations;
    const arn = await start('flow', { id: 'after-error' });
    expect(await ended(arn)).toMatchObject({ status: 'FAILED', error: 'AnswerLost' });
    expect(await stored('after-error')).toBe(true);
    expect(await stored('after-error-next')).toBe(false);
    expect((await history(arn)).find((e) => e.type === 'TaskFailed')?.taskFailedEventDetails).toMatchObject({ error: 'AnswerLost' });
    expect(rt.fn('WriterFn').invocations - invocations).toBe(1);
    expect(fault.hits).toBe(1);
  });

  test('the same fault before the call (the default) prevents the write', async () => {
    rt.faults.inject({ target: { function: 'WriterFn' }, error: { name: 'AnswerLost' }, times: 1 });
    const arn = await start('flow', { id: 'before-error' });
    expect(await ended(arn)).toMatchObject({ status: 'FAILED', error: 'AnswerLost' });
    expect(await stored('before-error')).toBe(false);
  });

  test('a timeout after a function call: the item is written, the caller sees Sandbox.Timedout at the function timeout', async () => {
    rt.faults.inject({ target: { function: 'WriterFn' }, phase: 'after', timeout: true, times: 1 });
    const arn = await start('flow', { id: 'after-timeout' });
    await until(async () => (await stored('after-timeout')) || undefined);
    await new Promise((r) => setTimeout(r, 20));
    expect(rt.execution(arn)!.status).toBe('RUNNING');
    await rt.clock.advance(5 * 60_000); // WriterFn's timeout, counted from the start of the call
    expect(await ended(arn)).toMatchObject({ status: 'FAILED', error: 'Sandbox.Timedout' });
  });

  test('an error after a state integration: the DynamoDB put happened and the state failed', async () => {
    rt.faults.inject({ target: { state: 'Record', stateMachine: 'flow' }, phase: 'after', error: { name: 'DynamoDB.InternalServerErrorException', message: 'lost answer' }, times: 1 });
    const arn = await start('flow', { id: 'state-after' });
    expect(await ended(arn)).toMatchObject({ status: 'FAILED', error: 'DynamoDB.InternalServerErrorException', cause: 'lost answer' });
    expect(await stored('state-after-next')).toBe(true);
  });

  test('latency after the call, then StopExecution during it: the effect stays, nothing follows the abort', async () => {
    rt.faults.inject({ target: { function: 'WriterFn' }, phase: 'after', latencyMs: 60_000, times: 1 });
    const arn = await start('flow', { id: 'after-latency' });
    await until(async () => (await stored('after-latency')) || undefined);
    await sfnClient.send(new StopExecutionCommand({ executionArn: arn, error: 'Operator', cause: 'cancelled' }));
    await settle();
    const events = await history(arn);
    expect(events.at(-1)?.type).toBe('ExecutionAborted');
    expect(events.map((e) => e.type)).not.toContain('TaskSucceeded');
    expect(await stored('after-latency-next')).toBe(false);
  });

  test('phase must be before or after', () => {
    expect(() => rt.faults.inject({ target: { function: 'WriterFn' }, phase: 'during' as never, error: { name: 'X' } })).toThrow("FaultSpec.phase must be 'before' or 'after'");
  });
});

describe('nothing of an execution runs after it ended', () => {
  test('StopExecution while a Lambda is in flight: its result is discarded and the next state never runs', async () => {
    const arn = await start('flow', { id: 'stopped', waitMs: 10_000 });
    await inHistory(arn, 'TaskStarted');
    await sfnClient.send(new StopExecutionCommand({ executionArn: arn }));
    await settle();
    // The Lambda itself finishes its own work, as on AWS; the execution records nothing more.
    expect(await stored('stopped')).toBe(true);
    const types = (await history(arn)).map((e) => e.type);
    expect(types.at(-1)).toBe('ExecutionAborted');
    expect(types.slice(types.indexOf('ExecutionAborted') + 1)).toEqual([]);
    expect(types).not.toContain('TaskSucceeded');
    expect(await stored('stopped-next')).toBe(false);
  });

  test('the execution timeout while a Lambda is in flight: the history ends with ExecutionTimedOut, the next state never runs', async () => {
    const arn = await start('timed', { id: 'timed-out', waitMs: 60_000 });
    await inHistory(arn, 'TaskStarted');
    await rt.clock.advance(30_000);
    // Recorded AWS (test_global_timeout): a timed-out execution carries no error.
    expect(await ended(arn)).toMatchObject({ status: 'TIMED_OUT' });
    await settle();
    expect(await stored('timed-out')).toBe(true);
    const types = (await history(arn)).map((e) => e.type);
    expect(types.at(-1)).toBe('ExecutionTimedOut');
    expect(types).not.toContain('TaskSucceeded');
    expect(await stored('timed-out-next')).toBe(false);
  });

  test('the execution timeout during a retry interval: the retry never runs', async () => {
    rt.faults.inject({ target: { function: 'WriterFn' }, error: { name: 'Flaky' }, times: 1, when: (i) => (i as { id?: string }).id === 'retry-timed-out' });
    const arn = await start('timed', { id: 'retry-timed-out' });
    await inHistory(arn, 'TaskFailed');
    const invocations = rt.fn('WriterFn').invocations;
    await rt.clock.advance(30_000);
    expect(await ended(arn)).toMatchObject({ status: 'TIMED_OUT' });
    await settle();
    expect(rt.fn('WriterFn').invocations).toBe(invocations);
    expect(await stored('retry-timed-out')).toBe(false);
    expect((await history(arn)).at(-1)?.type).toBe('ExecutionTimedOut');
  });
});

describe('a refused SendTask* call leaves the token usable', () => {
  const tokenFromLogs = (n: number) => until(() => {
    const lines = rt.fn('TokenFn').logs.map((l) => JSON.parse(l.text) as { token: string });
    return lines.length >= n ? lines[n - 1].token : undefined;
  });

  test('invalid JSON output is InvalidOutput; then a valid SendTaskSuccess with the same token continues the execution', async () => {
    const arn = await start('tokens', { id: 'parked' });
    const token = await tokenFromLogs(1);
    await expect(sfnClient.send(new SendTaskSuccessCommand({ taskToken: token, output: '{not json' }))).rejects.toMatchObject({ name: 'InvalidOutput' });
    await expect(sfnClient.send(new SendTaskFailureCommand({ taskToken: token, error: 'E'.repeat(257) }))).rejects.toMatchObject({ name: 'ValidationException' });
    await sfnClient.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    expect(rt.execution(arn)!.status).toBe('RUNNING');
    await sfnClient.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ approved: true }) }));
    expect(await ended(arn)).toMatchObject({ status: 'SUCCEEDED' });
    expect(await stored('parked-next')).toBe(true);
    // An accepted answer closes the task: the token is spent.
    await expect(sfnClient.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' }))).rejects.toMatchObject({ name: 'TaskTimedOut' });
  });

  test('a SendTaskFailure refused for its cause leaves the token for a valid one', async () => {
    const arn = await start('tokens', { id: 'parked-2' });
    const token = await tokenFromLogs(2);
    await expect(sfnClient.send(new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'c'.repeat(32769) }))).rejects.toMatchObject({ name: 'ValidationException' });
    await sfnClient.send(new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'not approved' }));
    expect(await ended(arn)).toMatchObject({ status: 'FAILED', error: 'Rejected', cause: 'not approved' });
  });
});
