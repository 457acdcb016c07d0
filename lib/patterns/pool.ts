import { Duration, Lazy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ENV } from '../../lambdas/shared/env';
import { TRANSIENT_ERROR_NAMES } from '../../lambdas/shared/errors';
import { RETRY_PRESETS } from '../../lambdas/shared/retry-presets';
import { MAX_PRIORITY } from '../../lambdas/pool-slots/logic';
import { KEY_PART_PATTERN, keys } from '../state/keys';
import { TaskFunction } from '../task-function';
import { retryProps } from './retry';
import { ExecutionStatusRule } from './status-change-rule';
import { AslGraph, longestAttempt, worstCase, WorstCase } from './worst-case';
import { WorkflowStateMachine } from '../workflow-state-machine';

export interface PoolProps {
  readonly table: dynamodb.ITable;
  /** The pool's name: a key part, shared by every workflow that takes its slots. */
  readonly poolName: string;
  /** Holders at once. */
  readonly slots: number;
  /**
   * A holder's lease. A holder that disappears without a status-change event (which should not happen)
   * has its slot reclaimed after this, by the next acquire or release. It must cover the worst case of
   * every work the pool guards (each task's timeout x its attempts + retry delays, computed at synth
   * by `withSlot`) plus `POOL_HANDOFF_SECONDS`: a shorter lease fails synth, so a holder can never
   * still be working when its slot is handed to a waiter.
   * @default the longest worst case of the works passed to `withSlot`, plus the hand-off allowance (15 minutes if none)
   */
  readonly lease?: Duration;
  /** The longest an acquire waits in the queue before it fails with `PoolWaitTimeout`. @default Duration.hours(1) */
  readonly maxWait?: Duration;
}

export interface WithSlotOptions {
  /** Priority, 0-999, higher first; equal priorities go by arrival (execution start). @default 0 */
  readonly priority?: number;
  /** JSONPath to the priority; overrides `priority`. */
  readonly priorityPath?: string;
  /** Where the grant ({ pool, holder, priority, grantedAt, leaseUntil }) goes. @default '$.slot' */
  readonly resultPath?: string;
}

export const POOL_WAIT_TIMEOUT = 'PoolWaitTimeout';
/** Allowance for the hand-off between a grant (the lease starts) and the work's first state. */
export const POOL_HANDOFF_SECONDS = 60;

/**
 * A pool of N slots (a counting semaphore) in the state table, shared by any number of workflows.
 * `withSlot(scope, id, work)` builds acquire -> work -> release, releasing on failure too. A waiter
 * does not poll: its acquire is a `.waitForTaskToken` task whose token is parked in a priority queue
 * in DynamoDB, and the release that frees a slot wakes the next waiter with SendTaskSuccess.
 * `attach(stateMachine)` (required for every workflow that uses the pool) lets the pool wake that
 * workflow's tasks and subscribes the reaper to its Execution Status Change events: an execution
 * that fails, times out or is aborted gives its slot back and leaves the queue.
 */
export class Pool extends Construct {
  readonly poolName: string;
  readonly slots: number;
  readonly slotFunction: TaskFunction;
  readonly reaperFunction: TaskFunction;
  /** The Execution Status Change rule (with its dead-letter queue) that drives the reaper. */
  readonly reaper: ExecutionStatusRule;
  /**
   * Hands on the slot of an aborted or timed-out holder once its in-flight work must have ended
   * (a Wait until then, and a dispatch): started by the reaper, one execution per drained holder.
   */
  readonly drainStateMachine: sfn.StateMachine;
  private readonly explicitLeaseSeconds?: number;
  /** The Parallel that holds each guarded work, by withSlot id (its branch is rendered at synth). */
  private readonly guarded = new Map<string, { scope: Construct; body: sfn.Parallel }>();
  private cachedWorstCases?: (WorstCase & { id: string; scope: Construct })[];
  private readonly maxWait: Duration;
  private readonly sendTaskPolicy: iam.Policy;

