import { Aspects, CfnResource, Duration, IAspect, RemovalPolicy, Stack, StackProps, Tags } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { ENV } from '../lambdas/shared/env';
import { CheckoutWorkflow } from '../statemachines/checkout';
import { OrderSagaWorkflow } from '../statemachines/order-saga';
import { ParentWorkflow } from '../statemachines/parent';
import { PaymentsWorkflow } from '../statemachines/payments';
import { ReportWorkflow } from '../statemachines/report';
import { TenantJobsWorkflow } from '../statemachines/tenant-jobs';
import { PipelineWorkflow } from '../statemachines/pipeline';
import { ClusterJobWorkflow } from '../statemachines/cluster-job';
import { ExperimentWorkflow } from '../statemachines/experiment';
import { IsolatedJobsWorkflow } from '../statemachines/isolated-jobs';
import { PartnerLookupWorkflow } from '../statemachines/partner-lookup';
import { PartnerSyncWorkflow } from '../statemachines/partner-sync';
import { TrainingJobsWorkflow } from '../statemachines/training-jobs';
import { acknowledgeAcceptedFindings } from './nag';
import { deadLetterQueue, deadLetterQueueUses, TARGET_RETRY } from './patterns/status-change-rule';
import { TokenBucket } from './patterns/token-bucket';
import { WorkloadClass } from './patterns/workload-isolation';
import { EXECUTION_STATUS_CHANGE, PARENT_REQUESTED, PIPELINE_REQUESTED } from './events';
import { PREFIX } from './state/keys';
import { StateTable } from './state/state-table';
import { TaskFunction } from './task-function';

export interface OrchestrationStackProps extends StackProps {
  /**
   * Removal policy of the state table and the bus archive.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /** How long archived bus events can be replayed. @default Duration.days(30) */
  readonly archiveRetention?: Duration;
  /** Where the alarms on dead-letter queues and on-failure destinations notify. @default no alarm action */
  readonly alarmTopic?: sns.ITopic;
}

/** The one stack: state table, custom bus with archive, workflows and their triggers. */
export class OrchestrationStack extends Stack {
  readonly state: StateTable;
  readonly bus: events.EventBus;
  readonly pipeline: PipelineWorkflow;
  readonly parent: ParentWorkflow;
  readonly payments: PaymentsWorkflow;
  readonly checkout: CheckoutWorkflow;
  readonly report: ReportWorkflow;
  readonly orderSaga: OrderSagaWorkflow;
  readonly tenantJobs: TenantJobsWorkflow;
  readonly partnerApi: TokenBucket;
  readonly partnerSync: PartnerSyncWorkflow;
  readonly partnerLookup: PartnerLookupWorkflow;
  readonly trainingJobs: TrainingJobsWorkflow;
  readonly experiment: ExperimentWorkflow;
  readonly clusterJob: ClusterJobWorkflow;
  readonly critical: WorkloadClass;
  readonly batch: WorkloadClass;
  readonly criticalJobs: IsolatedJobsWorkflow;
  readonly batchJobs: IsolatedJobsWorkflow;

