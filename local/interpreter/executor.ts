/**
 * The ASL executor: runs one execution of a definition, state by state, in either query language,
 * with variables, Retry/Catch, timeouts, heartbeats, Parallel and Map, and records the history AWS
 * records. Task work is not done here: every Task goes to `TaskServices.invoke`.
 * https://states-language.net/spec.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-states.html
 */
import { randomBytes, randomUUID } from 'crypto';
import { evaluateRule, isTimestamp, Rule } from './choice';
import { ERRORS, StatesError } from './errors';
import { HistoryEvent } from './history';
import { EvaluationError, evaluate as evalJsonata, evaluateValue, expressionOf, JsonataScope } from './jsonata';
import { applyResultPath, evaluateExpression, evaluateTemplate, PathScope, query, selectPath } from './jsonpath';

export const PAYLOAD_LIMIT = 256 * 1024;
/** Events in one Standard execution's history (Step Functions quotas). */
export const HISTORY_LIMIT = 25_000;
/** Variables: 256 KiB for one variable; all of one state's Assign together at most 256 KiB. */
const VARIABLE_LIMIT = 256 * 1024;

export interface TimerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers hold at most 2^31-1 ms (about 24.8 days): longer waits are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A clock whose timers may be longer than the host's timers allow (a year-long Wait, the execution limit). */
function longTimers(clock: TimerClock): TimerClock {
  return {
    now: () => clock.now(),
    setTimeout: (fn, ms) => {
      const handle: { inner?: unknown } = {};
      const arm = (left: number) => { handle.inner = clock.setTimeout(() => (left > MAX_TIMER_MS ? arm(left - MAX_TIMER_MS) : fn()), Math.min(left, MAX_TIMER_MS)); };
      arm(Math.max(0, ms));
      return handle;
    },
    clearTimeout: (h) => { if (h) clock.clearTimeout((h as { inner?: unknown }).inner); },
  };
}

export type IntegrationPattern = 'request' | 'sync' | 'sync:2' | 'token';

export function splitResource(resource: string): { base: string; pattern: IntegrationPattern } {
  if (resource.endsWith('.waitForTaskToken')) return { base: resource.slice(0, -'.waitForTaskToken'.length), pattern: 'token' };
  if (resource.endsWith('.sync:2')) return { base: resource.slice(0, -'.sync:2'.length), pattern: 'sync:2' };
  if (resource.endsWith('.sync')) return { base: resource.slice(0, -'.sync'.length), pattern: 'sync' };
  return { base: resource, pattern: 'request' };
}

/** One Task state's call to an integration. */
export interface TaskRequest {
  readonly stateName: string;
  readonly resource: string;
  readonly base: string;
  readonly pattern: IntegrationPattern;
  /** Parameters / Arguments after evaluation (the effective input when there are none). */
  readonly parameters: unknown;
  readonly context: Record<string, unknown>;
  readonly token?: string;
  readonly timeoutSeconds?: number;
  readonly heartbeatSeconds?: number;
  readonly credentials?: unknown;
  readonly execution: ExecutionInfo;
  /** Aborted when the task is abandoned (timeout, stop, a failed sibling branch). */
  readonly signal: AbortSignal;
  /** `.sync` integrations: the job was started (records TaskSubmitted with the start answer). */
  submitted(output: unknown): void;
}

export interface TaskServices {
  /** Resolves with the task's result; rejects with a StatesError (its name is the error). */
  invoke(request: TaskRequest): Promise<unknown>;
}

export interface ExecutionInfo {
  readonly executionArn: string;
  readonly name: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly roleArn: string;
  readonly startTime: number;
  readonly redriveCount?: number;
  /** @default 'STANDARD' */
  readonly type?: 'STANDARD' | 'EXPRESS';
}

/** An Express execution lasts at most five minutes, a Standard one a year (Step Functions quotas); a Wait may not outlast that year. */
const EXPRESS_MAX_SECONDS = 300;
const STANDARD_MAX_SECONDS = 365 * 24 * 3600;

/** Task tokens of `.waitForTaskToken` tasks, shared by every execution of a runtime. */
export class TokenRegistry {
  private readonly waiting = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void; heartbeat: () => void }>();

  create(heartbeat: () => void): { token: string; result: Promise<unknown>; cancel: () => void } {
    const token = randomBytes(48).toString('base64url');
    const result = new Promise<unknown>((resolve, reject) => this.waiting.set(token, { resolve, reject, heartbeat }));
    result.catch(() => undefined);
    return { token, result, cancel: () => this.waiting.delete(token) };
  }

  has(token: string): boolean { return this.waiting.has(token); }

  succeed(token: string, output: unknown): boolean {
    const w = this.waiting.get(token);
    if (!w) return false;
    this.waiting.delete(token);
    w.resolve(output);
    return true;
  }

  /** SendTaskFailure: `error` and `cause` may be absent, and stay absent (recorded AWS). */
  fail(token: string, error?: string, cause?: string): boolean {
    const w = this.waiting.get(token);
    if (!w) return false;
    this.waiting.delete(token);
    w.reject(withoutParts(error, cause));
    return true;
  }

  heartbeat(token: string): boolean {
    const w = this.waiting.get(token);
    w?.heartbeat();
    return !!w;
  }
}

/** A Distributed Map run as DescribeMapRun answers it. */
export interface MapRunRecord {
  mapRunArn: string; executionArn: string; stateMachineArn: string; status: 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  startDate: number; stopDate?: number; maxConcurrency: number; toleratedFailurePercentage: number; toleratedFailureCount: number;
  itemCounts: Record<string, number>; executionCounts: Record<string, number>; redriveCount: number;
}

/** Where a Distributed Map's child workflow executions run (the runtime makes them real executions). */
export interface ChildExecutions {
  run(request: {
    mapRunArn: string; executionArn: string; name: string; definition: Record<string, unknown>; type: 'STANDARD' | 'EXPRESS';
    input: unknown; parentArn: string; signal: AbortSignal;
  }): Promise<Outcome>;
  /** Called when a Map Run starts and each time its counts change. */
  mapRun(record: MapRunRecord): void;
  /** Redrives a failed STANDARD child (a redrive of its parent); undefined: children are run anew. */
  redrive?(executionArn: string, signal: AbortSignal): Promise<Outcome>;
}

export interface ExecutorOptions {
  readonly definition: Record<string, unknown>;
  readonly execution: ExecutionInfo;
  readonly input: unknown;
  readonly clock: TimerClock;
  readonly services: TaskServices;
  readonly tokens: TokenRegistry;
  readonly region: string;
  /** Called synchronously for every event, in order. */
  readonly onEvent?: (event: HistoryEvent) => void;
  /** Runs Distributed Map children; without it a Distributed Map fails with States.Runtime. */
  readonly children?: ChildExecutions;
}

export type Outcome =
  | { status: 'SUCCEEDED'; output: string }
  | { status: 'FAILED' | 'TIMED_OUT' | 'ABORTED'; error?: string; cause?: string };

/** Thrown through the running states when their scope ends (stop, timeout, a failed sibling). */
class Aborted extends Error {
  constructor() { super('aborted'); this.name = 'Aborted'; }
}

/** A unit of work that can be abandoned: the execution, a branch, an iteration, a task. */
class Scope {
  private readonly listeners = new Set<() => void>();
  private controllerOf?: AbortController;
  aborted = false;

  /** An AbortSignal for integrations, made on first use (aborting one builds a DOMException). */
  get signal(): AbortSignal {
    if (!this.controllerOf) {
      this.controllerOf = new AbortController();
      if (this.aborted) this.controllerOf.abort();
    }
    return this.controllerOf.signal;
  }

  /** Unregisters from the parent, so a long execution does not keep every finished task's scope. */
  private detach?: () => void;

  constructor(private readonly clock: TimerClock, parent?: Scope) {
    if (parent) {
      if (parent.aborted) this.aborted = true;
      else this.detach = parent.onAbort(() => this.abort());
    }
  }

