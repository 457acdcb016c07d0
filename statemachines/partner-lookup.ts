import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { requireInput } from '../lib/patterns/input-check';
import { retryProps } from '../lib/patterns/retry';
import { TokenBucket } from '../lib/patterns/token-bucket';
import { TaskFunction } from '../lib/task-function';
import { WorkflowStateMachine } from '../lib/workflow-state-machine';

export interface PartnerLookupWorkflowProps {
  /** The partner API's quota, shared with `partner-sync`. */
  readonly bucket: TokenBucket;
  /** The partner API function (shared with partner-sync: one dependency). */
  readonly partnerFunction: TaskFunction;
}

/**
 * `partner-lookup` (token bucket, fail-fast consumer): `{ request: { customerId } }` takes one token
 * from the shared partner-api bucket or fails at once with `QuotaExceeded` (an interactive caller
 * would rather retry later than wait), then asks the partner.
 */
export class PartnerLookupWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: PartnerLookupWorkflowProps) {
    super(scope, id);
    const lookup = new tasks.LambdaInvoke(this, 'LookupCustomer', {
      lambdaFunction: props.partnerFunction.function,
      payload: sfn.TaskInput.fromObject({ dependency: 'partner-api', 'requestId.$': '$.request.customerId' }),
      payloadResponseOnly: true, retryOnServiceExceptions: false, resultPath: '$.partner',
    });
    lookup.addRetry(retryProps());
    const definition = requireInput(this, [{ path: '$.request.customerId', type: 'string' }],
      props.bucket.consume(this, 'TakePartnerToken', { tokens: 1, onEmpty: 'fail' }).next(lookup).next(new sfn.Succeed(this, 'Found')));
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', { workflowName: 'partner-lookup', definition }).stateMachine;
  }
}
