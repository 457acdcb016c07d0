import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { PATTERN_ERROR_NAMES, PERMANENT_ERROR_NAMES } from '../../lambdas/shared/errors';
import { ENV } from '../../lambdas/shared/env';
import { RETRY_PRESETS } from '../../lambdas/shared/retry-presets';
import { CIRCUIT_STATE_CHANGED } from '../events';
import { ATTR, keys, KEY_PART_PATTERN, PREFIX, SK } from '../state/keys';
import { TaskFunction } from '../task-function';
import { publishEvent } from './publish';
import { retryProps } from './retry';

export interface CircuitBreakerProps {
  /** The state table (see lib/state/keys.ts: `CIRCUIT#<dependency>` / `STATE`). */
  readonly table: dynamodb.ITable;
  /** The bus `CircuitStateChanged` events are published on. */
  readonly bus: events.IEventBus;
  /** The protected dependency's name; it keys the circuit, so breakers that share it share one circuit. */
  readonly dependency: string;
  /** Failures within `window` that open the circuit. @default 5 */
  readonly threshold?: number;
  /** The rolling window failures are counted in. @default Duration.seconds(60) */
  readonly window?: Duration;
  /** How long the circuit stays OPEN before one probe call is admitted. @default Duration.seconds(30) */
  readonly cooldown?: Duration;
  /**
   * How long a probe holds HALF_OPEN. If the probe's execution dies without an answer, the next
   * caller after this may probe. Make it longer than the protected call's timeout.
   * @default Duration.seconds(60)
   */
  readonly probeLease?: Duration;
  /**
   * Errors that are the caller's fault and never count as a dependency failure (they are re-raised).
   * @default the permanent errors of lambdas/shared/errors.ts (ValidationError, InvalidInput, ...)
   */
  readonly ignoredErrors?: string[];
}

export interface ProtectOptions {
  /** Prefix of the generated state names (unique per state machine). @default the breaker's construct id */
  readonly prefix?: string;
  /** Where the protected task's output goes. Must not be `$`: the breaker keeps its own data at `$.circuits`. @default `$.<prefix>` */
  readonly resultPath?: string;
  /** Taken instead of failing with `CircuitOpen` when the circuit rejects the call. It should write `resultPath` too. */
  readonly fallback?: sfn.IChainable;
  /** OutputPath of the chain's last state, e.g. the resultPath when the chain is a whole Parallel branch. @default '$' */
  readonly outputPath?: string;
}

/**
 * A circuit breaker around any task. The check is a direct DynamoDB read (no Lambda) followed by a
 * Choice on `$$.State.EnteredTime`: CLOSED calls, OPEN fails fast with `CircuitOpen` (or takes the
 * fallback) without calling; after the cooldown exactly one caller wins a conditional, expiring probe
 * lease (HALF_OPEN). The probe's success closes the circuit (a direct conditional UpdateItem), its
 * failure re-opens it. Failures are counted in a rolling window by a Lambda with conditional writes.
 * Every state change publishes `CircuitStateChanged`.
 *
 * ```ts
 * const breaker = new CircuitBreaker(this, 'Payments', { table, bus, dependency: 'payments', threshold: 5 });
 * const chain = breaker.protect(chargeTask, { resultPath: '$.charge' });
 * ```
 */
export class CircuitBreaker extends Construct {
  /** Records failures and grants probe leases (the only Lambda of the pattern; never on the CLOSED happy path). */
  readonly transitionFunction: TaskFunction;
  readonly dependency: string;
  readonly config: { readonly threshold: number; readonly windowSeconds: number; readonly cooldownSeconds: number; readonly probeLeaseSeconds: number };
  private readonly props: CircuitBreakerProps;
  private readonly prefixes = new Set<string>();

