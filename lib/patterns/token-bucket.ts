import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/shared/env';
import { MAX_SHARDS } from '../../lambdas/token-bucket/logic';
import { KEY_PART_PATTERN, keys } from '../state/keys';
import { TaskFunction } from '../task-function';
import { retryProps } from './retry';

export interface TokenBucketProps {
  readonly table: dynamodb.ITable;
  /** The bucket's name: a key part, shared by every workflow that consumes from it. */
  readonly bucketName: string;
  /** Tokens the bucket holds when full (the largest burst). */
  readonly capacity: number;
  /** Tokens added per second, continuously (elapsed time x rate, capped at capacity). */
  readonly refillPerSecond: number;
  /**
   * Items the bucket is spread over. Each holds capacity/shards and refills at rate/shards, so each
   * takes 1/shards of the writes. Needed when grants per second approach the ~1,000 writes/s one
   * DynamoDB key sustains; see the README for the arithmetic.
   * @default 1
   */
  readonly shards?: number;
}

export interface ConsumeOptions {
  /** Tokens to take (a constant). @default 1 */
  readonly tokens?: number;
  /** JSONPath to the number of tokens to take; overrides `tokens`. */
  readonly tokensPath?: string;
  /**
   * When the tokens are not there: `fail` fails at once with `QuotaExceeded`; `wait` reserves them
   * and waits exactly until the refill covers them (a Wait state, no polling), unless that is longer
   * than `maxWait`, in which case it fails with `QuotaExceeded`.
   * @default 'wait'
   */
  readonly onEmpty?: 'fail' | 'wait';
  /** The longest a `wait` consumer waits. @default Duration.minutes(5) */
  readonly maxWait?: Duration;
  /** Where the grant ({ tokens, shard, waitMs, grantAt, remaining }) goes. @default '$.quota' */
  readonly resultPath?: string;
}

/**
 * A token bucket in the state table, shared by any number of workflows: `consume()` builds the states
 * that take tokens from it (one conditional UpdateItem with no read, by the `token-bucket` Lambda,
 * since ASL has no time arithmetic; the bucket is kept as GCRA, see its logic) and, in `wait` mode,
 * a Wait until the exact instant the tokens are covered.
 * Consumption is recorded per workflow (`QUOTA#<bucket>` / `USAGE#<workflow>`).
 */
export class TokenBucket extends Construct {
  readonly bucketName: string;
  readonly capacity: number;
  readonly refillPerSecond: number;
  readonly shards: number;
  readonly consumeFunction: TaskFunction;

  constructor(scope: Construct, id: string, props: TokenBucketProps) {
    super(scope, id);
    const fail = (prop: string, rule: string) => { throw new Error(`${this.node.path}: TokenBucketProps.${prop} ${rule}`); };
    if (!KEY_PART_PATTERN.test(props.bucketName)) fail('bucketName', `must match ${KEY_PART_PATTERN}`);
    if (!(props.capacity > 0) || !Number.isFinite(props.capacity)) fail('capacity', 'must be a finite number > 0');
    if (!(props.refillPerSecond > 0) || !Number.isFinite(props.refillPerSecond)) fail('refillPerSecond', 'must be a finite number > 0');
    const shards = props.shards ?? 1;
    if (!Number.isInteger(shards) || shards < 1 || shards > MAX_SHARDS) fail('shards', `must be an integer from 1 to ${MAX_SHARDS}`);
    if (props.capacity / shards < 1) fail('shards', `leaves less than one token per shard (capacity ${props.capacity} / ${shards} shards)`);
    this.bucketName = props.bucketName;
    this.capacity = props.capacity;
    this.refillPerSecond = props.refillPerSecond;
    this.shards = shards;
    this.consumeFunction = new TaskFunction(this, 'ConsumeFn', { handlerDir: 'token-bucket', environment: { [ENV.STATE_TABLE]: props.table.tableName } });
    this.consumeFunction.role.addToPolicy(new iam.PolicyStatement({
      // A take is one TransactWriteItems: UpdateItem on the shard and the usage, PutItem of the take's record.
      actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'], resources: [props.table.tableArn],
      conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [keys.bucketShard(props.bucketName, 0).pk] } },
    }));
  }

  /**
   * The states that take tokens before the work that follows them. States are created in `scope`
   * (the workflow), named `<id>` (the Task) and `<id>WaitForTokens`.
   */
  consume(scope: Construct, id: string, options: ConsumeOptions = {}): sfn.Chain {
    const fail = (prop: string, rule: string) => { throw new Error(`${scope.node.path}/${id}: ConsumeOptions.${prop} ${rule}`); };
    const tokens = options.tokens ?? 1;
    if (options.tokensPath === undefined && (!(tokens > 0) || tokens > this.capacity / this.shards)) {
      fail('tokens', `must be > 0 and at most the capacity of one shard (${this.capacity / this.shards})`);
    }
    const onEmpty = options.onEmpty ?? 'wait';
    const maxWait = options.maxWait ?? Duration.minutes(5);
    if (onEmpty === 'wait' && (maxWait.toSeconds() < 1 || maxWait.toSeconds() > 86_400)) fail('maxWait', 'must be between 1 second and 24 hours');
    const resultPath = options.resultPath ?? '$.quota';
    const task = new tasks.LambdaInvoke(scope, id, {
      lambdaFunction: this.consumeFunction.function,
      payload: sfn.TaskInput.fromObject({
        bucket: this.bucketName, capacity: this.capacity, refillPerSecond: this.refillPerSecond, shards: this.shards,
        ...(options.tokensPath ? { 'tokens.$': options.tokensPath } : { tokens }),
        maxWaitSeconds: onEmpty === 'wait' ? maxWait.toSeconds() : 0,
        'workflow.$': '$$.StateMachine.Name',
        // The take's identity: the same on every retry of this state entry, so a retry takes nothing new.
        'execution.$': '$$.Execution.Id', 'state.$': '$$.State.Name', 'enteredAt.$': '$$.State.EnteredTime',
      }),
      payloadResponseOnly: true, retryOnServiceExceptions: false, resultPath,
    });
    task.addRetry(retryProps());
    if (onEmpty === 'fail') return sfn.Chain.start(task);
    // A timestamp in the past (tokens granted at once) ends the Wait immediately.
    return task.next(new sfn.Wait(scope, `${id}WaitForTokens`, { time: sfn.WaitTime.timestampPath(`${resultPath}.grantAt`) }));
  }
}
