import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../lib/state/keys';
import { ENV, requireEnv } from '../shared/env';
import { BucketConfig, BucketStore, consume, parseConsume } from './logic';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = requireEnv(ENV.STATE_TABLE);

/** One conditional UpdateItem, no read; `writes` counts takes per shard, capacity and rate are kept for `orch quota`. */
async function conditionalSet(bucket: string, shard: number, set: string, condition: string, values: Record<string, unknown>, cfg: BucketConfig): Promise<number | undefined> {
  try {
    const out = await doc.send(new UpdateCommand({
      TableName: tableName, Key: keys.bucketShard(bucket, shard),
      UpdateExpression: `SET #tat = ${set}, #bucket = :bucket, #shard = :shard, #cap = :cap, #rate = :rate ADD #writes :one`,
      ConditionExpression: condition,
      ExpressionAttributeNames: { '#tat': 'tat', '#bucket': 'bucket', '#shard': 'shard', '#cap': 'capacity', '#rate': 'refillPerSecond', '#writes': 'writes' },
      ExpressionAttributeValues: { ...values, ':bucket': bucket, ':shard': shard, ':cap': cfg.capacity, ':rate': cfg.refillPerSecond, ':one': 1 },
      ReturnValues: 'UPDATED_NEW',
    }));
    return out.Attributes?.tat as number;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return undefined;
    throw err;
  }
}

const store: BucketStore = {
  takeBacklogged: (bucket, shard, inc, nowMs, maxTatAfter, cfg) =>
    conditionalSet(bucket, shard, '#tat + :inc', '#tat >= :now AND #tat <= :lim', { ':inc': inc, ':now': nowMs, ':lim': maxTatAfter - inc }, cfg),
  takeIdle: async (bucket, shard, inc, nowMs, cfg) =>
    (await conditionalSet(bucket, shard, ':tat', 'attribute_not_exists(#tat) OR #tat < :now', { ':tat': nowMs + inc, ':now': nowMs }, cfg)) !== undefined,
  async peek(bucket, shard) {
    return (await doc.send(new GetCommand({ TableName: tableName, Key: keys.bucketShard(bucket, shard), ConsistentRead: true }))).Item?.tat as number | undefined;
  },
  async recordUsage(bucket, workflow, tokens, nowMs) {
    await doc.send(new UpdateCommand({
      TableName: tableName, Key: keys.quotaUsage(bucket, workflow),
      UpdateExpression: 'ADD #tokens :n, #grants :one SET #bucket = :b, #workflow = :w, #last = :now',
      ExpressionAttributeNames: { '#tokens': 'tokens', '#grants': 'grants', '#bucket': 'bucket', '#workflow': 'workflow', '#last': 'lastGrantAt' },
      ExpressionAttributeValues: { ':n': tokens, ':one': 1, ':b': bucket, ':w': workflow, ':now': new Date(nowMs).toISOString() },
    }));
  },
};

const deps = { store, now: Date.now, firstShard: (n: number) => Math.floor(Math.random() * n) };

export const handler = async (event: unknown) => consume(parseConsume(event), deps);
