/**
 * DynamoDB: the optimized integrations (`arn:aws:states:::dynamodb:getItem|putItem|updateItem|deleteItem`)
 * and the SDK integrations (`arn:aws:states:::aws-sdk:dynamodb:<action>`), against the local store.
 * Errors are named as each integration names them on AWS: `DynamoDB.<Exception>` for the optimized
 * ones, `DynamoDb.<Exception>` for the SDK ones.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-ddb.html
 */
import { StatesError } from '../interpreter/errors';
import { DYNAMODB_OPERATIONS, LocalStore } from '../store';
import { randomUUID } from 'crypto';
import { Integration } from './registry';
import { dynamodbHeaders, sdkCause, sdkMetadata } from './sdk';

const WRITES = /^(Put|Update|Delete)Item$|^BatchWriteItem$|^TransactWriteItems$/;

export function dynamodbIntegration(store: LocalStore, onWrite?: (table: string, action: string) => void): Integration {
  const parse = (base: string) => {
    const m = /^arn:aws:states:::(aws-sdk:)?dynamodb:([a-zA-Z]+)$/.exec(base);
    return m ? { sdk: !!m[1], action: m[2], operation: `${m[2][0].toUpperCase()}${m[2].slice(1)}` } : undefined;
  };
  return {
    name: 'dynamodb',
    serves: (base) => {
      const p = parse(base);
      return !!p && (p.sdk || ['getItem', 'putItem', 'updateItem', 'deleteItem'].includes(p.action));
    },
    refuse: (base) => {
      const p = parse(base)!;
      return DYNAMODB_OPERATIONS.includes(p.operation) ? undefined : `DynamoDB ${p.action} (not implemented by the local store)`;
    },
    async invoke(request) {
      const { sdk, action, operation } = parse(request.base)!;
      const params = (request.parameters ?? {}) as Record<string, unknown>;
      try {
        const out = await store.call(operation, params);
        // Effective writes only: a rejected conditional write changed nothing.
        if (WRITES.test(operation)) onWrite?.(String(params.TableName ?? 'batch'), action);
        if (sdk) return out;
        // Recorded AWS: the optimized integrations answer with the call's HTTP metadata too.
        const requestId = randomUUID();
        return { ...out, ...sdkMetadata(dynamodbHeaders(out, requestId), requestId) };
      } catch (err) {
        const e = err as Error & { statusCode?: number };
        // Recorded AWS wording for the optimized integrations; the SDK integrations' as documented.
        throw new StatesError(`${sdk ? 'DynamoDb' : 'DynamoDB'}.${e.name}`, sdk
          ? `${e.message} (Service: DynamoDb, Status Code: ${e.statusCode ?? 400}, Request ID: ${randomUUID()})`
          : sdkCause(e.message, 'AmazonDynamoDBv2', e.name, e.statusCode ?? 400));
      }
    },
  };
}
