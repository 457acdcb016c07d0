/**
 * GetExecutionHistory of the runtime's non-Lambda integrations (DynamoDB, EventBridge, Step
 * Functions), event by event, against what AWS recorded for the same kind of definition (LocalStack
 * snapshot tests, recorded against AWS). Timestamps are left out; ARNs, table names, request ids and
 * dates are matched loosely (they are placeholders in the snapshots); everything else exactly.
 * Embedded target only.
 */
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, HistoryEvent, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { localClientConfig, LocalRuntime } from '../../local/runtime';
import { synthFixture } from './fixture-app';

const TABLE = 'fixture-history';
const BUS = 'fixture-history-bus';
const task = (resource: string, extra: Record<string, unknown>) => ({ Type: 'Task', Resource: resource, ...extra });
/** One machine per definition; each reads the table name (or child ARN) from its input, as the recorded tests do. */
const DEFINITIONS: Record<string, Record<string, unknown>[]> = {
  'put-get': [
    { Name: 'PutItem', ...task('arn:aws:states:::dynamodb:putItem', { Parameters: { 'TableName.$': '$.TableName', 'Item.$': '$.Item' }, ResultPath: '$.putItemOutput' }) },
    { Name: 'GetItem', ...task('arn:aws:states:::dynamodb:getItem', { Parameters: { 'TableName.$': '$.TableName', 'Key.$': '$.Key' }, ResultPath: '$.getItemOutput' }) },
  ],
  'get-only': [{ Name: 'GetItem', ...task('arn:aws:states:::dynamodb:getItem', { Parameters: { 'TableName.$': '$.TableName', 'Key.$': '$.Key' } }) }],
  'put-update': [
    { Name: 'PutItem', ...task('arn:aws:states:::dynamodb:putItem', { Parameters: { 'TableName.$': '$.TableName', 'Item.$': '$.Item' }, ResultPath: null }) },
    { Name: 'UpdateItem', ...task('arn:aws:states:::dynamodb:updateItem', { Parameters: { 'TableName.$': '$.TableName', 'Key.$': '$.Key', 'UpdateExpression.$': '$.UpdateExpression', 'ExpressionAttributeValues.$': '$.ExpressionAttributeValues', ReturnValues: 'UPDATED_NEW' }, ResultPath: '$.updateItemOutput' }) },
  ],
  'put-delete': [
    { Name: 'PutItem', ...task('arn:aws:states:::dynamodb:putItem', { Parameters: { 'TableName.$': '$.TableName', 'Item.$': '$.Item' }, ResultPath: null }) },
    { Name: 'DeleteItem', ...task('arn:aws:states:::dynamodb:deleteItem', { Parameters: { 'TableName.$': '$.TableName', 'Key.$': '$.Key' }, ResultPath: '$.deleteItemOutput' }) },
  ],
  'put-only': [{ Name: 'PutItem', ...task('arn:aws:states:::dynamodb:putItem', { Parameters: { 'TableName.$': '$.TableName', 'Item.$': '$.Item' } }) }],
  'put-cond': [{ Name: 'PutItem', ...task('arn:aws:states:::dynamodb:putItem', { Parameters: { 'TableName.$': '$.TableName', 'Item.$': '$.Item', ConditionExpression: 'attribute_not_exists(id)' } }) }],
  'sdk-put-get': [
    { Name: 'PutItem', ...task('arn:aws:states:::aws-sdk:dynamodb:putItem', { Parameters: { 'TableName.$': '$.TableName', 'Item.$': '$.Item' }, ResultPath: '$.putItemOutput' }) },
    { Name: 'GetItem', ...task('arn:aws:states:::aws-sdk:dynamodb:getItem', { Parameters: { 'TableName.$': '$.TableName', 'Key.$': '$.Key' }, ResultPath: '$.getItemOutput' }) },
  ],
  'sdk-put-cond': [{ Name: 'PutItem', ...task('arn:aws:states:::aws-sdk:dynamodb:putItem', { Parameters: { 'TableName.$': '$.TableName', 'Item.$': '$.Item', ConditionExpression: 'attribute_not_exists(id)' } }) }],
  'put-events': [{ Name: 'PutEvents', ...task('arn:aws:states:::events:putEvents', { Parameters: { 'Entries.$': '$.Entries' } }) }],
  'start': [{ Name: 'StartExecution', ...task('arn:aws:states:::states:startExecution', { Parameters: { 'StateMachineArn.$': '$.StateMachineArn', 'Input.$': '$.Input', 'Name.$': '$.Name' } }) }],
  'start-sync': [{ Name: 'StartExecution', ...task('arn:aws:states:::states:startExecution.sync', { Parameters: { 'StateMachineArn.$': '$.StateMachineArn', 'Input.$': '$.Input', 'Name.$': '$.Name' } }) }],
  'start-sync2': [{ Name: 'StartExecution', ...task('arn:aws:states:::states:startExecution.sync:2', { Parameters: { 'StateMachineArn.$': '$.StateMachineArn', 'Input.$': '$.Input', 'Name.$': '$.Name' } }) }],
};

