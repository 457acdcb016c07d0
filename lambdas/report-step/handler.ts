import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../lib/state/keys';
import { ENV, requireEnv } from '../shared/env';
import { applyEffectOnce } from '../shared/idempotent-effect';
import { logger } from '../shared/logger';
import { parseReportStep, runReportStep } from './logic';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = requireEnv(ENV.STATE_TABLE);

/**
 * The step's side effect is recorded as a counter (`EFFECT#report#<runId>` / `<step>`), the way an
 * email sent or a file published would be observable. It is applied once per idempotency key (the
 * checkpoint pattern's `<workflow>#<runId>#<step>`), so a retry or a re-run after a crash that came
 * after the effect and before the checkpoint answers the same without doing it again.
 */
export const handler = async (event: unknown) => {
  const input = parseReportStep(event);
  const output = runReportStep(input);
  const applied = await applyEffectOnce(doc, tableName, keys.effect(`report#${input.runId}`, input.step), input, Date.now());
  logger.info(applied ? 'report step done' : 'report step already applied: answering as before', { runId: input.runId, step: input.step, idempotencyKey: input.idempotencyKey });
  return output;
};
