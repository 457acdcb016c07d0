/**
 * TransactWriteItems and TransactGetItems in the local store (dynalite has neither), through the
 * real SDK v3 DynamoDBClient against the runtime's endpoint, and through a Step Functions
 * `aws-sdk:dynamodb:transactWriteItems` task. Expected behaviour from the DynamoDB API reference:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CancellationReason.html
 */
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import {
  AttributeValue, DynamoDBClient, GetItemCommand, PutItemCommand, TransactGetItemsCommand, TransactionCanceledException, TransactWriteItem,
  TransactWriteItemsCommand, UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { localClientConfig, LocalRuntime } from '../../local/runtime';
import { synthFixture } from './fixture-app';

/** A transfer between two accounts in one transaction; a cancelled one is caught. */
const cdkOut = synthFixture((stack) => {
  const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  const amount = { N: sfn.JsonPath.stringAt('$.amount') };
  const transfer = new tasks.CallAwsService(stack, 'Transfer', {
    service: 'dynamodb', action: 'transactWriteItems', iamResources: [table.tableArn], resultPath: sfn.JsonPath.DISCARD,
    parameters: { TransactItems: [
      { Update: { TableName: table.tableName, Key: { pk: { S: sfn.JsonPath.stringAt('$.from') } }, UpdateExpression: 'SET balance = balance - :amount',
        ConditionExpression: 'balance >= :amount', ExpressionAttributeValues: { ':amount': amount } } },
      { Update: { TableName: table.tableName, Key: { pk: { S: sfn.JsonPath.stringAt('$.to') } }, UpdateExpression: 'SET balance = balance + :amount',
        ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':amount': amount } } },
    ] },
  });
  transfer.addCatch(new sfn.Pass(stack, 'Refused'), { errors: ['DynamoDb.TransactionCanceledException'], resultPath: '$.error' });
  new sfn.StateMachine(stack, 'Transfers', { stateMachineName: 'Fixture-transfers', definitionBody: sfn.DefinitionBody.fromChainable(transfer) });
});

let rt: LocalRuntime;
let ddb: DynamoDBClient;
let sfnClient: SFNClient;
let table: string;
beforeAll(async () => {
  rt = await LocalRuntime.start({ cdkOut, synth: 'never' });
  ddb = new DynamoDBClient({ ...localClientConfig(rt.endpointUrl), maxAttempts: 1 });
  sfnClient = new SFNClient(localClientConfig(rt.endpointUrl));
  table = rt.tableName('Table');
});
afterAll(async () => { ddb?.destroy(); sfnClient?.destroy(); await rt?.stop(); });

const S = (s: string): AttributeValue => ({ S: s });
const N = (n: number): AttributeValue => ({ N: String(n) });
const get = async (pk: string) => (await ddb.send(new GetItemCommand({ TableName: table, Key: { pk: S(pk) } }))).Item;
const put = (pk: string, attrs: Record<string, AttributeValue> = {}) => ddb.send(new PutItemCommand({ TableName: table, Item: { pk: S(pk), ...attrs } }));
const write = (TransactItems: TransactWriteItem[], ClientRequestToken?: string) => ddb.send(new TransactWriteItemsCommand({ TransactItems, ClientRequestToken }));
const increment = (pk: string, condition = 'attribute_exists(pk)'): TransactWriteItem => ({
  Update: { TableName: table, Key: { pk: S(pk) }, UpdateExpression: 'ADD n :one', ConditionExpression: condition, ExpressionAttributeValues: { ':one': N(1) } },
});
const cancelled = (p: Promise<unknown>) => p.then(() => { throw new Error('expected TransactionCanceledException'); }, (e: unknown) => {
  expect(e).toBeInstanceOf(TransactionCanceledException);
  return e as TransactionCanceledException;
});

