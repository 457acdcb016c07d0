import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../lib/state/keys';
import { ENV, requireEnv } from '../shared/env';
import { BucketStore, consume, parseConsume, Shard } from './logic';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = requireEnv(ENV.STATE_TABLE);

const store: BucketStore = {
  async get(bucket, shard) {
    const item = (await doc.send(new GetCommand({ TableName: tableName, Key: keys.bucketShard(bucket, shard), ConsistentRead: true }))).Item;
    return item ? { tokens: item.tokens, updatedAtMs: item.updatedAtMs, version: item.version } : undefined;
  },
  async put(bucket, shard, next: Shard, expectedVersion) {
    try {
      await doc.send(new PutCommand({
        TableName: tableName, Item: { ...keys.bucketShard(bucket, shard), bucket, shard, ...next },
        ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : '#version = :v',
        ExpressionAttributeNames: expectedVersion === 0 ? undefined : { '#version': 'version' },
        ExpressionAttributeValues: expectedVersion === 0 ? undefined : { ':v': expectedVersion },
      }));
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
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

const deps = { store, now: Date.now, firstShard: (n: number) => Math.floor(Math.random() * n), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };

export const handler = async (event: unknown) => consume(parseConsume(event), deps);