  constructor(scope: Construct, id: string, props: OrchestrationStackProps = {}) {
    super(scope, id, props);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.state = new StateTable(this, 'State', { removalPolicy });

    this.bus = new events.EventBus(this, 'Bus', { eventBusName: `${this.stackName}-bus` });
    this.bus.archive('Archive', {
      archiveName: `${this.stackName}-archive`,
      description: 'Every event on the orchestration bus, for replay',
      eventPattern: { account: [this.account] },
      retention: props.archiveRetention ?? Duration.days(30),
    });

    this.pipeline = new PipelineWorkflow(this, 'Pipeline', { table: this.state.table });
    this.parent = new ParentWorkflow(this, 'Parent', { pipeline: this.pipeline.stateMachine, bus: this.bus });
    this.payments = new PaymentsWorkflow(this, 'PaymentsWorkflow', { table: this.state.table, bus: this.bus });
    this.checkout = new CheckoutWorkflow(this, 'Checkout', { table: this.state.table, bus: this.bus });
    this.report = new ReportWorkflow(this, 'Report', { table: this.state.table });
    this.orderSaga = new OrderSagaWorkflow(this, 'OrderSaga', { table: this.state.table, bus: this.bus });
    this.tenantJobs = new TenantJobsWorkflow(this, 'TenantJobs', { table: this.state.table });

    // Resource management: one partner quota shared by two workflows, a GPU pool, a budget, teardown,
    // and two workload classes with capacity of their own.
    this.partnerApi = new TokenBucket(this, 'PartnerApiQuota', { table: this.state.table, bucketName: 'partner-api', capacity: 10, refillPerSecond: 5 });
    this.partnerSync = new PartnerSyncWorkflow(this, 'PartnerSync', { bucket: this.partnerApi });
    this.partnerLookup = new PartnerLookupWorkflow(this, 'PartnerLookup', { bucket: this.partnerApi, partnerFunction: this.partnerSync.partnerFunction });
    this.trainingJobs = new TrainingJobsWorkflow(this, 'TrainingJobs', { table: this.state.table });
    this.experiment = new ExperimentWorkflow(this, 'Experiment', { table: this.state.table, bus: this.bus });
    this.clusterJob = new ClusterJobWorkflow(this, 'ClusterJob', { table: this.state.table });
    this.critical = new WorkloadClass(this, 'CriticalWorkload', { table: this.state.table, className: 'critical', slots: 2, quota: { capacity: 20, refillPerSecond: 10 } });
    // Batch is high volume: its quota is spread over 4 items (see the README on sharding).
    this.batch = new WorkloadClass(this, 'BatchWorkload', { table: this.state.table, className: 'batch', slots: 3, quota: { capacity: 40, refillPerSecond: 20, shards: 4 } });
    this.criticalJobs = new IsolatedJobsWorkflow(this, 'CriticalJobs', { workload: this.critical });
    this.batchJobs = new IsolatedJobsWorkflow(this, 'BatchJobs', { workload: this.batch });

    // Each target gets its own DLQ (so a failure is attributable), EventBridge's retry policy, and an
    // input transformed into the workflow's `{ request, trigger }` shape.
    const dlq = (id: string) => deadLetterQueue(this, `${id}Dlq`);
    const workflowInput = events.RuleTargetInput.fromObject({
      request: events.EventField.fromPath('$.detail'),
      trigger: { eventId: events.EventField.eventId, source: events.EventField.source, time: events.EventField.time },
    });
    const retry = TARGET_RETRY;
    new events.Rule(this, 'PipelineRequestedRule', {
      eventBus: this.bus,
      description: 'PipelineRequested -> pipeline',
      eventPattern: { source: [PIPELINE_REQUESTED.source], detailType: [PIPELINE_REQUESTED.detailType] },
      targets: [new targets.SfnStateMachine(this.pipeline.stateMachine, { input: workflowInput, deadLetterQueue: dlq('PipelineTarget'), ...retry })],
    });
    new events.Rule(this, 'ParentRequestedRule', {
      eventBus: this.bus,
      description: 'ParentRequested -> parent',
      eventPattern: { source: [PARENT_REQUESTED.source], detailType: [PARENT_REQUESTED.detailType] },
      targets: [new targets.SfnStateMachine(this.parent.stateMachine, { input: workflowInput, deadLetterQueue: dlq('ParentTarget'), ...retry })],
    });

    // Step Functions publishes status changes to the account's default bus; the ledger records them.
    const ledger = new TaskFunction(this, 'ExecutionLedgerFn', {
      handlerDir: 'execution-ledger',
      invokedAsynchronously: true,
      environment: { [ENV.STATE_TABLE]: this.state.table.tableName },
    });
    // Least privilege: the ledger writes only ledger items (EXECUTION#<executionArn>).
    ledger.role.addToPolicy(new iam.PolicyStatement({
      actions: ['dynamodb:PutItem'], resources: [this.state.table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${PREFIX.execution}*`] } },
    }));
    new events.Rule(this, 'ExecutionStatusRule', {
      description: 'Execution Status Change of this stack\'s workflows -> execution ledger',
      eventPattern: {
        source: [EXECUTION_STATUS_CHANGE.source],
        detailType: [EXECUTION_STATUS_CHANGE.detailType],
        detail: { stateMachineArn: [this.pipeline.stateMachine.stateMachineArn, this.parent.stateMachine.stateMachineArn] },
      },
      targets: [new targets.LambdaFunction(ledger.function, { deadLetterQueue: dlq('LedgerTarget'), ...retry })],
    });

    Tags.of(this).add('project', 'serverless-orchestration');
    // At synthesis, so that whatever is added later is covered too: the accepted cdk-nag findings
    // (lib/nag.ts), an alarm on every DLQ, and a refusal of async Lambda targets without a destination.
    acknowledgeAcceptedFindings(this);
    Aspects.of(this).add(new AlarmOnDeadLetterQueues(props.alarmTopic));
    this.node.addValidation({ validate: () => asyncTargetsWithoutOnFailure(this) });
  }
}

/**
 * An alarm on the depth of every queue the stack uses as a dead-letter queue or an on-failure
 * destination (found by `deadLetterQueueUses`, so a new DLQ is covered without a line of its own):
 * one message visible within 5 minutes means an event was given up on.
 */
export class AlarmOnDeadLetterQueues implements IAspect {
  constructor(private readonly topic?: sns.ITopic) {}

  visit(node: IConstruct): void {
    if (!Stack.isStack(node)) return;
    for (const [queue, users] of deadLetterQueueUses(node)) {
      const scope = queue.node.scope!;
      if (scope.node.tryFindChild('DepthAlarm')) continue;
      const alarm = new cloudwatch.Alarm(scope, 'DepthAlarm', {
        alarmDescription: `Failed events are waiting in ${scope.node.path} (the dead-letter queue or on-failure destination of ${users.join(', ')}): read them, fix the cause, redrive.`,
        metric: new cloudwatch.Metric({
          namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensionsMap: { QueueName: queue.attrQueueName },
          statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(5),
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        datapointsToAlarm: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      if (this.topic) alarm.addAlarmAction(new cwActions.SnsAction(this.topic));
    }
  }
}

/**
 * One error per Lambda function that an EventBridge rule targets (so invokes asynchronously) with
 * no on-failure destination: after Lambda's own retries such an event would be dropped.
 */
export function asyncTargetsWithoutOnFailure(stack: Stack): string[] {
  const resources = stack.node.findAll().filter(CfnResource.isCfnResource);
  const byLogicalId = new Map(resources.map((r) => [stack.resolve(r.logicalId) as string, r]));
  const withOnFailure = new Set(resources
    .filter((r): r is lambda.CfnEventInvokeConfig => r instanceof lambda.CfnEventInvokeConfig)
    .filter((c) => (stack.resolve(c.destinationConfig) as { onFailure?: { destination?: unknown } } | undefined)?.onFailure?.destination !== undefined)
    .map((c) => (stack.resolve(c.functionName) as { Ref?: string }).Ref));
  const errors: string[] = [];
  for (const rule of resources.filter((r): r is events.CfnRule => r instanceof events.CfnRule)) {
    for (const target of (stack.resolve(rule.targets) ?? []) as { arn?: unknown }[]) {
      const [logicalId] = (target.arn as { 'Fn::GetAtt'?: [string, string] })?.['Fn::GetAtt'] ?? [];
      const fn = logicalId === undefined ? undefined : byLogicalId.get(logicalId);
      if (!(fn instanceof lambda.CfnFunction) || withOnFailure.has(logicalId)) continue;
      errors.push(`${fn.node.scope!.node.path}: the target of ${rule.node.path} is invoked asynchronously and has no on-failure destination, `
        + 'so an event that fails Lambda\'s retries would be lost; create it with TaskFunctionProps.invokedAsynchronously: true');
    }
  }
  return errors;
}
