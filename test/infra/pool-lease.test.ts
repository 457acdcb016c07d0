/**
 * The pool's lease against the worst case of the work it guards (lib/patterns/worst-case.ts): computed
 * when not given, refused at synth when too short or when the work has no bound. Every app here is
 * built in-process, without bundling (the definitions do not depend on the Lambda code).
 */
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { buildApp } from '../../bin/app';
import { RETRY_PRESETS } from '../../lambdas/shared/retry-presets';
import { Pool, POOL_HANDOFF_SECONDS, PoolProps } from '../../lib/patterns/pool';
import { retryProps } from '../../lib/patterns/retry';
import { TaskFunction } from '../../lib/task-function';

const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };

// Train: a LambdaInvoke of a 15-minute function with the transient preset (3 retries, 1 s x2, at most
// 30 s, full jitter, which only shortens a delay). Every attempt runs to the function's timeout:
// 900 x (1 + 3) + (1 + 2 + 4) = 3607 s, plus the 60 s hand-off = 3667 s.
const TRAIN_WORST_CASE = 900 * (1 + 3) + (1 + 2 + 4);
const TRAIN_LEASE = TRAIN_WORST_CASE + 60;

type Resources = Record<string, { Type: string; Properties: Record<string, any> }>;

/** Each state machine's definition as ASL (tokens, which only stand inside JSON strings, become a placeholder). */
function definitions(template: Template): { States: Record<string, Record<string, any>> }[] {
  return Object.values(template.findResources('AWS::StepFunctions::StateMachine') as Resources).map((r) => {
    const join = (r.Properties.DefinitionString as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    return JSON.parse(join ? join[1].map((p) => (typeof p === 'string' ? p : 'TOKEN')).join(join[0]) : r.Properties.DefinitionString);
  });
}

/**
 * The leaseSeconds of every acquire and release payload of a withSlot id, across the template's machines
 * (the acquire is a lambda:invoke with Parameters.Payload; the releases are payload-only Lambda tasks).
 */
function payloadLeases(template: Template, id: string): Record<string, unknown> {
  const names = [`Acquire${id}Slot`, `Release${id}Slot`, `Release${id}SlotAfterFailure`, `Leave${id}Queue`];
  const out: Record<string, unknown> = {};
  for (const d of definitions(template)) {
    for (const n of names) {
      const parameters = d.States[n]?.Parameters;
      if (parameters) out[n] = (parameters.Payload ?? parameters).leaseSeconds;
    }
  }
  return out;
}

function expectPoolFunctionsLease(template: Template, poolName: string, lease: number) {
  for (const service of ['pool-slots', 'pool-reaper']) {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POOL_NAME: poolName, POWERTOOLS_SERVICE_NAME: service, POOL_LEASE_SECONDS: String(lease) }) },
    });
  }
}

describe('the app: the gpu pool of training-jobs', () => {
  const { stack } = buildApp(new App({ context: NO_BUNDLING }));
  const template = Template.fromStack(stack);

  test('has no explicit lease: it is computed from Train\'s worst case, 4 x 900 + 7 + 60 = 3667 s', () => {
    expect(TRAIN_LEASE).toBe(3667);
    expect(stack.trainingJobs.pool.leaseSeconds).toBe(TRAIN_LEASE);
  });
  test('the SlotFn and ReaperFn get POOL_LEASE_SECONDS 3667', () => {
    expectPoolFunctionsLease(template, 'gpu', TRAIN_LEASE);
    // Exactly those two functions belong to the gpu pool.
    expect(Object.keys(template.findResources('AWS::Lambda::Function', { Properties: { Environment: { Variables: Match.objectLike({ POOL_NAME: 'gpu' }) } } }))).toHaveLength(2);
  });
  test('the acquire and release payloads carry leaseSeconds 3667', () => {
    expect(payloadLeases(template, 'Gpu')).toEqual({
      AcquireGpuSlot: TRAIN_LEASE, ReleaseGpuSlot: TRAIN_LEASE, ReleaseGpuSlotAfterFailure: TRAIN_LEASE, LeaveGpuQueue: TRAIN_LEASE,
    });
  });
});

