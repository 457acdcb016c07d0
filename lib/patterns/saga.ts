import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { PATTERN_ERROR_NAMES, PERMANENT_ERROR_NAMES } from '../../lambdas/shared/errors';
import { RETRY_PRESETS, RetryPreset } from '../../lambdas/shared/retry-presets';
import { SAGA_COMPENSATION_FAILED } from '../events';
import { ATTR, KEY_PART_PATTERN, PREFIX, SK } from '../state/keys';
import { TaskFunction } from '../task-function';
import { publishEvent } from './publish';
import { retryProps } from './retry';
import { beginRunTask } from './run-clock';

/**
 * One step: an action and the compensation that undoes it. Both receive
 * `{ sagaId, step, kind, idempotencyKey, idempotencyExpiresAt, input }` and must apply their effect at most
 * once per `idempotencyKey` (`<saga>#<sagaId>#<step>#<kind>`): a crash after the effect and before the
 * log write makes the saga call it again with the same key.
 */
export interface SagaStep {
  /** PascalCase; it names the states and the log entries. */
  readonly name: string;
  readonly action: lambda.IFunction;
  readonly compensation: lambda.IFunction;
}

/** Steps that run in parallel as one position of the saga. */
export interface SagaParallelGroup {
  readonly name: string;
  readonly parallel: readonly SagaStep[];
}

export type SagaElement = SagaStep | SagaParallelGroup;

export interface SagaProps {
  /** The state table: the saga log lives under `SAGA#<sagaName>#<sagaId>`. */
  readonly table: dynamodb.ITable;
  /** The bus `SagaCompensationFailed` is published on. */
  readonly bus: events.IEventBus;
  readonly sagaName: string;
  /** In order; a failure compensates the completed ones in reverse order. */
  readonly steps: readonly SagaElement[];
  /** Where the saga id is in the workflow input. @default '$.request.sagaId' */
  readonly sagaIdPath?: string;
  /** What actions and compensations receive as `input`. @default '$.request' */
  readonly inputPath?: string;
  /** How long the saga log is kept (DynamoDB TTL). @default Duration.days(30) */
  readonly logRetention?: Duration;
  /** Retries of each action. @default RETRY_PRESETS.transient */
  readonly actionRetry?: RetryPreset;
  /** Retries of each compensation before it escalates. @default RETRY_PRESETS.compensation */
  readonly compensationRetry?: RetryPreset;
  /**
   * Errors, besides the permanent errors of lambdas/shared/errors.ts (ValidationError, InvalidInput,
   * ...), with which an action answers "no" without doing anything (a business refusal such as
   * `OrderRejected`): a step that fails with one of them is not compensated. A step that fails with
   * any other error (a timeout, a crash) may have done its effect, so it is compensated.
   * @default none
   */
  readonly refusalErrors?: readonly string[];
}

const isGroup = (e: SagaElement): e is SagaParallelGroup => 'parallel' in e;

/**
 * A saga with a log in DynamoDB. Each action is logged STARTED before and DONE (with its output) after
 * it runs, so a re-run with the same saga id skips completed actions (their output is reused) and no
 * action runs twice. On a failure, every step whose action started and did not fail is compensated in
 * reverse order, each compensation logged so it never runs twice either. A compensation that still
 * fails after its retries publishes `SagaCompensationFailed` and leaves the saga COMPENSATION_FAILED;
 * running the saga id again resumes the compensation. Output:
 * `{ sagaId, status: SUCCEEDED|COMPENSATED, steps: { <step>: { status: DONE|REUSED, output } }, compensated: {...}, failure? }`.
 */
export class Saga extends Construct {
  /** The whole saga, to place after the workflow's input check. */
  readonly definition: sfn.Chain;
  readonly beginFunction: TaskFunction;
  readonly stepNames: string[];

