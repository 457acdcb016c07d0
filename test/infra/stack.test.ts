import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { CfnElement } from 'aws-cdk-lib';
import { buildApp } from '../../bin/app';
import { ALLOWED_WORKFLOW_WILDCARDS } from '../../lib/nag';
import { PERMANENT_ERROR_NAMES, TRANSIENT_ERROR_NAMES } from '../../lambdas/shared/errors';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Bulkhead } from '../../lib/patterns/bulkhead';
import { CheckpointedSteps } from '../../lib/patterns/checkpoint';
import { CircuitBreaker } from '../../lib/patterns/circuit-breaker';
import { GracefulDegradation } from '../../lib/patterns/graceful-degradation';
import { Saga } from '../../lib/patterns/saga';
import { BudgetGate } from '../../lib/patterns/budget-gate';
import { Pool } from '../../lib/patterns/pool';
import { TokenBucket } from '../../lib/patterns/token-bucket';
import { WorkloadClass } from '../../lib/patterns/workload-isolation';
import { StateTable } from '../../lib/state/state-table';
import { TaskFunction } from '../../lib/task-function';
import { WorkflowStateMachine } from '../../lib/workflow-state-machine';
import { ParentWorkflow } from '../../statemachines/parent';
import { PipelineWorkflow } from '../../statemachines/pipeline';

// One synthesis (with cdk-nag's AwsSolutions checks, which throw on any unacknowledged finding).
const { stack } = buildApp(new App());
const template = Template.fromStack(stack);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Record<string, any> }>;
const POOLS = [stack.trainingJobs.pool, stack.critical.pool, stack.batch.pool];
const id = (c: { node: { defaultChild?: unknown } } | CfnElement) => stack.getLogicalId((c instanceof CfnElement ? c : c.node.defaultChild) as CfnElement);

/** Every statement of every policy attached to a role: [actions, resources as JSON strings]. */
function statementsOf(roleLogicalId: string): { actions: string[]; resources: string[] }[] {
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: roleLogicalId }]))
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Record<string, any>[])
    .map((s) => ({ actions: [].concat(s.Action), resources: [].concat(s.Resource).map((x) => JSON.stringify(x)) }));
}

describe('state table', () => {
  test('on-demand, point-in-time recovery, KMS encryption, TTL on expiresAt, retained by default', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    });
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
  });
  test('the removal policy is configurable', () => {
    const s = new Stack();
    new StateTable(s, 'T', { removalPolicy: RemovalPolicy.DESTROY });
    Template.fromStack(s).hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
  });
});

describe('bus and rules', () => {
  test('a custom bus with an archive', () => {
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'Orchestration-bus' });
    template.hasResourceProperties('AWS::Events::Archive', { SourceArn: { 'Fn::GetAtt': [id(stack.bus), 'Arn'] }, RetentionDays: 30 });
  });
  test('every rule target has a DLQ and a retry policy', () => {
    const rules = Object.values(resources).filter((r) => r.Type === 'AWS::Events::Rule');
    // 2 triggers and the ledger, plus a reaper per pool, the budget's settle rule and the teardown recovery.
    expect(rules).toHaveLength(3 + POOLS.length + 1 + 1);
    for (const rule of rules) {
      for (const t of rule.Properties.Targets) {
        expect(t.DeadLetterConfig?.Arn).toBeDefined();
        expect(t.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 7200, MaximumRetryAttempts: 8 });
      }
    }
  });
  test('PipelineRequested is routed to pipeline with its input transformed into { request, trigger }', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: { Ref: id(stack.bus) },
      EventPattern: { source: ['orchestration.pipeline'], 'detail-type': ['PipelineRequested'] },
      Targets: [Match.objectLike({
        Arn: { Ref: id(stack.pipeline.stateMachine) },
        InputTransformer: { InputPathsMap: Match.objectLike({ detail: '$.detail', id: '$.id' }), InputTemplate: Match.stringLikeRegexp('^\\{"request":<detail>,"trigger":') },
      })],
    });
  });
  test('status changes of this stack\'s workflows, on the default bus, go to the ledger', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.absent(),
      EventPattern: { source: ['aws.states'], 'detail-type': ['Step Functions Execution Status Change'], detail: { stateMachineArn: [{ Ref: id(stack.pipeline.stateMachine) }, { Ref: id(stack.parent.stateMachine) }] } },
    });
  });
  test('dead-letter queues are encrypted and refuse plain HTTP', () => {
    template.allResourcesProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    template.resourceCountIs('AWS::SQS::QueuePolicy', 3 + POOLS.length + 1 + 1);
  });
});

