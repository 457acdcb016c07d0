import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PREFIX } from '../lib/state/keys';
import { ENV } from '../lambdas/shared/env';
import { CheckpointedSteps } from '../lib/patterns/checkpoint';
import { requireInput } from '../lib/patterns/input-check';
import { retryProps } from '../lib/patterns/retry';
import { TaskFunction } from '../lib/task-function';
import { WorkflowStateMachine } from '../lib/workflow-state-machine';

export interface ReportWorkflowProps {
  readonly table: dynamodb.ITable;
  /** @default false */
  readonly cleanupOnSuccess?: boolean;
}

/**
 * `report` (checkpoint and resume): extract -> transform -> load -> publish, each step checkpointed.
 * Input `{ request: { runId, rows? } }`. Re-running a failed run id resumes at its first incomplete step.
 */
export class ReportWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly checkpoints: CheckpointedSteps;

  constructor(scope: Construct, id: string, props: ReportWorkflowProps) {
    super(scope, id);
    const fn = new TaskFunction(this, 'ReportStepFn', { handlerDir: 'report-step', environment: { [ENV.STATE_TABLE]: props.table.tableName } });
    // Least privilege: the demo effect writes only its own items (EFFECT#report#<runId>).
    fn.role.addToPolicy(new iam.PolicyStatement({
      actions: ['dynamodb:UpdateItem'], resources: [props.table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${PREFIX.effect}report#*`] } },
    }));
    this.checkpoints = new CheckpointedSteps(this, 'Checkpoints', { table: props.table, workflowName: 'report', ttl: Duration.days(7), cleanupOnSuccess: props.cleanupOnSuccess });
    const step = (name: string, s: string) => this.checkpoints.step(name, (idempotency) => {
      const t = new tasks.LambdaInvoke(this, name, {
        lambdaFunction: fn.function,
        payload: sfn.TaskInput.fromObject({ 'runId.$': '$.run.runId', step: s, 'rows.$': '$.rows', ...idempotency }),
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
      });
      t.addRetry(retryProps());
      return t;
    });
    const rows = new sfn.Choice(this, 'HasRows')
      .when(sfn.Condition.isPresent('$.request.rows'), new sfn.Pass(this, 'UseRows', { inputPath: '$.request.rows', resultPath: '$.rows' }))
      .otherwise(new sfn.Pass(this, 'UseDefaultRows', { result: sfn.Result.fromNumber(10), resultPath: '$.rows' }))
      .afterwards();
    const definition = requireInput(this, [{ path: '$.request.runId', type: 'string' }],
      this.checkpoints.begin().next(rows)
        .next(step('Extract', 'extract')).next(step('Transform', 'transform')).next(step('Load', 'load')).next(step('Publish', 'publish'))
        .next(this.checkpoints.finish()).next(new sfn.Succeed(this, 'Reported')));
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', { workflowName: 'report', definition }).stateMachine;
  }
}