  constructor(scope: Construct, id: string, props: SagaProps) {
    super(scope, id);
    const fail = (prop: string, rule: string) => { throw new Error(`${this.node.path}: SagaProps.${prop} ${rule}`); };
    if (!KEY_PART_PATTERN.test(props.sagaName)) fail('sagaName', `must match ${KEY_PART_PATTERN}, got "${props.sagaName}"`);
    if (props.steps.length === 0) fail('steps', 'must name at least one step');
    const flat = props.steps.flatMap((e) => (isGroup(e) ? e.parallel : [e]));
    const names = [...flat.map((s) => s.name), ...props.steps.filter(isGroup).map((g) => g.name)];
    for (const n of names) if (!/^[A-Z][A-Za-z0-9]{0,40}$/.test(n)) fail('steps', `names must be PascalCase, got "${n}"`);
    if (new Set(names).size !== names.length) fail('steps', 'names must be unique');
    for (const g of props.steps.filter(isGroup)) if (g.parallel.length < 2) fail('steps', `parallel group ${g.name} needs at least 2 steps`);
    this.stepNames = flat.map((s) => s.name);
    const refusals = [...new Set([...PERMANENT_ERROR_NAMES, ...(props.refusalErrors ?? [])])];
    for (const e of refusals) if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(e) || e.startsWith('States.')) fail('refusalErrors', `must be error names an action raises (not States.*), got "${e}"`);
    const retention = props.logRetention ?? Duration.days(30);
    this.beginFunction = new TaskFunction(this, 'BeginRunFn', { handlerDir: 'begin-run' });

    const table = props.table;
    const dynamoRetry = retryProps(RETRY_PRESETS.dynamodb);
    const S = (p: string) => sfn.JsonPath.stringAt(p);
    const str = (v: string) => tasks.DynamoAttributeValue.fromString(v);
    const pk = tasks.DynamoAttributeValue.fromString(sfn.JsonPath.format(`${PREFIX.saga}${props.sagaName}#{}`, S('$.run.runId')));
    const headerKey = { [ATTR.pk]: pk, [ATTR.sk]: str(SK.sagaHeader) };
    const stepKey = (step: string) => ({ [ATTR.pk]: pk, [ATTR.sk]: str(PREFIX.sagaAction + step) });
    const now = str(S('$$.State.EnteredTime'));
    const expiresAt = tasks.DynamoAttributeValue.numberFromString(sfn.JsonPath.jsonToString(sfn.JsonPath.numberAt('$.run.expiresAt')));
    const inputPath = props.inputPath ?? '$.request';
    // The key is the same on every attempt and every re-run of the saga id, and differs between a
    // step's action and its compensation; actions and compensations must honour it (see the README).
    const payload = (step: string, kind: 'action' | 'compensation') => sfn.TaskInput.fromObject({
      'sagaId.$': '$.run.runId', step, kind,
      idempotencyKey: sfn.JsonPath.format(`${props.sagaName}#{}#${step}#${kind}`, S('$.run.runId')),
      idempotencyExpiresAt: sfn.JsonPath.numberAt('$.run.expiresAt'),
      'input.$': inputPath,
    });
    const updateHeader = (name: string, set: string, values: Record<string, tasks.DynamoAttributeValue>, extraNames: Record<string, string> = {}) => {
      const t = new tasks.DynamoUpdateItem(this, name, {
        table, key: headerKey, updateExpression: `SET #status = :status, #updatedAt = :now${set}`,
        expressionAttributeNames: { '#status': 'status', '#updatedAt': 'updatedAt', ...extraNames },
        expressionAttributeValues: { ':now': now, ...values },
        resultPath: sfn.JsonPath.DISCARD,
      });
      t.addRetry(dynamoRetry);
      return t;
    };