describe('functions and state machines', () => {
  test('every function runs on Node 24 / arm64 with JSON logs in its own log group', () => {
    const fns = Object.values(resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    // Every function is a TaskFunction (Node 24, arm64, own log group): none is created another way.
    expect(fns).toHaveLength(stack.node.findAll().filter((c) => c instanceof TaskFunction).length);
    expect(fns.length).toBeGreaterThanOrEqual(8);
    for (const f of fns) {
      expect(f.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], LoggingConfig: { LogFormat: 'JSON' } });
      expect(f.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME).toBeDefined();
    }
  });
  test('state machines log ALL with execution data and trace with X-Ray', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', stack.node.findAll().filter((c) => c instanceof WorkflowStateMachine).length);
    template.allResourcesProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
      TracingConfiguration: { Enabled: true },
    });
  });
  test('pipeline retries transient errors with full jitter and never retries validation errors', () => {
    // Join the definition (tokens replaced by a placeholder) and inspect every Retry, branches included.
    const text = (resources[id(stack.pipeline.stateMachine)].Properties.DefinitionString['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'X')).join('');
    const retriers: { ErrorEquals: string[]; JitterStrategy?: string }[] = [];
    const walk = (states: Record<string, any>) => {
      for (const st of Object.values(states)) {
        retriers.push(...(st.Retry ?? []));
        for (const b of st.Branches ?? []) walk(b.States);
      }
    };
    walk(JSON.parse(text).States);
    const lambdaRetriers = retriers.filter((r) => r.ErrorEquals.includes('TransientError'));
    expect(lambdaRetriers.length).toBe(8);
    for (const r of lambdaRetriers) expect(r).toMatchObject({ ErrorEquals: [...TRANSIENT_ERROR_NAMES], JitterStrategy: 'FULL', BackoffRate: 2, MaxDelaySeconds: 30 });
    for (const r of retriers) for (const name of PERMANENT_ERROR_NAMES) expect(r.ErrorEquals).not.toContain(name);
    expect(text).toContain('attribute_not_exists(pk) OR #expiresAt < :now OR #status = :failed');
  });
});