const cdkOut = synthFixture((stack) => {
  new dynamodb.Table(stack, 'Items', { tableName: TABLE, partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  new events.EventBus(stack, 'Bus', { eventBusName: BUS });
  new sfn.StateMachine(stack, 'ChildOk', { stateMachineName: 'Fixture-hchildok', definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Answer', { result: sfn.Result.fromObject({ answer: 42 }) })) });
  new sfn.StateMachine(stack, 'ChildFail', { stateMachineName: 'Fixture-hchildfail', definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Fail(stack, 'Broke', { error: 'ChildError', cause: 'child broke' })) });
  for (const [name, states] of Object.entries(DEFINITIONS)) {
    const chain = states.map(({ Name, ...json }) => new sfn.CustomState(stack, `${name}-${Name}`, { stateJson: json }));
    for (let i = 1; i < chain.length; i++) chain[i - 1].next(chain[i]);
    new sfn.StateMachine(stack, `M-${name}`, { stateMachineName: `Fixture-h-${name}`, definitionBody: sfn.DefinitionBody.fromChainable(chain[0]) });
  }
});

let rt: LocalRuntime;
let client: SFNClient;
beforeAll(async () => {
  rt = await LocalRuntime.start({ cdkOut, synth: 'never' });
  client = new SFNClient(localClientConfig(rt.endpointUrl));
});
afterAll(async () => { client?.destroy(); await rt?.stop(); });

/** The CustomState ids become the state names; strip the `<machine>-` prefix in comparisons. */
const stateName = (n: string) => n.replace(/^[a-z0-9-]+?-(?=[A-Z])/, '');

/** Runs `machine` to its end and answers its history, JSON-text fields parsed as the snapshots show them. */
async function run(machine: string, input: unknown): Promise<unknown[]> {
  const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn: rt.stateMachineArn(`Fixture-h-${machine}`), input: JSON.stringify(input) }));
  for (let i = 0; i < 1000; i++) {
    const d = await client.send(new DescribeExecutionCommand({ executionArn }));
    if (d.status !== 'RUNNING') break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const out: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    out.push(...page.events!);
    nextToken = page.nextToken;
  } while (nextToken);
  return out.map(normalise);
}
const parse = (v: unknown) => { if (typeof v !== 'string') return v; try { return JSON.parse(v); } catch { return v; } };
function normalise(e: HistoryEvent): unknown {
  const { timestamp: _t, ...rest } = e as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(rest)) {
    if (!k.endsWith('EventDetails') || !v) continue;
    const d: Record<string, unknown> = { ...(v as object) };
    for (const f of ['input', 'output', 'parameters', 'cause']) if (f in d) d[f] = parse(d[f]);
    if (typeof d.name === 'string') d.name = stateName(d.name);
    rest[k] = d;
  }
  return rest;
}

