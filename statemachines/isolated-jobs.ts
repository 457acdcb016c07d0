import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { requireInput } from '../lib/patterns/input-check';
import { retryProps } from '../lib/patterns/retry';
import { WorkloadClass } from '../lib/patterns/workload-isolation';
import { TaskFunction } from '../lib/task-function';
import { WorkflowStateMachine } from '../lib/workflow-state-machine';

export interface IsolatedJobsWorkflowProps {
  /** The class whose capacity (pool, quota, reserved concurrency, tags) this workflow runs on. */
  readonly workload: WorkloadClass;
}

/**
 * `critical-jobs` and `batch-jobs` (workload isolation): `{ request: { jobId } }` runs one job on its
 * class's own capacity: a token of the class's quota, a slot of the class's pool, and a worker of the
 * class with reserved concurrency. One state machine per class; the stack builds both.
 */
export class IsolatedJobsWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly worker: TaskFunction;

  constructor(scope: Construct, id: string, props: IsolatedJobsWorkflowProps) {
    super(scope, id);
    const cls = props.workload.className;
    this.worker = props.workload.worker('WorkerFn', { handlerDir: 'call-dependency', timeout: Duration.minutes(5) });
    const job = new tasks.LambdaInvoke(this, 'RunJob', {
      lambdaFunction: this.worker.function,
      payload: sfn.TaskInput.fromObject({ dependency: `${cls}-jobs`, 'requestId.$': '$.request.jobId' }),
      payloadResponseOnly: true, retryOnServiceExceptions: false, resultPath: '$.result',
    });
    job.addRetry(retryProps());
    const definition = requireInput(this, [{ path: '$.request.jobId', type: 'string' }], props.workload.guard(this, 'Job', job).next(new sfn.Succeed(this, 'Done')));
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', { workflowName: `${cls}-jobs`, definition }).stateMachine;
    props.workload.attach(this.stateMachine);
  }
}
