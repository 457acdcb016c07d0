import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../lib/state/keys';
import { ENV, requireEnv } from '../shared/env';
import { acquireSlot, parseAcquire, Partition, PartitionStore } from './logic';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = requireEnv(ENV.STATE_TABLE);

const store: PartitionStore = {
  async get(bulkhead, partition) {
    return (await doc.send(new GetCommand({ TableName: tableName, Key: keys.bulkheadPartition(bulkhead, partition), ConsistentRead: true }))).Item as Partition | undefined;
  },
  async put(bulkhead, partition, next, expectedVersion) {
    try {
      await doc.send(new PutCommand({
        TableName: tableName, Item: { ...keys.bulkheadPartition(bulkhead, partition), ...next },
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
};

export const handler = async (event: unknown) => acquireSlot(parseAcquire(event), store, Date.now);