    // ---- compensation: every flattened step, in reverse order (built from the first step up, so
    // the chain starts at the last step) ------------------------------------------------------
    const compensated = updateHeader('MarkSagaCompensated', '', { ':status': str('COMPENSATED') });
    compensated.next(new sfn.Pass(this, 'ReportCompensated', {
      parameters: { 'sagaId.$': '$.run.runId', status: 'COMPENSATED', 'failure.$': '$.saga.failure', 'steps.$': '$.saga.steps', 'compensated.$': '$.saga.compensated' },
    })).next(new sfn.Succeed(this, 'SagaRolledBack'));
    const compensationFailed = publishEvent(this, 'PublishCompensationFailed', props.bus, SAGA_COMPENSATION_FAILED, {
      saga: props.sagaName, 'sagaId.$': '$.run.runId', 'step.$': '$.saga.compensationFailure.at.step',
      'error.$': '$.saga.compensationFailure.error.Error', 'cause.$': '$.saga.compensationFailure.error.Cause', 'executionArn.$': '$$.Execution.Id',
    });
    compensationFailed
      .next(updateHeader('MarkCompensationFailed', ', #failedCompensation = :step', { ':status': str('COMPENSATION_FAILED'), ':step': str(S('$.saga.compensationFailure.at.step')) }, { '#failedCompensation': 'failedCompensation' }))
      .next(new sfn.Fail(this, 'CompensationFailed', { error: PATTERN_ERROR_NAMES.sagaCompensationFailed, cause: `A compensation of saga ${props.sagaName} failed after its retries; the saga is COMPENSATION_FAILED. Fix the cause and run the same saga id again to resume.` }));

    let nextCompensation: sfn.IChainable = compensated;
    for (const step of flat) {
      const log = `$.saga.log.${step.name}`;
      const item = `${log}.found.Item`;
      const check = new tasks.DynamoGetItem(this, `CheckCompensation${step.name}`, {
        table, key: stepKey(step.name), consistentRead: true, resultSelector: { 'found.$': '$' }, resultPath: log,
      });
      check.addRetry(dynamoRetry);
      const compensate = new tasks.LambdaInvoke(this, `Compensate${step.name}`, {
        lambdaFunction: step.compensation, payload: payload(step.name, 'compensation'),
        resultSelector: { status: 'DONE', 'output.$': '$.Payload' }, resultPath: `$.saga.compensated.${step.name}`, retryOnServiceExceptions: false,
      });
      compensate.addRetry(retryProps(props.compensationRetry ?? RETRY_PRESETS.compensation));
      compensate.addCatch(new sfn.Pass(this, `Note${step.name}CompensationFailed`, { result: sfn.Result.fromObject({ step: step.name }), resultPath: '$.saga.compensationFailure.at' }).next(compensationFailed),
        { errors: ['States.ALL'], resultPath: '$.saga.compensationFailure.error' });
      const logged = new tasks.DynamoUpdateItem(this, `Log${step.name}Compensated`, {
        table, key: stepKey(step.name), updateExpression: 'SET #compensatedAt = :now',
        expressionAttributeNames: { '#compensatedAt': 'compensatedAt' }, expressionAttributeValues: { ':now': now }, resultPath: sfn.JsonPath.DISCARD,
      });
      logged.addRetry(dynamoRetry);
      const already = new sfn.Pass(this, `Already${step.name}Compensated`, { result: sfn.Result.fromObject({ status: 'REUSED' }), resultPath: `$.saga.compensated.${step.name}` });
      // A step that failed with a declared refusal (the service answered no, so it did nothing) is not
      // compensated. Any other failure (a timeout, a crash, an error after its retries) may have come
      // after the effect: its outcome is unknown, so it is compensated (compensations are idempotent
      // by key, and undoing what never happened is a no-op for them).
      const refused = sfn.Condition.or(...refusals.map((e) => sfn.Condition.stringEquals(`${item}.error.S`, e)));
      check.next(new sfn.Choice(this, `Should${step.name}BeCompensated`)
        .when(sfn.Condition.isNotPresent(item), nextCompensation)
        .when(sfn.Condition.and(sfn.Condition.stringEquals(`${item}.status.S`, 'FAILED'), refused), nextCompensation)
        .when(sfn.Condition.isPresent(`${item}.compensatedAt`), already.next(nextCompensation))
        .otherwise(compensate.next(logged).next(nextCompensation)));
      nextCompensation = check;
    }
    const compensation = nextCompensation;
    const beginCompensation = updateHeader('BeginCompensation', ', #failedStep = :step, #failedError = :error',
      { ':status': str('COMPENSATING'), ':step': str(S('$.saga.failure.at.step')), ':error': str(S('$.saga.failure.error.Error')) },
      { '#failedStep': 'failedStep', '#failedError': 'failedError' });
    beginCompensation.next(compensation);