// ---- expected histories, shaped as AWS records them ----
const TRUNC = { truncated: false };
const DATE = expect.any(String);
/** The HTTP metadata AWS's optimized DynamoDB integration adds to every result (recorded: test_dynamodb_task_service DYNAMODB_PUT_GET_ITEM). */
const ddbMeta = (contentLength: string) => ({
  SdkHttpMetadata: {
    AllHttpHeaders: { Server: ['Server'], Connection: ['keep-alive'], 'x-amzn-RequestId': expect.anything(), 'x-amz-crc32': expect.anything(), 'Content-Length': [contentLength], Date: expect.anything(), 'Content-Type': ['application/x-amz-json-1.0'] },
    HttpHeaders: { Connection: 'keep-alive', 'Content-Length': contentLength, 'Content-Type': 'application/x-amz-json-1.0', Date: DATE, Server: 'Server', 'x-amz-crc32': expect.any(String), 'x-amzn-RequestId': expect.any(String) },
    HttpStatusCode: 200,
  },
  SdkResponseMetadata: { RequestId: expect.any(String) },
});
/** The HTTP metadata of the optimized Step Functions StartExecution result (recorded: test_sfn_task_service test_start_execution). */
const sfnMeta = () => ({
  SdkHttpMetadata: {
    AllHttpHeaders: { 'x-amzn-RequestId': [expect.any(String)], connection: ['keep-alive'], 'Content-Length': [expect.any(String)], Date: expect.anything(), 'Content-Type': ['application/x-amz-json-1.0'] },
    HttpHeaders: { connection: 'keep-alive', 'Content-Length': expect.any(String), 'Content-Type': 'application/x-amz-json-1.0', Date: DATE, 'x-amzn-RequestId': expect.any(String) },
    HttpStatusCode: 200,
  },
  SdkResponseMetadata: { RequestId: expect.any(String) },
});

type Step = { name: string; resourceType: string; resource: string; parameters: unknown; output?: unknown; stateOutput?: unknown; submitted?: unknown; error?: string; cause?: unknown };
/** ExecutionStarted, then per Task state Entered/Scheduled/Started/[Submitted]/Succeeded|Failed/Exited, then the execution's end. */
function expected(input: unknown, steps: Step[]): unknown[] {
  const ev: Record<string, unknown>[] = [];
  const push = (type: string, details: Record<string, unknown>, prev?: number) => ev.push({ id: ev.length + 1, previousEventId: prev ?? ev.length, type, ...details });
  push('ExecutionStarted', { executionStartedEventDetails: { input, inputDetails: TRUNC, roleArn: expect.any(String) } }, 0);
  let current = input;
  for (const s of steps) {
    const rr = { resource: s.resource, resourceType: s.resourceType };
    // The first state's Entered event follows event 0 (recorded in every snapshot above).
    push('TaskStateEntered', { stateEnteredEventDetails: { input: current, inputDetails: TRUNC, name: s.name } }, ev.length === 1 ? 0 : undefined);
    push('TaskScheduled', { taskScheduledEventDetails: { parameters: s.parameters, region: expect.any(String), ...rr } });
    push('TaskStarted', { taskStartedEventDetails: rr });
    if (s.submitted !== undefined) push('TaskSubmitted', { taskSubmittedEventDetails: { output: s.submitted, outputDetails: TRUNC, ...rr } });
    if (s.error !== undefined) {
      push('TaskFailed', { taskFailedEventDetails: { cause: s.cause, error: s.error, ...rr } });
      push('ExecutionFailed', { executionFailedEventDetails: { cause: s.cause, error: s.error } });
      return ev;
    }
    push('TaskSucceeded', { taskSucceededEventDetails: { output: s.output, outputDetails: TRUNC, ...rr } });
    current = s.stateOutput ?? s.output;
    push('TaskStateExited', { stateExitedEventDetails: { name: s.name, output: current, outputDetails: TRUNC } });
  }
  push('ExecutionSucceeded', { executionSucceededEventDetails: { output: current, outputDetails: TRUNC } });
  return ev;
}

const ITEM = { data: { S: 'HelloWorld' }, id: { S: 'id1' } };
const KEY = { id: { S: 'id1' } };
let seq = 0;
/** A fresh item id per test, so tests do not see each other's writes. */
const fresh = () => { const id = `id${++seq}`; return { item: { data: { S: 'HelloWorld' }, id: { S: id } }, key: { id: { S: id } } }; };