  onAbort(fn: () => void): () => void {
    if (this.aborted) { fn(); return () => undefined; }
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  abort() {
    if (this.aborted) return;
    this.aborted = true;
    this.detach?.();
    this.controllerOf?.abort();
    for (const fn of [...this.listeners]) fn();
    this.listeners.clear();
  }

  check() { if (this.aborted) throw new Aborted(); }

  /** Settles with `p`, or rejects with Aborted as soon as the scope ends. */
  race<T>(p: Promise<T>): Promise<T> {
    if (this.aborted) return Promise.reject(new Aborted());
    return new Promise<T>((resolve, reject) => {
      const off = this.onAbort(() => reject(new Aborted()));
      p.then((v) => { off(); resolve(v); }, (e) => { off(); reject(e); });
    });
  }

  /** Waits on the clock; the abort listener goes when the timer fires (no listener per sleep is kept). */
  sleep(ms: number): Promise<void> {
    if (this.aborted) return Promise.reject(new Aborted());
    return new Promise<void>((resolve, reject) => {
      const h = this.clock.setTimeout(() => { off(); resolve(); }, ms);
      const off = this.onAbort(() => { this.clock.clearTimeout(h); reject(new Aborted()); });
    });
  }
}

/** Variables visible to a state: its own scope and, read-only, the enclosing ones. */
class Variables {
  private readonly own = new Map<string, unknown>();
  constructor(private readonly parent?: Variables) {}

  lookup(name: string): { found: boolean; value?: unknown } {
    if (this.own.has(name)) return { found: true, value: this.own.get(name) };
    return this.parent ? this.parent.lookup(name) : { found: false };
  }

  all(): Record<string, unknown> {
    const out = this.parent ? this.parent.all() : {};
    for (const [k, v] of this.own) out[k] = v;
    return out;
  }

  set(name: string, value: unknown) { this.own.set(name, value); }
}

/** Where a flow of states is: its scope, its variables, and the event its next event follows. */
interface Frame {
  /** The execution's own flow (not a branch or an iteration). */
  top?: boolean;
  /** Where this flow is (`''`, `/Par[1]`, `/Par[1]/Each[3]`): keys what a redrive may reuse. */
  path: string;
  scope: Scope;
  vars: Variables;
  cursor: { last: number };
  language: 'JSONPath' | 'JSONata';
  mapItem?: { Index: number; Value: unknown };
}

type State = Record<string, any>;

/** Shared by every event (events are read-only once recorded). */
const NOT_TRUNCATED = Object.freeze({ truncated: false });

const SIMPLE = new Set(['Pass', 'Choice', 'Succeed', 'Fail']);
const RETRYABLE = new Set(['Task', 'Parallel', 'Map']);

/** A PathScope whose context object is built on first read (most states never read `$$`). */
class LazyScope implements PathScope {
  private built?: unknown;
  constructor(private readonly build: () => unknown, private readonly vars: Variables) {}
  get context(): unknown { return (this.built ??= this.build()); }
  variables(name: string) { return this.vars.lookup(name); }
}

const json = (v: unknown) => JSON.stringify(v ?? null);
/** UTF-8 size of a JSON text; a UTF-16 unit is at most 3 bytes, so short texts need no count. */
const bytes = (text: string) => (text.length * 3 <= PAYLOAD_LIMIT ? text.length : Buffer.byteLength(text));

/** A Catch's error output; an error or cause that was never given is null (recorded: SendTaskFailure without either). */
function errorOutput(e: StatesError) { return { Error: e.facts.absentError ? null : e.name, Cause: e.facts.absentCause ? null : e.message }; }

/** An error that may have no name or no cause (SendTaskFailure without them, a Fail state without Error). */
function withoutParts(error: string | undefined, cause: string | undefined): StatesError {
  return new StatesError(error ?? '', cause ?? '', { absentError: error === undefined, absentCause: cause === undefined });
}

/**
 * States.ALL matches every error but States.Runtime; States.TaskFailed every error but
 * States.Timeout (and States.Runtime). https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 */
function errorMatches(names: string[], err: StatesError): boolean {
  const error = err.name;
  // "A States.Runtime error isn't retriable, and will always cause the execution to fail."
  if (error === ERRORS.Runtime) return false;
  return names.some((n) => n === error || n === ERRORS.ALL || (n === ERRORS.TaskFailed && error !== ERRORS.Timeout)
    || (n === ERRORS.HeartbeatTimeout && err.facts.heartbeat === true));
}

/**
 * Errors in a state's own evaluation (paths, expressions) name the state and the event that
 * entered it, as AWS words them: "An error occurred while executing the state 'X' (entered at the
 * event id #2). ...".
 */
function located(err: unknown, name: string, enteredId: number): unknown {
  if (!(err instanceof StatesError) || err.facts.located) return err;
  if (err.name !== ERRORS.Runtime && err.name !== ERRORS.QueryEvaluationError) return err;
  return err.withCause(`An error occurred while executing the state '${name}' (entered at the event id #${enteredId}). ${err.message}`, { located: true });
}

export class Execution {
  readonly history: HistoryEvent[] = [];
  transitions = 0;
  /** How many times the execution was redriven (`$$.Execution.RedriveCount`). */
  redriveCount: number;
  private root: Scope;
  private outcome?: Outcome;
  private settle!: (o: Outcome) => void;
  /** Settles when the execution ends (again, after a redrive). */
  done: Promise<Outcome>;
  private readonly topVars = new Variables();
  private executionTimer?: unknown;
  private sinceYield = 0;
  /** The top-level state running now, with its input: where a redrive resumes. */
  private current?: { name: string; input: unknown };
  /**
   * Branch and iteration results of the Parallel and Map states of this run, by flow path: a redrive
   * reruns only what did not succeed (RedriveExecution API reference).
   */
  private memo = new Map<string, Map<number, unknown>>();
  private replay = new Map<string, Map<number, unknown>>();
  /** Distributed Map runs of this run, by flow path: a redrive redrives the same Map Run. */
  private mapRunsByPath = new Map<string, { mapRunArn: string; children: Map<number, { executionArn: string; status: string }>; redriveCount: number }>();

  private readonly clock: TimerClock;

  constructor(private readonly o: ExecutorOptions) {
    this.clock = longTimers(o.clock);
    this.root = new Scope(this.clock);
    this.redriveCount = o.execution.redriveCount ?? 0;
    this.done = new Promise<Outcome>((r) => { this.settle = r; });
  }

  get ended(): boolean { return this.outcome !== undefined; }

  /** Records ExecutionStarted and runs to the end. */
  start(): this {
    const e = this.o.execution;
    this.record('ExecutionStarted', { executionStartedEventDetails: { input: json(this.o.input), inputDetails: NOT_TRUNCATED, roleArn: e.roleArn } }, 0);
    // Recorded AWS: the first state's Entered event has previousEventId 0, not ExecutionStarted's id.
    this.run(this.o.definition.StartAt as string, this.o.input, 0);
    return this;
  }

  /**
   * RedriveExecution: an execution that failed, timed out or was stopped resumes at the top-level
   * state that did not finish, with the input that state had, the variables it saw, and
   * `$$.Execution.RedriveCount` one higher. States that succeeded before it are not run again.
   * https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
   */
  redrive(): Promise<Outcome> {
    if (!this.outcome || this.outcome.status === 'SUCCEEDED' || !this.current) throw new StatesError('ExecutionNotRedrivable', `Execution ${this.o.execution.executionArn} cannot be redriven (status ${this.outcome?.status ?? 'RUNNING'})`);
    this.outcome = undefined;
    this.redriveCount++;
    this.replay = this.memo;
    this.memo = new Map();
    this.root = new Scope(this.clock);
    this.done = new Promise<Outcome>((r) => { this.settle = r; });
    const redriven = this.record('ExecutionRedriven', { executionRedrivenEventDetails: { redriveCount: this.redriveCount } }, this.history.length);
    this.run(this.current.name, this.current.input, redriven);
    return this.done;
  }

  private run(startAt: string, input: unknown, previous: number) {
    const def = this.o.definition;
    const express = this.o.execution.type === 'EXPRESS';
    // Every execution is bounded: TimeoutSeconds, else five minutes (Express) or a year (Standard).
    const limit = express ? EXPRESS_MAX_SECONDS : STANDARD_MAX_SECONDS;
    const timeout = typeof def.TimeoutSeconds === 'number' ? Math.min(def.TimeoutSeconds, limit) : limit;
    // Recorded AWS (test_global_timeout): a timed-out execution has neither error nor cause.
    this.executionTimer = this.clock.setTimeout(() => this.finish({ status: 'TIMED_OUT' }), timeout * 1000);
    const frame: Frame = { scope: this.root, vars: this.topVars, cursor: { last: previous }, language: def.QueryLanguage === 'JSONata' ? 'JSONata' : 'JSONPath', top: true, path: '' };
    this.runStates({ ...def, StartAt: startAt }, input, frame).then(
      // The last state's output was checked against the payload limit when it exited.
      (output) => this.finish({ status: 'SUCCEEDED', output: json(output) }),
      (err) => {
        if (err instanceof Aborted) return;
        const e = err instanceof StatesError ? err : new StatesError(ERRORS.Runtime, String((err as Error)?.message ?? err));
        this.finish({ status: 'FAILED', error: e.name === '' ? undefined : e.name, cause: e.message === '' ? undefined : e.message }, frame.cursor.last);
      },
    );
  }