    // ---- forward: each step skipped when logged DONE, else STARTED -> action -> DONE ----------
    const forwardStep = (step: SagaStep, next: sfn.IChainable, onFailure: sfn.IChainable): sfn.IChainable => {
      const log = `$.saga.log.${step.name}`;
      const item = `${log}.found.Item`;
      const check = new tasks.DynamoGetItem(this, `Check${step.name}`, { table, key: stepKey(step.name), consistentRead: true, resultSelector: { 'found.$': '$' }, resultPath: log });
      check.addRetry(dynamoRetry);
      const reuse = new sfn.Pass(this, `Reuse${step.name}`, {
        parameters: { status: 'REUSED', 'output.$': `States.StringToJson(${item}.output.S)` }, resultPath: `$.saga.steps.${step.name}`,
      });
      const start = new tasks.DynamoPutItem(this, `Start${step.name}`, {
        table,
        item: { ...stepKey(step.name), status: str('STARTED'), startedAt: now, executionArn: str(S('$$.Execution.Id')), [ATTR.expiresAt]: expiresAt },
        resultPath: sfn.JsonPath.DISCARD,
      });
      start.addRetry(dynamoRetry);
      const action = new tasks.LambdaInvoke(this, step.name, {
        lambdaFunction: step.action, payload: payload(step.name, 'action'),
        resultSelector: { status: 'DONE', 'output.$': '$.Payload' }, resultPath: `$.saga.steps.${step.name}`, retryOnServiceExceptions: false,
      });
      action.addRetry(retryProps(props.actionRetry ?? RETRY_PRESETS.transient));
      const done = new tasks.DynamoPutItem(this, `Log${step.name}Done`, {
        table,
        item: {
          ...stepKey(step.name), status: str('DONE'), doneAt: now, executionArn: str(S('$$.Execution.Id')), [ATTR.expiresAt]: expiresAt,
          output: str(sfn.JsonPath.jsonToString(sfn.JsonPath.objectAt(`$.saga.steps.${step.name}.output`))),
        },
        // Once DONE, an entry is never rewritten (its output is what re-runs reuse).
        conditionExpression: 'attribute_not_exists(pk) OR #status <> :done',
        expressionAttributeNames: { '#status': 'status' },
        expressionAttributeValues: { ':done': str('DONE') },
        resultPath: sfn.JsonPath.DISCARD,
      });
      done.addRetry(dynamoRetry);
      const markFailed = new tasks.DynamoUpdateItem(this, `Mark${step.name}Failed`, {
        table, key: stepKey(step.name), updateExpression: 'SET #status = :failed, #error = :error',
        expressionAttributeNames: { '#status': 'status', '#error': 'error' },
        expressionAttributeValues: { ':failed': str('FAILED'), ':error': str(S('$.saga.failure.error.Error')) },
        resultSelector: { step: step.name }, resultPath: '$.saga.failure.at',
      });
      markFailed.addRetry(dynamoRetry);
      action.addCatch(markFailed, { errors: ['States.ALL'], resultPath: '$.saga.failure.error' });
      markFailed.next(onFailure);
      done.addCatch(next, { errors: ['DynamoDB.ConditionalCheckFailedException'], resultPath: sfn.JsonPath.DISCARD });
      check.next(new sfn.Choice(this, `Is${step.name}Done`)
        .when(sfn.Condition.and(sfn.Condition.isPresent(item), sfn.Condition.stringEquals(`${item}.status.S`, 'DONE')), reuse.next(next))
        .otherwise(start.next(action).next(done).next(next)));
      return check;
    };

