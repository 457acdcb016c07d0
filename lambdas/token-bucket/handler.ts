import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../lib/state/keys';
import { ENV, requireEnv } from '../shared/env';
import { BucketConfig, BucketStore, consume, ConsumeResult, parseConsume, TAKE_MEMORY_SECONDS, TakeOutcome, TakeWrite } from './logic';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = requireEnv(ENV.STATE_TABLE);

/**
 * One transaction per take: the shard's conditional GCRA update (no read), the take's record (only if
 * absent: a retry of the same take is refused there and answered from the record), and the usage
 * counters. `writes` counts takes per shard; capacity and rate are kept for `orch quota`.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
async function transact(bucket: string, shard: number, set: string, condition: string, values: Record<string, unknown>, cfg: BucketConfig, take: TakeWrite): Promise<TakeOutcome> {
  try {
    await doc.send(new TransactWriteCommand({
      TransactItems: [
        { Update: {
          TableName: tableName, Key: keys.bucketShard(bucket, shard),
          // `#mine` keeps this take's new tat on the shard (computed from the old one, as `#tat` is) until
          // the answer is recorded: a transaction returns no attributes, and reading tat afterwards
          // would include the takes that came in between.
          UpdateExpression: `SET #tat = ${set}, #mine = ${set}, #bucket = :bucket, #shard = :shard, #cap = :cap, #rate = :rate ADD #writes :one`,
          ConditionExpression: condition,
          ExpressionAttributeNames: { '#tat': 'tat', '#mine': pendingAttr(take.key), '#bucket': 'bucket', '#shard': 'shard', '#cap': 'capacity', '#rate': 'refillPerSecond', '#writes': 'writes' },
          ExpressionAttributeValues: { ...values, ':bucket': bucket, ':shard': shard, ':cap': cfg.capacity, ':rate': cfg.refillPerSecond, ':one': 1 },
        } },
        { Put: {
          TableName: tableName,
          Item: { ...keys.bucketTake(bucket, take.key), bucket, shard, tokens: take.tokens, workflow: take.workflow, takenAt: new Date(take.nowMs).toISOString(), expiresAt: Math.floor(take.nowMs / 1000) + TAKE_MEMORY_SECONDS },
          ConditionExpression: 'attribute_not_exists(pk)',
        } },
        { Update: {
          TableName: tableName, Key: keys.quotaUsage(bucket, take.workflow),
          UpdateExpression: 'ADD #tokens :n, #grants :one SET #bucket = :b, #workflow = :w, #last = :at',
          ExpressionAttributeNames: { '#tokens': 'tokens', '#grants': 'grants', '#bucket': 'bucket', '#workflow': 'workflow', '#last': 'lastGrantAt' },
          ExpressionAttributeValues: { ':n': take.tokens, ':one': 1, ':b': bucket, ':w': take.workflow, ':at': new Date(take.nowMs).toISOString() },
        } },
      ],
    }));
    return 'taken';
  } catch (err) {
    if (!(err instanceof TransactionCanceledException)) throw err;
    const [shardReason, takeReason] = (err.CancellationReasons ?? []).map((r) => r.Code);
    if (takeReason === 'ConditionalCheckFailed') return 'duplicate';
    if (shardReason === 'ConditionalCheckFailed') return 'refused';
    throw err; // a conflict with another transaction, or a throttle: the task's retry takes it again
  }
}

/** The shard attribute holding a take's new tat until its answer is recorded. */
const pendingAttr = (key: string) => `take_${key}`;

const store: BucketStore = {
  takeBacklogged: (bucket, shard, inc, nowMs, maxTatAfter, cfg, take) =>
    transact(bucket, shard, '#tat + :inc', '#tat >= :now AND #tat <= :lim', { ':inc': inc, ':now': nowMs, ':lim': maxTatAfter - inc }, cfg, take),
  takeIdle: (bucket, shard, inc, nowMs, cfg, take) =>
    transact(bucket, shard, ':tat', 'attribute_not_exists(#tat) OR #tat < :now', { ':tat': nowMs + inc, ':now': nowMs }, cfg, take),
  async peek(bucket, shard) {
    return (await doc.send(new GetCommand({ TableName: tableName, Key: keys.bucketShard(bucket, shard), ConsistentRead: true }))).Item?.tat as number | undefined;
  },
  async takenTat(bucket, shard, key) {
    const out = await doc.send(new GetCommand({
      TableName: tableName, Key: keys.bucketShard(bucket, shard), ConsistentRead: true,
      ProjectionExpression: '#mine', ExpressionAttributeNames: { '#mine': pendingAttr(key) },
    }));
    return out.Item?.[pendingAttr(key)] as number | undefined;
  },
  async recall(bucket, key) {
    const item = (await doc.send(new GetCommand({ TableName: tableName, Key: keys.bucketTake(bucket, key), ConsistentRead: true }))).Item;
    return item ? { shard: item.shard as number, ...(item.result ? { result: item.result as ConsumeResult } : {}) } : undefined;
  },
  async remember(bucket, key, result) {
    // The answer goes on the take's record and the shard forgets the take, in one transaction.
    await doc.send(new TransactWriteCommand({
      TransactItems: [
        { Update: {
          TableName: tableName, Key: keys.bucketTake(bucket, key), UpdateExpression: 'SET #result = :r',
          ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeNames: { '#result': 'result' }, ExpressionAttributeValues: { ':r': result },
        } },
        { Update: { TableName: tableName, Key: keys.bucketShard(bucket, result.shard), UpdateExpression: 'REMOVE #mine', ExpressionAttributeNames: { '#mine': pendingAttr(key) } } },
      ],
    }));
  },
};

const deps = { store, now: Date.now, firstShard: (n: number) => Math.floor(Math.random() * n) };

export const handler = async (event: unknown) => consume(parseConsume(event), deps);