describe('TransactWriteItems', () => {
  test('all or nothing: one failed condition cancels every action, with reasons in request order', async () => {
    await put('a1', { n: N(1) });
    await put('a2', { n: N(2) });
    await put('a3', { n: N(5), tag: S('old') });
    const err = await cancelled(write([
      { Put: { TableName: table, Item: { pk: S('a-new'), n: N(1) }, ConditionExpression: 'attribute_not_exists(pk)' } },
      increment('a1'),
      { Delete: { TableName: table, Key: { pk: S('a2') } } },
      { ConditionCheck: { TableName: table, Key: { pk: S('a3') }, ConditionExpression: 'n = :ten', ExpressionAttributeValues: { ':ten': N(10) }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
    ]));
    expect(err.CancellationReasons).toEqual([
      { Code: 'None' }, { Code: 'None' }, { Code: 'None' },
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: S('a3'), n: N(5), tag: S('old') } },
    ]);
    expect(err.message).toBe('Transaction cancelled, please refer cancellation reasons for specific reasons [None, None, None, ConditionalCheckFailed]');
    expect(await get('a-new')).toBeUndefined();
    expect(await get('a1')).toEqual({ pk: S('a1'), n: N(1) });
    expect(await get('a2')).toEqual({ pk: S('a2'), n: N(2) });
    expect(await get('a3')).toEqual({ pk: S('a3'), n: N(5), tag: S('old') });
    // Every condition holds: every action applies.
    await write([
      { Put: { TableName: table, Item: { pk: S('a-new'), n: N(1) }, ConditionExpression: 'attribute_not_exists(pk)' } },
      increment('a1'),
      { Delete: { TableName: table, Key: { pk: S('a2') } } },
      { ConditionCheck: { TableName: table, Key: { pk: S('a3') }, ConditionExpression: 'n = :five', ExpressionAttributeValues: { ':five': N(5) } } },
    ]);
    expect(await get('a-new')).toEqual({ pk: S('a-new'), n: N(1) });
    expect((await get('a1'))?.n).toEqual(N(2));
    expect(await get('a2')).toBeUndefined();
    expect(await get('a3')).toEqual({ pk: S('a3'), n: N(5), tag: S('old') });
  });

  test('every condition is evaluated: each failing one is reported, Item only with ALL_OLD', async () => {
    await put('b1', { n: N(1) });
    await put('b2', { n: N(1) });
    const err = await cancelled(write([
      increment('b1', 'n > :one'),
      increment('b2'),
      { ConditionCheck: { TableName: table, Key: { pk: S('b-missing') }, ConditionExpression: 'attribute_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
    ]));
    expect(err.CancellationReasons).toEqual([
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
      { Code: 'None' },
      // An absent item has no old image to return; the check did not create it either.
      { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed' },
    ]);
    expect((await get('b2'))?.n).toEqual(N(1));
    expect(await get('b-missing')).toBeUndefined();
  });

  test("an action's own validation error is a cancellation reason; a malformed request is a ValidationException", async () => {
    await put('c1', { n: N(1), label: S('text') });
    const err = await cancelled(write([
      { Update: { TableName: table, Key: { pk: S('c1-other') }, UpdateExpression: 'SET n = :one', ExpressionAttributeValues: { ':one': N(1) } } },
      { Update: { TableName: table, Key: { pk: S('c1') }, UpdateExpression: 'ADD label :one', ExpressionAttributeValues: { ':one': N(1) } } },
    ]));
    expect(err.CancellationReasons).toEqual([{ Code: 'None' }, { Code: 'ValidationError', Message: 'An operand in the update expression has an incorrect data type' }]);
    expect(await get('c1-other')).toBeUndefined();
    await expect(write([
      { Put: { TableName: table, Item: { pk: S('c-new') } } },
      { Update: { TableName: table, Key: { pk: S('c1') }, UpdateExpression: 'SET = oops' } },
    ])).rejects.toMatchObject({ name: 'ValidationException' });
    expect(await get('c-new')).toBeUndefined();
  });

  test.each<[string, () => TransactWriteItem[], string]>([
    ['no actions', () => [], 'ValidationException'],
    ['more than 100 actions', () => Array.from({ length: 101 }, (_, i) => ({ Put: { TableName: table, Item: { pk: S(`v${i}`) } } })), 'ValidationException'],
    ['two actions on one item', () => [{ Put: { TableName: table, Item: { pk: S('v1'), x: N(1) } } }, increment('v1')], 'ValidationException'],
    ['an entry with two actions', () => [{ Put: { TableName: table, Item: { pk: S('v1') } }, Delete: { TableName: table, Key: { pk: S('v2') } } }], 'ValidationException'],
    ['a ConditionCheck without a condition', () => [{ ConditionCheck: { TableName: table, Key: { pk: S('v1') } } as never }], 'ValidationException'],
    ['an Update without an expression', () => [{ Update: { TableName: table, Key: { pk: S('v1') } } as never }], 'ValidationException'],
    ['a table that does not exist', () => [{ Put: { TableName: 'no-such-table', Item: { pk: S('v1') } } }], 'ResourceNotFoundException'],
  ])('refuses %s, changing nothing', async (_name, items, error) => {
    await expect(write(items())).rejects.toMatchObject({ name: error });
    expect(await get('v1')).toBeUndefined();
  });

  test('ClientRequestToken: the same request again succeeds without effect, a different one is refused, for 10 minutes', async () => {
    await put('t1', { n: N(0) });
    await write([increment('t1')], 'token-1');
    await write([increment('t1')], 'token-1');
    expect((await get('t1'))?.n).toEqual(N(1));
    await expect(write([increment('t1'), increment('t2', 'attribute_not_exists(pk)')], 'token-1')).rejects.toMatchObject({ name: 'IdempotentParameterMismatchException' });
    await expect(write([increment('t1')], 'x'.repeat(37))).rejects.toMatchObject({ name: 'ValidationException' });
    // A cancelled request is not remembered: fixing the data and retrying with its token applies it.
    const failing = [increment('t1'), increment('t3')];
    await cancelled(write(failing, 'token-2'));
    await put('t3', { n: N(0) });
    await write(failing, 'token-2');
    expect([(await get('t1'))?.n, (await get('t3'))?.n]).toEqual([N(2), N(1)]);
    await rt.clock.advance(10 * 60_000);
    await write([increment('t1'), increment('t3')], 'token-1'); // a new request now
    expect((await get('t1'))?.n).toEqual(N(3));
  });

  test('serializable: 50 concurrent increments of two items, 50 cancelled ones and 50 plain writes lose no update', async () => {
    await put('hot-a', { n: N(0), m: N(0) });
    await put('hot-b', { n: N(0) });
    const torn: number[] = [];
    const ok = Array.from({ length: 50 }, () => write([increment('hot-a'), increment('hot-b')]));
    // Each applies both increments, then fails on the third action and is rolled back.
    const rolledBack = Array.from({ length: 50 }, () => cancelled(write([increment('hot-a'), increment('hot-b'), increment('hot-missing')])));
    const plain = Array.from({ length: 50 }, () => ddb.send(new UpdateItemCommand({ TableName: table, Key: { pk: S('hot-a') }, UpdateExpression: 'ADD m :one', ExpressionAttributeValues: { ':one': N(1) } })));
    const readers = Array.from({ length: 20 }, async () => {
      const out = await ddb.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: table, Key: { pk: S('hot-a') } } }, { Get: { TableName: table, Key: { pk: S('hot-b') } } }] }));
      const [a, b] = out.Responses!.map((r) => Number(r.Item!.n.N));
      if (a !== b) torn.push(a - b);
    });
    await Promise.all([...ok, ...rolledBack, ...plain, ...readers]);
    expect(await get('hot-a')).toEqual({ pk: S('hot-a'), n: N(50), m: N(50) });
    expect(await get('hot-b')).toEqual({ pk: S('hot-b'), n: N(50) });
    expect(torn).toEqual([]);
  });
});

