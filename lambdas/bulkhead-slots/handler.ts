import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../lib/state/keys';
import { ENV, requireEnv } from '../shared/env';
import { putIfVersion } from '../shared/versioned-put';
import { acquireSlot, parseAcquire, Partition, PartitionStore } from './logic';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = requireEnv(ENV.STATE_TABLE);

const store: PartitionStore = {
  async get(bulkhead, partition) {
    return (await doc.send(new GetCommand({ TableName: tableName, Key: keys.bulkheadPartition(bulkhead, partition), ConsistentRead: true }))).Item as Partition | undefined;
  },
  async put(bulkhead, partition, next, expectedVersion) {
    return putIfVersion(doc, tableName, { ...keys.bulkheadPartition(bulkhead, partition), ...next }, expectedVersion);
  },
};

export const handler = async (event: unknown) => acquireSlot(parseAcquire(event), store, Date.now);
