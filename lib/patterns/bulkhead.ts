import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/shared/env';
import { RETRY_PRESETS } from '../../lambdas/shared/retry-presets';
import { ATTR, KEY_PART_PATTERN, keys, PREFIX } from '../state/keys';
import { TaskFunction } from '../task-function';
import { retryProps } from './retry';

export interface BulkheadPartition {
  /** The partition's name (a tenant, a downstream dependency); a key part and the routing value. */
  readonly name: string;
  /** Executions of this partition that may run at once (slots in DynamoDB). */
  readonly slots: number;
  /** Items of one execution processed at once (Map MaxConcurrency). @default 1 */
  readonly itemConcurrency?: number;
}

/** `tenant-a` -> `TenantA`: the PascalCase part of a partition's state names. */
export function partitionTag(name: string): string {
  return name.replace(/(^|[-_.])([a-zA-Z0-9])/g, (_m, _sep, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '');
}

export interface BulkheadProps {
  readonly table: dynamodb.ITable;
  readonly bulkheadName: string;
  readonly partitions: readonly BulkheadPartition[];
  /** A holder that dies without releasing frees its slot after this. Longer than the partition's work. @default Duration.minutes(15) */
  readonly lease?: Duration;
}

/**
 * Bulkhead: partitions get independent concurrency limits, so one slow or failing partition cannot
 * take the capacity of another. Per partition: a slot in DynamoDB (acquired by a conditional write,
 * leased, released by a direct UpdateItem on success and on failure), a Map with its own
 * MaxConcurrency, and (in the workflow) its own worker function with reserved concurrency.
 * `isolate(partition, items, work)` builds the partition's chain; `route(path, chains)` picks it.
 */
export class Bulkhead extends Construct {
  readonly slotFunction: TaskFunction;
  private readonly leaseSeconds: number;

  constructor(scope: Construct, id: string, private readonly props: BulkheadProps) {
    super(scope, id);
    const fail = (prop: string, rule: string) => { throw new Error(`${this.node.path}: BulkheadProps.${prop} ${rule}`); };
    if (!KEY_PART_PATTERN.test(props.bulkheadName)) fail('bulkheadName', `must match ${KEY_PART_PATTERN}`);
    if (props.partitions.length === 0) fail('partitions', 'must name at least one partition');
    for (const p of props.partitions) {
      if (!KEY_PART_PATTERN.test(p.name)) fail('partitions', `names must match ${KEY_PART_PATTERN}, got "${p.name}"`);
      if (!Number.isInteger(p.slots) || p.slots < 1 || p.slots > 1000) fail('partitions', `${p.name}.slots must be an integer from 1 to 1000`);
      if (p.itemConcurrency !== undefined && (!Number.isInteger(p.itemConcurrency) || p.itemConcurrency < 1 || p.itemConcurrency > 40)) fail('partitions', `${p.name}.itemConcurrency must be an integer from 1 to 40`);
    }
    if (new Set(props.partitions.map((p) => p.name)).size !== props.partitions.length) fail('partitions', 'names must be unique');
    this.leaseSeconds = (props.lease ?? Duration.minutes(15)).toSeconds();
    this.slotFunction = new TaskFunction(this, 'SlotFn', { handlerDir: 'bulkhead-slots', environment: { [ENV.STATE_TABLE]: props.table.tableName } });
    this.slotFunction.role.addToPolicy(new iam.PolicyStatement({
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [props.table.tableArn],
      conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [keys.bulkheadPartition(props.bulkheadName, 'x').pk] } },
    }));
  }

  /**
   * The isolated chain of one partition: acquire a slot (retrying `BulkheadFull` with backoff), run
   * `work` for every item of `itemsPath` with the partition's MaxConcurrency, release the slot
   * whether the work succeeded or failed. The Map's output goes to `$.results`.
   */
  isolate(partitionName: string, itemsPath: string, work: sfn.IChainable): sfn.Chain {
    const p = this.props.partitions.find((x) => x.name === partitionName);
    if (!p) throw new Error(`${this.node.path}: isolate() partition "${partitionName}" is not in BulkheadProps.partitions`);
    const tag = partitionTag(partitionName);
    const acquire = new tasks.LambdaInvoke(this, `Acquire${tag}Slot`, {
      lambdaFunction: this.slotFunction.function,
      payload: sfn.TaskInput.fromObject({ bulkhead: this.props.bulkheadName, partition: p.name, limit: p.slots, 'holder.$': '$$.Execution.Id', leaseSeconds: this.leaseSeconds }),
      payloadResponseOnly: true, retryOnServiceExceptions: false, resultPath: '$.slot',
    });
    acquire.addRetry(retryProps(RETRY_PRESETS.capacity));
    acquire.addRetry(retryProps());
    const map = new sfn.Map(this, `Run${tag}Items`, { itemsPath, maxConcurrency: p.itemConcurrency ?? 1, resultPath: '$.results' });
    map.itemProcessor(work);
    const release = (name: string) => {
      const t = new tasks.DynamoUpdateItem(this, name, {
        table: this.props.table,
        key: { [ATTR.pk]: tasks.DynamoAttributeValue.fromString(PREFIX.bulkhead + this.props.bulkheadName), [ATTR.sk]: tasks.DynamoAttributeValue.fromString(PREFIX.partition + p.name) },
        updateExpression: 'REMOVE #holders.#me SET #version = #version + :one',
        expressionAttributeNames: { '#holders': 'holders', '#me': sfn.JsonPath.stringAt('$$.Execution.Id'), '#version': 'version' },
        expressionAttributeValues: { ':one': tasks.DynamoAttributeValue.fromNumber(1) },
        resultPath: sfn.JsonPath.DISCARD,
      });
      t.addRetry(retryProps(RETRY_PRESETS.dynamodb));
      return t;
    };
    const released = new sfn.Pass(this, `${tag}Released`);
    const failed = release(`Release${tag}SlotAfterFailure`).next(new sfn.Fail(this, `${tag}WorkFailed`, { errorPath: '$.error.Error', causePath: '$.error.Cause' }));
    map.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.error' });
    acquire.next(map).next(release(`Release${tag}Slot`)).next(released);
    return sfn.Chain.custom(acquire, [released], released);
  }
}
