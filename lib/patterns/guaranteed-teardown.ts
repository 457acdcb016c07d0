import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { RETRY_PRESETS } from '../../lambdas/shared/retry-presets';
import { ATTR, PREFIX, SK } from '../state/keys';
import { WorkflowStateMachine } from '../workflow-state-machine';
import { retryProps } from './retry';
import { ExecutionStatusRule } from './status-change-rule';

export interface GuaranteedTeardownProps {
  readonly table: dynamodb.ITable;
  /** Creates the ephemeral resources; its output must describe them at `resourcesPath`. */
  readonly setup: sfn.IChainable;
  /** The work that uses them. */
  readonly work: sfn.IChainable;
  /**
   * Destroys the resources: invoked with `{ executionArn, resources, reason }`, where reason is
   * SUCCEEDED, FAILED, ABORTED or TIMED_OUT. It must be idempotent (a teardown interrupted by an abort
   * is run again by the recovery workflow).
   */
  readonly teardown: lambda.IFunction;
  /** Where setup leaves the description of the resources (any JSON). @default '$.resources' */
  readonly resourcesPath?: string;
  /** Name of the recovery workflow (`<stack>-<name>`). */
  readonly recoveryWorkflowName: string;
}

/**
 * setup -> work -> teardown, where teardown runs exactly once whatever happens: after the work
 * succeeds, after it fails (a Catch), and when the execution is aborted or times out, which a state
 * machine cannot catch itself, through a recovery workflow started by the Execution Status Change
 * event. The resources are recorded in DynamoDB after setup (`TEARDOWN#<executionArn>`), and every
 * teardown first claims them with a conditional write (ACTIVE -> TEARING_DOWN, or -> RECOVERING once
 * the owner has ended), so two paths can never both run it.
 */
export class GuaranteedTeardown extends Construct {
  /** The chain to use as (or inside) the workflow's definition. */
  readonly chain: sfn.Chain;
  readonly recovery: sfn.StateMachine;
  /** The Execution Status Change rule (with its dead-letter queue) that starts the recovery. */
  readonly recoveryRule: ExecutionStatusRule;

  constructor(scope: Construct, id: string, private readonly props: GuaranteedTeardownProps) {
    super(scope, id);
    const resourcesPath = props.resourcesPath ?? '$.resources';
    const key = (arn: string) => ({ [ATTR.pk]: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.format(`${PREFIX.teardown}{}`, arn)), [ATTR.sk]: tasks.DynamoAttributeValue.fromString(SK.resources) });
    const self = key(sfn.JsonPath.stringAt('$$.Execution.Id'));