describe('least privilege', () => {
  const fnArns = (fns: TaskFunction[]) => fns.map((f) => JSON.stringify({ 'Fn::GetAtt': [id(f.function), 'Arn'] }));
  const tableArn = JSON.stringify({ 'Fn::GetAtt': [id(stack.state.table), 'Arn'] });
  /** The table's ARN, as GetAtt or as the Join CDK renders for direct integrations; never an index or a wildcard. */
  const isTable = (r: string) => r === tableArn || (r.includes('":table/",{"Ref":"' + id(stack.state.table) + '"}]') && !r.includes('*') && !r.includes('/index'));
  const isAllowedStar = (s: { actions: string[] }) => s.actions.every((a) => a.startsWith('xray:') || a.startsWith('logs:'));

  test('pipeline reaches only its own functions and the state table', () => {
    const own = fnArns(stack.pipeline.functions);
    const dynamoActions = new Set<string>();
    for (const s of statementsOf(id(stack.pipeline.stateMachine.role as iam.Role))) {
      if (s.actions.includes('lambda:InvokeFunction')) {
        for (const r of s.resources) expect(own.some((arn) => r === arn || r.includes(arn.slice(1, -1)))).toBe(true);
      } else if (s.actions.some((a) => a.startsWith('dynamodb:'))) {
        s.actions.forEach((a) => dynamoActions.add(a));
        expect(s.resources.length).toBeGreaterThan(0);
        for (const r of s.resources) expect(isTable(r)).toBe(true);
      } else {
        expect(s.resources).toEqual(['"*"']);
        expect(isAllowedStar(s)).toBe(true);
      }
    }
    expect([...dynamoActions].sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
  });
  test('parent reaches only its own functions, the bus and pipeline', () => {
    const own = fnArns(stack.parent.functions);
    const seen = new Set<string>();
    for (const s of statementsOf(id(stack.parent.stateMachine.role as iam.Role))) {
      for (const a of s.actions) seen.add(a);
      if (s.actions.includes('lambda:InvokeFunction')) for (const r of s.resources) expect(own.some((arn) => r === arn || r.includes(arn.slice(1, -1)))).toBe(true);
      else if (s.actions.includes('events:PutEvents')) expect(s.resources).toEqual([JSON.stringify({ 'Fn::GetAtt': [id(stack.bus), 'Arn'] })]);
      else if (s.actions.includes('states:StartExecution')) expect(s.resources).toEqual([JSON.stringify({ Ref: id(stack.pipeline.stateMachine) })]);
      else if (s.actions.includes('states:DescribeExecution')) expect(s.resources.join()).toContain(id(stack.pipeline.stateMachine));
      else if (s.actions.includes('events:PutRule')) expect(s.resources.join()).toContain('StepFunctionsGetEventsForStepFunctionsExecutionRule');
      else { expect(s.resources).toEqual(['"*"']); expect(isAllowedStar(s)).toBe(true); }
    }
    expect(seen.has('dynamodb:PutItem')).toBe(false);
  });
  test('the ledger function may only put items in the state table and write its own logs', () => {
    const ledger = Object.entries(resources).find(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME === 'execution-ledger')!;
    const roleId = ledger[1].Properties.Role['Fn::GetAtt'][0];
    const stmts = statementsOf(roleId);
    expect(stmts.map((s) => s.actions.sort().join(','))).toEqual(['logs:CreateLogStream,logs:PutLogEvents', 'dynamodb:PutItem']);
    expect(stmts[1].resources).toEqual([tableArn]);
    expect(stmts[0].resources[0]).toContain('Logs');
  });
  test('no function role has a managed policy', () => {
    for (const r of Object.values(resources).filter((x) => x.Type === 'AWS::IAM::Role')) expect(r.Properties.ManagedPolicyArns).toBeUndefined();
  });
});

describe('cdk-nag', () => {
  test('the app synthesizes with zero unacknowledged AwsSolutions findings', () => {
    // buildApp registered AwsSolutionsChecks; Template.fromStack above synthesized through it.
    expect(template.toJSON().Resources).toBeDefined();
    const { app } = buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [] } }));
    expect(() => app.synth()).not.toThrow();
  });
  test('a new kind of wildcard on a workflow role fails synth', () => {
    const { app, stack: s } = buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [] } }));
    s.pipeline.stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: ['*'] }));
    expect(() => app.synth()).toThrow();
  });
  test('only the four documented wildcard kinds are acknowledged', () => {
    expect(ALLOWED_WORKFLOW_WILDCARDS).toHaveLength(4);
  });
});

describe('wrong props fail at synth, naming the prop', () => {
  const table = () => { const s = new Stack(); return { s, t: new dynamodb.Table(s, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }) }; };
  test('PipelineWorkflowProps.runRetention', () => {
    const { s, t } = table();
    expect(() => new PipelineWorkflow(s, 'P', { table: t, runRetention: Duration.seconds(5) })).toThrow(/P: PipelineWorkflowProps.runRetention must be at least 60 seconds/);
  });
  test('ParentWorkflowProps.childRetries', () => {
    const { s, t } = table();
    const p = new PipelineWorkflow(s, 'P', { table: t });
    expect(() => new ParentWorkflow(s, 'Q', { pipeline: p.stateMachine, bus: new events.EventBus(s, 'B'), childRetries: 9 })).toThrow(/Q: ParentWorkflowProps.childRetries/);
  });
  test('TaskFunctionProps.timeout and handlerDir', () => {
    const s = new Stack();
    expect(() => new TaskFunction(s, 'F', { handlerDir: 'generate-data', timeout: Duration.minutes(20) })).toThrow(/F: TaskFunctionProps.timeout/);
    expect(() => new TaskFunction(s, 'G', { handlerDir: '../etc' })).toThrow(/G: TaskFunctionProps.handlerDir/);
  });
  test('StateTableProps.encryption', () => {
    expect(() => new StateTable(new Stack(), 'S', { encryption: dynamodb.TableEncryption.DEFAULT })).toThrow(/S: StateTableProps.encryption/);
  });
});

