import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { RETRY_PRESETS } from '../../lambdas/shared/retry-presets';
import { ATTR, KEY_PART_PATTERN, PREFIX } from '../state/keys';
import { TaskFunction } from '../task-function';
import { retryProps } from './retry';
import { beginRunTask } from './run-clock';

/** What a step's own tasks get to make their effects idempotent (put both in the task's payload). */
export interface StepIdempotency {
  /** `<workflow>#<runId>#<step>`: the same on every attempt and every re-run of the run id (a JsonPath token). */
  readonly idempotencyKey: string;
  /** When the key may be forgotten: the checkpoints' expiry, epoch seconds (a JsonPath number token). */
  readonly idempotencyExpiresAt: number;
}

export interface CheckpointedStepsProps {
  readonly table: dynamodb.ITable;
  /** Namespaces the checkpoints (`CKPT#<workflow>#<runId>`), so two workflows may use the same run ids. */
  readonly workflowName: string;
  /** Where the run id is in the workflow input. @default '$.request.runId' */
  readonly runIdPath?: string;
  /** How long checkpoints live (DynamoDB TTL; reads ignore expired ones before TTL deletes them). @default Duration.days(7) */
  readonly ttl?: Duration;
  /** Delete the run's checkpoints when it succeeds. @default false (they expire with `ttl`) */
  readonly cleanupOnSuccess?: boolean;
}

/**
 * Checkpoint and resume for any workflow's steps. `step(name, chain)` runs `chain` unless a live
 * checkpoint of that step exists for the run id, in which case its saved output is reused; the output
 * is saved after the step succeeds (direct DynamoDB writes, no Lambda). A re-run with the same run id
 * therefore resumes at the first incomplete step. Each step's output is at `$.steps.<name>.value`.
 *
 * ```ts
 * const cp = new CheckpointedSteps(this, 'Cp', { table, workflowName: 'report' });
 * const definition = cp.begin().next(cp.step('Extract', extract)).next(cp.step('Load', load)).next(cp.finish());
 * ```
 */
export class CheckpointedSteps extends Construct {
  readonly beginFunction: TaskFunction;
  readonly stepNames: string[] = [];
  private readonly ttl: Duration;

  constructor(scope: Construct, id: string, private readonly props: CheckpointedStepsProps) {
    super(scope, id);
    if (!KEY_PART_PATTERN.test(props.workflowName)) throw new Error(`${this.node.path}: CheckpointedStepsProps.workflowName must match ${KEY_PART_PATTERN}, got "${props.workflowName}"`);
    this.ttl = props.ttl ?? Duration.days(7);
    if (this.ttl.toSeconds() < 60) throw new Error(`${this.node.path}: CheckpointedStepsProps.ttl must be at least 60 seconds`);
    this.beginFunction = new TaskFunction(this, 'BeginRunFn', { handlerDir: 'begin-run' });
  }

