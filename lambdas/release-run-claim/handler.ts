import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../lib/state/keys';
import { unlessConditionFailed } from '../shared/conditional';
import { ENV, requireEnv } from '../shared/env';
import { logger } from '../shared/logger';
import { ClaimStore, parseEndedRun, releaseClaim } from './logic';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = requireEnv(ENV.STATE_TABLE);

const store: ClaimStore = {
  async releaseIfHeld(runId, executionArn, status, atIso) {
    return unlessConditionFailed(doc.send(new UpdateCommand({
      TableName: tableName, Key: keys.runClaim(runId),
      UpdateExpression: 'SET #status = :status, #releasedAt = :at',
      ConditionExpression: '#arn = :arn AND #status = :running',
      ExpressionAttributeNames: { '#status': 'status', '#releasedAt': 'releasedAt', '#arn': 'executionArn' },
      ExpressionAttributeValues: { ':status': status, ':at': atIso, ':arn': executionArn, ':running': 'RUNNING' },
    })).then(() => true), false);
  },
};

/** Target of the pipeline's Execution Status Change rule (FAILED, ABORTED, TIMED_OUT). */
export const handler = async (event: unknown) => {
  const result = await releaseClaim(parseEndedRun(event), store, Date.now());
  logger.info(result.released ? 'run claim released' : 'run claim not held by this execution: nothing to release', result);
  return result;
};
