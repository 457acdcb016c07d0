import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { requireInput } from '../lib/patterns/input-check';
import { retryProps } from '../lib/patterns/retry';
import { TokenBucket } from '../lib/patterns/token-bucket';
import { TaskFunction } from '../lib/task-function';
import { WorkflowStateMachine } from '../lib/workflow-state-machine';

export interface PartnerSyncWorkflowProps {
  /** The partner API's quota, shared with `partner-lookup`. */
  readonly bucket: TokenBucket;
}

/**
 * `partner-sync` (token bucket, waiting consumer): `{ request: { batchId, records } }` takes `records`
 * tokens from the shared partner-api bucket, waiting exactly until they exist (at most 5 minutes),
 * then sends the batch to the partner.
 */
export class PartnerSyncWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly partnerFunction: TaskFunction;

  constructor(scope: Construct, id: string, props: PartnerSyncWorkflowProps) {
    super(scope, id);
    this.partnerFunction = new TaskFunction(this, 'PartnerApiFn', { handlerDir: 'call-dependency' });
    const send = new tasks.LambdaInvoke(this, 'SendBatch', {
      lambdaFunction: this.partnerFunction.function,
      payload: sfn.TaskInput.fromObject({ dependency: 'partner-api', 'requestId.$': '$.request.batchId' }),
      payloadResponseOnly: true, retryOnServiceExceptions: false, resultPath: '$.partner',
    });
    send.addRetry(retryProps());
    const consume = props.bucket.consume(this, 'TakePartnerTokens', { tokensPath: '$.request.records', onEmpty: 'wait', maxWait: Duration.minutes(5) });
    const definition = requireInput(this, [{ path: '$.request.batchId', type: 'string' }, { path: '$.request.records', type: 'number' }],
      consume.next(send).next(new sfn.Succeed(this, 'Synced')));
    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', { workflowName: 'partner-sync', definition }).stateMachine;
  }
}
