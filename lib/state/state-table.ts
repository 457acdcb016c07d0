import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { ATTR } from './keys';

export interface StateTableProps {
  /**
   * What happens to the table (and its data) when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Server-side encryption. `AWS_MANAGED` uses the account's aws/dynamodb KMS key.
   * @default dynamodb.TableEncryption.AWS_MANAGED
   */
  readonly encryption?: dynamodb.TableEncryption;
}

/**
 * The shared state table: one `pk`/`sk` table for checkpoints, run claims, the execution ledger and
 * the later pattern state (see `keys.ts`). On-demand, PITR, encrypted, TTL on `expiresAt`.
 */
export class StateTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: StateTableProps = {}) {
    super(scope, id);
    if (props.encryption === dynamodb.TableEncryption.DEFAULT) {
      throw new Error(`${this.node.path}: StateTableProps.encryption must be AWS_MANAGED or CUSTOMER_MANAGED (DEFAULT gives no auditable key)`);
    }
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: ATTR.pk, type: dynamodb.AttributeType.STRING },
      sortKey: { name: ATTR.sk, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: props.encryption ?? dynamodb.TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: ATTR.expiresAt,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}
