import { Duration } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { TaskFunction } from '../task-function';
import { retryProps } from './retry';

/**
 * `BeginRun`: validates the run id and computes the run's expiry (epoch seconds for DynamoDB TTL and
 * ISO for Choice comparisons), which ASL cannot compute. Puts `{ runId, nowIso, expiresAt, expiresAtIso }`
 * at `resultPath`. A bad run id fails with `InvalidInput` before anything is written.
 */
export function beginRunTask(scope: Construct, fn: TaskFunction, runIdPath: string, ttl: Duration, resultPath = '$.run'): tasks.LambdaInvoke {
  const task = new tasks.LambdaInvoke(scope, 'BeginRun', {
    lambdaFunction: fn.function,
    payload: sfn.TaskInput.fromObject({ 'runId.$': runIdPath, ttlSeconds: ttl.toSeconds() }),
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    resultPath,
  });
  task.addRetry(retryProps());
  return task;
}