describe('a fixture pool', () => {
  /** A stack with one pool; each work gets its own state machine (attached), guarded under `Jobs`. */
  function fixture(props: Partial<PoolProps>, works: (scope: Construct, table: dynamodb.ITable) => Record<string, sfn.IChainable>) {
    const app = new App({ context: NO_BUNDLING });
    const stack = new Stack(app, 'Fixture');
    const table = new dynamodb.Table(stack, 'State', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING }, removalPolicy: RemovalPolicy.DESTROY,
    });
    const pool = new Pool(stack, 'GpuPool', { table, poolName: 'gpu', slots: 2, ...props });
    const jobs = new Construct(stack, 'Jobs');
    for (const [id, work] of Object.entries(works(jobs, table))) {
      pool.attach(new sfn.StateMachine(jobs, `${id}Machine`, { definitionBody: sfn.DefinitionBody.fromChainable(pool.withSlot(jobs, id, work)) }));
    }
    return { app, stack, pool };
  }
  /** The same kind of work as the app's Train. */
  const train = (scope: Construct, id = 'Train') => {
    const fn = new TaskFunction(scope, `${id}Fn`, { handlerDir: 'call-dependency', timeout: Duration.minutes(15) });
    const t = new tasks.LambdaInvoke(scope, id, {
      lambdaFunction: fn.function, payload: sfn.TaskInput.fromObject({ dependency: 'gpu' }), payloadResponseOnly: true, retryOnServiceExceptions: false, resultPath: '$.model',
    });
    return t.addRetry(retryProps());
  };

  test('a 30-minute lease guarding Train fails synth, naming PoolProps.lease, the pool, the withSlot id and the seconds needed', () => {
    const { app } = fixture({ lease: Duration.minutes(30) }, (s) => ({ Gpu: train(s) }));
    let message = '';
    try { app.synth(); } catch (e) { message = (e as Error).message; }
    expect(message).toContain('[Fixture/GpuPool]'); // the construct whose validation failed
    expect(message).toContain('PoolProps.lease');
    expect(message).toContain("withSlot('Gpu') in Fixture/Jobs");
    expect(message).toContain(`the lease is 1800 s, shorter than the work's worst case of ${TRAIN_WORST_CASE} s`);
    expect(message).toContain(`set it to at least ${TRAIN_LEASE} s`);
  });

  test('a lease one second short of worst case + hand-off fails; exactly that lease synthesizes and is rendered', () => {
    const short = fixture({ lease: Duration.seconds(TRAIN_LEASE - 1) }, (s) => ({ Gpu: train(s) }));
    expect(() => short.app.synth()).toThrow(`at least ${TRAIN_LEASE} s`);

    const exact = fixture({ lease: Duration.seconds(TRAIN_WORST_CASE + POOL_HANDOFF_SECONDS) }, (s) => ({ Gpu: train(s) }));
    const template = Template.fromStack(exact.stack);
    expectPoolFunctionsLease(template, 'gpu', TRAIN_LEASE);
    expect(payloadLeases(template, 'Gpu')).toMatchObject({ AcquireGpuSlot: TRAIN_LEASE });
  });

  test('a longer explicit lease synthesizes and is used as given (not the computed one)', () => {
    const { stack, pool } = fixture({ lease: Duration.hours(2) }, (s) => ({ Gpu: train(s) }));
    const template = Template.fromStack(stack);
    expect(pool.leaseSeconds).toBe(7200);
    expectPoolFunctionsLease(template, 'gpu', 7200);
    expect(payloadLeases(template, 'Gpu')).toMatchObject({ AcquireGpuSlot: 7200 });
  });

  // Neither has a bound: no lease can cover it, explicit or computed.
  test.each([
    ['a DynamoDB CallAwsService without taskTimeout', 'DescribeState', (s: Construct, table: dynamodb.ITable) => new tasks.CallAwsService(s, 'DescribeState', {
      service: 'dynamodb', action: 'describeTable', parameters: { TableName: table.tableName }, iamResources: [table.tableArn],
    }), 'DescribeState is a Task without TimeoutSeconds'],
    ['a Map', 'EachShard', (s: Construct) => new sfn.Map(s, 'EachShard', { itemsPath: '$.shards' }).itemProcessor(new sfn.Pass(s, 'Shard')), 'EachShard is a Map'],
  ])('%s fails synth naming the state, with or without a lease', (_what, _state, work, reason) => {
    for (const props of [{}, { lease: Duration.days(1) }]) {
      const { app } = fixture(props, (s, table) => ({ Sweep: work(s, table) }));
      let message = '';
      try { app.synth(); } catch (e) { message = (e as Error).message; }
      expect(message).toContain('[Fixture/GpuPool]');
      expect(message).toContain("PoolProps.lease: withSlot('Sweep') in Fixture/Jobs guards work with no worst case");
      expect(message).toContain(`(${reason}`);
    }
  });

  test('two works on one pool: the computed lease covers the longer one, whichever comes first', () => {
    // Index: a DynamoDB read (10 s timeout, dynamodb preset: 10 x (1 + 3) + 7 = 47 s), then a 2-hour Wait:
    // 47 + 7200 = 7247 s, longer than Train's 3607 s. Lease: 7247 + 60 = 7307 s.
    const index = (s: Construct, table: dynamodb.ITable) => new tasks.DynamoGetItem(s, 'ReadIndex', {
      table, key: { pk: tasks.DynamoAttributeValue.fromString('INDEX'), sk: tasks.DynamoAttributeValue.fromString('INDEX') }, taskTimeout: sfn.Timeout.duration(Duration.seconds(10)), resultPath: '$.index',
    }).addRetry(retryProps(RETRY_PRESETS.dynamodb)).next(new sfn.Wait(s, 'Rebuild', { time: sfn.WaitTime.duration(Duration.hours(2)) }));
    const lease = 10 * (1 + 3) + (1 + 2 + 4) + 7200 + 60;
    expect(lease).toBe(7307);

    const { stack, pool } = fixture({}, (s, table) => ({ Gpu: train(s), Index: index(s, table) }));
    const template = Template.fromStack(stack);
    expect(pool.leaseSeconds).toBe(lease);
    expectPoolFunctionsLease(template, 'gpu', lease);
    expect(payloadLeases(template, 'Gpu')).toMatchObject({ AcquireGpuSlot: lease, ReleaseGpuSlot: lease });
    expect(payloadLeases(template, 'Index')).toMatchObject({ AcquireIndexSlot: lease, ReleaseIndexSlot: lease });

    // The other order gives the same lease; and with Train alone it is Train's again, so 7307 came from Index.
    expect(fixture({}, (s, table) => ({ Index: index(s, table), Gpu: train(s) })).pool.leaseSeconds).toBe(lease);
    expect(fixture({}, (s) => ({ Gpu: train(s) })).pool.leaseSeconds).toBe(TRAIN_LEASE);
  });
});