describe('failure-recovery patterns', () => {
  const tableAndBus = () => { const s = new Stack(); return { s, table: new dynamodb.Table(s, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }), bus: new events.EventBus(s, 'B') }; };
  test('the circuit-breaker and bulkhead Lambdas may touch only their own items (dynamodb:LeadingKeys)', () => {
    for (const [fn, prefix] of [[stack.payments.breaker.transitionFunction, 'CIRCUIT#payments'], [stack.tenantJobs.bulkhead.slotFunction, 'BULKHEAD#tenant-jobs']] as const) {
      const stmts = statementsOf(id(fn.role)).filter((st) => st.actions.some((a) => a.startsWith('dynamodb:')));
      expect(stmts).toHaveLength(1);
      expect(stmts[0].actions.sort()).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
      const policy = Object.values(resources).find((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: id(fn.role) }]))!;
      const st = (policy.Properties.PolicyDocument.Statement as Record<string, any>[]).find((x) => [].concat(x.Action).some((a: string) => a.startsWith('dynamodb:')))!;
      expect(st.Condition).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [prefix] } });
    }
  });
  test('the circuit check is a direct DynamoDB read: the payments happy path names no Lambda but the dependency', () => {
    const def = JSON.parse((resources[id(stack.payments.stateMachine)].Properties.DefinitionString['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'X')).join(''));
    expect(def.States.CheckInput.Choices[0].Next).toBe('CheckPaymentsCircuit');
    expect(def.States.CheckPaymentsCircuit.Resource).toMatch(/:states:::dynamodb:getItem$/);
    expect(def.States.CheckPaymentsCircuit.ResultSelector['now.$']).toBe('$$.State.EnteredTime');
    expect(def.States.RoutePaymentsCall.Type).toBe('Choice');
    expect(def.States.RoutePaymentsCall.Choices.slice(0, 2).map((c: { Next: string }) => c.Next)).toEqual(['CallPayments', 'CallPayments']);
  });
  test('bulkhead workers have reserved concurrency = slots x item concurrency', () => {
    for (const [name, slots] of [['tenant-a', 2 * 2], ['tenant-b', 3 * 2]] as const) {
      template.hasResourceProperties('AWS::Lambda::Function', { FunctionName: Match.absent(), ReservedConcurrentExecutions: slots, Role: { 'Fn::GetAtt': [id(stack.tenantJobs.workers.get(name)!.role), 'Arn'] } });
    }
  });
  test('wrong props fail at synth, naming the prop', () => {
    const { s, table, bus } = tableAndBus();
    expect(() => new CircuitBreaker(s, 'C1', { table, bus, dependency: 'has space' })).toThrow(/C1: CircuitBreakerProps.dependency/);
    expect(() => new CircuitBreaker(s, 'C2', { table, bus, dependency: 'x', threshold: 0 })).toThrow(/C2: CircuitBreakerProps.threshold/);
    expect(() => new CircuitBreaker(s, 'C3', { table, bus, dependency: 'x', cooldown: Duration.millis(10) })).toThrow(/C3: CircuitBreakerProps.cooldown/);
    const cb = new CircuitBreaker(s, 'C4', { table, bus, dependency: 'x' });
    expect(() => cb.protect(new sfn.Pass(s, 'P1'), { resultPath: '$' })).toThrow(/C4: ProtectOptions.resultPath/);
    cb.protect(new sfn.Pass(s, 'P2'));
    expect(() => cb.protect(new sfn.Pass(s, 'P3'))).toThrow(/ProtectOptions.prefix "C4" is already used/);
    expect(() => new Saga(s, 'S1', { table, bus, sagaName: 'o', steps: [] })).toThrow(/S1: SagaProps.steps must name at least one step/);
    const fn = new TaskFunction(s, 'F', { handlerDir: 'call-dependency' }).function;
    expect(() => new Saga(s, 'S2', { table, bus, sagaName: 'o', steps: [{ name: 'A', action: fn, compensation: fn }, { name: 'A', action: fn, compensation: fn }] })).toThrow(/S2: SagaProps.steps names must be unique/);
    expect(() => new CheckpointedSteps(s, 'K1', { table, workflowName: 'w', ttl: Duration.seconds(5) })).toThrow(/K1: CheckpointedStepsProps.ttl/);
    expect(() => new Bulkhead(s, 'B1', { table, bulkheadName: 'b', partitions: [{ name: 'p', slots: 0 }] })).toThrow(/B1: BulkheadProps.partitions p.slots/);
    expect(() => new GracefulDegradation(s, 'G1', { bus, workflowName: 'Bad Name' })).toThrow(/G1: GracefulDegradationProps.workflowName/);
    expect(() => new TaskFunction(s, 'F2', { handlerDir: 'call-dependency', reservedConcurrency: 0 })).toThrow(/F2: TaskFunctionProps.reservedConcurrency/);
  });
});

describe('resource-management patterns', () => {
  const policyOf = (role: iam.IRole, actionPrefix: string) => Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as { Ref: string }[]).some((x) => x.Ref === id(role as iam.Role)))
    .flatMap((r) => r.Properties.PolicyDocument.Statement as Record<string, any>[])
    .filter((st) => [].concat(st.Action).some((a: string) => a.startsWith(actionPrefix)));
  test('bucket and pool Lambdas may touch only their own items (dynamodb:LeadingKeys)', () => {
    const cases: [iam.IRole, string][] = [
      [stack.partnerApi.consumeFunction.role, 'QUOTA#partner-api'], [stack.batch.bucket.consumeFunction.role, 'QUOTA#workload-batch'],
      ...POOLS.flatMap((p) => [[p.slotFunction.role, `POOL#${p.poolName}`], [p.reaperFunction.role, `POOL#${p.poolName}`]] as [iam.IRole, string][]),
    ];
    for (const [role, pk] of cases) {
      const stmts = policyOf(role, 'dynamodb:');
      expect(stmts).toHaveLength(1);
      expect(stmts[0].Condition).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [pk] } });
    }
  });
  test('a pool may wake the tasks of the workflows attached to it only', () => {
    for (const [pool, machines] of [[stack.trainingJobs.pool, [stack.trainingJobs.stateMachine]], [stack.critical.pool, [stack.criticalJobs.stateMachine]]] as const) {
      const stmts = policyOf(pool.slotFunction.role, 'states:');
      expect(stmts.flatMap((s) => [].concat(s.Action))).toEqual(['states:SendTaskSuccess']);
      expect(stmts.flatMap((s) => [].concat(s.Resource))).toEqual(machines.map((m) => ({ Ref: id(m) })));
    }
  });
  test('the acquire waits on a task token with a timeout, and the wait-for-tokens is a Wait on the granted instant', () => {
    const def = JSON.parse((resources[id(stack.trainingJobs.stateMachine)].Properties.DefinitionString['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'X')).join(''));
    expect(def.States.AcquireGpuSlot.Resource).toMatch(/:states:::lambda:invoke\.waitForTaskToken$/);
    expect(def.States.AcquireGpuSlot.TimeoutSeconds).toBe(7200);
    expect(def.States.AcquireGpuSlot.Parameters.Payload['taskToken.$']).toBe('$$.Task.Token');
    expect(def.States.AcquireGpuSlot.Retry[0].ErrorEquals).not.toContain('States.Timeout');
    const sync = JSON.parse((resources[id(stack.partnerSync.stateMachine)].Properties.DefinitionString['Fn::Join'][1] as unknown[]).map((p) => (typeof p === 'string' ? p : 'X')).join(''));
    expect(sync.States.TakePartnerTokensWaitForTokens).toEqual(expect.objectContaining({ Type: 'Wait', TimestampPath: '$.quota.grantAt' }));
  });
  test('workload classes: reserved concurrency and cost-allocation tags on their workers, pools and state machines', () => {
    for (const [cls, workflow, reserved] of [[stack.critical, stack.criticalJobs, 2], [stack.batch, stack.batchJobs, 3]] as const) {
      const fn = resources[id(workflow.worker.function)];
      expect(fn.Properties.ReservedConcurrentExecutions).toBe(reserved);
      for (const r of [fn, resources[id(workflow.stateMachine)], resources[id(cls.pool.slotFunction.function)]]) {
        expect(r.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'workload-class', Value: cls.className }, { Key: 'cost-center', Value: cls.className }]));
      }
    }
  });
  test('the budget settles every end status of the experiment workflow, and the teardown recovers aborts and timeouts', () => {
    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: { source: ['aws.states'], 'detail-type': ['Step Functions Execution Status Change'], detail: { status: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [{ Ref: id(stack.experiment.stateMachine) }] } } });
    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: Match.objectLike({ detail: { status: ['FAILED', 'TIMED_OUT', 'ABORTED'], stateMachineArn: [{ Ref: id(stack.clusterJob.stateMachine) }] } }), Targets: [Match.objectLike({ Arn: { Ref: id(stack.clusterJob.teardown.recovery) } })] });
  });
  test('wrong props fail at synth, naming the prop', () => {
    const { s, table, bus } = (() => { const st = new Stack(); return { s: st, table: new dynamodb.Table(st, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } }), bus: new events.EventBus(st, 'B') }; })();
    expect(() => new TokenBucket(s, 'Q1', { table, bucketName: 'q', capacity: 0, refillPerSecond: 1 })).toThrow(/Q1: TokenBucketProps.capacity/);
    expect(() => new TokenBucket(s, 'Q2', { table, bucketName: 'q', capacity: 2, refillPerSecond: 1, shards: 4 })).toThrow(/Q2: TokenBucketProps.shards/);
    const q = new TokenBucket(s, 'Q3', { table, bucketName: 'q', capacity: 10, refillPerSecond: 1, shards: 2 });
    expect(() => q.consume(s, 'Take', { tokens: 6 })).toThrow(/Take: ConsumeOptions.tokens/);
    expect(() => q.consume(s, 'Take2', { maxWait: Duration.days(2) })).toThrow(/Take2: ConsumeOptions.maxWait/);
    expect(() => new Pool(s, 'P1', { table, poolName: 'p', slots: 0 })).toThrow(/P1: PoolProps.slots/);
    expect(() => new Pool(s, 'P2', { table, poolName: 'bad name', slots: 1 })).toThrow(/P2: PoolProps.poolName/);
    const p = new Pool(s, 'P3', { table, poolName: 'p', slots: 1 });
    expect(() => p.withSlot(s, 'Work', new sfn.Pass(s, 'W'), { priority: 1000 })).toThrow(/Work: WithSlotOptions.priority/);
    expect(() => new BudgetGate(s, 'G1', { table, bus, defaultLimitUsd: -1 })).toThrow(/G1: BudgetGateProps.defaultLimitUsd/);
    expect(() => new BudgetGate(s, 'G2', { table, bus, defaultLimitUsd: 1, threshold: 1.5 })).toThrow(/G2: BudgetGateProps.threshold/);
    expect(() => new WorkloadClass(s, 'W1', { table, className: 'c', slots: 3, reservedConcurrency: 2, quota: { capacity: 1, refillPerSecond: 1 } })).toThrow(/W1: WorkloadClassProps.reservedConcurrency/);
  });
  test('a pool that no workflow is attached to fails synth, saying what to call', () => {
    const app = new App();
    const s = new Stack(app, 'Unattached');
    const table = new dynamodb.Table(s, 'T', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    new Pool(s, 'Lonely', { table, poolName: 'p', slots: 1 });
    expect(() => app.synth()).toThrow(/Lonely: no state machine is attached; call Pool.attach/);
  });
});