describe('TransactGetItems', () => {
  test('returns the items in request order, an empty response for an absent one, with projections', async () => {
    await put('g1', { n: N(1), x: S('a') });
    const out = await ddb.send(new TransactGetItemsCommand({ TransactItems: [
      { Get: { TableName: table, Key: { pk: S('g-missing') } } },
      { Get: { TableName: table, Key: { pk: S('g1') }, ProjectionExpression: '#x', ExpressionAttributeNames: { '#x': 'x' } } },
    ] }));
    expect(out.Responses).toEqual([{}, { Item: { x: S('a') } }]);
    await expect(ddb.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: table, Key: { pk: S('g1') } } }, { Get: { TableName: table, Key: { pk: S('g1') } } }] })))
      .rejects.toMatchObject({ name: 'ValidationException' });
  });
});

describe('a Step Functions aws-sdk:dynamodb:transactWriteItems task', () => {
  const run = async (input: Record<string, unknown>) => {
    const { executionArn } = await sfnClient.send(new StartExecutionCommand({ stateMachineArn: rt.stateMachineArn('transfers'), input: JSON.stringify(input) }));
    for (let i = 0; i < 500; i++) {
      const d = await sfnClient.send(new DescribeExecutionCommand({ executionArn }));
      if (d.status !== 'RUNNING') return { ...d, states: (await sfnClient.send(new GetExecutionHistoryCommand({ executionArn }))).events!.map((e) => e.stateEnteredEventDetails?.name).filter(Boolean) };
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('execution did not end');
  };

  test('moves the amount atomically, and a refused transfer is caught with its reasons and changes nothing', async () => {
    await put('alice', { balance: N(100) });
    await put('bob', { balance: N(0) });
    expect(await run({ from: 'alice', to: 'bob', amount: '30' })).toMatchObject({ status: 'SUCCEEDED', states: ['Transfer'] });
    expect([(await get('alice'))?.balance, (await get('bob'))?.balance]).toEqual([N(70), N(30)]);
    const refused = await run({ from: 'alice', to: 'bob', amount: '500' });
    expect(refused).toMatchObject({ status: 'SUCCEEDED', states: ['Transfer', 'Refused'] });
    expect(JSON.parse(refused.output!).error).toMatchObject({ Error: 'DynamoDb.TransactionCanceledException', Cause: expect.stringContaining('[ConditionalCheckFailed, None]') });
    expect(await run({ from: 'alice', to: 'nobody', amount: '10' })).toMatchObject({ states: ['Transfer', 'Refused'] });
    expect([(await get('alice'))?.balance, (await get('bob'))?.balance]).toEqual([N(70), N(30)]);
  });
});