    const succeeded = updateHeader('MarkSagaSucceeded', '', { ':status': str('SUCCEEDED') });
    succeeded.next(new sfn.Pass(this, 'ReportSucceeded', {
      parameters: { 'sagaId.$': '$.run.runId', status: 'SUCCEEDED', 'steps.$': '$.saga.steps', 'compensated.$': '$.saga.compensated' },
    })).next(new sfn.Succeed(this, 'SagaSucceeded'));
    let forward: sfn.IChainable = succeeded;
    for (const element of [...props.steps].reverse()) {
      if (!isGroup(element)) {
        forward = forwardStep(element, forward, beginCompensation);
        continue;
      }
      // A group: each branch reports { status, output } of its step; the main state copies them back.
      let afterGroup: sfn.IChainable = forward;
      for (const [i, member] of [...element.parallel.entries()].reverse()) {
        afterGroup = new sfn.Pass(this, `Note${member.name}`, { inputPath: `$.saga.groups.${element.name}[${i}]`, resultPath: `$.saga.steps.${member.name}` }).next(afterGroup);
      }
      const group = new sfn.Parallel(this, element.name, { resultPath: `$.saga.groups.${element.name}` });
      for (const member of element.parallel) {
        const report = new sfn.Pass(this, `Report${member.name}`, { outputPath: `$.saga.steps.${member.name}` });
        group.branch(forwardStep(member, report, new sfn.Fail(this, `${member.name}Failed`, { errorPath: '$.saga.failure.error.Error', causePath: '$.saga.failure.error.Cause' })));
      }
      group.addCatch(new sfn.Pass(this, `Note${element.name}Failed`, { result: sfn.Result.fromObject({ step: element.name }), resultPath: '$.saga.failure.at' }).next(beginCompensation),
        { errors: ['States.ALL'], resultPath: '$.saga.failure.error' });
      group.next(afterGroup);
      forward = group;
    }

    // ---- entry: read the header, then go forward, or resume a compensation ------------------
    const load = new tasks.DynamoGetItem(this, 'LoadSaga', {
      table, key: headerKey, consistentRead: true,
      resultSelector: { 'header.$': '$', steps: {}, compensated: {}, log: {}, groups: {}, failure: {}, compensationFailure: {} },
      resultPath: '$.saga',
    });
    load.addRetry(dynamoRetry);
    const open = new tasks.DynamoPutItem(this, 'OpenSaga', {
      table, item: { ...headerKey, status: str('RUNNING'), startedAt: now, executionArn: str(S('$$.Execution.Id')), [ATTR.expiresAt]: expiresAt },
      conditionExpression: 'attribute_not_exists(pk)', resultPath: sfn.JsonPath.DISCARD,
    });
    open.addRetry(dynamoRetry);
    open.addCatch(new sfn.Fail(this, 'SagaAlreadyStarted', { error: 'SagaAlreadyStarted', cause: 'Another execution opened this saga id at the same moment' }),
      { errors: ['DynamoDB.ConditionalCheckFailedException'] });
    const resume = new sfn.Pass(this, 'ResumeCompensation', {
      parameters: { at: { 'step.$': '$.saga.header.Item.failedStep.S' }, error: { 'Error.$': '$.saga.header.Item.failedError.S' } }, resultPath: '$.saga.failure',
    });
    resume.next(updateHeader('ReopenCompensation', '', { ':status': str('COMPENSATING') })).next(compensation);
    const status = '$.saga.header.Item.status.S';
    const route = new sfn.Choice(this, 'RouteSaga')
      .when(sfn.Condition.isNotPresent('$.saga.header.Item'), open.next(forward))
      .when(sfn.Condition.or(sfn.Condition.stringEquals(status, 'RUNNING'), sfn.Condition.stringEquals(status, 'SUCCEEDED')), forward)
      .otherwise(resume);
    this.definition = sfn.Chain.start(beginRunTask(this, this.beginFunction, props.sagaIdPath ?? '$.request.sagaId', retention)).next(load).next(route);
  }
}
