import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ItemKey } from '../../lib/state/keys';
import { unlessConditionFailed } from './conditional';

/** What a step that promises "exactly once" receives from the pattern that runs it (checkpoint, saga). */
export interface IdempotencyInput {
  /** Stable for the run and the step: the same on every attempt and every re-run of that run id. */
  readonly idempotencyKey: string;
  /** Epoch seconds after which the key may be forgotten (the checkpoint / saga log retention). */
  readonly idempotencyExpiresAt?: number;
}

/** Validates the idempotency fields of a step's input; returns the problems found. */
export function idempotencyIssues(e: Record<string, unknown>): string[] {
  const issues: string[] = [];
  if (typeof e.idempotencyKey !== 'string' || e.idempotencyKey.length < 1 || e.idempotencyKey.length > 512) issues.push('idempotencyKey must be a string of 1 to 512 characters');
  if (e.idempotencyExpiresAt !== undefined && (typeof e.idempotencyExpiresAt !== 'number' || !Number.isInteger(e.idempotencyExpiresAt) || e.idempotencyExpiresAt < 0)) {
    issues.push('idempotencyExpiresAt must be epoch seconds');
  }
  return issues;
}

/**
 * The demo services' side effect, applied at most once per idempotency key: the effect (a counter,
 * standing for an email sent or a charge made) and the record of its key are ONE conditional write
 * on the destination item, so no crash can fall between them. Returns false when the key was already
 * applied (the caller answers as it did the first time). A record past `idempotencyExpiresAt` no
 * longer counts, so a run id reused after its retention is a new run. The record's expiry is not the
 * table's TTL attribute: the counter itself must survive for the tests to read it.
 */
export async function applyEffectOnce(doc: DynamoDBDocumentClient, tableName: string, key: ItemKey, input: IdempotencyInput, nowMs: number): Promise<boolean> {
  return unlessConditionFailed(doc.send(new UpdateCommand({
    TableName: tableName, Key: key,
    UpdateExpression: 'ADD #count :one SET #key = :key, #appliedAt = :at, #keyExpiresAt = :exp',
    ConditionExpression: 'attribute_not_exists(#key) OR #key <> :key OR #keyExpiresAt < :now',
    ExpressionAttributeNames: { '#count': 'count', '#key': 'idempotencyKey', '#appliedAt': 'appliedAt', '#keyExpiresAt': 'idempotencyExpiresAt' },
    ExpressionAttributeValues: {
      ':one': 1, ':key': input.idempotencyKey, ':at': new Date(nowMs).toISOString(),
      ':exp': input.idempotencyExpiresAt ?? Number.MAX_SAFE_INTEGER, ':now': Math.floor(nowMs / 1000),
    },
  })).then(() => true), false);
}
