/** The SDK side of the pool: the DynamoDB store, the task-token notifier and the pool metrics. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendTaskSuccessCommand, SFNClient } from '@aws-sdk/client-sfn';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { keys, PREFIX } from '../../lib/state/keys';
import { ENV, requireEnv } from '../shared/env';
import { putIfVersion } from '../shared/versioned-put';
import { PoolDeps, PoolState, PoolStore, PoolSummary, Waiter } from './logic';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const sfn = new SFNClient({});
const tableName = requireEnv(ENV.STATE_TABLE);
/** Waiters stay parked at most a day past their lease: TTL only cleans up what the reaper missed. */
const WAITER_TTL_SECONDS = 86_400;

const toWaiter = (item: Record<string, unknown>): Waiter => ({ sk: item.sk as string, holder: item.holder as string, priority: item.priority as number, arrivalMs: item.arrivalMs as number, token: item.token as string });

const store: PoolStore = {
  async get(pool) {
    const item = (await doc.send(new GetCommand({ TableName: tableName, Key: keys.pool(pool), ConsistentRead: true }))).Item;
    return item ? { holders: item.holders as Record<string, number>, version: item.version as number } : undefined;
  },
  async put(pool, next: PoolState, expectedVersion) {
    return putIfVersion(doc, tableName, { ...keys.pool(pool), pool, holders: next.holders, holderCount: Object.keys(next.holders).length, version: next.version }, expectedVersion);
  },
  async queue(pool, limit) {
    const out = await doc.send(new QueryCommand({
      TableName: tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :w)', ConsistentRead: true, Limit: limit,
      ExpressionAttributeValues: { ':pk': keys.pool(pool).pk, ':w': PREFIX.waiter },
    }));
    return (out.Items ?? []).map(toWaiter);
  },
  async queueLength(pool) {
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await doc.send(new QueryCommand({
        TableName: tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :w)', Select: 'COUNT', ExclusiveStartKey: start,
        ExpressionAttributeValues: { ':pk': keys.pool(pool).pk, ':w': PREFIX.waiter },
      }));
      count += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    return count;
  },
  async waitersOf(pool, holder) {
    const out = await doc.send(new QueryCommand({
      TableName: tableName, KeyConditionExpression: 'pk = :pk AND begins_with(sk, :w)', FilterExpression: 'holder = :h', ConsistentRead: true,
      ExpressionAttributeValues: { ':pk': keys.pool(pool).pk, ':w': PREFIX.waiter, ':h': holder },
    }));
    return (out.Items ?? []).map(toWaiter);
  },
  async park(pool, w) {
    await doc.send(new PutCommand({ TableName: tableName, Item: { pk: keys.pool(pool).pk, ...w, expiresAt: Math.floor(Date.now() / 1000) + WAITER_TTL_SECONDS } }));
  },
  async unpark(pool, sk) {
    await doc.send(new DeleteCommand({ TableName: tableName, Key: { pk: keys.pool(pool).pk, sk } }));
  },
};

const notifier = {
  async grant(token: string, output: Record<string, unknown>) {
    try {
      await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) }));
      return true;
    } catch (err) {
      // The waiting task is gone (its execution ended, or it timed out): the grant cannot be used.
      if (['TaskTimedOut', 'TaskDoesNotExist', 'InvalidToken'].includes((err as Error).name)) return false;
      throw err;
    }
  },
};

export const poolDeps: PoolDeps = {
  store, notifier, now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  waiterKey: (pool, priority, arrivalMs, holder) => keys.poolWaiter(pool, priority, arrivalMs, holder).sk,
};

const metrics = new Metrics({ namespace: 'ServerlessOrchestration', serviceName: 'pools' });

/** CloudWatch metrics (embedded metric format, no API call): holders and queue length per pool. */
export function publishPoolMetrics(summary: PoolSummary): void {
  // One EMF record with both metrics; publishing clears the metrics and this dimension.
  metrics.addDimension('pool', summary.pool);
  metrics.addMetric('PoolHolders', MetricUnit.Count, summary.holders);
  metrics.addMetric('PoolQueueLength', MetricUnit.Count, summary.queued);
  metrics.publishStoredMetrics();
}
