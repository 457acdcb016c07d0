import { ArnFormat, Lazy, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { BudgetConfig, Period, Prices, US_EAST_1_PRICES } from '../../lambdas/budget-gate/logic';
import { ENV } from '../../lambdas/shared/env';
import { PATTERN_ERROR_NAMES } from '../../lambdas/shared/errors';
import { PREFIX } from '../state/keys';
import { TaskFunction } from '../task-function';
import { retryProps } from './retry';
import { ExecutionStatusRule } from './status-change-rule';

export interface BudgetGateProps {
  readonly table: dynamodb.ITable;
  /** Where BudgetThresholdReached is published. */
  readonly bus: events.IEventBus;
  /** The limit of a scope with no `BUDGET#<scope>` / `LIMIT` item (USD per period). */
  readonly defaultLimitUsd: number;
  /** @default 'MONTH' (UTC calendar months) */
  readonly period?: Period;
  /** Fraction of the limit whose crossing publishes BudgetThresholdReached. @default 0.8 */
  readonly threshold?: number;
  /**
   * A run whose estimate does not fit: `defer` waits (a Wait state) until the next period and asks
   * again, `deny` fails it with BudgetExceeded. An estimate larger than the whole limit is always denied.
   * @default 'defer'
   */
  readonly onExceeded?: 'defer' | 'deny';
  /** Prices used to cost a run. @default the public us-east-1 prices (Standard transitions, arm64 Lambda) */
  readonly prices?: Partial<Prices>;
}

export interface GateOptions {
  /** The budget's scope: a constant (a team) or a JSONPath (`$.request.team`). @default '$$.StateMachine.Name' (per workflow) */
  readonly scope?: string;
  /** The run's estimated cost in USD. @default 0.01 */
  readonly estimatedCostUsd?: number;
  /** JSONPath to the estimate; overrides `estimatedCostUsd`. */
  readonly estimatePath?: string;
  /** Where the decision goes. @default '$.budget' */
  readonly resultPath?: string;
}

/**
 * Cost-aware orchestration: `gate(scope, id, options)` builds the states that ask the budget before
 * expensive work (a Lambda reserves the estimate with a conditional write; a Choice proceeds, waits
 * until the next period and asks again, or fails with BudgetExceeded). `attach(stateMachine,
 * functions)` makes every run of that workflow record its actual cost when it ends: the settle Lambda,
 * on the Execution Status Change event, prices the run's history (transitions, Lambda GB-seconds,
 * requests) and replaces the reservation with it, publishing BudgetThresholdReached on crossing.
 */
export class BudgetGate extends Construct {
  readonly gateFunction: TaskFunction;
  readonly settleFunction: TaskFunction;
  /** The Execution Status Change rule (with its dead-letter queue) that drives settlement. */
  readonly settlement: ExecutionStatusRule;
  readonly config: BudgetConfig;
  private readonly memory: Record<string, number> = {};

  constructor(scope: Construct, id: string, props: BudgetGateProps) {
    super(scope, id);
    const fail = (prop: string, rule: string) => { throw new Error(`${this.node.path}: BudgetGateProps.${prop} ${rule}`); };
    if (!(props.defaultLimitUsd >= 0) || !Number.isFinite(props.defaultLimitUsd)) fail('defaultLimitUsd', 'must be a finite number >= 0');
    const threshold = props.threshold ?? 0.8;
    if (!(threshold > 0 && threshold <= 1)) fail('threshold', 'must be in (0, 1]');
    const prices = { ...US_EAST_1_PRICES, ...props.prices };
    for (const [k, v] of Object.entries(prices)) if (!(v >= 0) || !Number.isFinite(v)) fail('prices', `${k} must be a finite number >= 0`);
    this.config = { period: props.period ?? 'MONTH', defaultLimitUsd: props.defaultLimitUsd, threshold, onExceeded: props.onExceeded ?? 'defer', prices, functionMemoryMb: this.memory };
    if (!['DAY', 'MONTH'].includes(this.config.period)) fail('period', 'must be DAY or MONTH');

    const environment = {
      [ENV.STATE_TABLE]: props.table.tableName, [ENV.BUS_NAME]: props.bus.eventBusName,
      // Lazy: the functions' memory is known only once every tracked workflow is attached.
      [ENV.BUDGET_CONFIG]: Lazy.string({ produce: () => Stack.of(this).toJsonString(this.config) }),
    };
    this.gateFunction = new TaskFunction(this, 'GateFn', { handlerDir: 'budget-gate', environment });
    this.settleFunction = new TaskFunction(this, 'SettleFn', { handlerDir: 'budget-settle', environment, invokedAsynchronously: true });
    const budgetKeys = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${PREFIX.budget}*`, `${PREFIX.budgetRun}*`] } };
    this.gateFunction.role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem'], resources: [props.table.tableArn], conditions: budgetKeys }));
    this.settleFunction.role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], resources: [props.table.tableArn], conditions: budgetKeys }));
    props.bus.grantPutEventsTo(this.settleFunction.function);
    this.settlement = new ExecutionStatusRule(this, 'Settle', {
      statuses: ['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'],
      description: 'Every ended run of a budgeted workflow records its actual cost',
      target: (options) => new targets.LambdaFunction(this.settleFunction.function, options),
      attachHint: 'call BudgetGate.attach(stateMachine, functions)',
    });
  }

  /** Tracks the cost of this workflow's runs; `functions` are the Lambdas it calls (their memory prices GB-seconds). */
  attach(stateMachine: sfn.StateMachine, functions: readonly lambda.Function[]): void {
    if (!this.settlement.watch(stateMachine)) return;
    for (const fn of functions) this.memory[fn.functionName] = memoryOf(fn);
    this.settleFunction.role.addToPolicy(new iam.PolicyStatement({
      actions: ['states:GetExecutionHistory'],
      resources: [Stack.of(this).formatArn({ service: 'states', resource: 'execution', resourceName: `${stateMachine.stateMachineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
    }));
  }

  /**
   * Gate -> decision. `proceed` continues with what the returned chain is followed by; `defer` waits
   * until `retryAt` (the next period) and asks again; `deny` fails with BudgetExceeded.
   */
  gate(scope: Construct, id: string, options: GateOptions = {}): sfn.Chain {
    const estimate = options.estimatedCostUsd ?? 0.01;
    if (options.estimatePath === undefined && (!(estimate >= 0) || !Number.isFinite(estimate))) throw new Error(`${scope.node.path}/${id}: GateOptions.estimatedCostUsd must be a finite number >= 0`);
    const resultPath = options.resultPath ?? '$.budget';
    const budgetScope = options.scope ?? '$$.StateMachine.Name';
    const ask = new tasks.LambdaInvoke(scope, id, {
      lambdaFunction: this.gateFunction.function,
      payload: sfn.TaskInput.fromObject({
        ...(budgetScope.startsWith('$') ? { 'scope.$': budgetScope } : { scope: budgetScope }),
        ...(options.estimatePath ? { 'estimatedCostUsd.$': options.estimatePath } : { estimatedCostUsd: estimate }),
        'holder.$': '$$.Execution.Id',
      }),
      payloadResponseOnly: true, retryOnServiceExceptions: false, resultPath,
    });
    ask.addRetry(retryProps());
    const approved = new sfn.Pass(scope, `${id}Approved`);
    const decide = new sfn.Choice(scope, `${id}Decision`)
      .when(sfn.Condition.stringEquals(`${resultPath}.decision`, 'proceed'), approved)
      .when(sfn.Condition.stringEquals(`${resultPath}.decision`, 'defer'), new sfn.Wait(scope, `${id}DeferUntilNextPeriod`, { time: sfn.WaitTime.timestampPath(`${resultPath}.retryAt`) }).next(ask))
      .otherwise(new sfn.Fail(scope, `${id}Denied`, { error: PATTERN_ERROR_NAMES.budgetExceeded, causePath: `${resultPath}.reason` }));
    ask.next(decide);
    return sfn.Chain.custom(ask, [approved], approved);
  }
}

function memoryOf(fn: lambda.Function): number {
  const cfn = fn.node.defaultChild as lambda.CfnFunction;
  return typeof cfn.memorySize === 'number' ? cfn.memorySize : 128;
}
