import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../lib/state/keys';
import { ENV, requireEnv } from '../shared/env';
import { logger } from '../shared/logger';
import { parseReportStep, runReportStep } from './logic';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = requireEnv(ENV.STATE_TABLE);

/**
 * The step's side effect is recorded as a counter (`EFFECT#report#<runId>` / `<step>`), the way an
 * email sent or a file published would be observable: checkpoint-and-resume must keep it at 1.
 */
export const handler = async (event: unknown) => {
  const input = parseReportStep(event);
  const output = runReportStep(input);
  await doc.send(new UpdateCommand({
    TableName: tableName, Key: keys.effect(`report#${input.runId}`, input.step),
    UpdateExpression: 'ADD #count :one', ExpressionAttributeNames: { '#count': 'count' }, ExpressionAttributeValues: { ':one': 1 },
  }));
  logger.info('report step done', { runId: input.runId, step: input.step });
  return output;
};
