import * as events from 'aws-cdk-lib/aws-events';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { RETRY_PRESETS } from '../../lambdas/shared/retry-presets';
import { retryProps } from './retry';

/**
 * A direct `events:putEvents` state that publishes one event on the bus (no Lambda), retried with
 * the shared `events` preset. Its result is discarded: the state's input passes through unchanged.
 */
export function publishEvent(scope: Construct, id: string, bus: events.IEventBus, contract: { source: string; detailType: string }, detail: Record<string, unknown>): tasks.EventBridgePutEvents {
  const task = new tasks.EventBridgePutEvents(scope, id, {
    entries: [{ eventBus: bus, source: contract.source, detailType: contract.detailType, detail: sfn.TaskInput.fromObject(detail) }],
    resultPath: sfn.JsonPath.DISCARD,
  });
  task.addRetry(retryProps(RETRY_PRESETS.events));
  return task;
}
