import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { Bulkhead, BulkheadPartition, partitionTag } from '../lib/patterns/bulkhead';
import { requireInput } from '../lib/patterns/input-check';
import { retryProps } from '../lib/patterns/retry';
import { TaskFunction } from '../lib/task-function';
import { WorkflowStateMachine } from '../lib/workflow-state-machine';

export interface TenantJobsWorkflowProps {
  readonly table: dynamodb.ITable;
  /** @default tenant-a and tenant-b, 2 and 3 slots, 2 items at a time */
  readonly partitions?: readonly BulkheadPartition[];
}

export const DEFAULT_TENANT_PARTITIONS: readonly BulkheadPartition[] = [
  { name: 'tenant-a', slots: 2, itemConcurrency: 2 },
  { name: 'tenant-b', slots: 3, itemConcurrency: 2 },
];

/**
 * `tenant-jobs` (bulkhead): a batch of jobs for one tenant, `{ request: { partition, jobs: [{ id }] } }`.
 * Each tenant has its own slots, its own Map concurrency and its own worker function with reserved
 * concurrency (slots x items), so a slow or failing tenant cannot starve another.
 */
export class TenantJobsWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly bulkhead: Bulkhead;
  readonly workers = new Map<string, TaskFunction>();

  constructor(scope: Construct, id: string, props: TenantJobsWorkflowProps) {
    super(scope, id);
    const partitions = props.partitions ?? DEFAULT_TENANT_PARTITIONS;
    this.bulkhead = new Bulkhead(this, 'Bulkhead', { table: props.table, bulkheadName: 'tenant-jobs', partitions, lease: Duration.minutes(15) });
    const route = new sfn.Choice(this, 'RoutePartition');
    for (const p of partitions) {
      const tag = partitionTag(p.name);
      const worker = new TaskFunction(this, `${tag}WorkerFn`, { handlerDir: 'call-dependency', timeout: Duration.minutes(2), reservedConcurrency: p.slots * (p.itemConcurrency ?? 1) });
      this.workers.set(p.name, worker);
      const job = new tasks.LambdaInvoke(this, `Process${tag}Job`, {
        lambdaFunction: worker.function,
        payload: sfn.TaskInput.fromObject({ dependency: p.name, 'requestId.$': '$.id' }),
        payloadResponseOnly: true, retryOnServiceExceptions: false,
      });
      job.addRetry(retryProps());
      route.when(sfn.Condition.stringEquals('$.request.partition', p.name), this.bulkhead.isolate(p.name, '$.request.jobs', job).next(new sfn.Succeed(this, `${tag}Done`)));
    }
    route.otherwise(new sfn.Fail(this, 'UnknownPartition', { error: 'InvalidInput', cause: `request.partition must be one of ${partitions.map((p) => p.name).join(', ')}` }));
    const definition = requireInput(this, [{ path: '$.request.partition', type: 'string' }], new sfn.Choice(this, 'HasJobs')
      .when(sfn.Condition.isPresent('$.request.jobs[0]'), route)
      .otherwise(new sfn.Fail(this, 'NoJobs', { error: 'InvalidInput', cause: 'request.jobs must be a non-empty array of { id }' })));
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', { workflowName: 'tenant-jobs', definition }).stateMachine;
  }
}