describe('DynamoDB optimized integrations', () => {
  test('putItem then getItem (item found)', async () => {
    // Recorded AWS: localstack tests/aws/services/stepfunctions/v2/services/test_dynamodb_task_service.snapshot.json test_base_integrations[DYNAMODB_PUT_GET_ITEM]
    const input = { TableName: TABLE, Item: ITEM, Key: KEY };
    const putOut = ddbMeta('2');
    const getOut = { Item: ITEM, ...ddbMeta('53') };
    const afterPut = { ...input, putItemOutput: putOut };
    expect(await run('put-get', input)).toEqual(expected(input, [
      { name: 'PutItem', resourceType: 'dynamodb', resource: 'putItem', parameters: { TableName: TABLE, Item: ITEM }, output: putOut, stateOutput: afterPut },
      { name: 'GetItem', resourceType: 'dynamodb', resource: 'getItem', parameters: { TableName: TABLE, Key: KEY }, output: getOut, stateOutput: { ...afterPut, getItemOutput: getOut } },
    ]));
  });

  test('getItem of a missing key answers no Item', async () => {
    // Shape from the recorded getItem above; an absent key's GetItem response body is `{}` (DynamoDB GetItem API: "If there is no matching item, GetItem does not return any data").
    const input = { TableName: TABLE, Key: { id: { S: 'absent' } } };
    const out = ddbMeta('2');
    expect(await run('get-only', input)).toEqual(expected(input, [
      { name: 'GetItem', resourceType: 'dynamodb', resource: 'getItem', parameters: input, output: out },
    ]));
  });

  test('updateItem with ReturnValues UPDATED_NEW', async () => {
    // Definition as recorded AWS: test_dynamodb_task_service DYNAMODB_PUT_UPDATE_GET_ITEM; Content-Length is the response body's length.
    const { item, key } = fresh();
    const input = { TableName: TABLE, Item: item, Key: key, UpdateExpression: 'set S=:r', ExpressionAttributeValues: { ':r': { S: 'HelloWorldUpdated' } } };
    const body = { Attributes: { S: { S: 'HelloWorldUpdated' } } };
    const out = { ...body, ...ddbMeta(String(JSON.stringify(body).length)) };
    expect(await run('put-update', input)).toEqual(expected(input, [
      { name: 'PutItem', resourceType: 'dynamodb', resource: 'putItem', parameters: { TableName: TABLE, Item: item }, output: ddbMeta('2'), stateOutput: input },
      { name: 'UpdateItem', resourceType: 'dynamodb', resource: 'updateItem', parameters: { TableName: TABLE, Key: key, UpdateExpression: 'set S=:r', ExpressionAttributeValues: { ':r': { S: 'HelloWorldUpdated' } }, ReturnValues: 'UPDATED_NEW' }, output: out, stateOutput: { ...input, updateItemOutput: out } },
    ]));
  });

  test('putItem then deleteItem', async () => {
    // Recorded AWS: test_dynamodb_task_service DYNAMODB_PUT_DELETE_ITEM (deleteItem answers only the HTTP metadata, Content-Length 2).
    const { item, key } = fresh();
    const input = { TableName: TABLE, Item: item, Key: key };
    const out = ddbMeta('2');
    expect(await run('put-delete', input)).toEqual(expected(input, [
      { name: 'PutItem', resourceType: 'dynamodb', resource: 'putItem', parameters: { TableName: TABLE, Item: item }, output: out, stateOutput: input },
      { name: 'DeleteItem', resourceType: 'dynamodb', resource: 'deleteItem', parameters: { TableName: TABLE, Key: key }, output: out, stateOutput: { ...input, deleteItemOutput: out } },
    ]));
  });

  test('putItem into a table that does not exist fails with DynamoDB.ResourceNotFoundException', async () => {
    // Recorded AWS: localstack tests/aws/services/stepfunctions/v2/error_handling/test_task_service_dynamodb.snapshot.json test_put_item_no_such_table
    const input = { TableName: 'no-such-table', Item: ITEM };
    const cause = expect.stringMatching(/^Requested resource not found \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ResourceNotFoundException; Request ID: [^;]+; Proxy: null\)$/);
    expect(await run('put-only', input)).toEqual(expected(input, [
      { name: 'PutItem', resourceType: 'dynamodb', resource: 'putItem', parameters: input, error: 'DynamoDB.ResourceNotFoundException', cause },
    ]));
  });

  test('a conditional putItem that fails: DynamoDB.ConditionalCheckFailedException', async () => {
    // Error naming and cause format as recorded AWS (test_task_service_dynamodb test_put_item_no_such_table);
    // the message is DynamoDB's ConditionalCheckFailedException message.
    const { item } = fresh();
    await run('put-only', { TableName: TABLE, Item: item });
    const input = { TableName: TABLE, Item: item };
    const cause = expect.stringMatching(/^The conditional request failed \(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: [^;]+; Proxy: null\)$/);
    expect(await run('put-cond', input)).toEqual(expected(input, [
      { name: 'PutItem', resourceType: 'dynamodb', resource: 'putItem', parameters: { ...input, ConditionExpression: 'attribute_not_exists(id)' }, error: 'DynamoDB.ConditionalCheckFailedException', cause },
    ]));
  });
});

