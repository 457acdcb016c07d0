import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { requireInput } from '../lib/patterns/input-check';
import { Pool } from '../lib/patterns/pool';
import { retryProps } from '../lib/patterns/retry';
import { TaskFunction } from '../lib/task-function';
import { WorkflowStateMachine } from '../lib/workflow-state-machine';

export interface TrainingJobsWorkflowProps {
  readonly table: dynamodb.ITable;
  /** GPU slots. @default 3 */
  readonly slots?: number;
}

/**
 * `training-jobs` (pool with priority): `{ request: { jobId, priority } }` waits for one of the `gpu`
 * pool's slots (parked, not polling; higher priority first, then earlier start), trains, releases.
 */
export class TrainingJobsWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly pool: Pool;
  readonly trainerFunction: TaskFunction;

  constructor(scope: Construct, id: string, props: TrainingJobsWorkflowProps) {
    super(scope, id);
    // No lease: the pool computes it from Train's worst case (4 attempts of up to 15 min + retry delays).
    this.pool = new Pool(this, 'GpuPool', { table: props.table, poolName: 'gpu', slots: props.slots ?? 3, maxWait: Duration.hours(2) });
    this.trainerFunction = new TaskFunction(this, 'TrainerFn', { handlerDir: 'call-dependency', timeout: Duration.minutes(15) });
    const train = new tasks.LambdaInvoke(this, 'Train', {
      lambdaFunction: this.trainerFunction.function,
      payload: sfn.TaskInput.fromObject({ dependency: 'gpu', 'requestId.$': '$.request.jobId' }),
      payloadResponseOnly: true, retryOnServiceExceptions: false, resultPath: '$.model',
    });
    train.addRetry(retryProps());
    const definition = requireInput(this, [{ path: '$.request.jobId', type: 'string' }, { path: '$.request.priority', type: 'number' }],
      this.pool.withSlot(this, 'Gpu', train, { priorityPath: '$.request.priority' }).next(new sfn.Succeed(this, 'Trained')));
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', { workflowName: 'training-jobs', definition, timeout: Duration.hours(3) }).stateMachine;
    this.pool.attach(this.stateMachine);
  }
}