  /** StopExecution: ends the execution ABORTED at once; nothing of it runs afterwards. */
  stop(error?: string, cause?: string): void {
    // Recorded AWS (test_stop_execution): ExecutionAborted has previousEventId 0.
    this.finish({ status: 'ABORTED', error, cause }, 0);
  }

  private finish(outcome: Outcome, previous?: number) {
    if (this.outcome) return;
    const type = { SUCCEEDED: 'ExecutionSucceeded', FAILED: 'ExecutionFailed', TIMED_OUT: 'ExecutionTimedOut', ABORTED: 'ExecutionAborted' }[outcome.status];
    const key = `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
    const details = outcome.status === 'SUCCEEDED'
      ? { output: outcome.output, outputDetails: NOT_TRUNCATED }
      : Object.fromEntries(Object.entries({ error: outcome.error, cause: outcome.cause }).filter(([, v]) => v !== undefined));
    this.record(type, { [key]: details }, previous ?? this.history.length);
    this.outcome = outcome;
    if (this.executionTimer !== undefined) this.clock.clearTimeout(this.executionTimer);
    this.root.abort();
    this.settle(outcome);
  }

  private record(type: string, details: Record<string, unknown>, previousEventId: number): number {
    if (this.outcome) return this.history.length; // the end event is the last of a history
    // AWS's history limit: event 25,000 is the failure itself, following the last real event
    // (recorded: "The execution reached the maximum number of history events (25000).").
    if (this.history.length >= HISTORY_LIMIT - 1 && !type.startsWith('Execution')) {
      this.finish({ status: 'FAILED', error: ERRORS.Runtime, cause: `The execution reached the maximum number of history events (${HISTORY_LIMIT}).` }, this.history.length);
      return this.history.length;
    }
    const event: HistoryEvent = { timestamp: this.clock.now(), type, id: this.history.length + 1, previousEventId, ...details };
    this.history.push(event);
    this.o.onEvent?.(event);
    return event.id;
  }

  /** Records an event in a flow: it follows the flow's last event and becomes it. */
  private step(frame: Frame, type: string, details: Record<string, unknown> = {}): number {
    frame.scope.check();
    const id = this.record(type, details, frame.cursor.last);
    frame.cursor.last = id;
    return id;
  }

  // ---- Running states ------------------------------------------------------------------------

  private async runStates(def: Record<string, unknown>, input: unknown, frame: Frame): Promise<unknown> {
    const states = def.States as Record<string, State>;
    let name = def.StartAt as string;
    let value = input;
    // The JSON text of `value` when known (a state's output text is the next one's input text).
    let text: string | undefined;
    for (;;) {
      frame.scope.check();
      const state = states[name];
      if (!state) throw new StatesError(ERRORS.Runtime, `State '${name}' does not exist`);
      let r: { output: unknown; next?: string; text?: string };
      if (frame.top) this.current = { name, input: value };
      // States that do no I/O settle in microtasks: yield now and then (counted over the whole
      // execution) so a long chain or a loop, in either query language, does not hold the event loop.
      if (++this.sinceYield % 500 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (SIMPLE.has(state.Type) && state.Assign === undefined && this.languageOf(state, frame) === 'JSONPath') {
        // Pass, Choice, Succeed and Fail in JSONPath: run without a promise per state.
        r = this.runSimple(name, state, value, frame, text);
      } else {
        r = await this.runState(name, state, value, frame, text);
      }
      value = r.output;
      text = r.text;
      if (r.next === undefined) return value;
      name = r.next;
    }
  }

  private languageOf(state: State, frame: Frame): 'JSONPath' | 'JSONata' {
    return state.QueryLanguage === 'JSONata' || (state.QueryLanguage === undefined && frame.language === 'JSONata') ? 'JSONata' : 'JSONPath';
  }

  /** A JSONPath Pass, Choice, Succeed or Fail without Assign: no Retry, Catch or I/O is possible. */
  private runSimple(name: string, state: State, input: unknown, frame: Frame, inputText?: string): { output: unknown; next?: string; text: string } {
    const type = state.Type as string;
    const enteredTime = this.clock.now();
    this.transitions++;
    const enteredId = this.step(frame, `${type}StateEntered`, { stateEnteredEventDetails: { name, input: inputText ?? json(input), inputDetails: NOT_TRUNCATED } });
    try {
      return this.simple(name, state, input, frame, enteredTime, inputText);
    } catch (err) {
      throw located(err, name, enteredId);
    }
  }

  private simple(name: string, state: State, input: unknown, frame: Frame, enteredTime: number, inputText?: string): { output: unknown; next?: string; text: string } {
    const type = state.Type as string;
    const scope = new LazyScope(() => this.context(name, enteredTime, undefined, frame), frame.vars);
    let assigned: Record<string, string> | undefined;
    const effective = selectPath(input, state.InputPath, scope);
    let result: unknown;
    let next: string | undefined = state.Next;
    if (type === 'Pass') {
      result = 'Result' in state ? state.Result : state.Parameters !== undefined ? evaluateTemplate(state.Parameters, effective, scope) : effective;
      result = applyResultPath(input, result, state.ResultPath);
    } else if (type === 'Choice') {
      result = effective;
      const rule = (state.Choices as Rule[]).find((r) => evaluateRule(r, effective, scope));
      next = rule ? rule.Next as string : state.Default;
      if (next === undefined) throw new StatesError(ERRORS.NoChoiceMatched, `No Choice Rules matched and no Default specified (state ${name})`);
      // A Choice rule may assign variables (evaluated against the Choice's input).
      if (rule?.Assign !== undefined) assigned = this.assign(evaluateTemplate(rule.Assign, effective, scope, 'Assign') as Record<string, unknown>, frame);
    } else if (type === 'Succeed') {
      result = effective;
      next = undefined;
    } else {
      const error = state.ErrorPath !== undefined ? this.failField(state.ErrorPath, input, scope, 'ErrorPath') : state.Error;
      const cause = state.CausePath !== undefined ? this.failField(state.CausePath, input, scope, 'CausePath') : state.Cause;
      throw withoutParts(error, cause);
    }
    const output = selectPath(result, state.OutputPath, scope);
    const text = this.exit(frame, type, name, output === input && inputText !== undefined ? inputText : json(output), assigned);
    return { output, next: state.End === true ? undefined : next, text };
  }

  /**
   * Records `<Type>StateExited` with the output text (and what the state assigned). An output over
   * the payload limit fails the execution instead; no Retry or Catch of the state sees it.
   */
  private exit(frame: Frame, type: string, name: string, text: string, assigned?: Record<string, string>): string {
    if (bytes(text) > PAYLOAD_LIMIT) throw new StatesError(ERRORS.DataLimitExceeded, `The state/task '${name}' returned a result with a size exceeding the maximum number of bytes service limit.`);
    const exited: Record<string, unknown> = { name, output: text, outputDetails: NOT_TRUNCATED };
    if (assigned) { exited.assignedVariables = assigned; exited.assignedVariablesDetails = NOT_TRUNCATED; }
    this.step(frame, `${type}StateExited`, { stateExitedEventDetails: exited });
    return text;
  }

  private startTimeIso?: string;

  /** `retryCount` is undefined for states without Retry (recorded: `$$.State` of a Pass has no RetryCount). */
  private context(name: string, enteredTime: number, retryCount: number | undefined, frame: Frame, extra?: Record<string, unknown>): Record<string, unknown> {
    const e = this.o.execution;
    this.startTimeIso ??= new Date(e.startTime).toISOString();
    return {
      Execution: { Id: e.executionArn, Input: this.o.input, Name: e.name, RoleArn: e.roleArn, StartTime: this.startTimeIso, RedriveCount: this.redriveCount },
      State: retryCount === undefined ? { EnteredTime: new Date(enteredTime).toISOString(), Name: name } : { EnteredTime: new Date(enteredTime).toISOString(), Name: name, RetryCount: retryCount },
      StateMachine: { Id: e.stateMachineArn, Name: e.stateMachineName },
      ...(frame.mapItem ? { Map: { Item: frame.mapItem } } : {}),
      ...extra,
    };
  }

  private async runState(name: string, state: State, input: unknown, frame: Frame, inputText?: string): Promise<{ output: unknown; next?: string; text: string }> {
    const type = state.Type as string;
    const language = this.languageOf(state, frame);
    const enteredTime = this.clock.now();
    this.transitions++;
    const enteredId = this.step(frame, `${type}StateEntered`, { stateEnteredEventDetails: { name, input: inputText ?? json(input), inputDetails: NOT_TRUNCATED } });
    let retryCount = 0;
    let attempts: Map<number, number> | undefined;
    for (;;) {
      const ctx = (extra?: Record<string, unknown>) => this.context(name, enteredTime, RETRYABLE.has(type) ? retryCount : undefined, frame, extra);
      let r: { output: unknown; next?: string; end?: boolean; assigned?: Record<string, string> };
      try {
        r = language === 'JSONata'
          ? await this.executeJsonata(name, state, input, frame, ctx)
          : await this.executeJsonPath(name, state, input, frame, ctx);
      } catch (thrown) {
        if (thrown instanceof Aborted || !(thrown instanceof StatesError)) throw thrown;
        const err = located(thrown, name, enteredId) as StatesError;
        if (err instanceof EvaluationError) {
          // Recorded AWS: an expression that fails (or yields the wrong type) records EvaluationFailed
          // after what the state's Entered event followed; a value the state then cannot use (a
          // Wait Timestamp that does not parse) after the Entered event. The failure follows it.
          const enteredPrevious = err.facts.afterEntered ? enteredId : this.history[enteredId - 1]?.previousEventId ?? frame.cursor.last;
          frame.cursor.last = this.record('EvaluationFailed', { evaluationFailedEventDetails: { error: err.name, cause: err.message, location: err.location, state: name } }, enteredPrevious);
        }
        if (type === 'Fail') throw err;
        // Retry: the first retrier whose ErrorEquals matches decides.
        const retriers = (state.Retry ?? []) as State[];
        const at = retriers.findIndex((r) => errorMatches(r.ErrorEquals, err));
        if (at >= 0) {
          const retrier = retriers[at];
          attempts ??= new Map();
          const done = attempts.get(at) ?? 0;
          const max = retrier.MaxAttempts ?? 3;
          if (done < max) {
            attempts.set(at, done + 1);
            await frame.scope.sleep(retryDelayMs(retrier, done));
            retryCount++;
            this.transitions++;
            continue;
          }
        }
        // Parallel and Map record their failure once no retry follows (recorded: none between attempts).
        // ... and after their own evaluation failed (recorded: EvaluationFailed, then MapStateFailed).
        if ((type === 'Parallel' || type === 'Map') && (err.facts.fromBranches || err instanceof EvaluationError)) this.step(frame, `${type}StateFailed`);
        const catchers = (state.Catch ?? []) as State[];
        const catcher = catchers.find((c) => errorMatches(c.ErrorEquals, err));
        if (!catcher) {
          // Recorded AWS: a Task failing out of a Parallel branch or a Map iteration is aborted, the
          // event following its failure; the Parallel/Map's own failure follows that failure too.
          if (type === 'Task' && !frame.top) this.record('TaskStateAborted', {}, frame.cursor.last);
          throw err;
        }
        r = await this.applyCatcher(catcher, err, input, frame, language, ctx());
      }
      const text = this.exit(frame, type, name, json(r.output), r.assigned);
      return { output: r.output, next: r.end ? undefined : r.next, text };
    }
  }

  private async applyCatcher(catcher: State, err: StatesError, input: unknown, frame: Frame, language: string, context: Record<string, unknown>):
    Promise<{ output: unknown; next: string; assigned?: Record<string, string> }> {
    const errOut = errorOutput(err);
    if (language === 'JSONata') {
      const scope = this.jsonataScope(frame, { input, errorOutput: errOut, context });
      const output = catcher.Output === undefined ? errOut : await evaluateValue(catcher.Output, scope, 'Output');
      const assigned = await this.assignJsonata(catcher.Assign, scope, frame);
      return { output, next: catcher.Next, assigned };
    }
    const pathScope = this.pathScope(frame, context);
    const values = catcher.Assign !== undefined ? evaluateTemplate(catcher.Assign, errOut, pathScope, 'Assign') : undefined;
    const output = applyResultPath(input, errOut, catcher.ResultPath);
    const assigned = values ? this.assign(values as Record<string, unknown>, frame) : undefined;
    return { output, next: catcher.Next, assigned };
  }

  private pathScope(frame: Frame, context: unknown): PathScope {
    return { context, variables: (n) => frame.vars.lookup(n) };
  }

  private jsonataScope(frame: Frame, states: Record<string, unknown>): JsonataScope {
    return { states, variables: frame.vars.all(), now: () => this.clock.now() };
  }

  /** Returns what was assigned, as the Exited event shows it; undefined when nothing was (recorded: `Assign: {}`). */
  private assign(values: Record<string, unknown>, frame: Frame): Record<string, string> | undefined {
    if (Object.keys(values).length === 0) return undefined;
    const assigned: Record<string, string> = {};
    let total = 0;
    for (const [k, v] of Object.entries(values)) {
      const text = json(v);
      const bytes = Buffer.byteLength(text);
      if (bytes > VARIABLE_LIMIT) throw new StatesError(ERRORS.DataLimitExceeded, `The variable '${k}' exceeds the size limit of 256 KiB`);
      total += bytes;
      assigned[k] = text;
    }
    if (total > VARIABLE_LIMIT) throw new StatesError(ERRORS.DataLimitExceeded, 'The variables assigned by this state exceed the size limit of 256 KiB');
    for (const [k, v] of Object.entries(values)) frame.vars.set(k, v);
    return assigned;
  }

  private async assignJsonata(assign: unknown, scope: JsonataScope, frame: Frame): Promise<Record<string, string> | undefined> {
    if (assign === undefined) return undefined;
    const values: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(assign as Record<string, unknown>)) values[k] = await evaluateValue(v, scope, `Assign/${k}`);
    return this.assign(values, frame);
  }

  // ---- JSONPath states ------------------------------------------------------------------------

  private async executeJsonPath(name: string, state: State, rawInput: unknown, frame: Frame, ctx: (extra?: Record<string, unknown>) => Record<string, unknown>):
    Promise<{ output: unknown; next?: string; end?: boolean; assigned?: Record<string, string> }> {
    const type = state.Type as string;
    // The context object is built only when a path reads `$$` (most states never do).
    let context: Record<string, unknown> | undefined;
    const scope: PathScope = { get context() { return (context ??= ctx()); }, variables: (n) => frame.vars.lookup(n) };
    const finishWith = (result: unknown, assignInput: unknown, next = state.Next as string | undefined, assign: unknown = state.Assign) => {
      const assignedValues = assign !== undefined ? evaluateTemplate(assign, assignInput, scope, 'Assign') as Record<string, unknown> : undefined;
      const merged = type === 'Choice' || type === 'Wait' || type === 'Succeed' ? result : applyResultPath(rawInput, result, state.ResultPath);
      const output = selectPath(merged, state.OutputPath, scope);
      const assigned = assignedValues ? this.assign(assignedValues, frame) : undefined;
      return { output, next, end: state.End === true || type === 'Succeed', assigned };
    };
    switch (type) {
      case 'Pass': {
        const effective = selectPath(rawInput, state.InputPath, scope);
        const params = state.Parameters !== undefined ? evaluateTemplate(state.Parameters, effective, scope) : effective;
        const result = 'Result' in state ? state.Result : params;
        return finishWith(result, result);
      }
      case 'Succeed': return finishWith(selectPath(rawInput, state.InputPath, scope), rawInput);
      case 'Fail': {
        const error = state.ErrorPath !== undefined ? this.failField(state.ErrorPath, rawInput, scope, 'ErrorPath') : state.Error;
        const cause = state.CausePath !== undefined ? this.failField(state.CausePath, rawInput, scope, 'CausePath') : state.Cause;
        throw withoutParts(error, cause);
      }
      case 'Choice': {
        const effective = selectPath(rawInput, state.InputPath, scope);
        for (const rule of state.Choices as Rule[]) {
          // Recorded: a matching rule's Assign replaces the state's; the state's applies on Default.
          if (evaluateRule(rule, effective, scope)) return finishWith(effective, effective, rule.Next as string, rule.Assign);
        }
        if (state.Default === undefined) throw new StatesError(ERRORS.NoChoiceMatched, `No Choice Rules matched and no Default specified (state ${name})`);
        return finishWith(effective, effective, state.Default);
      }
      case 'Wait': {
        const effective = selectPath(rawInput, state.InputPath, scope);
        await this.wait(frame, this.waitMs(state, effective, scope, undefined));
        return finishWith(effective, effective);
      }
      case 'Task': {
        const effective = selectPath(rawInput, state.InputPath, scope);
        const token = splitResource(String(state.Resource)).pattern !== 'request' ? this.o.tokens : undefined;
        return this.runTask(name, state, frame, ctx, token, (c) => (state.Parameters !== undefined ? evaluateTemplate(state.Parameters, effective, this.pathScope(frame, c)) : effective),
          (result) => {
            const selected = state.ResultSelector !== undefined ? evaluateTemplate(state.ResultSelector, result, scope, 'ResultSelector') : result;
            return finishWith(selected, selected);
          }, (n) => this.numberField(state, n, effective, scope),
          (c) => evaluateTemplate(state.Credentials, effective, this.pathScope(frame, c), 'Credentials'));
      }
      case 'Parallel': {
        const effective = selectPath(rawInput, state.InputPath, scope);
        const branchInput = state.Parameters !== undefined ? evaluateTemplate(state.Parameters, effective, scope) : effective;
        const result = await this.parallel(name, state, branchInput, frame);
        const selected = state.ResultSelector !== undefined ? evaluateTemplate(state.ResultSelector, result, scope, 'ResultSelector') : result;
        return finishWith(selected, selected);
      }
      case 'Map': {
        const effective = selectPath(rawInput, state.InputPath, scope);
        const items = state.ItemsPath !== undefined ? query(state.ItemsPath, effective, scope) : effective;
        const selector = state.ItemSelector ?? state.Parameters;
        const maxConcurrency = state.MaxConcurrencyPath !== undefined ? maxConcurrencyOf(query(state.MaxConcurrencyPath, effective, scope), state.MaxConcurrencyPath) : state.MaxConcurrency;
        const batcher = state.ItemBatcher as State | undefined;
        const result = await this.map(name, state, items, frame, maxConcurrency as number | undefined,
          (item, index) => (selector !== undefined ? evaluateTemplate(selector, effective, this.pathScope(frame, ctx({ Map: { Item: { Index: index, Value: item } } })), 'ItemSelector') : item),
          { count: this.numberField(state, 'ToleratedFailureCount', effective, scope), percentage: this.numberField(state, 'ToleratedFailurePercentage', effective, scope) },
          batcher && {
            maxItems: this.numberField(batcher, 'MaxItemsPerBatch', effective, scope), maxBytes: this.numberField(batcher, 'MaxInputBytesPerBatch', effective, scope),
            input: batcher.BatchInput !== undefined ? evaluateTemplate(batcher.BatchInput, effective, scope, 'BatchInput') : undefined,
          });
        const selected = state.ResultSelector !== undefined ? evaluateTemplate(state.ResultSelector, result, scope, 'ResultSelector') : result;
        return finishWith(selected, selected);
      }
      default:
        throw new StatesError(ERRORS.Runtime, `Unknown state type ${type}`);
    }
  }

  private failField(path: string, input: unknown, scope: PathScope, field: string): string {
    const v = evaluateExpression(path, input, scope, field);
    if (typeof v !== 'string') throw new StatesError(ERRORS.Runtime, `The value of ${field} '${path}' must be a string, but was ${json(v)}`);
    return v;
  }

  /** `<Field>` or `<Field>Path` (TimeoutSeconds, HeartbeatSeconds, ToleratedFailureCount, ...). */
  private numberField(state: State, field: string, input: unknown, scope: PathScope): number | undefined {
    if (state[`${field}Path`] !== undefined) {
      const raw = query(state[`${field}Path`], input, scope);
      // Recorded AWS: a path may hold the number as a string ("1").
      const v = typeof raw === 'string' && /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : raw;
      if (typeof v !== 'number' || (field !== 'ToleratedFailurePercentage' && !Number.isInteger(v)) || v < 0) throw new StatesError(ERRORS.Runtime, `The ${field}Path '${state[`${field}Path`]}' must resolve to a non-negative integer, but was ${json(v)}`);
      return v;
    }
    return state[field] as number | undefined;
  }

  private waitMs(state: State, input: unknown, scope: PathScope | undefined, evaluated?: { seconds?: unknown; timestamp?: unknown }): number {
    let seconds: unknown = evaluated ? evaluated.seconds : state.Seconds;
    let timestamp: unknown = evaluated ? evaluated.timestamp : state.Timestamp;
    if (!evaluated && state.SecondsPath !== undefined) seconds = query(state.SecondsPath, input, scope);
    if (!evaluated && state.TimestampPath !== undefined) timestamp = query(state.TimestampPath, input, scope);
    const shown = (v: unknown) => (typeof v === 'string' ? v : json(v));
    if (seconds !== undefined) {
      // Wording as AWS reports it: "The SecondsPath parameter references a negative value: $.s == -1".
      const where = state.SecondsPath ?? 'Seconds';
      if (typeof seconds !== 'number' || !Number.isInteger(seconds)) throw new StatesError(ERRORS.Runtime, `The SecondsPath parameter cannot be parsed as a long value: ${where} == ${shown(seconds)}`);
      if (seconds < 0) throw new StatesError(ERRORS.Runtime, `The SecondsPath parameter references a negative value: ${where} == ${seconds}`);
      if (seconds > STANDARD_MAX_SECONDS) throw new StatesError(ERRORS.Runtime, `The wait of ${seconds} seconds exceeds the maximum of ${STANDARD_MAX_SECONDS}`);
      return seconds * 1000;
    }
    if (!isTimestamp(timestamp)) throw new StatesError(ERRORS.Runtime, `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${state.TimestampPath ?? 'Timestamp'} == ${shown(timestamp)}`);
    const ms = Date.parse(timestamp) - this.clock.now();
    if (ms > STANDARD_MAX_SECONDS * 1000) throw new StatesError(ERRORS.Runtime, `The timestamp ${timestamp} is more than a year in the future`);
    return Math.max(0, ms);
  }

  private async wait(frame: Frame, ms: number) {
    await frame.scope.sleep(ms);
  }

  // ---- JSONata states -------------------------------------------------------------------------

  private async executeJsonata(name: string, state: State, input: unknown, frame: Frame, ctx: (extra?: Record<string, unknown>) => Record<string, unknown>):
    Promise<{ output: unknown; next?: string; end?: boolean; assigned?: Record<string, string> }> {
    const type = state.Type as string;
    const context = ctx();
    const base = { input, context };
    const field = (value: unknown, f: string, states: Record<string, unknown> = base) => evaluateValue(value, this.jsonataScope(frame, states), f);
    const finishWith = async (result: unknown, hasResult: boolean, next = state.Next as string | undefined, extra?: { Assign?: unknown; Output?: unknown }) => {
      const states = hasResult ? { ...base, result } : base;
      const scope = this.jsonataScope(frame, states);
      // Assign and Output see the same values: variables assigned here are not visible to Output.
      // A matching Choice rule's Output and Assign replace the state's (recorded).
      const outputField = extra ? extra.Output ?? state.Output : state.Output;
      const assignField = extra ? extra.Assign : state.Assign;
      const output = outputField !== undefined ? await evaluateValue(outputField, scope, 'Output') : result;
      const values: Record<string, unknown> = {};
      if (assignField !== undefined) for (const [k, v] of Object.entries(assignField as Record<string, unknown>)) values[k] = await evaluateValue(v, scope, `Assign/${k}`);
      const assigned = assignField !== undefined ? this.assign(values, frame) : undefined;
      return { output, next, end: state.End === true || type === 'Succeed', assigned };
    };
    switch (type) {
      case 'Pass': return finishWith(input, false);
      case 'Succeed': return finishWith(input, false);
      case 'Fail': {
        const error = await field(state.Error, 'Error');
        const cause = await field(state.Cause, 'Cause');
        throw withoutParts(error === undefined ? undefined : String(error), cause === undefined ? undefined : String(cause));
      }
      case 'Choice': {
        for (const rule of state.Choices as State[]) {
          const expr = expressionOf(rule.Condition);
          const v = expr !== undefined ? await evalJsonata(expr, this.jsonataScope(frame, base), 'Condition') : rule.Condition;
          if (typeof v !== 'boolean') throw new StatesError(ERRORS.QueryEvaluationError, `The Condition of a Choice rule must evaluate to a boolean, but was ${json(v)}`);
          if (v) return finishWith(input, false, rule.Next, { Assign: rule.Assign, Output: rule.Output });
        }
        if (state.Default === undefined) throw new StatesError(ERRORS.NoChoiceMatched, `No Choice Rules matched and no Default specified (state ${name})`);
        return finishWith(input, false, state.Default);
      }
      case 'Wait': {
        const seconds = state.Seconds !== undefined ? await field(state.Seconds, 'Seconds') : undefined;
        const timestamp = state.Timestamp !== undefined ? await field(state.Timestamp, 'Timestamp') : undefined;
        // Recorded AWS (test_wait_timestamp_jsonata): a bad value is an evaluation failure of the field.
        if (timestamp !== undefined && !isTimestamp(timestamp)) {
          throw new EvaluationError(`The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${typeof timestamp === 'string' ? timestamp : json(timestamp)}`, 'Timestamp', { afterEntered: true });
        }
        if (seconds !== undefined && (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0)) {
          throw new EvaluationError(`The Seconds field must be a non-negative integer, but was: ${json(seconds)}`, 'Seconds', { afterEntered: true });
        }
        await this.wait(frame, this.waitMs(state, input, undefined, { seconds, timestamp }));
        return finishWith(input, false);
      }
      case 'Task': {
        const token = splitResource(String(state.Resource)).pattern !== 'request' ? this.o.tokens : undefined;
        const timeout = state.TimeoutSeconds !== undefined ? await field(state.TimeoutSeconds, 'TimeoutSeconds') : undefined;
        const heartbeat = state.HeartbeatSeconds !== undefined ? await field(state.HeartbeatSeconds, 'HeartbeatSeconds') : undefined;
        const numbers: Record<string, unknown> = { TimeoutSeconds: timeout, HeartbeatSeconds: heartbeat };
        return this.runTask(name, state, frame, ctx, token,
          (c) => (state.Arguments !== undefined ? field(state.Arguments, 'Arguments', { input, context: c }) : input),
          (result) => finishWith(result, true), (n) => numbers[n] as number | undefined,
          (c) => field(state.Credentials, 'Credentials', { input, context: c }));
      }
      case 'Parallel': {
        const branchInput = state.Arguments !== undefined ? await field(state.Arguments, 'Arguments') : input;
        const result = await this.parallel(name, state, branchInput, frame);
        return finishWith(result, true);
      }
      case 'Map': {
        const items = state.Items !== undefined ? await field(state.Items, 'Items') : input;
        if (!Array.isArray(items) && state.Items !== undefined) {
          // Recorded AWS wording (test_map_state_items_eval_jsonata_fail).
          const kind = items === null ? 'null' : typeof items === 'object' ? 'object' : typeof items;
          throw new EvaluationError(`The JSONata expression '${(expressionOf(state.Items) ?? json(state.Items)).trim()}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${kind}' for value: ${json(items)}`, 'Items');
        }
        const maxConcurrency = state.MaxConcurrency !== undefined ? await field(state.MaxConcurrency, 'MaxConcurrency') : undefined;
        const count = state.ToleratedFailureCount !== undefined ? await field(state.ToleratedFailureCount, 'ToleratedFailureCount') : undefined;
        const percentage = state.ToleratedFailurePercentage !== undefined ? await field(state.ToleratedFailurePercentage, 'ToleratedFailurePercentage') : undefined;
        const batcher = state.ItemBatcher as State | undefined;
        const result = await this.map(name, state, items, frame, maxConcurrency as number | undefined,
          (item, index) => (state.ItemSelector !== undefined
            ? field(state.ItemSelector, 'ItemSelector', { input, context: ctx({ Map: { Item: { Index: index, Value: item } } }) })
            : item),
          { count: count as number | undefined, percentage: percentage as number | undefined },
          batcher && {
            maxItems: batcher.MaxItemsPerBatch !== undefined ? await field(batcher.MaxItemsPerBatch, 'ItemBatcher/MaxItemsPerBatch') as number : undefined,
            maxBytes: batcher.MaxInputBytesPerBatch !== undefined ? await field(batcher.MaxInputBytesPerBatch, 'ItemBatcher/MaxInputBytesPerBatch') as number : undefined,
            input: batcher.BatchInput !== undefined ? await field(batcher.BatchInput, 'ItemBatcher/BatchInput') : undefined,
          });
        return finishWith(result, true);
      }
      default:
        throw new StatesError(ERRORS.Runtime, `Unknown state type ${type}`);
    }
  }

  // ---- Task -----------------------------------------------------------------------------------

  private async runTask<R>(name: string, state: State, frame: Frame, ctx: (extra?: Record<string, unknown>) => Record<string, unknown>, tokens: TokenRegistry | undefined,
    parametersOf: (context: Record<string, unknown>) => unknown, after: (result: unknown) => R | Promise<R>, numberOf: (field: string) => number | undefined,
    credentialsOf?: (context: Record<string, unknown>) => unknown): Promise<R> {
    const resource = String(state.Resource);
    const { base, pattern } = splitResource(resource);
    const lambda = base.startsWith('arn:aws:lambda:');
    const prefix = lambda ? 'LambdaFunction' : 'Task';
    const key = lambda ? 'lambdaFunction' : 'task';
    const [resourceType, resourceName] = lambda ? ['lambda', base] : describeResource(resource);
    const ids = lambda ? {} : { resourceType, resource: resourceName };
    const timeoutSeconds = numberOf('TimeoutSeconds');
    const heartbeatSeconds = numberOf('HeartbeatSeconds');

    const taskScope = new Scope(this.clock, frame.scope);
    let token: { token: string; result: Promise<unknown>; cancel: () => void } | undefined;
    let heartbeatTimer: unknown;
    const failWith = new Promise<never>((_, reject) => {
      const armHeartbeat = () => {
        if (heartbeatSeconds === undefined) return;
        if (heartbeatTimer !== undefined) this.clock.clearTimeout(heartbeatTimer);
        heartbeatTimer = this.clock.setTimeout(() => reject(new StatesError(ERRORS.Timeout, '', { heartbeat: true })), heartbeatSeconds * 1000);
      };
      if (tokens) token = tokens.create(armHeartbeat);
      if (timeoutSeconds !== undefined) {
        const h = this.clock.setTimeout(() => reject(new StatesError(ERRORS.Timeout, '')), timeoutSeconds * 1000);
        taskScope.onAbort(() => this.clock.clearTimeout(h));
      }
      if (pattern === 'token') armHeartbeat();
      taskScope.onAbort(() => { if (heartbeatTimer !== undefined) this.clock.clearTimeout(heartbeatTimer); token?.cancel(); });
    });
    failWith.catch(() => undefined);
    const context = ctx(token ? { Task: { Token: token.token } } : undefined);
    try {
      const parameters = await parametersOf(context);
      const credentials = state.Credentials !== undefined && credentialsOf ? await credentialsOf(context) as { RoleArn?: unknown } : undefined;
      const scheduled: Record<string, unknown> = lambda
        ? { resource: base, input: json(parameters), inputDetails: NOT_TRUNCATED }
        : { resourceType, resource: resourceName, region: this.o.region, parameters: json(parameters) };
      if (timeoutSeconds !== undefined) scheduled.timeoutInSeconds = timeoutSeconds;
      if (heartbeatSeconds !== undefined && !lambda) scheduled.heartbeatInSeconds = heartbeatSeconds;
      // Recorded AWS: the evaluated role of `Credentials` rides on every scheduled event.
      if (credentials?.RoleArn !== undefined) scheduled.taskCredentials = { roleArn: credentials.RoleArn };
      this.step(frame, `${prefix}Scheduled`, { [`${key}ScheduledEventDetails`]: scheduled });
      this.step(frame, `${prefix}Started`, lambda ? {} : { taskStartedEventDetails: ids });
      const request: TaskRequest = {
        stateName: name, resource, base, pattern, parameters, context, token: token?.token, timeoutSeconds, heartbeatSeconds,
        credentials, execution: this.o.execution, get signal() { return taskScope.signal; },
        submitted: (output) => this.step(frame, 'TaskSubmitted', { taskSubmittedEventDetails: { ...ids, output: json(output), outputDetails: NOT_TRUNCATED } }),
      };
      let result: unknown;
      try {
        const call = this.o.services.invoke(request);
        if (token && pattern === 'token') {
          const submitted = await taskScope.race(Promise.race([call, failWith]));
          request.submitted(submitted);
          result = await taskScope.race(Promise.race([token.result, failWith]));
        } else if (token) {
          // `.sync`: the job's end, or a SendTaskSuccess/Failure on `$$.Task.Token`, whichever comes first.
          result = await taskScope.race(Promise.race([call, token.result, failWith]));
        } else {
          result = await taskScope.race(Promise.race([call, failWith]));
        }
      } catch (err) {
        if (err instanceof Aborted) {
          // A sibling's failure ended this branch or iteration while the task ran (recorded AWS:
          // TaskStateAborted); a stopped or timed-out execution records nothing more.
          if (!this.outcome) this.record('TaskStateAborted', {}, frame.cursor.last);
          throw err;
        }
        const e = err instanceof StatesError ? err : new StatesError(ERRORS.TaskFailed, String((err as Error)?.message ?? err));
        const timedOut = e.name === ERRORS.Timeout;
        this.step(frame, `${prefix}${timedOut ? 'TimedOut' : 'Failed'}`, { [`${key}${timedOut ? 'TimedOut' : 'Failed'}EventDetails`]: { ...ids, ...(e.facts.absentError ? {} : { error: e.name }), ...(e.message && !e.facts.absentCause ? { cause: e.message } : {}) } });
        throw e;
      }
      const resultText = json(result);
      if (bytes(resultText) > PAYLOAD_LIMIT) {
        // A result over the payload limit fails the task with an error Retry and Catch can handle (recorded AWS behaviour).
        // Recorded: the cause names the function ARN of a plain Lambda resource, else the service ('lambda').
        const e = new StatesError(ERRORS.DataLimitExceeded, `The state/task '${lambda ? base : resourceType}' returned a result with a size exceeding the maximum number of bytes service limit.`);
        this.step(frame, `${prefix}Failed`, { [`${key}FailedEventDetails`]: { ...ids, error: e.name, cause: e.message } });
        throw e;
      }
      this.step(frame, `${prefix}Succeeded`, { [`${key}SucceededEventDetails`]: { ...ids, output: resultText, outputDetails: NOT_TRUNCATED } });
      return await after(result);
    } finally {
      taskScope.abort();
    }
  }

  // ---- Parallel and Map -----------------------------------------------------------------------

  /**
   * A Distributed Map: each item (or batch) runs as a child workflow execution of a Map Run; the
   * parent's history holds MapRunStarted / MapRunSucceeded|Failed, the children their own.
   * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
   */
  private async distributedMap(name: string, state: State, processor: Record<string, unknown>, items: unknown[], frame: Frame, maxConcurrency: number | undefined,
    itemInput: (item: unknown, index: number) => unknown, tolerated: { count?: number; percentage?: number }, batcher?: { maxItems?: number; maxBytes?: number; input?: unknown }): Promise<unknown[]> {
    const children = this.o.children;
    if (!children) throw new StatesError(ERRORS.Runtime, `Map state ${name}: Distributed Map needs child executions, which this host does not run`);
    const e = this.o.execution;
    const config = processor.ProcessorConfig as State;
    const label = (state.Label as string | undefined) ?? name;
    const [, , , region, account] = e.executionArn.split(':');
    const prefix = `arn:aws:states:${region}:${account}`;
    const key = `${frame.path}/${name}`;
    // A redrive redrives the same Map Run: children that succeeded are not run again, failed
    // STANDARD children are redriven under their own ARN (redrive-executions.html, "Map Run").
    const previous = this.mapRunsByPath.get(key);
    const { reuse, done } = this.memoOf(key);
    const run = previous && reuse ? { ...previous, redriveCount: previous.redriveCount + 1 } : { mapRunArn: `${prefix}:mapRun:${e.stateMachineName}/${label}:${randomUUID()}`, children: new Map<number, { executionArn: string; status: string }>(), redriveCount: 0 };
    this.mapRunsByPath.set(key, run);
    const inputs: unknown[] = [];
    for (let i = 0; i < items.length; i++) inputs.push(await itemInput(items[i], i));
    const groups = batcher ? batches(inputs, batcher.maxItems, batcher.maxBytes) : inputs.map((v) => [v]);
    const work = batcher ? groups.map((b) => (batcher.input !== undefined ? { BatchInput: batcher.input, Items: b } : { Items: b })) : inputs;
    this.step(frame, 'MapStateStarted', { mapStateStartedEventDetails: { length: work.length } });
    if (run.redriveCount > 0) this.step(frame, 'MapRunRedriven', { mapRunRedrivenEventDetails: { mapRunArn: run.mapRunArn, redriveCount: run.redriveCount } });
    else this.step(frame, 'MapRunStarted', { mapRunStartedEventDetails: { mapRunArn: run.mapRunArn } });
    const limit = maxConcurrency && maxConcurrency > 0 ? maxConcurrency : 10_000;
    // Items and child executions are counted apart (they differ when items are batched).
    const zero = () => ({ pending: 0, running: 0, succeeded: 0, failed: 0, timedOut: 0, aborted: 0, total: 0, resultsWritten: 0 });
    const itemCounts = { ...zero(), pending: items.length, total: items.length };
    const executionCounts = { ...zero(), pending: work.length, total: work.length };
    const record: MapRunRecord = {
      mapRunArn: run.mapRunArn, executionArn: e.executionArn, stateMachineArn: `${prefix}:stateMachine:${e.stateMachineName}/${label}`, status: 'RUNNING', startDate: this.clock.now(),
      maxConcurrency: maxConcurrency ?? 0, toleratedFailurePercentage: tolerated.percentage ?? 0, toleratedFailureCount: tolerated.count ?? 0, itemCounts, executionCounts, redriveCount: run.redriveCount,
    };
    const publish = () => children.mapRun({ ...record, itemCounts: { ...itemCounts }, executionCounts: { ...executionCounts } });
    const move = (index: number, from: keyof ReturnType<typeof zero>, to: keyof ReturnType<typeof zero>) => {
      const n = groups[index].length;
      itemCounts[from] -= n; itemCounts[to] += n; executionCounts[from]--; executionCounts[to]++;
      // Recorded AWS: resultsWritten counts the successful results even without a ResultWriter.
      if (to === 'succeeded') { itemCounts.resultsWritten += n; executionCounts.resultsWritten++; }
    };
    publish();
    const group = new Scope(this.clock, frame.scope);
    const results = new Array<unknown>(work.length);
    const definition = { StartAt: processor.StartAt, States: processor.States, ...(this.o.definition.QueryLanguage ? { QueryLanguage: this.o.definition.QueryLanguage } : {}) };
    const type = config.ExecutionType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD';
    let next = 0;
    let exceeded = false;
    let failures = 0;
    const worker = async () => {
      while (next < work.length && !group.aborted) {
        const index = next++;
        if (reuse?.has(index)) { results[index] = reuse.get(index); move(index, 'pending', 'succeeded'); publish(); continue; }
        move(index, 'pending', 'running');
        publish();
        const earlier = run.children.get(index);
        let outcome: Outcome;
        if (earlier && type === 'STANDARD' && children.redrive) {
          outcome = await children.redrive(earlier.executionArn, group.signal);
        } else {
          const childName = randomUUID();
          const executionArn = `${prefix}:${type === 'EXPRESS' ? 'express' : 'execution'}:${e.stateMachineName}/${label}:${childName}`;
          run.children.set(index, { executionArn, status: 'RUNNING' });
          outcome = await children.run({ mapRunArn: run.mapRunArn, executionArn, name: childName, definition, type, input: work[index], parentArn: e.executionArn, signal: group.signal });
        }
        run.children.get(index)!.status = outcome.status;
        if (outcome.status === 'SUCCEEDED') { results[index] = JSON.parse(outcome.output); done.set(index, results[index]); move(index, 'running', 'succeeded'); } else {
          move(index, 'running', outcome.status === 'TIMED_OUT' ? 'timedOut' : outcome.status === 'ABORTED' ? 'aborted' : 'failed');
          failures++;
          results[index] = { Error: outcome.error, Cause: outcome.cause };
        }
        publish();
        if (!withinTolerance(failures, work.length, tolerated)) { exceeded = true; group.abort(); }
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, Math.max(work.length, 1)) }, worker));
    group.abort();
    record.stopDate = this.clock.now();
    if (frame.scope.aborted) {
      // The parent was stopped (or timed out): its Map Run ends ABORTED (DescribeMapRun statuses).
      record.status = 'ABORTED';
      publish();
      frame.scope.check();
    }
    if (exceeded) {
      record.status = 'FAILED';
      publish();
      const cause = 'The specified tolerated failure threshold was exceeded';
      this.step(frame, 'MapRunFailed', { mapRunFailedEventDetails: { error: ERRORS.ExceedToleratedFailureThreshold, cause } });
      throw fromBranches(new StatesError(ERRORS.ExceedToleratedFailureThreshold, cause));
    }
    record.status = 'SUCCEEDED';
    publish();
    this.step(frame, 'MapRunSucceeded');
    // Recorded AWS: MapStateExited follows MapRunSucceeded (MapStateSucceeded is not in the chain).
    this.record('MapStateSucceeded', {}, frame.cursor.last);
    return results;
  }

  /** What a redrive may reuse of a Parallel or Map at `key` (consumed once), and where this run records. */
  private memoOf(key: string): { reuse?: Map<number, unknown>; done: Map<number, unknown> } {
    const reuse = this.replay.get(key);
    this.replay.delete(key);
    const done = reuse ? new Map(reuse) : new Map<number, unknown>();
    this.memo.set(key, done);
    return { reuse, done };
  }

  private async parallel(name: string, state: State, input: unknown, frame: Frame): Promise<unknown[]> {
    const started = this.step(frame, 'ParallelStateStarted');
    const group = new Scope(this.clock, frame.scope);
    const key = `${frame.path}/${name}`;
    const { reuse, done } = this.memoOf(key);
    let failure: unknown;
    let failedAt = started;
    const branches = (state.Branches as Record<string, unknown>[]).map((branch, i) => {
      if (reuse?.has(i)) return Promise.resolve(reuse.get(i));
      const f: Frame = { scope: new Scope(this.clock, group), vars: new Variables(frame.vars), cursor: { last: started }, language: frame.language, path: `${key}[${i}]` };
      return this.runStates(branch, input, f).then((v) => { frame.cursor.last = Math.max(frame.cursor.last, f.cursor.last); done.set(i, v); return v; },
        (e) => {
          // Recorded AWS: ParallelStateFailed follows the failing branch's last state event.
          if (!(e instanceof Aborted) && failure === undefined) { failure = e; failedAt = f.cursor.last; group.abort(); }
          throw e;
        });
    });
    const settled = await Promise.allSettled(branches);
    group.abort(); // every branch has ended: releases the group's place in the state's scope
    frame.scope.check();
    if (failure !== undefined) { frame.cursor.last = failedAt; throw fromBranches(failure); }
    // Recorded AWS: ParallelStateExited has the same parent as ParallelStateSucceeded.
    this.record('ParallelStateSucceeded', {}, frame.cursor.last);
    return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value);
  }

  private async map(name: string, state: State, items: unknown, frame: Frame, maxConcurrency: number | undefined,
    itemInput: (item: unknown, index: number) => unknown, tolerated: { count?: number; percentage?: number },
    batcher?: { maxItems?: number; maxBytes?: number; input?: unknown }): Promise<unknown[]> {
    if (items !== null && typeof items === 'object' && !Array.isArray(items)) {
      // AWS runs one iteration per key-value pair of an object, but does not document the shape of
      // a pair: refused by name rather than guessed.
      throw new StatesError(ERRORS.Runtime, `local runtime cannot iterate a JSON object faithfully (Map state ${name}: the shape AWS gives each key-value pair is not documented); select an array`);
    }
    if (!Array.isArray(items)) throw new StatesError(ERRORS.Runtime, `Map state ${name}: the items must be a JSON array, but were ${json(items).slice(0, 200)}`);
    const processor = (state.ItemProcessor ?? state.Iterator) as Record<string, unknown>;
    if ((processor.ProcessorConfig as State | undefined)?.Mode === 'DISTRIBUTED') return this.distributedMap(name, state, processor, items, frame, maxConcurrency, itemInput, tolerated, batcher);
    const started = this.step(frame, 'MapStateStarted', { mapStateStartedEventDetails: { length: items.length } });
    const group = new Scope(this.clock, frame.scope);
    const key = `${frame.path}/${name}`;
    const { reuse, done } = this.memoOf(key);
    const results = new Array<unknown>(items.length);
    const limit = maxConcurrency && maxConcurrency > 0 ? maxConcurrency : items.length || 1;
    let next = 0;
    let failures = 0;
    let failure: StatesError | undefined;
    const allowed = () => withinTolerance(failures, items.length, tolerated);
    // Recorded AWS chains: an iteration starts after the previous one's last state event (not its
    // MapIterationSucceeded); MapStateSucceeded and MapStateExited follow the last
    // MapIterationSucceeded; MapStateFailed (and a retry's MapStateStarted) the failing iteration's
    // last state event.
    let lastState = started;
    let lastSucceeded = started;
    let failedAt = started;
    const worker = async () => {
      while (next < items.length && !group.aborted) {
        const index = next++;
        if (reuse?.has(index)) { results[index] = reuse.get(index); continue; }
        const f: Frame = { scope: new Scope(this.clock, group), vars: new Variables(frame.vars), cursor: { last: lastState }, language: frame.language, mapItem: { Index: index, Value: items[index] }, path: `${key}[${index}]` };
        this.step(f, 'MapIterationStarted', { mapIterationStartedEventDetails: { name, index } });
        try {
          const input = await itemInput(items[index], index);
          results[index] = await this.runStates(processor, input, f);
          lastState = f.cursor.last;
          lastSucceeded = this.step(f, 'MapIterationSucceeded', { mapIterationSucceededEventDetails: { name, index } });
          done.set(index, results[index]);
        } catch (err) {
          if (err instanceof Aborted) {
            if (!frame.scope.aborted) this.record('MapIterationAborted', { mapIterationAbortedEventDetails: { name, index } }, f.cursor.last);
            return;
          }
          lastState = f.cursor.last;
          this.record('MapIterationFailed', { mapIterationFailedEventDetails: { name, index } }, f.cursor.last);
          failures++;
          if (!allowed()) { if (!failure) { failure = err as StatesError; failedAt = f.cursor.last; } group.abort(); return; }
          results[index] = { Error: (err as StatesError).name, Cause: (err as StatesError).message };
        } finally {
          f.scope.abort(); // done: releases its place in the group
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, Math.max(items.length, 1)) }, worker));
    group.abort();
    frame.scope.check();
    if (failure) {
      frame.cursor.last = failedAt;
      const tolerating = tolerated.count !== undefined || tolerated.percentage !== undefined;
      throw fromBranches(tolerating ? new StatesError(ERRORS.ExceedToleratedFailureThreshold, 'The specified tolerated failure threshold was exceeded') : failure);
    }
    this.record('MapStateSucceeded', {}, lastSucceeded);
    frame.cursor.last = lastSucceeded;
    return results;
  }
}

/**
 * Tolerated failures: with no threshold any failure fails the Map; with thresholds, failures may not
 * exceed any that is set ("exceeding either value fails the Map", state-map-distributed.html).
 */
function withinTolerance(failures: number, total: number, tolerated: { count?: number; percentage?: number }): boolean {
  if (failures === 0) return true;
  if (tolerated.count === undefined && tolerated.percentage === undefined) return false;
  if (tolerated.count !== undefined && failures > tolerated.count) return false;
  if (tolerated.percentage !== undefined && (total === 0 || (failures / total) * 100 > tolerated.percentage)) return false;
  return true;
}

/** MaxConcurrencyPath: an integer, or a string holding one (recorded: a variable holding "1" works). */
function maxConcurrencyOf(v: unknown, path: string): number {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new StatesError(ERRORS.Runtime, `The MaxConcurrencyPath field refers to value "${typeof v === 'string' ? v : json(v)}" which is not a valid integer: ${path}`);
  }
  return n;
}

/**
 * Marks an error as a branch's or an iteration's (its Parallel or Map records *StateFailed for it).
 * A plain StatesError: the branch's EvaluationFailed is not the Parallel's own.
 */
function fromBranches(err: unknown): unknown {
  return err instanceof StatesError ? new StatesError(err.name, err.message, { ...err.facts, fromBranches: true }) : err;
}

/** ItemBatcher: consecutive items grouped up to MaxItemsPerBatch items and MaxInputBytesPerBatch bytes. */
function batches(items: unknown[], maxItems?: number, maxBytes?: number): unknown[][] {
  const out: unknown[][] = [];
  let cur: unknown[] = [];
  let curBytes = 0;
  for (const item of items) {
    const b = Buffer.byteLength(json(item));
    if (cur.length > 0 && ((maxItems !== undefined && cur.length >= maxItems) || (maxBytes !== undefined && curBytes + b > maxBytes))) { out.push(cur); cur = []; curBytes = 0; }
    cur.push(item);
    curBytes += b;
  }
  if (cur.length) out.push(cur);
  return out;
}

/** Retry delay: IntervalSeconds × BackoffRate^attempt, capped by MaxDelaySeconds, FULL jitter in [0, delay]. */
export function retryDelayMs(retrier: State, attempt: number): number {
  const interval = retrier.IntervalSeconds ?? 1;
  const rate = retrier.BackoffRate ?? 2;
  let seconds = interval * rate ** attempt;
  if (retrier.MaxDelaySeconds !== undefined) seconds = Math.min(seconds, retrier.MaxDelaySeconds);
  if (retrier.JitterStrategy === 'FULL') seconds = Math.random() * seconds;
  return Math.round(seconds * 1000);
}

function describeResource(resource: string): [string, string] {
  const rest = resource.slice('arn:aws:states:::'.length);
  const [service, ...name] = rest.split(':');
  return service === 'aws-sdk' ? [`aws-sdk:${name[0]}`, name.slice(1).join(':')] : [service, name.join(':')];
}
