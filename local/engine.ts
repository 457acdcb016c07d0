/**
 * Step Functions: state machines from the template, executions run by the interpreter, every Task
 * resource dispatched here (Lambda, DynamoDB, EventBridge, StartExecution with .sync/.sync:2, and
 * .waitForTaskToken through a token registry), and AWS-shaped execution histories.
 */
import { createHash, randomBytes, randomUUID } from 'crypto';
import { AslEvent, AslModule, AslStateMachine } from './asl';
import { LocalBus } from './bus';
import { Clock } from './clock';
import { ApiError } from './errors';
import { FaultInjector, runWithFault } from './faults';
import { LambdaFunctionError, LocalFunction } from './functions';
import { fillToken, prepareDefinition, splitResource } from './refusals';
import { DYNAMODB_OPERATIONS, LocalStore } from './store';
import { UnsupportedFeatureError } from './errors';
import { StateMachineDef } from './template';
import { EXECUTION_STATUS_CHANGE } from '../lib/events';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
export interface HistoryEvent { timestamp: number; type: string; id: number; previousEventId: number; [details: string]: unknown }

export interface Execution {
  executionArn: string; stateMachineArn: string; stateMachineName: string; name: string; status: ExecutionStatus;
  startDate: number; stopDate?: number; input: string; output?: string; error?: string; cause?: string;
  history: HistoryEvent[]; transitions: number; lambdaInvocations: number; parentArn?: string;
  /** Resolves when the execution has ended. */
  done: Promise<void>;
}

export interface ProgressEvent { execution: Execution; event: HistoryEvent }

const PAYLOAD_LIMIT = 256 * 1024;
const END_EVENTS = new Set(['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionTimedOut', 'ExecutionAborted']);
/** What a task of an ended execution answers the interpreter: nothing, so nothing after it runs. */
const never = () => new Promise<never>(() => undefined);
const NAME_PATTERN = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

/** An error as a Task reports it to Retry/Catch: `name` is the Error, `message` the Cause. */
class TaskError extends Error {
  constructor(name: string, cause: string) { super(cause); this.name = name; }
}

interface Internal extends Execution {
  abortRun?: () => void; children: string[]; tokens: Set<string>; finish?: () => void;
  /** Last history event id per state, so events chain through previousEventId as on AWS. */
  lastByState: Map<string, number>;
}

interface Machine { def: StateMachineDef; sm: AslStateMachine; tasks: Map<string, Record<string, unknown>> }

export class Engine {
  readonly machines = new Map<string, Machine>();
  readonly executions = new Map<string, Internal>();
  /** Effective DynamoDB writes made by direct integrations: `${table} ${op}` -> count. */
  readonly dynamoWrites = new Map<string, number>();
  private readonly tokens = new Map<string, { resolve: (v: unknown) => void; reject: (e: Error) => void; executionArn: string }>();
  private progress: ((p: ProgressEvent) => void)[] = [];
  bus?: LocalBus;

  constructor(machines: StateMachineDef[], asl: AslModule, private readonly clock: Clock, private readonly functions: Map<string, LocalFunction>,
    private readonly store: LocalStore, private readonly faults: FaultInjector, private readonly region: string, private readonly account: string,
    validated: Set<string> = new Set()) {
    for (const def of machines) {
      const prepared = prepareDefinition(def.definition, def.name);
      // The interpreter's schema validation costs 80-250 ms a machine; a definition already validated
      // (same content, recorded in `validated`) is not validated again.
      const hash = createHash('sha256').update(JSON.stringify(prepared)).digest('hex');
      const sm = new asl.StateMachine(prepared, { validationOptions: validated.has(hash) ? { noValidate: true } : { checkArn: false, checkPaths: false } });
      validated.add(hash);
      const tasks = new Map<string, Record<string, unknown>>();
      collectTasks(prepared, tasks);
      for (const [name, state] of tasks) this.checkTaskTarget(def.name, name, state);
      this.machines.set(def.arn, { def, sm, tasks });
    }
  }

  onProgress(listener: (p: ProgressEvent) => void): () => void {
    this.progress.push(listener);
    return () => { this.progress = this.progress.filter((l) => l !== listener); };
  }

