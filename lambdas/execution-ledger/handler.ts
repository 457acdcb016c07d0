import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ENV, requireEnv } from '../shared/env';
import { logger } from '../shared/logger';
import { LedgerStore, parseStatusChange, recordStatus } from './logic';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = requireEnv(ENV.STATE_TABLE);
const ttlSeconds = Number(process.env[ENV.RUN_TTL_SECONDS] ?? 7 * 24 * 3600);

const store: LedgerStore = {
  async putUnlessTerminal(item) {
    try {
      await doc.send(new PutCommand({
        TableName: tableName,
        Item: item,
        ConditionExpression: 'attribute_not_exists(pk) OR #status = :running',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':running': 'RUNNING' },
      }));
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  },
};

export const handler = async (event: unknown) => {
  const result = await recordStatus(parseStatusChange(event), store, Date.now(), ttlSeconds);
  logger.info('execution status recorded', result);
  return result;
};
