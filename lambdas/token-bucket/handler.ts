import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../lib/state/keys';
import { unlessConditionFailed } from '../shared/conditional';
import { ENV, requireEnv } from '../shared/env';
import { BucketConfig, BucketStore, consume, ConsumeResult, parseConsume, TAKE_MEMORY_SECONDS, TakeRecord } from './logic';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = requireEnv(ENV.STATE_TABLE);

/** The shard attribute marking a take (its new tat) between the shard update and the finalized record. */
const markOf = (key: string) => `take_${key}`;

/**
 * One conditional UpdateItem on the shard, no read: the GCRA step and this take's mark in one write.
 * `writes` counts takes per shard; capacity and rate are kept for `orch quota`.
 */
async function conditionalSet(bucket: string, shard: number, set: string, condition: string, values: Record<string, unknown>, cfg: BucketConfig, key: string): Promise<number | undefined> {
  return unlessConditionFailed(doc.send(new UpdateCommand({
    TableName: tableName, Key: keys.bucketShard(bucket, shard),
    UpdateExpression: `SET #tat = ${set}, #mark = ${set}, #bucket = :bucket, #shard = :shard, #cap = :cap, #rate = :rate ADD #writes :one`,
    ConditionExpression: `attribute_not_exists(#mark) AND (${condition})`,
    ExpressionAttributeNames: { '#tat': 'tat', '#mark': markOf(key), '#bucket': 'bucket', '#shard': 'shard', '#cap': 'capacity', '#rate': 'refillPerSecond', '#writes': 'writes' },
    ExpressionAttributeValues: { ...values, ':bucket': bucket, ':shard': shard, ':cap': cfg.capacity, ':rate': cfg.refillPerSecond, ':one': 1 },
    ReturnValues: 'UPDATED_NEW',
  })).then((out) => out.Attributes?.tat as number), undefined);
}

const store: BucketStore = {
  async fence(bucket, key, nowMs) {
    return unlessConditionFailed(doc.send(new PutCommand({
      TableName: tableName,
      Item: { ...keys.bucketTake(bucket, key), status: 'PENDING', createdAt: new Date(nowMs).toISOString(), expiresAt: Math.floor(nowMs / 1000) + TAKE_MEMORY_SECONDS },
      ConditionExpression: 'attribute_not_exists(pk)',
    })).then(() => true), false);
  },
  async recall(bucket, key) {
    return (await doc.send(new GetCommand({ TableName: tableName, Key: keys.bucketTake(bucket, key), ConsistentRead: true }))).Item as TakeRecord | undefined;
  },
  takeBacklogged: (bucket, shard, inc, nowMs, maxTatAfter, cfg, key) =>
    conditionalSet(bucket, shard, '#tat + :inc', '#tat >= :now AND #tat <= :lim', { ':inc': inc, ':now': nowMs, ':lim': maxTatAfter - inc }, cfg, key),
  takeIdle: (bucket, shard, inc, nowMs, cfg, key) =>
    conditionalSet(bucket, shard, ':tat', 'attribute_not_exists(#tat) OR #tat < :now', { ':tat': nowMs + inc, ':now': nowMs }, cfg, key),
  async peek(bucket, shard) {
    return (await doc.send(new GetCommand({ TableName: tableName, Key: keys.bucketShard(bucket, shard), ConsistentRead: true }))).Item?.tat as number | undefined;
  },
  async takenTat(bucket, shard, key) {
    const out = await doc.send(new GetCommand({
      TableName: tableName, Key: keys.bucketShard(bucket, shard), ConsistentRead: true,
      ProjectionExpression: '#mark', ExpressionAttributeNames: { '#mark': markOf(key) },
    }));
    return out.Item?.[markOf(key)] as number | undefined;
  },
  async finalize(bucket, key, { shard, tat, result }) {
    return unlessConditionFailed(doc.send(new UpdateCommand({
      TableName: tableName, Key: keys.bucketTake(bucket, key),
      UpdateExpression: 'SET #status = :done, #shard = :shard, #tat = :tat, #result = :result',
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status', '#shard': 'shard', '#tat': 'tat', '#result': 'result' },
      ExpressionAttributeValues: { ':done': 'DONE', ':pending': 'PENDING', ':shard': shard, ':tat': tat, ':result': result as ConsumeResult },
    })).then(() => true), false);
  },
  async refund(bucket, shard, inc) {
    await doc.send(new UpdateCommand({
      TableName: tableName, Key: keys.bucketShard(bucket, shard), UpdateExpression: 'SET #tat = #tat - :inc',
      ExpressionAttributeNames: { '#tat': 'tat' }, ExpressionAttributeValues: { ':inc': inc },
    }));
  },
  async recordUsage(bucket, workflow, tokens, nowMs) {
    await doc.send(new UpdateCommand({
      TableName: tableName, Key: keys.quotaUsage(bucket, workflow),
      UpdateExpression: 'ADD #tokens :n, #grants :one SET #bucket = :b, #workflow = :w, #last = :now',
      ExpressionAttributeNames: { '#tokens': 'tokens', '#grants': 'grants', '#bucket': 'bucket', '#workflow': 'workflow', '#last': 'lastGrantAt' },
      ExpressionAttributeValues: { ':n': tokens, ':one': 1, ':b': bucket, ':w': workflow, ':now': new Date(nowMs).toISOString() },
    }));
  },
  async forget(bucket, shard, key) {
    await unlessConditionFailed(doc.send(new UpdateCommand({
      TableName: tableName, Key: keys.bucketShard(bucket, shard), UpdateExpression: 'REMOVE #mark',
      ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeNames: { '#mark': markOf(key) },
    })).then(() => undefined), undefined);
  },
};

const deps = { store, now: Date.now, firstShard: (n: number) => Math.floor(Math.random() * n) };

export const handler = async (event: unknown) => consume(parseConsume(event), deps);
