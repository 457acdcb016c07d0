import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ENV } from '../lambdas/shared/env';
import { GuaranteedTeardown } from '../lib/patterns/guaranteed-teardown';
import { requireInput } from '../lib/patterns/input-check';
import { retryProps } from '../lib/patterns/retry';
import { TaskFunction } from '../lib/task-function';
import { WorkflowStateMachine } from '../lib/workflow-state-machine';

export interface ClusterJobWorkflowProps {
  readonly table: dynamodb.ITable;
  /** @default Duration.minutes(30) */
  readonly timeout?: Duration;
}

/**
 * `cluster-job` (guaranteed teardown): `{ request: { runId } }` opens an ephemeral workspace, runs the
 * job on it, and destroys the workspace exactly once: after success, after failure, and (through the
 * `cluster-job-teardown` recovery workflow) after an abort or a timeout.
 */
export class ClusterJobWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly teardown: GuaranteedTeardown;
  readonly workspaceFunction: TaskFunction;
  readonly jobFunction: TaskFunction;

  constructor(scope: Construct, id: string, props: ClusterJobWorkflowProps) {
    super(scope, id);
    this.workspaceFunction = new TaskFunction(this, 'WorkspaceFn', { handlerDir: 'ephemeral-workspace', environment: { [ENV.STATE_TABLE]: props.table.tableName } });
    props.table.grant(this.workspaceFunction.function, 'dynamodb:UpdateItem');
    this.jobFunction = new TaskFunction(this, 'JobFn', { handlerDir: 'call-dependency', timeout: Duration.minutes(15) });
    const setup = new tasks.LambdaInvoke(this, 'OpenWorkspace', {
      lambdaFunction: this.workspaceFunction.function,
      payload: sfn.TaskInput.fromObject({ action: 'create', 'runId.$': '$.request.runId', 'owner.$': '$$.Execution.Id' }),
      payloadResponseOnly: true, retryOnServiceExceptions: false, resultSelector: { 'workspaceId.$': '$.resources.workspaceId' }, resultPath: '$.resources',
    });
    setup.addRetry(retryProps());
    const job = new tasks.LambdaInvoke(this, 'RunJob', {
      lambdaFunction: this.jobFunction.function,
      payload: sfn.TaskInput.fromObject({ dependency: 'cluster', 'requestId.$': '$.request.runId' }),
      payloadResponseOnly: true, retryOnServiceExceptions: false,
    });
    job.addRetry(retryProps());
    this.teardown = new GuaranteedTeardown(this, 'Teardown', {
      table: props.table, setup, work: job, teardown: this.workspaceFunction.function, recoveryWorkflowName: 'cluster-job-teardown',
    });
    const definition = requireInput(this, [{ path: '$.request.runId', type: 'string' }], this.teardown.chain);
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', { workflowName: 'cluster-job', definition, timeout: props.timeout ?? Duration.minutes(30) }).stateMachine;
    this.teardown.attach(this.stateMachine);
  }
}
