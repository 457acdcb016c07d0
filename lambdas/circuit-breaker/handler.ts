import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../lib/state/keys';
import { ENV, requireEnv } from '../shared/env';
import { logger } from '../shared/logger';
import { applyCircuitRequest, Circuit, CircuitStore, parseCircuitRequest } from './logic';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = requireEnv(ENV.STATE_TABLE);

const store: CircuitStore = {
  async get(dependency) {
    const out = await doc.send(new GetCommand({ TableName: tableName, Key: keys.circuit(dependency), ConsistentRead: true }));
    return out.Item as Circuit | undefined;
  },
  async put(dependency, next, expectedVersion) {
    try {
      await doc.send(new PutCommand({
        TableName: tableName,
        Item: { ...keys.circuit(dependency), dependency, ...next },
        ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk) OR #version = :v' : '#version = :v',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':v': expectedVersion },
      }));
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw err;
    }
  },
};

export const handler = async (event: unknown) => {
  const result = await applyCircuitRequest(parseCircuitRequest(event), store, Date.now);
  if ('transition' in result) logger.info('circuit state changed', result);
  return result;
};
