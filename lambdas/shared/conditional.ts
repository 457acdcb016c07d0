import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/**
 * A conditional write whose failed condition is an answer, not an error: resolves with `otherwise`
 * on ConditionalCheckFailed and rethrows anything else.
 */
export function unlessConditionFailed<T>(write: Promise<T>, otherwise: T): Promise<T> {
  return write.catch((err) => { if (err instanceof ConditionalCheckFailedException) return otherwise; throw err; });
}
