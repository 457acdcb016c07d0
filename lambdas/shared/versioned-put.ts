import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';

/**
 * Optimistic concurrency for the pattern items (pools, budgets, bulkhead partitions): puts `item` only
 * if the stored version is `expectedVersion` (0: only if there is no item yet). False when another
 * writer won, so the caller re-reads and decides again; any other error is rethrown.
 */
export async function putIfVersion(doc: DynamoDBDocumentClient, tableName: string, item: Record<string, unknown>, expectedVersion: number): Promise<boolean> {
  try {
    await doc.send(new PutCommand({
      TableName: tableName, Item: item,
      ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : '#version = :v',
      ExpressionAttributeNames: expectedVersion === 0 ? undefined : { '#version': 'version' },
      ExpressionAttributeValues: expectedVersion === 0 ? undefined : { ':v': expectedVersion },
    }));
    return true;
  } catch (err) {
    if (err instanceof ConditionalCheckFailedException) return false;
    throw err;
  }
}