  private get runId() { return '$.run.runId'; }
  private key(step: string) {
    return {
      [ATTR.pk]: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.format(`${PREFIX.stepCheckpoint}${this.props.workflowName}#{}`, sfn.JsonPath.stringAt(this.runId))),
      [ATTR.sk]: tasks.DynamoAttributeValue.fromString(PREFIX.step + step),
    };
  }

  /** Validates the run id and computes the checkpoints' expiry (`$.run`). Must come first. */
  begin(): tasks.LambdaInvoke {
    return beginRunTask(this, this.beginFunction, this.props.runIdPath ?? '$.request.runId', this.ttl);
  }

  /**
   * The step's idempotency key and its expiry. Step Functions runs a task at least once, and a crash
   * can fall after the step's effect and before its checkpoint; the step's effect must therefore be
   * conditional on this key (a conditional write keyed by it, an API's Idempotency-Key, ...).
   */
  idempotency(step: string): StepIdempotency {
    return {
      idempotencyKey: sfn.JsonPath.format(`${this.props.workflowName}#{}#${step}`, sfn.JsonPath.stringAt(this.runId)),
      idempotencyExpiresAt: sfn.JsonPath.numberAt('$.run.expiresAt'),
    };
  }

  /**
   * A checkpointed step: skipped (its saved output reused) when the run already completed it. Pass a
   * function to receive the step's idempotency key and build the chain with it (the usual way).
   */
  step(name: string, chain: sfn.IChainable | ((idempotency: StepIdempotency) => sfn.IChainable)): sfn.Chain {
    if (!/^[A-Z][A-Za-z0-9]{0,40}$/.test(name)) throw new Error(`${this.node.path}: step name must be PascalCase, got "${name}"`);
    if (this.stepNames.includes(name)) throw new Error(`${this.node.path}: step "${name}" is defined twice`);
    if (this.stepNames.length >= 25) throw new Error(`${this.node.path}: at most 25 checkpointed steps (one BatchWriteItem cleans them up)`);
    this.stepNames.push(name);
    const table = this.props.table;
    const dynamoRetry = retryProps(RETRY_PRESETS.dynamodb);
    const data = `$.checkpoints.${name}`;
    const load = new tasks.DynamoGetItem(this, `Load${name}Checkpoint`, {
      table, key: this.key(name), consistentRead: true,
      resultSelector: { 'found.$': '$', 'now.$': '$$.State.EnteredTime' },
      resultPath: data,
    });
    load.addRetry(dynamoRetry);
    const done = new sfn.Pass(this, `${name}Done`);
    const reuse = new sfn.Pass(this, `Reuse${name}Output`, {
      parameters: { 'value.$': `States.StringToJson(${data}.found.Item.output.S)`, reused: true },
      resultPath: `$.steps.${name}`,
    });
    const runStep = new sfn.Parallel(this, `Run${name}`, { resultSelector: { 'value.$': '$[0]', reused: false }, resultPath: `$.steps.${name}` });
    runStep.branch(typeof chain === 'function' ? chain(this.idempotency(name)) : chain);
    const save = new tasks.DynamoPutItem(this, `Save${name}Checkpoint`, {
      table,
      item: {
        ...this.key(name),
        output: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt(`$.steps.${name}.value`))),
        executionArn: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')),
        [ATTR.expiresAt]: tasks.DynamoAttributeValue.numberFromString(sfn.JsonPath.jsonToString(sfn.JsonPath.numberAt('$.run.expiresAt'))),
        expiresAtIso: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$.run.expiresAtIso')),
      },
      // Written once per run: a concurrent duplicate execution does not overwrite a live checkpoint
      // (ISO timestamps of one format compare correctly as strings).
      conditionExpression: 'attribute_not_exists(pk) OR #expiresAtIso < :now',
      expressionAttributeNames: { '#expiresAtIso': 'expiresAtIso' },
      expressionAttributeValues: { ':now': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.State.EnteredTime')) },
      resultPath: sfn.JsonPath.DISCARD,
    });
    save.addRetry(dynamoRetry);
    save.addCatch(done, { errors: ['DynamoDB.ConditionalCheckFailedException'], resultPath: sfn.JsonPath.DISCARD });
    const item = `${data}.found.Item`;
    const choice = new sfn.Choice(this, `Has${name}Checkpoint`)
      .when(sfn.Condition.and(sfn.Condition.isPresent(item), sfn.Condition.timestampGreaterThanJsonPath(`${item}.expiresAtIso.S`, `${data}.now`)), reuse.next(done))
      .otherwise(runStep.next(save).next(done));
    load.next(choice);
    return sfn.Chain.custom(load, [done], done);
  }

  /** After the last step: deletes the run's checkpoints when `cleanupOnSuccess` is set (one BatchWriteItem). */
  finish(): sfn.IChainable {
    if (!this.props.cleanupOnSuccess) return new sfn.Pass(this, 'KeepCheckpoints', { comment: 'Checkpoints expire with their TTL' });
    const pk = sfn.JsonPath.format(`${PREFIX.stepCheckpoint}${this.props.workflowName}#{}`, sfn.JsonPath.stringAt(this.runId));
    const cleanup = new tasks.CallAwsService(this, 'DeleteCheckpoints', {
      service: 'dynamodb', action: 'batchWriteItem',
      parameters: { RequestItems: { [this.props.table.tableName]: this.stepNames.map((s) => ({ DeleteRequest: { Key: { [ATTR.pk]: { S: pk }, [ATTR.sk]: { S: PREFIX.step + s } } } })) } },
      iamResources: [this.props.table.tableArn],
      iamAction: 'dynamodb:BatchWriteItem',
      resultPath: sfn.JsonPath.DISCARD,
    });
    cleanup.addRetry(retryProps(RETRY_PRESETS.dynamodb));
    return cleanup;
  }
}