  constructor(scope: Construct, id: string, props: PoolProps) {
    super(scope, id);
    const fail = (prop: string, rule: string) => { throw new Error(`${this.node.path}: PoolProps.${prop} ${rule}`); };
    if (!KEY_PART_PATTERN.test(props.poolName)) fail('poolName', `must match ${KEY_PART_PATTERN}`);
    if (!Number.isInteger(props.slots) || props.slots < 1 || props.slots > 1000) fail('slots', 'must be an integer from 1 to 1000');
    this.explicitLeaseSeconds = props.lease?.toSeconds();
    if (this.explicitLeaseSeconds !== undefined && this.explicitLeaseSeconds < 1) fail('lease', 'must be at least 1 second');
    this.maxWait = props.maxWait ?? Duration.hours(1);
    if (this.maxWait.toSeconds() < 1 || this.maxWait.toSeconds() > 365 * 86_400) fail('maxWait', 'must be between 1 second and 1 year');
    this.poolName = props.poolName;
    this.slots = props.slots;

    const environment = {
      [ENV.STATE_TABLE]: props.table.tableName, [ENV.POOL_NAME]: props.poolName, [ENV.POOL_SLOTS]: String(props.slots), [ENV.POOL_LEASE_SECONDS]: Lazy.string({ produce: () => String(this.leaseSeconds) }),
      POWERTOOLS_METRICS_NAMESPACE: 'ServerlessOrchestration',
    };
    this.slotFunction = new TaskFunction(this, 'SlotFn', { handlerDir: 'pool-slots', environment });
    // Drain: wait until an aborted holder's in-flight work must have ended, then hand its slot on.
    const handOn = new tasks.LambdaInvoke(this, 'HandOnDrainedSlot', {
      lambdaFunction: this.slotFunction.function,
      payload: sfn.TaskInput.fromObject({ action: 'dispatch', pool: props.poolName, slots: props.slots, leaseSeconds: Lazy.number({ produce: () => this.leaseSeconds }) }),
      payloadResponseOnly: true, retryOnServiceExceptions: false, resultPath: sfn.JsonPath.DISCARD,
    });
    handOn.addRetry(retryProps());
    this.drainStateMachine = new WorkflowStateMachine(this, 'Drain', {
      workflowName: `${props.poolName}-pool-drain`,
      definition: new sfn.Wait(this, 'WaitForInFlightWork', { time: sfn.WaitTime.timestampPath('$.until') }).next(handOn),
      timeout: Duration.hours(2),
    }).stateMachine;
    this.reaperFunction = new TaskFunction(this, 'ReaperFn', {
      handlerDir: 'pool-reaper', invokedAsynchronously: true,
      environment: { ...environment, [ENV.POOL_DRAIN_SECONDS]: Lazy.string({ produce: () => String(this.drainSeconds) }), [ENV.POOL_DRAIN_MACHINE]: this.drainStateMachine.stateMachineArn },
    });
    this.drainStateMachine.grantStartExecution(this.reaperFunction.role);
    // A separate policy (not the role's default one, which the function depends on), because it names
    // the state machines, which themselves name the function: the default policy would make a cycle.
    this.sendTaskPolicy = new iam.Policy(this, 'SendTaskPolicy', {
      roles: [this.slotFunction.role, this.reaperFunction.role],
    });
    for (const fn of [this.slotFunction, this.reaperFunction]) {
      fn.role.addToPolicy(new iam.PolicyStatement({
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:Query'], resources: [props.table.tableArn],
        conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [keys.pool(props.poolName).pk] } },
      }));
    }
    this.reaper = new ExecutionStatusRule(this, 'Reaper', {
      statuses: ['FAILED', 'TIMED_OUT', 'ABORTED'],
      description: `Executions that failed, timed out or were aborted give back their ${props.poolName} pool slot`,
      target: (options) => new targets.LambdaFunction(this.reaperFunction.function, options),
      attachHint: 'call Pool.attach(stateMachine) for each workflow that uses the pool',
    });
    this.node.addValidation({ validate: () => this.validateLease() });
  }

  /** The lease every holder gets: the explicit one, or the longest guarded work's worst case plus the hand-off. */
  get leaseSeconds(): number {
    if (this.explicitLeaseSeconds !== undefined) return this.explicitLeaseSeconds;
    const bounded = this.worstCases().map((w) => w.seconds).filter((x): x is number => x !== undefined);
    return bounded.length === 0 ? 15 * 60 : Math.ceil(Math.max(...bounded) + POOL_HANDOFF_SECONDS);
  }

  /**
   * How long an aborted or timed-out holder's slot stays drained: the longest single attempt of any
   * guarded work (a Lambda runs on after its execution stops), plus the hand-off allowance.
   */
  get drainSeconds(): number {
    const timeouts = this.lambdaTimeouts();
    let longest = 0;
    for (const { body } of this.guarded.values()) {
      const branch = (body.toStateJson() as { Branches: AslGraph[] }).Branches[0];
      if (!branch) continue;
      longest = Math.max(longest, longestAttempt(branch, (n) => (typeof n === 'string' ? timeouts.get(n) : undefined)) ?? this.leaseSeconds);
    }
    return Math.ceil(longest + POOL_HANDOFF_SECONDS);
  }

  private lambdaTimeouts(): Map<string, number> {
    const timeouts = new Map<string, number>();
    for (const c of this.node.root.node.findAll()) {
      // Lambda's default timeout is 3 seconds.
      if (c instanceof lambda.Function) timeouts.set(c.functionArn, (c.timeout ?? Duration.seconds(3)).toSeconds());
    }
    return timeouts;
  }

  /** Lets the pool wake this workflow's waiting tasks and reap its ended executions. */
  attach(stateMachine: sfn.IStateMachine): void {
    if (!this.reaper.watch(stateMachine)) return;
    this.sendTaskPolicy.addStatements(new iam.PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [stateMachine.stateMachineArn] }));
  }

  /**
   * acquire -> `work` -> release, with the slot released when the work fails too. The work runs in a
   * one-branch Parallel, so any chain can be guarded; its output is the Parallel's output.
   */
  withSlot(scope: Construct, id: string, work: sfn.IChainable, options: WithSlotOptions = {}): sfn.Chain {
    const priority = options.priority ?? 0;
    if (options.priorityPath === undefined && (!Number.isInteger(priority) || priority < 0 || priority > MAX_PRIORITY)) {
      throw new Error(`${scope.node.path}/${id}: WithSlotOptions.priority must be an integer from 0 to ${MAX_PRIORITY}`);
    }
    const resultPath = options.resultPath ?? '$.slot';
    const config = { pool: this.poolName, slots: this.slots, leaseSeconds: Lazy.number({ produce: () => this.leaseSeconds }), 'holder.$': '$$.Execution.Id' };
    const acquire = new tasks.LambdaInvoke(scope, `Acquire${id}Slot`, {
      lambdaFunction: this.slotFunction.function,
      integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN,
      payload: sfn.TaskInput.fromObject({
        action: 'acquire', ...config, taskToken: sfn.JsonPath.taskToken, 'arrival.$': '$$.Execution.StartTime',
        ...(options.priorityPath ? { 'priority.$': options.priorityPath } : { priority }),
      }),
      taskTimeout: sfn.Timeout.duration(this.maxWait),
      resultPath,
    });
    // The Lambda's own failures are retried; a wait that ran out (States.Timeout) is not.
    acquire.addRetry(retryProps({ ...RETRY_PRESETS.transient, errors: TRANSIENT_ERROR_NAMES.filter((e) => e !== 'States.Timeout') }));
    const release = (name: string, abandon: boolean) => {
      const t = new tasks.LambdaInvoke(scope, name, {
        lambdaFunction: this.slotFunction.function,
        payload: sfn.TaskInput.fromObject({ action: 'release', ...config, abandon }),
        payloadResponseOnly: true, retryOnServiceExceptions: false, resultPath: sfn.JsonPath.DISCARD,
      });
      t.addRetry(retryProps());
      return t;
    };
    acquire.addCatch(release(`Leave${id}Queue`, true).next(new sfn.Fail(scope, `${id}WaitTimedOut`, {
      error: POOL_WAIT_TIMEOUT, cause: `No slot of pool ${this.poolName} was free within ${this.maxWait.toHumanString()}`,
    })), { errors: ['States.Timeout'], resultPath: '$.error' });
    const body = new sfn.Parallel(scope, `${id}WithSlot`, { outputPath: '$[0]' }).branch(work);
    this.guarded.set(id, { scope, body });
    this.cachedWorstCases = undefined;
    body.addCatch(release(`Release${id}SlotAfterFailure`, false).next(new sfn.Fail(scope, `${id}Failed`, { errorPath: '$.error.Error', causePath: '$.error.Cause' })), { errors: ['States.ALL'], resultPath: '$.error' });
    const done = release(`Release${id}Slot`, false);
    acquire.next(body).next(done);
    return sfn.Chain.custom(acquire, [done], done);
  }

  /** The worst case of each guarded work, from its rendered definition (available once the machine is built). */
  private worstCases(): (WorstCase & { id: string; scope: Construct })[] {
    if (this.cachedWorstCases) return this.cachedWorstCases;
    const timeouts = this.lambdaTimeouts();
    const out: (WorstCase & { id: string; scope: Construct })[] = [];
    for (const [id, { scope, body }] of this.guarded) {
      const branch = (body.toStateJson() as { Branches: AslGraph[] }).Branches[0];
      if (!branch) continue; // not bound to a state machine yet
      const wc = worstCase(branch, (name) => (typeof name === 'string' ? timeouts.get(name) : undefined));
      out.push({ id, scope, ...(wc.unbounded === undefined && !Number.isFinite(wc.seconds) ? { unbounded: 'its duration is not a finite number' } : wc) });
    }
    // Rendered at synth, once every guarded work is bound to its state machine: keep the answer.
    if (out.length === this.guarded.size && out.length > 0) this.cachedWorstCases = out;
    return out;
  }

  /**
   * The bound holds only if no holder can outlive its lease: each guarded work's worst case (from its
   * timeouts and retries) must fit in the lease. Synth fails naming the prop otherwise, or when a
   * work has no bound at all (a task without a timeout, a Map, a loop, a Wait on a path).
   */
  private validateLease(): string[] {
    const errors: string[] = [];
    for (const w of this.worstCases()) {
      const where = `PoolProps.lease: withSlot('${w.id}') in ${w.scope.node.path}`;
      if (w.unbounded !== undefined) {
        errors.push(`${where} guards work with no worst case (${w.unbounded}), so no lease can cover it; give every task a timeout (taskTimeout) and keep loops, Maps and Waits on a path out of the slot`);
        continue;
      }
      const needed = Math.ceil(w.seconds + POOL_HANDOFF_SECONDS);
      if (this.leaseSeconds < needed) {
        errors.push(`${where}: the lease is ${this.leaseSeconds} s, shorter than the work's worst case of ${Math.ceil(w.seconds)} s (every attempt to its timeout, with the retry delays) plus the ${POOL_HANDOFF_SECONDS} s hand-off: set it to at least ${needed} s, or leave it unset (computed), or bound the work more tightly`);
      }
    }
    return errors;
  }
}