describe('DynamoDB SDK integrations', () => {
  test('aws-sdk:dynamodb putItem then getItem: the bare API response, no HTTP metadata', async () => {
    // Recorded AWS: localstack tests/aws/services/stepfunctions/v2/services/test_aws_sdk_task_service.snapshot.json (aws-sdk dynamodb put/get: resourceType "aws-sdk:dynamodb", output {} and {Item}).
    const { item, key } = fresh();
    const input = { TableName: TABLE, Item: item, Key: key };
    const afterPut = { ...input, putItemOutput: {} };
    expect(await run('sdk-put-get', input)).toEqual(expected(input, [
      { name: 'PutItem', resourceType: 'aws-sdk:dynamodb', resource: 'putItem', parameters: { TableName: TABLE, Item: item }, output: {}, stateOutput: afterPut },
      { name: 'GetItem', resourceType: 'aws-sdk:dynamodb', resource: 'getItem', parameters: { TableName: TABLE, Key: key }, output: { Item: item }, stateOutput: { ...afterPut, getItemOutput: { Item: item } } },
    ]));
  });

  test('aws-sdk:dynamodb conditional putItem that fails: DynamoDb.ConditionalCheckFailedException', async () => {
    // SDK integrations name errors `<Service>.<Exception>` with the SDK's service name (DynamoDb):
    // https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html (error handling).
    const { item } = fresh();
    await run('put-only', { TableName: TABLE, Item: item });
    const input = { TableName: TABLE, Item: item };
    const cause = expect.stringMatching(/^The conditional request failed \(Service: DynamoDb, Status Code: 400, Request ID: [^)]+\)$/);
    expect(await run('sdk-put-cond', input)).toEqual(expected(input, [
      { name: 'PutItem', resourceType: 'aws-sdk:dynamodb', resource: 'putItem', parameters: { ...input, ConditionExpression: 'attribute_not_exists(id)' }, error: 'DynamoDb.ConditionalCheckFailedException', cause },
    ]));
  });
});

