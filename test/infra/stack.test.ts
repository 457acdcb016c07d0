import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { CfnElement } from 'aws-cdk-lib';
import { buildApp } from '../../bin/app';
import { OrchestrationStack } from '../../lib/orchestration-stack';
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
    // 2 triggers, the ledger and the pipeline's claim release, plus a reaper per pool, the budget's settle rule and the teardown recovery.
    expect(rules).toHaveLength(4 + POOLS.length + 1 + 1);
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
    // Every queue has the policy enforceSSL adds (a Deny on aws:SecureTransport false).
    const queues = Object.keys(resources).filter((k) => resources[k].Type === 'AWS::SQS::Queue');
    const policies = Object.values(resources).filter((r) => r.Type === 'AWS::SQS::QueuePolicy');
    expect(policies.flatMap((p) => p.Properties.Queues.map((q: { Ref: string }) => q.Ref)).sort()).toEqual(queues.sort());
    for (const p of policies) expect(p.Properties.PolicyDocument.Statement).toEqual(expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]));
  });
});

describe('failures are never lost: async on-failure destinations and DLQ alarms', () => {
  /** The queues the template uses as a DLQ of a rule target or as an on-failure destination, found independently of lib/. */
  const dlqIds = () => [...new Set(Object.values(resources).flatMap((r) => {
    if (r.Type === 'AWS::Events::Rule') return (r.Properties.Targets as { DeadLetterConfig?: { Arn: { 'Fn::GetAtt': string[] } } }[]).map((t) => t.DeadLetterConfig?.Arn['Fn::GetAtt'][0]);
    if (r.Type === 'AWS::Lambda::EventInvokeConfig') return [r.Properties.DestinationConfig?.OnFailure?.Destination?.['Fn::GetAtt']?.[0]];
    return [];
  }).filter((x): x is string => x !== undefined))].sort();

  test('every Lambda that a rule targets has an on-failure queue of its own: 2 retries, events up to 6 hours old', () => {
    const ruleTargets = Object.values(resources).filter((r) => r.Type === 'AWS::Events::Rule')
      .flatMap((r) => r.Properties.Targets.map((t: { Arn: unknown }) => (t.Arn as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt']?.[0]))
      .filter((x: string | undefined) => x !== undefined && resources[x].Type === 'AWS::Lambda::Function') as string[];
    // The execution ledger, the pipeline's claim release, a reaper per pool, the budget's settlement.
    expect(ruleTargets.sort()).toEqual([stack.node.findChild('ExecutionLedgerFn') as TaskFunction, stack.pipeline.claimReleaseFunction, ...POOLS.map((p) => p.reaperFunction), stack.experiment.budget.settleFunction].map((f) => id(f.function)).sort());
    for (const fnId of ruleTargets) {
      const owner = stack.node.findAll().find((c) => c instanceof TaskFunction && id(c.function) === fnId) as TaskFunction;
      expect(owner.onFailureQueue).toBeDefined();
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: fnId }, Qualifier: '$LATEST', MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [id(owner.onFailureQueue!.node.defaultChild as CfnElement), 'Arn'] } } },
      });
    }
  });
  test('a TaskFunction has no on-failure queue unless invokedAsynchronously', () => {
    const s = new Stack();
    const plain = new TaskFunction(s, 'Plain', { handlerDir: 'generate-data' });
    const async = new TaskFunction(s, 'Async', { handlerDir: 'generate-data', invokedAsynchronously: true });
    expect(plain.onFailureQueue).toBeUndefined();
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
    t.resourceCountIs('AWS::SQS::Queue', 1);
    t.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    expect(async.onFailureQueue).toBeDefined();
  });
  test('a Lambda rule target without an on-failure destination fails synth, naming the function', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const s = new OrchestrationStack(app, 'Lossy');
    const fn = new TaskFunction(s, 'ForgetfulFn', { handlerDir: 'execution-ledger' });
    new events.Rule(s, 'Every', { schedule: events.Schedule.rate(Duration.hours(1)), targets: [new targets.LambdaFunction(fn.function)] });
    expect(() => app.synth()).toThrow(/Lossy\/ForgetfulFn\/Function: the target of Lossy\/Every\/Resource is invoked asynchronously and has no on-failure destination.*TaskFunctionProps.invokedAsynchronously: true/);
  });
  test('one alarm per DLQ and on-failure queue, on its own depth: >= 1 visible message in 5 minutes, missing data not breaching', () => {
    const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    const queues = dlqIds();
    // 4 stack rule targets, a reaper per pool, the settlement and the teardown recovery; and the on-failure queues
    // (ledger, claim release, reapers, settlement).
    expect(queues).toHaveLength(4 + POOLS.length + 1 + 1 + (2 + POOLS.length + 1));
    expect(alarms).toHaveLength(queues.length);
    expect(alarms.map((a) => a.Properties.Dimensions[0].Value['Fn::GetAtt'][0]).sort()).toEqual(queues);
    for (const a of alarms) {
      expect(a.Properties).toMatchObject({
        Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible', Statistic: 'Maximum', Period: 300,
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [expect.any(String), 'QueueName'] } }],
        Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, DatapointsToAlarm: 1, TreatMissingData: 'notBreaching',
      });
      expect(a.Properties.AlarmActions).toBeUndefined();
    }
  });
  test('a new DLQ is alarmed without a line of its own, a work queue is not, and alarms notify OrchestrationStackProps.alarmTopic', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const s = new OrchestrationStack(app, 'Alarmed', { alarmTopic: sns.Topic.fromTopicArn(new Stack(app, 'Ops'), 'Topic', 'arn:aws:sns:us-east-1:123456789012:ops') });
    const work = new sqs.Queue(s, 'WorkQueue');
    const dlq = new sqs.Queue(s, 'WorkDlq');
    new sqs.Queue(s, 'Worked', { deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
    const t = Template.fromStack(s).toJSON().Resources as typeof resources;
    const alarmed = Object.values(t).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    const onQueue = (q: sqs.Queue) => alarmed.filter((a) => a.Properties.Dimensions[0].Value['Fn::GetAtt'][0] === s.getLogicalId(q.node.defaultChild as CfnElement));
    expect(onQueue(dlq)).toHaveLength(1);
    expect(onQueue(work)).toHaveLength(0);
    for (const a of alarmed) expect(a.Properties.AlarmActions).toEqual(['arn:aws:sns:us-east-1:123456789012:ops']);
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
  test('state machines log errors only, without execution data (no task tokens, no payloads), and trace with X-Ray', () => {
    template.resourceCountIs('AWS::StepFunctions::StateMachine', stack.node.findAll().filter((c) => c instanceof WorkflowStateMachine).length);
    template.allResourcesProperties('AWS::StepFunctions::StateMachine', {
      LoggingConfiguration: Match.objectLike({ Level: 'ERROR', IncludeExecutionData: false }),
      TracingConfiguration: { Enabled: true },
    });
  });
  test('WorkflowStateMachineProps.logging turns full logging on for one workflow', () => {
    const s = new Stack();
    new WorkflowStateMachine(s, 'Debug', { workflowName: 'debug', definition: new sfn.Pass(s, 'Noop'), logging: { level: sfn.LogLevel.ALL, includeExecutionData: true } });
    new WorkflowStateMachine(s, 'Fatal', { workflowName: 'fatal', definition: new sfn.Pass(s, 'Noop2'), logging: { level: sfn.LogLevel.FATAL } });
    const t = Template.fromStack(s);
    t.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: Match.stringLikeRegexp('-debug$'), LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }) });
    t.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: Match.stringLikeRegexp('-fatal$'), LoggingConfiguration: Match.objectLike({ Level: 'FATAL', IncludeExecutionData: false }) });
  });
  test('full logging of a machine with a callback task warns at synth that task tokens reach the logs', () => {
    const s = new Stack();
    const fn = new lambda.Function(s, 'Fn', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
    const park = () => new tasks.LambdaInvoke(s, `Park${Math.random().toString(36).slice(2, 6)}`, {
      lambdaFunction: fn, integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN, payload: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken }),
    });
    new WorkflowStateMachine(s, 'Debug', { workflowName: 'debug', definition: park(), logging: { level: sfn.LogLevel.ALL, includeExecutionData: true } });
    new WorkflowStateMachine(s, 'Quiet', { workflowName: 'quiet', definition: park() });
    const warnings = Annotations.fromStack(s).findWarning('*', Match.stringLikeRegexp('task tokens'));
    expect(warnings.map((w) => w.id)).toEqual(['/Default/Debug']);
  });
  test('the .sync child grant names the child\'s executions exactly: execution:<name>:*', () => {
    const policy = Object.values(resources).find((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.Roles) === JSON.stringify([{ Ref: id(stack.parent.stateMachine.role as iam.Role) }]))!;
    const st = (policy.Properties.PolicyDocument.Statement as Record<string, any>[]).filter((x) => [].concat(x.Action).includes('states:DescribeExecution' as never));
    expect(st).toHaveLength(1);
    expect(st[0].Action).toEqual(['states:DescribeExecution', 'states:StopExecution']);
    const parts = st[0].Resource['Fn::Join'][1] as unknown[];
    expect(parts.slice(-3)).toEqual([':execution:', { 'Fn::Select': [6, { 'Fn::Split': [':', { Ref: id(stack.pipeline.stateMachine) }] }] }, ':*']);
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
    expect(text).toContain('attribute_not_exists(pk) OR #expiresAt < :now OR #status IN (:failed, :aborted, :timedOut)');
  });
});

// Least privilege for every role: test/infra/least-privilege.test.ts. cdk-nag: test/infra/nag.test.ts.

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
