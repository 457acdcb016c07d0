import { Duration } from 'aws-cdk-lib';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ENV } from '../lambdas/shared/env';
import { DATASETS } from '../lambdas/generate-data/logic';
import { ALGORITHMS } from '../lambdas/train-model/logic';
import { ATTR, PREFIX, SK } from '../lib/state/keys';
import { retryProps } from '../lib/patterns/retry';
import { RETRY_PRESETS } from '../lambdas/shared/retry-presets';
import { ExecutionStatusRule } from '../lib/patterns/status-change-rule';
import { TaskFunction } from '../lib/task-function';
import { WorkflowStateMachine } from '../lib/workflow-state-machine';

export interface PipelineWorkflowProps {
  readonly table: dynamodb.ITable;
  /** How long the dedup claim and the checkpoints live (DynamoDB TTL). @default Duration.days(7) */
  readonly runRetention?: Duration;
}

const S = (path: string) => sfn.JsonPath.stringAt(path);
/** End statuses of a run that leave its run id free to run again (FAILED by its Catch; the others by ClaimReleaseFn). */
const RELEASED = ['FAILED', 'ABORTED', 'TIMED_OUT'] as const;
const cap = (s: string) => s[0].toUpperCase() + s.slice(1);

/**
 * `pipeline`: validate -> claim the run id -> 3 generators in parallel -> analysis -> 2 trainers in
 * parallel -> integration. Each task result is checkpointed under the run id by a direct DynamoDB
 * write; a duplicate request (same runId, still claimed) ends in `DuplicateRun` without running a task.
 */
