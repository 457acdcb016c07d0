import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../lib/state/keys';
import { ENV, requireEnv } from '../shared/env';
import { applyEffectOnce } from '../shared/idempotent-effect';
import { logger } from '../shared/logger';
import { orderServiceResult, parseOrderServiceCall } from './logic';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = requireEnv(ENV.STATE_TABLE);

/**
 * A stand-in for the inventory, payment, shipping and email services. Every call is an observable
 * side effect (`EFFECT#saga#<sagaId>` / `<kind>#<step>`, counted), applied once per idempotency key
 * (`<saga>#<sagaId>#<step>#<kind>`) as a real payment API honours an Idempotency-Key, so the saga's
 * exactly-once claims can be checked in DynamoDB even when a crash repeats a call.
 */
export const handler = async (event: unknown) => {
  const call = parseOrderServiceCall(event);
  const applied = await applyEffectOnce(doc, tableName, keys.effect(`saga#${call.sagaId}`, `${call.kind}#${call.step}`), call, Date.now());
  logger.info(applied ? 'order service call' : 'order service call already applied: answering as before', { sagaId: call.sagaId, step: call.step, kind: call.kind, idempotencyKey: call.idempotencyKey });
  return orderServiceResult(call);
};