  /** A Lambda target must exist in the template (we cannot call real AWS). */
  private checkTaskTarget(machine: string, state: string, def: Record<string, unknown>) {
    const { base } = splitResource(String(def.Resource));
    const ddbAction = /^arn:aws:states:::(?:aws-sdk:)?dynamodb:([a-zA-Z]+)$/.exec(base)?.[1];
    if (ddbAction && !DYNAMODB_OPERATIONS.includes(ddbAction[0].toUpperCase() + ddbAction.slice(1))) {
      throw new UnsupportedFeatureError(`DynamoDB ${ddbAction} (not implemented by the local store)`, `state machine ${machine}, state ${state}`);
    }
    const params = def.Parameters as Record<string, unknown> | undefined;
    const fnRef = base.startsWith('arn:aws:lambda:') ? base : base.endsWith(':lambda:invoke') ? params?.FunctionName : undefined;
    if (typeof fnRef === 'string' && !this.findFunction(fnRef)) {
      throw new UnsupportedFeatureError(`a call to ${fnRef}, which is not a function of the synthesized app`, `state machine ${machine}, state ${state}`);
    }
  }

  findFunction(ref: string): LocalFunction | undefined {
    const unqualified = ref.startsWith('arn:') ? ref.split(':').slice(0, 7).join(':') : ref.split(':')[0];
    for (const f of this.functions.values()) if (f.def.arn === unqualified || f.def.name === unqualified) return f;
    return undefined;
  }

  machineByArnOrName(ref: string): Machine | undefined {
    return this.machines.get(ref) ?? [...this.machines.values()].find((m) => m.def.name === ref || m.def.name.endsWith(`-${ref}`));
  }