    const record = new tasks.DynamoPutItem(this, 'RecordResources', {
      table: props.table,
      item: { ...self, status: tasks.DynamoAttributeValue.fromString('ACTIVE'), resources: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt(resourcesPath))) },
      resultPath: sfn.JsonPath.DISCARD,
    });
    record.addRetry(retryProps(RETRY_PRESETS.dynamodb));

    // In-workflow teardown: claim (ACTIVE -> TEARING_DOWN), destroy, mark DONE.
    const teardownPath = (suffix: string, reason: string) => {
      const claim = new tasks.DynamoUpdateItem(this, `ClaimTeardown${suffix}`, {
        table: props.table, key: self,
        updateExpression: 'SET #s = :tearing, claimedBy = :me', conditionExpression: '#s = :active',
        expressionAttributeNames: { '#s': 'status' },
        expressionAttributeValues: { ':tearing': tasks.DynamoAttributeValue.fromString('TEARING_DOWN'), ':active': tasks.DynamoAttributeValue.fromString('ACTIVE'), ':me': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')) },
        resultPath: sfn.JsonPath.DISCARD,
      });
      claim.addRetry(retryProps(RETRY_PRESETS.dynamodb));
      const destroy = this.destroyTask(`Teardown${suffix}`, sfn.JsonPath.stringAt('$$.Execution.Id'), sfn.JsonPath.objectAt(resourcesPath), reason);
      const done = this.markDone(`MarkTornDown${suffix}`, self);
      claim.next(destroy).next(done);
      return { claim, done };
    };
    const ok = teardownPath('', 'SUCCEEDED');
    const failed = teardownPath('AfterFailure', 'FAILED');
    const fail = new sfn.Fail(this, 'WorkFailed', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
    failed.done.next(fail);
    const body = new sfn.Parallel(this, 'RunWork', { resultPath: '$.work', resultSelector: { 'output.$': '$[0]' } }).branch(props.work);
    body.addCatch(failed.claim, { errors: ['States.ALL'], resultPath: '$.error' });
    const finished = new sfn.Succeed(this, 'Finished');
    this.chain = sfn.Chain.start(props.setup).next(record).next(body).next(ok.claim);
    ok.done.next(finished);

    // Recovery: the owner was aborted or timed out (or failed before or inside its own teardown).
    const detailArn = sfn.JsonPath.stringAt('$.detail.executionArn');
    const load = new tasks.DynamoGetItem(this, 'LoadResources', { table: props.table, key: key(detailArn), consistentRead: true, resultPath: '$.record' });
    load.addRetry(retryProps(RETRY_PRESETS.dynamodb));
    const claimRecovery = new tasks.DynamoUpdateItem(this, 'ClaimRecovery', {
      table: props.table, key: key(detailArn),
      updateExpression: 'SET #s = :recovering, claimedBy = :me', conditionExpression: '#s = :active OR #s = :tearing',
      expressionAttributeNames: { '#s': 'status' },
      expressionAttributeValues: {
        ':recovering': tasks.DynamoAttributeValue.fromString('RECOVERING'), ':active': tasks.DynamoAttributeValue.fromString('ACTIVE'),
        ':tearing': tasks.DynamoAttributeValue.fromString('TEARING_DOWN'), ':me': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')),
      },
      resultPath: sfn.JsonPath.DISCARD,
    });
    claimRecovery.addRetry(retryProps(RETRY_PRESETS.dynamodb));
    const nothing = new sfn.Succeed(this, 'NothingToTearDown');
    claimRecovery.addCatch(nothing, { errors: ['DynamoDB.ConditionalCheckFailedException'], resultPath: sfn.JsonPath.DISCARD });
    const recover = this.destroyTask('RecoverTeardown', detailArn, sfn.JsonPath.stringToJson(sfn.JsonPath.stringAt('$.record.Item.resources.S')), sfn.JsonPath.stringAt('$.detail.status'));
    const recoveryDefinition = load.next(new sfn.Choice(this, 'NeedsTeardown')
      .when(sfn.Condition.and(sfn.Condition.isPresent('$.record.Item'), sfn.Condition.not(sfn.Condition.stringEquals('$.record.Item.status.S', 'DONE'))),
        claimRecovery.next(recover).next(this.markDone('MarkRecovered', key(detailArn))).next(new sfn.Succeed(this, 'Recovered')))
      .otherwise(nothing));
    this.recovery = new WorkflowStateMachine(this, 'Recovery', { workflowName: props.recoveryWorkflowName, definition: recoveryDefinition }).stateMachine;
    this.recoveryRule = new ExecutionStatusRule(this, 'RecoveryTrigger', {
      statuses: ['FAILED', 'TIMED_OUT', 'ABORTED'],
      description: 'An ended run whose resources may still exist -> teardown recovery workflow',
      target: (options) => new targets.SfnStateMachine(this.recovery, options),
      attachHint: 'call GuaranteedTeardown.attach(stateMachine) with the workflow that runs the chain',
    });
  }

  /** Subscribes the recovery workflow to this workflow's ends (call once with the owner's state machine). */
  attach(stateMachine: sfn.IStateMachine): void {
    this.recoveryRule.watch(stateMachine);
  }

  private destroyTask(id: string, executionArn: string, resources: unknown, reason: string): tasks.LambdaInvoke {
    const t = new tasks.LambdaInvoke(this, id, {
      lambdaFunction: this.props.teardown,
      payload: sfn.TaskInput.fromObject({ executionArn, resources, reason }),
      payloadResponseOnly: true, retryOnServiceExceptions: false, resultPath: sfn.JsonPath.DISCARD,
    });
    t.addRetry(retryProps(RETRY_PRESETS.compensation));
    return t;
  }

  private markDone(id: string, key: Record<string, tasks.DynamoAttributeValue>): tasks.DynamoUpdateItem {
    const t = new tasks.DynamoUpdateItem(this, id, {
      table: this.props.table, key, updateExpression: 'SET #s = :done', expressionAttributeNames: { '#s': 'status' },
      expressionAttributeValues: { ':done': tasks.DynamoAttributeValue.fromString('DONE') }, resultPath: sfn.JsonPath.DISCARD,
    });
    t.addRetry(retryProps(RETRY_PRESETS.dynamodb));
    return t;
  }
}