  constructor(scope: Construct, id: string, props: CircuitBreakerProps) {
    super(scope, id);
    const fail = (prop: string, rule: string) => { throw new Error(`${this.node.path}: CircuitBreakerProps.${prop} ${rule}`); };
    if (!KEY_PART_PATTERN.test(props.dependency)) fail('dependency', `must match ${KEY_PART_PATTERN}, got "${props.dependency}"`);
    const threshold = props.threshold ?? 5;
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > 100) fail('threshold', `must be an integer from 1 to 100, got ${threshold}`);
    const seconds = (prop: string, d: Duration | undefined, dflt: number, max: number) => {
      const s = d === undefined ? dflt : d.toSeconds({ integral: false });
      if (!Number.isInteger(s) || s < 1 || s > max) fail(prop, `must be whole seconds from 1 to ${max}, got ${s}`);
      return s;
    };
    this.config = {
      threshold,
      windowSeconds: seconds('window', props.window, 60, 86_400),
      cooldownSeconds: seconds('cooldown', props.cooldown, 30, 86_400),
      probeLeaseSeconds: seconds('probeLease', props.probeLease, 60, 86_400),
    };
    this.dependency = props.dependency;
    this.props = props;
    this.transitionFunction = new TaskFunction(this, 'TransitionFn', {
      handlerDir: 'circuit-breaker',
      environment: { [ENV.STATE_TABLE]: props.table.tableName },
    });
    // Least privilege: this function reads and writes only its own circuit's item.
    this.transitionFunction.role.addToPolicy(new iam.PolicyStatement({
      actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      resources: [props.table.tableArn],
      conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [keys.circuit(props.dependency).pk] } },
    }));
  }

  /**
   * Wraps `task` (any chain: a Lambda, a direct integration, a Parallel) in the breaker. Returns a chain
   * to place in a workflow. Without a fallback, a rejected call fails with `CircuitOpen`; a failed call
   * is re-raised with its own error after it is recorded.
   */
  protect(task: sfn.IChainable, options: ProtectOptions = {}): sfn.Chain {
    const p = options.prefix ?? this.node.id;
    if (!/^[A-Z][A-Za-z0-9]{0,40}$/.test(p)) throw new Error(`${this.node.path}: ProtectOptions.prefix must be PascalCase (state names are derived from it), got "${p}"`);
    if (this.prefixes.has(p)) throw new Error(`${this.node.path}: ProtectOptions.prefix "${p}" is already used by this breaker; give each protect() call its own prefix`);
    const resultPath = options.resultPath ?? `$.${p[0].toLowerCase()}${p.slice(1)}`;
    if (!/^\$\.[A-Za-z0-9_.]+$/.test(resultPath) || resultPath.startsWith('$.circuits')) {
      throw new Error(`${this.node.path}: ProtectOptions.resultPath must be a path below $ outside $.circuits, got "${resultPath}"`);
    }
    this.prefixes.add(p);
    const scope = this; // the generated states live in the breaker's scope
    const table = this.props.table;
    const data = `$.circuits.${p}`;
    const key = { [ATTR.pk]: tasks.DynamoAttributeValue.fromString(PREFIX.circuit + this.dependency), [ATTR.sk]: tasks.DynamoAttributeValue.fromString(SK.circuit) };
    const dynamoRetry = retryProps(RETRY_PRESETS.dynamodb);
    const detail = (from: string, to: string, at: string) => ({
      dependency: this.dependency, 'from.$': from, 'to.$': to, 'at.$': at, 'executionArn.$': '$$.Execution.Id',
    });
    const done = new sfn.Pass(scope, `${p}Protected`, options.outputPath ? { outputPath: options.outputPath } : {});

    // 1. The check: a direct read, then a Choice. `probe.granted` starts false (no extra state needed).
    const read = new tasks.DynamoGetItem(scope, `Check${p}Circuit`, {
      table, key, consistentRead: true,
      resultSelector: { 'found.$': '$', 'now.$': '$$.State.EnteredTime', probe: { granted: false } },
      resultPath: data,
    });
    read.addRetry(dynamoRetry);
    const item = `${data}.found.Item`;
    const rejected = options.fallback
      ? sfn.Chain.start(options.fallback)
      : new sfn.Fail(scope, `${p}CircuitOpen`, { error: PATTERN_ERROR_NAMES.circuitOpen, cause: `The circuit of ${this.dependency} is open: the call was not made` });

    // 2. The protected call, wrapped so its output lands at resultPath and its failures are caught here.
    const call = new sfn.Parallel(scope, `Call${p}`, { resultSelector: { 'value.$': '$[0]' }, resultPath: `${data}.result` });
    call.branch(task);
    const placeResult = new sfn.Pass(scope, `Use${p}Result`, { inputPath: `${data}.result.value`, resultPath });

    // 3a. Success: if this call was the probe, close the circuit (only if the lease is still ours).
    const close = new tasks.DynamoUpdateItem(scope, `Close${p}Circuit`, {
      table, key,
      updateExpression: 'SET #cs = :closed, #failures = :none, #version = #version + :one, #updatedAt = :now REMOVE #holder, #lease, #openUntil',
      conditionExpression: '#cs = :half AND #holder = :me',
      expressionAttributeNames: { '#cs': 'circuitState', '#failures': 'failures', '#version': 'version', '#updatedAt': 'updatedAt', '#holder': 'probeHolder', '#lease': 'probeLeaseUntil', '#openUntil': 'openUntil' },
      expressionAttributeValues: {
        ':closed': tasks.DynamoAttributeValue.fromString('CLOSED'), ':half': tasks.DynamoAttributeValue.fromString('HALF_OPEN'),
        ':none': tasks.DynamoAttributeValue.fromList([]), ':one': tasks.DynamoAttributeValue.fromNumber(1),
        ':now': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.State.EnteredTime')),
        ':me': tasks.DynamoAttributeValue.fromString(sfn.JsonPath.stringAt('$$.Execution.Id')),
      },
      resultSelector: { 'at.$': '$$.State.EnteredTime' },
      resultPath: `${data}.closed`,
    });
    close.addRetry(dynamoRetry);
    close.addCatch(done, { errors: ['DynamoDB.ConditionalCheckFailedException'], resultPath: sfn.JsonPath.DISCARD });
    const publishClosed = publishEvent(scope, `Publish${p}Closed`, this.props.bus, CIRCUIT_STATE_CHANGED, {
      dependency: this.dependency, from: 'HALF_OPEN', to: 'CLOSED', 'at.$': `${data}.closed.at`, 'executionArn.$': '$$.Execution.Id',
    });
    const wasProbe = new sfn.Choice(scope, `Was${p}Probe`)
      .when(sfn.Condition.booleanEquals(`${data}.probe.granted`, true), close.next(publishClosed).next(done))
      .otherwise(done);

    // 3b. Failure: caller errors are re-raised as they are; dependency failures are recorded first.
    const reraise = new sfn.Fail(scope, `${p}Failed`, { errorPath: `${data}.error.Error`, causePath: `${data}.error.Cause` });
    const transition = (name: string, op: 'recordFailure' | 'acquireProbe', resultPath: string) => {
      const t = new tasks.LambdaInvoke(scope, name, {
        lambdaFunction: this.transitionFunction.function,
        payload: sfn.TaskInput.fromObject({ op, dependency: this.dependency, 'executionArn.$': '$$.Execution.Id', config: this.config }),
        resultSelector: { 'value.$': '$.Payload' },
        resultPath,
        retryOnServiceExceptions: false,
      });
      t.addRetry(retryProps());
      return t;
    };
    const record = transition(`Record${p}Failure`, 'recordFailure', `${data}.failure`);
    const publishFailureChange = publishEvent(scope, `Publish${p}Opened`, this.props.bus, CIRCUIT_STATE_CHANGED,
      detail(`${data}.failure.value.transition.from`, `${data}.failure.value.transition.to`, `${data}.failure.value.transition.at`));
    record.next(new sfn.Choice(scope, `Did${p}CircuitChange`)
      .when(sfn.Condition.isPresent(`${data}.failure.value.transition`), publishFailureChange.next(reraise))
      .otherwise(reraise));
    call.addCatch(reraise, { errors: this.props.ignoredErrors ?? [...PERMANENT_ERROR_NAMES], resultPath: `${data}.error` });
    call.addCatch(record, { errors: ['States.ALL'], resultPath: `${data}.error` });

    // 4. After the cooldown: one caller wins the probe lease (conditional write in the Lambda).
    // The answer goes next to `probe`, never over it: `probe.granted` (false since the read) is what
    // Was<P>Probe reads on every way in, including a late caller told the circuit is CLOSED again.
    const acquire = transition(`Acquire${p}Probe`, 'acquireProbe', `${data}.probeAnswer`);
    const acquireResult = `${data}.probeAnswer.value`;
    const publishHalfOpen = publishEvent(scope, `Publish${p}HalfOpen`, this.props.bus, CIRCUIT_STATE_CHANGED,
      detail(`${acquireResult}.transition.from`, `${acquireResult}.transition.to`, `${acquireResult}.transition.at`));
    const markProbe = new sfn.Pass(scope, `Mark${p}Probe`, { result: sfn.Result.fromBoolean(true), resultPath: `${data}.probe.granted` });
    acquire.next(new sfn.Choice(scope, `Is${p}ProbeGranted`)
      .when(sfn.Condition.booleanEquals(`${acquireResult}.granted`, true), publishHalfOpen.next(markProbe).next(call))
      .when(sfn.Condition.stringEquals(`${acquireResult}.circuitState`, 'CLOSED'), call)
      .otherwise(rejected));

    const state = `${item}.circuitState.S`;
    const route = new sfn.Choice(scope, `Route${p}Call`)
      .when(sfn.Condition.isNotPresent(item), call)
      .when(sfn.Condition.stringEquals(state, 'CLOSED'), call)
      .when(sfn.Condition.and(sfn.Condition.stringEquals(state, 'OPEN'), sfn.Condition.timestampGreaterThanJsonPath(`${item}.openUntil.S`, `${data}.now`)), rejected)
      .when(sfn.Condition.and(sfn.Condition.stringEquals(state, 'HALF_OPEN'), sfn.Condition.timestampGreaterThanJsonPath(`${item}.probeLeaseUntil.S`, `${data}.now`)), rejected)
      .otherwise(acquire);
    call.next(placeResult).next(wasProbe);
    if (options.fallback) (rejected as sfn.Chain).next(done);
    read.next(route);
    return sfn.Chain.custom(read, [done], done);
  }
}