  startExecution(req: { stateMachineArn: string; name?: string; input?: string; parentArn?: string }): Execution {
    const machine = this.machines.get(req.stateMachineArn);
    if (!machine) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${req.stateMachineArn}'`);
    const name = req.name ?? randomUUID();
    if (!NAME_PATTERN.test(name)) throw new ApiError('InvalidName', `Invalid Name: '${name}'`);
    const inputText = req.input ?? '{}';
    if (Buffer.byteLength(inputText) > PAYLOAD_LIMIT) throw new ApiError('InvalidExecutionInput', 'Input exceeds the 256 KB limit');
    let input: unknown;
    try { input = JSON.parse(inputText); } catch { throw new ApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${inputText.slice(0, 100)}'`); }
    const executionArn = `arn:aws:states:${this.region}:${this.account}:execution:${machine.def.name}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      // Same name while open with the same input returns the same execution (idempotent start).
      if (existing.status === 'RUNNING' && existing.input === inputText) return existing;
      throw new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    let finish!: () => void;
    const exec: Internal = {
      executionArn, stateMachineArn: machine.def.arn, stateMachineName: machine.def.name, name, status: 'RUNNING', startDate: this.clock.now(),
      input: inputText, history: [], transitions: 0, lambdaInvocations: 0, parentArn: req.parentArn, children: [], tokens: new Set(), lastByState: new Map(),
      done: new Promise<void>((r) => { finish = r; }),
    };
    exec.finish = finish;
    this.executions.set(executionArn, exec);
    this.record(exec, 'ExecutionStarted', { executionStartedEventDetails: { input: inputText, inputDetails: { truncated: false }, roleArn: machine.def.roleArn } });
    this.emitStatusChange(exec);
    this.run(machine, exec, input);
    return exec;
  }

  private run(machine: Machine, exec: Internal, input: unknown) {
    const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
    for (const [stateName, state] of machine.tasks) handlers[stateName] = (taskInput) => this.runTask(exec, stateName, state, taskInput);
    const seen = new WeakSet<object>();
    let root: object | undefined;
    const timedOut = () => this.end(exec, 'TIMED_OUT', { error: 'States.Timeout', cause: 'The execution timed out (TimeoutSeconds)' });
    const hook = (event: AslEvent, logger: object) => {
      if (exec.status !== 'RUNNING') return; // the interpreter winds down after a stop or timeout: not part of the execution
      root ??= logger;
      if (seen.has(event)) return;
      seen.add(event);
      const s = event.state;
      switch (event.type) {
        case 'StateEntered':
          exec.transitions++;
          this.record(exec, `${s!.type}StateEntered`, { stateEnteredEventDetails: { name: s!.name, input: JSON.stringify(s!.input), inputDetails: { truncated: false } } }, { name: s!.name, entering: true });
          break;
        case 'StateExited':
          if (s!.type !== 'Fail') this.record(exec, `${s!.type}StateExited`, { stateExitedEventDetails: { name: s!.name, output: JSON.stringify(s!.output ?? null), outputDetails: { truncated: false } } }, { name: s!.name });
          break;
        case 'StateRetried':
          exec.transitions++; // AWS bills each retry as a state transition.
          break;
        case 'StateFailed':
          if (s!.type === 'Parallel' || s!.type === 'Map') this.record(exec, `${s!.type}StateFailed`, {}, { name: s!.name });
          break;
        case 'ExecutionTimeout':
          // Ended at once (the interpreter's result settles later): a retry or a Map iteration the
          // timeout releases finds the execution over and does not run.
          timedOut();
          break;
        default: break;
      }
    };
    const context = {
      Execution: { Id: exec.executionArn, Name: exec.name, Input: input, StartTime: new Date(exec.startDate).toISOString(), RoleArn: machine.def.roleArn },
      StateMachine: { Id: machine.def.arn, Name: machine.def.name },
    };
    const running = machine.sm.run(input, { overrides: { taskResourceLocalHandlers: handlers }, context, hook, noThrowOnAbort: true });
    exec.abortRun = running.abort;
    running.result.then(
      (output) => {
        if (exec.status !== 'RUNNING') return; // stopped meanwhile
        const text = JSON.stringify(output ?? null);
        if (Buffer.byteLength(text) > PAYLOAD_LIMIT) return this.end(exec, 'FAILED', { error: 'States.DataLimitExceeded', cause: 'The execution output exceeds the 256 KB limit' });
        this.end(exec, 'SUCCEEDED', { output: text });
      },
      (err: Error & { cause?: Error }) => {
        if (exec.status !== 'RUNNING') return;
        if (err?.name === 'ExecutionTimeoutError') return timedOut();
        const inner = err?.name === 'ExecutionError' && err.cause ? err.cause : err;
        this.end(exec, 'FAILED', { error: inner?.name ?? 'States.Runtime', cause: inner?.message ?? String(err) });
      },
    );
  }

  private end(exec: Internal, status: ExecutionStatus, r: { output?: string; error?: string; cause?: string }) {
    exec.status = status;
    exec.stopDate = this.clock.now();
    Object.assign(exec, r);
    const type = { SUCCEEDED: 'ExecutionSucceeded', FAILED: 'ExecutionFailed', TIMED_OUT: 'ExecutionTimedOut', ABORTED: 'ExecutionAborted', RUNNING: '' }[status];
    const key = { SUCCEEDED: 'executionSucceededEventDetails', FAILED: 'executionFailedEventDetails', TIMED_OUT: 'executionTimedOutEventDetails', ABORTED: 'executionAbortedEventDetails', RUNNING: '' }[status];
    this.record(exec, type, { [key]: status === 'SUCCEEDED' ? { output: r.output, outputDetails: { truncated: false } } : { error: r.error, cause: r.cause } });
    for (const token of exec.tokens) this.tokens.delete(token);
    this.emitStatusChange(exec);
    exec.finish?.();
  }

  stopExecution(executionArn: string, error?: string, cause?: string): number {
    const exec = this.executions.get(executionArn);
    if (!exec) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    if (exec.status === 'RUNNING') {
      exec.abortRun?.();
      this.end(exec, 'ABORTED', { error, cause });
      // Children run with .sync are stopped with their parent, as on AWS.
      for (const child of exec.children) { try { this.stopExecution(child, 'States.Aborted', `parent ${executionArn} was stopped`); } catch { /* ended */ } }
    }
    return exec.stopDate!;
  }

  private record(exec: Internal, type: string, details: Record<string, unknown>, state?: { name: string; entering?: boolean }) {
    // The end event is the last of a history: what arrives after it (a task that was in flight) is dropped.
    if (exec.history.length > 0 && END_EVENTS.has(exec.history[exec.history.length - 1].type)) return;
    const id = exec.history.length + 1;
    const previousEventId = state && !state.entering ? exec.lastByState.get(state.name) ?? id - 1 : id - 1;
    if (state) exec.lastByState.set(state.name, id);
    const event: HistoryEvent = { timestamp: this.clock.now(), type, id, previousEventId, ...details };
    exec.history.push(event);
    for (const l of this.progress) l({ execution: exec, event });
  }

  private emitStatusChange(exec: Internal) {
    this.bus?.putEvents([{
      Source: EXECUTION_STATUS_CHANGE.source, DetailType: EXECUTION_STATUS_CHANGE.detailType, Resources: [exec.executionArn],
      Detail: {
        executionArn: exec.executionArn, stateMachineArn: exec.stateMachineArn, name: exec.name, status: exec.status,
        startDate: exec.startDate, stopDate: exec.stopDate ?? null, input: exec.input, output: exec.output ?? null,
        inputDetails: { included: true }, outputDetails: exec.output !== undefined ? { included: true } : null,
        error: exec.error ?? null, cause: exec.cause ?? null,
      },
    }], { allowAwsSource: true });
  }

  // ---- Task dispatch -------------------------------------------------------------------------

  /**
   * Runs one Task. Once the execution has ended (StopExecution, execution timeout, a terminal
   * error), nothing more of it runs, as on AWS: a task that would start (a retry, a Map iteration)
   * does not, and the result of one in flight is discarded (no history event, no next state).
   * https://docs.aws.amazon.com/step-functions/latest/apireference/API_StopExecution.html
   */
  private async runTask(exec: Internal, stateName: string, state: Record<string, unknown>, input: unknown): Promise<unknown> {
    if (exec.status !== 'RUNNING') return never();
    const resource = String(state.Resource);
    const { base, pattern } = splitResource(resource);
    const plainLambda = base.startsWith('arn:aws:lambda:');
    const [resourceType, resourceName] = plainLambda ? ['lambda', 'invoke'] : describeResource(resource);
    const prefix = plainLambda ? 'LambdaFunction' : 'Task';
    this.record(exec, `${prefix}Scheduled`, { [`${plainLambda ? 'lambdaFunction' : 'task'}ScheduledEventDetails`]: { resourceType, resource: plainLambda ? base : resourceName, region: this.region, parameters: JSON.stringify(input) } }, { name: stateName });
    this.record(exec, `${prefix}Started`, {}, { name: stateName });
    try {
      const fault = this.faults.take({ kind: 'state', names: [stateName], stateMachine: exec.stateMachineName, input });
      // A state fault stands for the integration itself failing (phase before) or its answer being lost (after).
      const result = await runWithFault(fault, async () => {
        if (exec.status !== 'RUNNING') return never(); // ended during an injected latency
        if (pattern !== 'token') return this.dispatch(exec, base, pattern, input);
        const token = randomBytes(48).toString('base64url');
        const waiting = new Promise((resolve, reject) => this.tokens.set(token, { resolve, reject, executionArn: exec.executionArn }));
        exec.tokens.add(token);
        await this.dispatch(exec, base, 'request', fillToken(input, token));
        return waiting;
      }, { sleep: (ms) => this.sleep(ms), error: (e) => new TaskError(e.name, e.message ?? `Injected ${e.name} at ${stateName}`) });
      if (exec.status !== 'RUNNING') return never();
      const text = JSON.stringify(result ?? null);
      if (Buffer.byteLength(text) > PAYLOAD_LIMIT) {
        // A terminal error on AWS: no Retry or Catch (not even States.ALL) sees it; the execution fails.
        const cause = `The result of ${stateName} exceeds the 256 KB payload limit (${Buffer.byteLength(text)} bytes)`;
        this.record(exec, `${prefix}Failed`, { [`${plainLambda ? 'lambdaFunction' : 'task'}FailedEventDetails`]: { resourceType, resource: resourceName, error: 'States.DataLimitExceeded', cause } }, { name: stateName });
        exec.abortRun?.();
        this.end(exec, 'FAILED', { error: 'States.DataLimitExceeded', cause });
        return never();
      }
      this.record(exec, `${prefix}Succeeded`, { [`${plainLambda ? 'lambdaFunction' : 'task'}SucceededEventDetails`]: { resourceType, resource: resourceName, output: text, outputDetails: { truncated: false } } }, { name: stateName });
      return result;
    } catch (err) {
      if (exec.status !== 'RUNNING') return never();
      const e = err instanceof TaskError ? err : new TaskError((err as Error).name || 'States.TaskFailed', (err as Error).message);
      this.record(exec, `${prefix}Failed`, { [`${plainLambda ? 'lambdaFunction' : 'task'}FailedEventDetails`]: { resourceType, resource: resourceName, error: e.name, cause: e.message } }, { name: stateName });
      throw e;
    }
  }

  private sleep(ms: number) { return new Promise((r) => this.clock.setTimeout(r, ms)); }

  private async dispatch(exec: Internal, base: string, pattern: 'request' | 'sync' | 'sync:2' | 'token', input: unknown): Promise<unknown> {
    const params = (input ?? {}) as Record<string, unknown>;
    if (base.startsWith('arn:aws:lambda:')) return this.invokeLambda(exec, base, input);
    const action = base.slice('arn:aws:states:::'.length);
    if (action === 'lambda:invoke') {
      const fn = String(params.FunctionName);
      if (params.InvocationType === 'Event') {
        void this.invokeLambda(exec, fn, params.Payload).catch(() => undefined);
        return { StatusCode: 202, Payload: '' };
      }
      const payload = await this.invokeLambda(exec, fn, params.Payload);
      return { ExecutedVersion: '$LATEST', Payload: payload, StatusCode: 200, SdkHttpMetadata: { HttpStatusCode: 200 }, SdkResponseMetadata: { RequestId: randomUUID() } };
    }
    if (action.startsWith('dynamodb:')) return this.dynamo(action.slice('dynamodb:'.length), params, 'DynamoDB');
    if (action.startsWith('aws-sdk:dynamodb:')) return this.dynamo(action.slice('aws-sdk:dynamodb:'.length), params, 'DynamoDb');
    if (action === 'events:putEvents') {
      const entries = ((params.Entries ?? []) as Record<string, unknown>[]).map((e) => ({ ...e, Detail: typeof e.Detail === 'string' ? e.Detail : JSON.stringify(e.Detail) }));
      const out = this.bus!.putEvents(entries as never);
      if (out.FailedEntryCount > 0) throw new TaskError('EventBridge.FailedEntry', JSON.stringify(out));
      return out;
    }
    if (action === 'states:startExecution') return this.startChild(exec, params, pattern);
    throw new TaskError('States.Runtime', `local runtime: unsupported resource ${base}`);
  }

  private async invokeLambda(exec: Internal, ref: string, payload: unknown): Promise<unknown> {
    const fn = this.findFunction(ref);
    if (!fn) throw new TaskError('Lambda.ResourceNotFoundException', `Function not found: ${ref}`);
    exec.lambdaInvocations++;
    try {
      return await fn.invoke(payload);
    } catch (err) {
      if (err instanceof LambdaFunctionError) throw new TaskError(err.errorType, err.cause);
      throw err;
    }
  }

  private async dynamo(action: string, params: Record<string, unknown>, errorPrefix: string): Promise<unknown> {
    const operation = `${action[0].toUpperCase()}${action.slice(1)}`;
    try {
      const out = await this.store.call(operation, params);
      // Effective writes only: a rejected conditional write changed nothing.
      if (/^(Put|Update|Delete)Item$|^BatchWriteItem$|^TransactWriteItems$/.test(operation)) {
        const key = `${params.TableName ?? 'batch'} ${action}`;
        this.dynamoWrites.set(key, (this.dynamoWrites.get(key) ?? 0) + 1);
      }
      return out;
    } catch (err) {
      const e = err as Error & { statusCode?: number };
      throw new TaskError(`${errorPrefix}.${e.name}`, `${e.message} (Service: DynamoDb, Status Code: ${e.statusCode ?? 400}, Error Code: ${e.name})`);
    }
  }

  private async startChild(exec: Internal, params: Record<string, unknown>, pattern: string): Promise<unknown> {
    const input = params.Input === undefined ? '{}' : typeof params.Input === 'string' ? params.Input : JSON.stringify(params.Input);
    let child: Execution;
    try {
      child = this.startExecution({ stateMachineArn: String(params.StateMachineArn), name: params.Name as string | undefined, input, parentArn: exec.executionArn });
    } catch (err) {
      throw new TaskError(`StepFunctions.${(err as Error).name}Exception`, (err as Error).message);
    }
    if (pattern === 'request') return { ExecutionArn: child.executionArn, StartDate: child.startDate };
    exec.children.push(child.executionArn);
    await child.done;
    const described: Record<string, unknown> = {
      ExecutionArn: child.executionArn, StateMachineArn: child.stateMachineArn, Name: child.name, Status: child.status,
      StartDate: child.startDate, StopDate: child.stopDate, Input: pattern === 'sync:2' ? JSON.parse(child.input) : child.input,
      InputDetails: { Included: true },
      ...(child.output !== undefined ? { Output: pattern === 'sync:2' ? JSON.parse(child.output) : child.output, OutputDetails: { Included: true } } : {}),
      ...(child.error !== undefined ? { Error: child.error, Cause: child.cause } : {}),
    };
    if (child.status !== 'SUCCEEDED') throw new TaskError('States.TaskFailed', JSON.stringify(described));
    return described;
  }

  // ---- Task tokens ----------------------------------------------------------------------------

  // A call refused for its arguments (InvalidOutput, a validation error) leaves the token usable, as
  // on AWS: only an accepted SendTaskSuccess or SendTaskFailure closes the task.
  // https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html
  // https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskFailure.html

  sendTaskSuccess(token: string, output: string) {
    this.findToken(token);
    if (typeof output !== 'string') throw new ApiError('ValidationException', "1 validation error detected: Value null at 'output' failed to satisfy constraint: Member must not be null");
    if (Buffer.byteLength(output) > PAYLOAD_LIMIT) throw new ApiError('ValidationException', "1 validation error detected: Value at 'output' failed to satisfy constraint: Member must have length less than or equal to 262144");
    let value: unknown;
    try { value = JSON.parse(output); } catch { throw new ApiError('InvalidOutput', 'Invalid output: not JSON'); }
    this.takeToken(token).resolve(value);
  }

  sendTaskFailure(token: string, error?: string, cause?: string) {
    this.findToken(token);
    if (error !== undefined && (typeof error !== 'string' || error.length > 256)) throw new ApiError('ValidationException', "1 validation error detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to 256");
    if (cause !== undefined && (typeof cause !== 'string' || cause.length > 32768)) throw new ApiError('ValidationException', "1 validation error detected: Value at 'cause' failed to satisfy constraint: Member must have length less than or equal to 32768");
    this.takeToken(token).reject(new TaskError(error ?? 'States.TaskFailed', cause ?? ''));
  }

  sendTaskHeartbeat(token: string) {
    this.findToken(token);
  }

  private findToken(token: string) {
    if (typeof token !== 'string' || token.length < 1 || token.length > 2048) throw new ApiError('InvalidToken', 'Invalid Token: the token must be 1 to 2048 characters');
    const waiter = this.tokens.get(token);
    if (!waiter) throw new ApiError('TaskTimedOut', 'Task Timed Out: the token is unknown or its task has ended');
    return waiter;
  }

  private takeToken(token: string) {
    const waiter = this.findToken(token);
    this.tokens.delete(token);
    this.executions.get(waiter.executionArn)?.tokens.delete(token);
    return waiter;
  }
}

function collectTasks(def: Record<string, unknown>, into: Map<string, Record<string, unknown>>) {
  for (const [name, state] of Object.entries(def.States as Record<string, Record<string, unknown>>)) {
    if (state.Type === 'Task') into.set(name, state);
    if (state.Type === 'Parallel') for (const b of state.Branches as Record<string, unknown>[]) collectTasks(b, into);
    if (state.Type === 'Map') collectTasks((state.ItemProcessor ?? state.Iterator) as Record<string, unknown>, into);
  }
}

function describeResource(resource: string): [string, string] {
  const rest = resource.slice('arn:aws:states:::'.length);
  const [service, ...name] = rest.split(':');
  return service === 'aws-sdk' ? [`aws-sdk:${name[0]}`, name.slice(1).join(':')] : [service, name.join(':')];
}
