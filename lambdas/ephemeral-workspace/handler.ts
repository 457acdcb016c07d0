import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { keys } from '../../lib/state/keys';
import { ENV, requireEnv } from '../shared/env';
import { ValidationError } from '../shared/errors';
import { asObject } from '../shared/parse';
import { createWorkspace, destroyWorkspace, WorkspaceStore } from './logic';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const tableName = requireEnv(ENV.STATE_TABLE);

const store: WorkspaceStore = {
  async open(workspaceId, owner) {
    await doc.send(new UpdateCommand({
      TableName: tableName, Key: keys.effect(workspaceId, 'WORKSPACE'),
      UpdateExpression: 'SET #s = :open, #owner = :owner ADD #created :one',
      ExpressionAttributeNames: { '#s': 'status', '#owner': 'owner', '#created': 'created' }, ExpressionAttributeValues: { ':open': 'OPEN', ':owner': owner, ':one': 1 },
    }));
  },
  async close(workspaceId, reason) {
    await doc.send(new UpdateCommand({
      TableName: tableName, Key: keys.effect(workspaceId, 'WORKSPACE'),
      UpdateExpression: 'SET #s = :destroyed, #reason = :reason ADD #destroyed :one',
      ExpressionAttributeNames: { '#s': 'status', '#reason': 'lastReason', '#destroyed': 'destroyed' }, ExpressionAttributeValues: { ':destroyed': 'DESTROYED', ':reason': reason, ':one': 1 },
    }));
  },
};

/**
 * `{ action: 'create', runId, owner }` -> `{ resources }` (the setup), or the GuaranteedTeardown
 * contract `{ executionArn, resources, reason }` (no action) -> destroys them.
 */
export const handler = async (event: unknown) => {
  const action = asObject(event, 'input').action;
  if (action === 'create') return createWorkspace(event, store);
  if (action === undefined) return destroyWorkspace(event, store);
  throw new ValidationError('action must be "create", or absent for a teardown');
};