export class PipelineWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly functions: TaskFunction[] = [];
  /** Releases the claim of a run that was aborted or timed out (a state machine cannot catch those). */
  readonly claimReleaseFunction: TaskFunction;

  constructor(scope: Construct, id: string, props: PipelineWorkflowProps) {
    super(scope, id);
    const retention = props.runRetention ?? Duration.days(7);
    if (retention.toSeconds() < 60) throw new Error(`${this.node.path}: PipelineWorkflowProps.runRetention must be at least 60 seconds`);
    const table = props.table;
    const fn = (id: string, handlerDir: string) => {
      const f = new TaskFunction(this, id, { handlerDir, environment: { [ENV.RUN_TTL_SECONDS]: String(retention.toSeconds()) } });
      this.functions.push(f);
      return f.function;
    };
    const validateFn = fn('ValidateFn', 'validate-request');
    const generateFn = fn('GenerateFn', 'generate-data');
    const analyzeFn = fn('AnalyzeFn', 'analyze-data');
    const trainFn = fn('TrainFn', 'train-model');
    const integrateFn = fn('IntegrateFn', 'integrate-report');

    const runPk = tasks.DynamoAttributeValue.fromString(sfn.JsonPath.format(`${PREFIX.run}{}`, S('$.request.runId')));
    const expiresAt = tasks.DynamoAttributeValue.numberFromString(sfn.JsonPath.jsonToString(sfn.JsonPath.numberAt('$.request.expiresAt')));

    const lambdaTask = (name: string, f: typeof validateFn, payload: Record<string, unknown>, resultPath: string) => {
      const t = new tasks.LambdaInvoke(this, name, {
        lambdaFunction: f,
        payload: sfn.TaskInput.fromObject(payload),
        resultSelector: { 'value.$': '$.Payload' },
        resultPath,
        retryOnServiceExceptions: false,
        taskTimeout: sfn.Timeout.duration(Duration.seconds(60)),
      });
      t.addRetry(retryProps());
      return t;
    };
    /** Writes `<resultPath>.value` as the step's checkpoint; inside a branch the branch outputs just that value. */
    const checkpoint = (step: string, resultPath = '$.result', inBranch = true) => {
      const t = new tasks.DynamoPutItem(this, `Checkpoint${cap(step)}`, {
        table,
        item: {
          [ATTR.pk]: runPk,
          [ATTR.sk]: tasks.DynamoAttributeValue.fromString(PREFIX.checkpoint + step),
          output: tasks.DynamoAttributeValue.fromString(sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt(`${resultPath}.value`))),
          executionArn: tasks.DynamoAttributeValue.fromString(S('$$.Execution.Id')),
          [ATTR.expiresAt]: expiresAt,
        },
        resultPath: sfn.JsonPath.DISCARD,
        ...(inBranch ? { outputPath: `${resultPath}.value` } : {}),
      });
      t.addRetry(retryProps(RETRY_PRESETS.dynamodb));
      return t;
    };

    const rejectInput = new sfn.Fail(this, 'RejectInput', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
    const validate = lambdaTask('ValidateRequest', validateFn, { 'request.$': '$.request' }, '$.validated');
    validate.addCatch(rejectInput, { errors: ['States.ALL'], resultPath: '$.error' });
    // Replaces the request by its validated form; `trigger` (set by the rule) is kept when present.
    const normalize = new sfn.Pass(this, 'UseValidatedRequest', { inputPath: '$.validated.value', resultPath: '$.request' });

    const claim = new tasks.DynamoPutItem(this, 'ClaimRun', {
      table,
      item: {
        [ATTR.pk]: runPk,
        [ATTR.sk]: tasks.DynamoAttributeValue.fromString(SK.claim),
        status: tasks.DynamoAttributeValue.fromString('RUNNING'),
        executionArn: tasks.DynamoAttributeValue.fromString(S('$$.Execution.Id')),
        [ATTR.expiresAt]: expiresAt,
        expiresAtIso: tasks.DynamoAttributeValue.fromString(S('$.request.expiresAtIso')),
      },
      // A run id may be claimed again only when its claim has expired or its last run ended without
      // succeeding: FAILED (its own Catch), ABORTED or TIMED_OUT (released by ClaimReleaseFn).
      conditionExpression: 'attribute_not_exists(pk) OR #expiresAt < :now OR #status IN (:failed, :aborted, :timedOut)',
      expressionAttributeNames: { '#expiresAt': ATTR.expiresAt, '#status': 'status' },
      expressionAttributeValues: {
        ':now': tasks.DynamoAttributeValue.numberFromString(sfn.JsonPath.jsonToString(sfn.JsonPath.numberAt('$.request.nowEpoch'))),
        ...Object.fromEntries(RELEASED.map((st) => [`:${st === 'TIMED_OUT' ? 'timedOut' : st.toLowerCase()}`, tasks.DynamoAttributeValue.fromString(st)])),
      },
      resultPath: sfn.JsonPath.DISCARD,
    });
    claim.addRetry(retryProps(RETRY_PRESETS.dynamodb));
    // A duplicate says so in its output: nothing ran, and which execution holds the run id.
    const duplicate = new sfn.Pass(this, 'ReportDuplicate', {
      parameters: {
        'runId.$': '$.request.runId', outcome: 'DUPLICATE', duplicate: true, ran: false,
        'claimedBy.$': '$.existing.found.Item.executionArn.S', 'claimStatus.$': '$.existing.found.Item.status.S',
      },
    }).next(new sfn.Succeed(this, 'DuplicateRun', { comment: 'The run id is already claimed: nothing ran.' }));
    const claimKey = { [ATTR.pk]: runPk, [ATTR.sk]: tasks.DynamoAttributeValue.fromString(SK.claim) };
    const readClaim = (name: string) => {
      const t = new tasks.DynamoGetItem(this, name, {
        table, key: claimKey, consistentRead: true,
        // `$.Item` is absent when nothing is claimed, so the whole result is kept (a missing path would fail the state).
        resultSelector: { 'found.$': '$', 'now.$': '$$.Execution.StartTime', 'me.$': '$$.Execution.Id' },
        resultPath: '$.existing',
      });
      t.addRetry(retryProps(RETRY_PRESETS.dynamodb));
      return t;
    };

    // A redelivered event is recognised by a read, before any Lambda runs. A claim whose expiry has
    // passed counts as absent (TTL deletes lazily), as does the claim of a failed run.
    const lookUp = readClaim('LookUpRun');
    // A run id DynamoDB rejects as a key (e.g. too long) is an input problem: validation names it.
    lookUp.addCatch(validate, { errors: ['DynamoDB.ValidationException'], resultPath: sfn.JsonPath.DISCARD });
    const claimIsLive = new sfn.Choice(this, 'IsClaimLive')
      .when(sfn.Condition.or(...RELEASED.map((st) => sfn.Condition.stringEquals('$.existing.found.Item.status.S', st))), validate)
      .when(sfn.Condition.timestampGreaterThanJsonPath('$.existing.found.Item.expiresAtIso.S', '$.existing.now'), duplicate)
      .otherwise(validate);
    const isClaimed = new sfn.Choice(this, 'IsClaimed')
      .when(sfn.Condition.isPresent('$.existing.found.Item'), claimIsLive)
      .otherwise(validate);
    // A request without a string runId cannot be looked up: validation names what is wrong.
    const hasRunId = new sfn.Choice(this, 'HasRunId')
      .when(sfn.Condition.and(sfn.Condition.isPresent('$.request.runId'), sfn.Condition.isString('$.request.runId')), lookUp.next(isClaimed))
      .otherwise(validate);

    const requestCheckpoint = checkpoint('request', '$.validated', false);
    // Two events racing past the read above: the conditional claim lets exactly one through; the other
    // reads who holds the claim. Its own claim (the put succeeded, its answer was lost and the retry
    // met its own item) goes on; another execution's live claim is a duplicate; a claim released or
    // gone in between is tried again.
    claim.addCatch(readClaim('ReadClaimHolder').next(new sfn.Choice(this, 'IsClaimHeld')
      .when(sfn.Condition.and(sfn.Condition.isPresent('$.existing.found.Item'),
        sfn.Condition.stringEqualsJsonPath('$.existing.found.Item.executionArn.S', '$.existing.me')), requestCheckpoint)
      .when(sfn.Condition.isPresent('$.existing.found.Item'), claimIsLive)
      .otherwise(validate)), { errors: ['DynamoDB.ConditionalCheckFailedException'], resultPath: sfn.JsonPath.DISCARD });
    const generate = new sfn.Parallel(this, 'GenerateData', { resultPath: '$.datasets' });
    for (const dataset of DATASETS) {
      generate.branch(lambdaTask(`Generate${cap(dataset)}`, generateFn, {
        dataset, 'records.$': '$.request.records', 'seed.$': '$.request.seed',
      }, '$.result').next(checkpoint(dataset)));
    }
    const analyze = lambdaTask('AnalyzeData', analyzeFn, { 'runId.$': '$.request.runId', 'datasets.$': '$.datasets' }, '$.analysis');
    const analyzeCheckpoint = checkpoint('analysis', '$.analysis', false);
    const trainers = new sfn.Parallel(this, 'TrainModels', { resultPath: '$.models' });
    for (const algorithm of ALGORITHMS) {
      trainers.branch(lambdaTask(`Train${cap(algorithm)}Model`, trainFn, { algorithm, 'analysis.$': '$.analysis.value' }, '$.result')
        .next(checkpoint(algorithm)));
    }
    const integrate = lambdaTask('IntegrateReport', integrateFn,
      { 'runId.$': '$.request.runId', 'analysis.$': '$.analysis.value', 'models.$': '$.models' }, '$.report');
    const integrateCheckpoint = checkpoint('report', '$.report', false);

    const markStatus = (name: string, status: string, outputPath?: string) => {
      const t = new tasks.DynamoUpdateItem(this, name, {
        table,
        key: { [ATTR.pk]: runPk, [ATTR.sk]: tasks.DynamoAttributeValue.fromString(SK.claim) },
        updateExpression: 'SET #status = :status',
        expressionAttributeNames: { '#status': 'status' },
        expressionAttributeValues: { ':status': tasks.DynamoAttributeValue.fromString(status) },
        resultPath: sfn.JsonPath.DISCARD,
        ...(outputPath ? { outputPath } : {}),
      });
      t.addRetry(retryProps(RETRY_PRESETS.dynamodb));
      return t;
    };
    const failed = markStatus('MarkRunFailed', 'FAILED').next(
      new sfn.Fail(this, 'PipelineFailed', { errorPath: '$.error.Error', causePath: '$.error.Cause' }));
    for (const step of [requestCheckpoint, generate, analyze, analyzeCheckpoint, trainers, integrate, integrateCheckpoint]) {
      step.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.error' });
    }

    validate.next(normalize)
      .next(claim)
      .next(requestCheckpoint)
      .next(generate)
      .next(analyze)
      .next(analyzeCheckpoint)
      .next(trainers)
      .next(integrate)
      .next(integrateCheckpoint)
      .next(markStatus('MarkRunSucceeded', 'SUCCEEDED', '$.report.value'));
    const definition = hasRunId;

    this.stateMachine = new WorkflowStateMachine(this, 'Workflow', { workflowName: 'pipeline', definition }).stateMachine;

    this.claimReleaseFunction = new TaskFunction(this, 'ClaimReleaseFn', {
      handlerDir: 'release-run-claim', environment: { [ENV.STATE_TABLE]: table.tableName }, invokedAsynchronously: true,
    });
    // Least privilege: it may only update run claims (RUN#<runId>).
    this.claimReleaseFunction.role.addToPolicy(new iam.PolicyStatement({
      actions: ['dynamodb:UpdateItem'], resources: [table.tableArn],
      conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${PREFIX.run}*`] } },
    }));
    new ExecutionStatusRule(this, 'ClaimRelease', {
      // FAILED too: a run that fails outside its Catch (a terminal error, MarkRunFailed out of retries)
      // still holds a RUNNING claim; the release is conditional on that, so the Catch's own is untouched.
      statuses: ['FAILED', 'ABORTED', 'TIMED_OUT'],
      description: 'Pipeline runs that ended without succeeding release their run-id claim, so a redelivered request runs',
      target: (options) => new targets.LambdaFunction(this.claimReleaseFunction.function, options),
      attachHint: 'the pipeline watches its own state machine',
    }).watch(this.stateMachine);
  }
}
