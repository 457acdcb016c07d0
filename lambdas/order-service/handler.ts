import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../lib/state/keys';
import { ENV, requireEnv } from '../shared/env';
import { logger } from '../shared/logger';
import { orderServiceResult, parseOrderServiceCall } from './logic';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = requireEnv(ENV.STATE_TABLE);

/**
 * A stand-in for the inventory, payment, shipping and email services. Every call is an observable
 * side effect (`EFFECT#saga#<sagaId>` / `<kind>#<step>`, counted), so the saga's exactly-once claims
 * can be checked in DynamoDB.
 */
export const handler = async (event: unknown) => {
  const call = parseOrderServiceCall(event);
  await doc.send(new UpdateCommand({
    TableName: tableName, Key: keys.effect(`saga#${call.sagaId}`, `${call.kind}#${call.step}`),
    UpdateExpression: 'ADD #count :one SET #key = :key',
    ExpressionAttributeNames: { '#count': 'count', '#key': 'idempotencyKey' }, ExpressionAttributeValues: { ':one': 1, ':key': call.idempotencyKey },
  }));
  logger.info('order service call', { sagaId: call.sagaId, step: call.step, kind: call.kind });
  return orderServiceResult(call);
};