describe('EventBridge putEvents', () => {
  test('putEvents succeeds: one EventId per entry, FailedEntryCount 0', async () => {
    // Recorded AWS: localstack tests/aws/services/stepfunctions/v2/services/test_events_task_service.snapshot.json test_put_events_base
    const Entries = [
      { Detail: '{"Message": "HelloWorld0"}', DetailType: 'TestMessage', Source: 'some.source', EventBusName: BUS },
      { Detail: { Message: 'HelloWorld1' }, DetailType: 'TestMessage', Source: 'some.source', EventBusName: BUS },
    ];
    const out = { Entries: [{ EventId: expect.any(String) }, { EventId: expect.any(String) }], FailedEntryCount: 0 };
    expect(await run('put-events', { Entries })).toEqual(expected({ Entries }, [
      { name: 'PutEvents', resourceType: 'events', resource: 'putEvents', parameters: { Entries }, output: out },
    ]));
  });

  test('putEvents with a malformed Detail fails with EventBridge.FailedEntry', async () => {
    // Recorded AWS: test_events_task_service test_put_events_malformed_detail (cause is the PutEvents answer, as JSON).
    const Entries = [{ Detail: '"jsonstring"', DetailType: 'TestMessage', Source: 'some.source', EventBusName: BUS }];
    const cause = { Entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' }], FailedEntryCount: 1 };
    expect(await run('put-events', { Entries })).toEqual(expected({ Entries }, [
      { name: 'PutEvents', resourceType: 'events', resource: 'putEvents', parameters: { Entries }, error: 'EventBridge.FailedEntry', cause },
    ]));
  });
});

describe('Step Functions startExecution', () => {
  const params = (arn: string, name: string) => ({ StateMachineArn: arn, Input: { Hello: 'World' }, Name: name });

  test('startExecution (request response): ExecutionArn, StartDate and HTTP metadata', async () => {
    // Recorded AWS: localstack tests/aws/services/stepfunctions/v2/services/test_sfn_task_service.snapshot.json test_start_execution_input_json
    const input = params(rt.stateMachineArn('Fixture-hchildok'), 'hist-request');
    const out = { ExecutionArn: expect.stringMatching(/:execution:Fixture-hchildok:hist-request$/), ...sfnMeta(), StartDate: expect.anything() };
    expect(await run('start', input)).toEqual(expected(input, [
      { name: 'StartExecution', resourceType: 'states', resource: 'startExecution', parameters: input, output: out },
    ]));
  });

  test('startExecution of a machine that does not exist: StepFunctions.StateMachineDoesNotExistException', async () => {
    // Recorded AWS: localstack tests/aws/services/stepfunctions/v2/error_handling/test_task_service_sfn.snapshot.json test_start_execution_no_such_arn
    const arn = rt.stateMachineArn('Fixture-hchildok').replace(/hchildok$/, 'nosuchmachine');
    const input = params(arn, 'hist-missing');
    const cause = expect.stringMatching(new RegExp(`^State Machine Does Not Exist: '${arn}' \\(Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist; Request ID: [^;]+; Proxy: null\\)$`));
    expect(await run('start', input)).toEqual(expected(input, [
      { name: 'StartExecution', resourceType: 'states', resource: 'startExecution', parameters: input, error: 'StepFunctions.StateMachineDoesNotExistException', cause },
    ]));
  });

  /** DescribeExecution's answer as `.sync` returns it (https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html). */
  const described = (name: string, machine: string, status: string, extra: Record<string, unknown>) => ({
    ExecutionArn: expect.stringMatching(new RegExp(`:execution:${machine}:${name}$`)), StateMachineArn: expect.stringMatching(new RegExp(`:stateMachine:${machine}$`)),
    Name: name, Status: status, StartDate: expect.anything(), StopDate: expect.anything(), InputDetails: { Included: true }, ...extra,
  });
  const submitted = (name: string, machine: string) => ({ ExecutionArn: expect.stringMatching(new RegExp(`:execution:${machine}:${name}$`)), ...sfnMeta(), StartDate: expect.anything() });

  test('.sync, child succeeds: TaskSubmitted with the StartExecution answer, then DescribeExecution with Input/Output as JSON text', async () => {
    const input = params(rt.stateMachineArn('Fixture-hchildok'), 'hist-sync');
    const out = described('hist-sync', 'Fixture-hchildok', 'SUCCEEDED', { Input: '{"Hello":"World"}', Output: '{"answer":42}', OutputDetails: { Included: true } });
    expect(await run('start-sync', input)).toEqual(expected(input, [
      { name: 'StartExecution', resourceType: 'states', resource: 'startExecution.sync', parameters: input, submitted: submitted('hist-sync', 'Fixture-hchildok'), output: out },
    ]));
  });

  test('.sync, child fails: States.TaskFailed with the child description as cause', async () => {
    const input = params(rt.stateMachineArn('Fixture-hchildfail'), 'hist-sync-fail');
    const cause = described('hist-sync-fail', 'Fixture-hchildfail', 'FAILED', { Input: '{"Hello":"World"}', Error: 'ChildError', Cause: 'child broke' });
    expect(await run('start-sync', input)).toEqual(expected(input, [
      { name: 'StartExecution', resourceType: 'states', resource: 'startExecution.sync', parameters: input, submitted: submitted('hist-sync-fail', 'Fixture-hchildfail'), error: 'States.TaskFailed', cause },
    ]));
  });

  test('.sync:2, child succeeds: Input/Output parsed', async () => {
    const input = params(rt.stateMachineArn('Fixture-hchildok'), 'hist-sync2');
    const out = described('hist-sync2', 'Fixture-hchildok', 'SUCCEEDED', { Input: { Hello: 'World' }, Output: { answer: 42 }, OutputDetails: { Included: true } });
    expect(await run('start-sync2', input)).toEqual(expected(input, [
      { name: 'StartExecution', resourceType: 'states', resource: 'startExecution.sync:2', parameters: input, submitted: submitted('hist-sync2', 'Fixture-hchildok'), output: out },
    ]));
  });
});
