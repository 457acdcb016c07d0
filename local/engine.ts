/**
 * Step Functions: the template's state machines, checked at boot, executions run by our ASL
 * interpreter (local/interpreter), every Task dispatched through the service registry
 * (local/services), task tokens, and "Execution Status Change" events onto the default bus.
 */
import { randomUUID } from 'crypto';
import { EXECUTION_STATUS_CHANGE } from '../lib/events';
import { Clock } from './clock';
import { ApiError } from './errors';
import { FaultInjector, runWithFault } from './faults';
import { LambdaFunctionError, LocalFunction } from './functions';
import { StatesError } from './interpreter/errors';
import { ChildExecutions, Execution as Run, MapRunRecord, Outcome, PAYLOAD_LIMIT, TaskRequest, TaskServices, TokenRegistry } from './interpreter/executor';
import { HistoryEvent } from './interpreter/history';
import { validateDefinition } from './interpreter/validate';
import { refuseUnsupported } from './refusals';
import { dynamodbIntegration } from './services/dynamodb';
import { eventsIntegration, EventPublisher } from './services/events';
import { lambdaIntegration } from './services/lambda';
import { ServiceRegistry } from './services/registry';
import { statesIntegration } from './services/states';
import { LocalStore } from './store';
import { StateMachineDef } from './template';

export type { HistoryEvent };
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface Execution {
  executionArn: string; stateMachineArn: string; stateMachineName: string; name: string; status: ExecutionStatus;
  startDate: number; stopDate?: number; input: string; output?: string; error?: string; cause?: string;
  readonly history: HistoryEvent[]; readonly transitions: number; lambdaInvocations: number; parentArn?: string;
  readonly type: 'STANDARD' | 'EXPRESS'; readonly redriveCount: number; redriveDate?: number;
  /** The Map Run that started this execution (a Distributed Map child). */
  readonly mapRunArn?: string;
  /** Resolves when the execution has ended. */
  done: Promise<void>;
}

export interface ProgressEvent { execution: Execution; event: HistoryEvent }

/** RedriveExecution takes a Standard execution that failed, timed out or was stopped. */
export function isRedrivable(e: Execution): boolean {
  return e.type === 'STANDARD' && e.status !== 'RUNNING' && e.status !== 'SUCCEEDED';
}

const NAME_PATTERN = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]{1,80}$/;

class Internal implements Execution {
  status: ExecutionStatus = 'RUNNING';
  stopDate?: number; output?: string; error?: string; cause?: string; redriveDate?: number;
  lambdaInvocations = 0;
  readonly children: string[] = [];
  run!: Run;
  finish!: () => void;
  done = new Promise<void>((r) => { this.finish = r; });
  constructor(readonly executionArn: string, readonly stateMachineArn: string, readonly stateMachineName: string, readonly name: string,
    readonly startDate: number, readonly input: string, readonly type: 'STANDARD' | 'EXPRESS', readonly parentArn?: string, readonly mapRunArn?: string) {}
  get history() { return this.run.history; }
  get transitions() { return this.run.transitions; }
  get redriveCount() { return this.run.redriveCount; }
}

interface Machine { def: StateMachineDef }

export interface EngineOptions {
  readonly machines: readonly StateMachineDef[];
  readonly clock: Clock;
  readonly functions: ReadonlyMap<string, LocalFunction>;
  readonly store: LocalStore;
  readonly faults: FaultInjector;
  readonly region: string;
  readonly account: string;
  /** Where status-change events and `events:putEvents` tasks go (resolved when first used). */
  readonly bus: () => EventPublisher & { putEvents(entries: unknown[], options?: { allowAwsSource?: boolean }): { FailedEntryCount: number; Entries: unknown[] } };
  /** Lambda's asynchronous queue, for `lambda:invoke` with InvocationType Event. */
  readonly invokeAsync?: (fn: LocalFunction, payload: unknown) => void;
}

export class Engine {
  readonly machines = new Map<string, Machine>();
  readonly executions = new Map<string, Internal>();
  /** Effective DynamoDB writes made by direct integrations: `${table} ${op}` -> count. */
  readonly dynamoWrites = new Map<string, number>();
  readonly tokens = new TokenRegistry();
  /** Distributed Map runs (DescribeMapRun, ListMapRuns). */
  readonly mapRuns = new Map<string, MapRunRecord>();
  private readonly children: ChildExecutions;
  private progress: ((p: ProgressEvent) => void)[] = [];
  private readonly registry: ServiceRegistry;
  private readonly services: TaskServices;

  constructor(private readonly o: EngineOptions) {
    this.registry = new ServiceRegistry()
      .register(lambdaIntegration({
        find: (ref) => {
          const fn = this.findFunction(ref);
          return fn && { invoke: (payload: unknown, request: TaskRequest) => this.invokeFunction(fn, payload, request) };
        },
        invokeAsync: (ref, payload) => {
          const fn = this.findFunction(ref);
          if (!fn) throw Object.assign(new Error(`Function not found: ${ref}`), { name: 'ResourceNotFoundException' });
          o.invokeAsync?.(fn, payload);
        },
      }))
      .register(dynamodbIntegration(o.store, (table, action) => {
        const key = `${table} ${action}`;
        this.dynamoWrites.set(key, (this.dynamoWrites.get(key) ?? 0) + 1);
      }))
      .register(eventsIntegration(() => o.bus()))
      .register(statesIntegration({
        start: (req) => {
          const child = this.startExecution(req);
          if (req.parentArn) this.executions.get(req.parentArn)?.children.push(child.executionArn);
          return child;
        },
        stop: (arn, error, cause) => { try { this.stopExecution(arn, error, cause, true); } catch { /* gone */ } },
      }));
    // A state fault stands for the integration itself failing (phase before) or its answer being lost (after).
    this.services = {
      invoke: (request) => {
        const fault = o.faults.take({ kind: 'state', names: [request.stateName], stateMachine: this.executions.get(request.execution.executionArn)?.stateMachineName, input: request.parameters });
        return runWithFault(fault, () => this.registry.invoke(request), {
          sleep: (ms) => new Promise((r) => o.clock.setTimeout(r, ms)),
          error: (e) => new StatesError(e.name, e.message ?? `Injected ${e.name} at ${request.stateName}`),
        });
      },
    };
    this.children = {
      mapRun: (record) => { this.mapRuns.set(record.mapRunArn, record); },
      run: (req) => {
        const parent = this.executions.get(req.parentArn)!;
        const machine = this.machines.get(parent.stateMachineArn)!;
        const exec = this.launch({ ...machine.def, definition: req.definition, type: req.type }, req.executionArn, req.name, JSON.stringify(req.input ?? null), req.input, req.parentArn, req.mapRunArn);
        return this.childOutcome(exec, req.signal);
      },
      redrive: (executionArn, signal) => {
        this.redriveExecution(executionArn);
        return this.childOutcome(this.executions.get(executionArn)!, signal);
      },
    };
    for (const def of o.machines) {
      try {
        validateDefinition(def.definition, { type: def.type });
      } catch (err) {
        throw new Error(`state machine ${def.name}: ${(err as Error).name}: ${(err as Error).message}`);
      }
      refuseUnsupported(def.definition, def.name, (base, state) => {
        const integration = this.registry.find(base);
        if (!integration) return `the Task resource ${String(state.Resource)}`;
        return integration.refuse?.(base, state);
      });
      this.machines.set(def.arn, { def });
    }
  }

  /** A Distributed Map child's outcome; stopped if its Map Run ends first. */
  private childOutcome(exec: Internal, signal: AbortSignal): Promise<Outcome> {
    const stop = () => { try { this.stopExecution(exec.executionArn, 'States.Aborted', 'the Map Run was stopped', true); } catch { /* ended */ } };
    signal.addEventListener('abort', stop);
    return exec.run.done.then((outcome) => { signal.removeEventListener('abort', stop); return outcome; });
  }

    /** Delivers an EventBridge rule target's event through the service registry. */
  deliver(targetArn: string, input: unknown): Promise<void> {
    return this.registry.deliver(targetArn, input);
  }

  onProgress(listener: (p: ProgressEvent) => void): () => void {
    this.progress.push(listener);
    return () => { this.progress = this.progress.filter((l) => l !== listener); };
  }

  findFunction(ref: string): LocalFunction | undefined {
    const unqualified = ref.startsWith('arn:') ? ref.split(':').slice(0, 7).join(':') : ref.split(':')[0];
    for (const f of this.o.functions.values()) if (f.def.arn === unqualified || f.def.name === unqualified) return f;
    return undefined;
  }

  private async invokeFunction(fn: LocalFunction, payload: unknown, request: TaskRequest): Promise<unknown> {
    const exec = this.executions.get(request.execution.executionArn);
    if (exec) exec.lambdaInvocations++;
    try {
      return await fn.invoke(payload);
    } catch (err) {
      if (err instanceof LambdaFunctionError) throw { errorType: err.errorType, cause: err.cause };
      throw err;
    }
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
    // Express executions have ARNs of their own form (recorded: `express:<machine>:<name>:<id>`).
    const executionArn = machine.def.type === 'EXPRESS'
      ? `arn:aws:states:${this.o.region}:${this.o.account}:express:${machine.def.name}:${name}:${randomUUID()}`
      : `arn:aws:states:${this.o.region}:${this.o.account}:execution:${machine.def.name}:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      // Same name while open with the same input returns the same execution (idempotent start).
      if (existing.status === 'RUNNING' && existing.input === inputText) return existing;
      throw new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    return this.launch(machine.def, executionArn, name, inputText, input, req.parentArn);
  }

  private launch(def: StateMachineDef, executionArn: string, name: string, inputText: string, input: unknown, parentArn?: string, mapRunArn?: string): Internal {
    const exec = new Internal(executionArn, def.arn, def.name, name, this.o.clock.now(), inputText, def.type, parentArn, mapRunArn);
    this.executions.set(executionArn, exec);
    exec.run = new Run({
      definition: def.definition, input, clock: this.o.clock, services: this.services, tokens: this.tokens, region: this.o.region, children: this.children,
      execution: { executionArn, name, stateMachineArn: def.arn, stateMachineName: def.name, roleArn: def.roleArn, startTime: exec.startDate, type: def.type },
      onEvent: (event) => { for (const l of this.progress) l({ execution: exec, event }); },
    });
    exec.run.start();
    this.emitStatusChange(exec);
    this.whenEnded(exec, exec.run.done);
    return exec;
  }

  private whenEnded(exec: Internal, done: Promise<Outcome>) {
    void done.then((outcome) => {
      exec.status = outcome.status;
      exec.stopDate = this.o.clock.now();
      if (outcome.status === 'SUCCEEDED') { exec.output = outcome.output; exec.error = undefined; exec.cause = undefined; } else { exec.error = outcome.error; exec.cause = outcome.cause; }
      this.emitStatusChange(exec);
      exec.finish();
    });
  }

  /**
   * StartSyncExecution (Express machines): runs the execution and answers when it has ended.
   * https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartSyncExecution.html
   */
  async startSyncExecution(req: { stateMachineArn: string; name?: string; input?: string }): Promise<Execution> {
    const machine = this.machines.get(req.stateMachineArn);
    if (machine && machine.def.type !== 'EXPRESS') throw new ApiError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
    const exec = this.startExecution(req);
    await exec.done;
    return exec;
  }

  /**
   * RedriveExecution: a Standard execution that failed, timed out or was stopped resumes where it
   * stopped (local/interpreter/executor.ts `redrive`). Returns the redrive date.
   * https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html
   */
  redriveExecution(executionArn: string): number {
    const exec = this.executions.get(executionArn);
    if (!exec) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    if (!isRedrivable(exec)) {
      throw new ApiError('ExecutionNotRedrivable', `Execution is ${exec.status === 'RUNNING' ? 'running' : exec.type === 'EXPRESS' ? 'an Express execution' : 'SUCCEEDED'}: '${executionArn}'`);
    }
    let done: Promise<Outcome>;
    try {
      done = exec.run.redrive();
    } catch (err) {
      throw new ApiError('ExecutionNotRedrivable', (err as Error).message);
    }
    exec.status = 'RUNNING';
    exec.stopDate = undefined;
    exec.redriveDate = this.o.clock.now();
    exec.done = new Promise<void>((r) => { exec.finish = r; });
    this.emitStatusChange(exec);
    this.whenEnded(exec, done);
    return exec.redriveDate;
  }

  stopExecution(executionArn: string, error?: string, cause?: string, internal = false): number {
    const exec = this.executions.get(executionArn);
    if (!exec) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    // Recorded AWS (test_sfn_api_express): StopExecution does not take an Express execution.
    if (exec.type === 'EXPRESS' && !internal) throw new ApiError('InvalidArn', "Invalid Arn: 'Resource type not valid in this context: express'");
    if (exec.status === 'RUNNING') {
      exec.run.stop(error, cause);
      // The outcome settles on a microtask; the API answers now, so the status is set now.
      exec.status = 'ABORTED';
      exec.stopDate = this.o.clock.now();
      exec.error = error; exec.cause = cause;
      // Children run with .sync are stopped with their parent, as on AWS.
      for (const child of exec.children) { try { this.stopExecution(child, 'States.Aborted', `parent ${executionArn} was stopped`, true); } catch { /* ended */ } }
    }
    return exec.stopDate!;
  }

  private emitStatusChange(exec: Internal) {
    this.o.bus().putEvents([{
      Source: EXECUTION_STATUS_CHANGE.source, DetailType: EXECUTION_STATUS_CHANGE.detailType, Resources: [exec.executionArn],
      Detail: {
        executionArn: exec.executionArn, stateMachineArn: exec.stateMachineArn, name: exec.name, status: exec.status,
        startDate: exec.startDate, stopDate: exec.stopDate ?? null, input: exec.input, output: exec.output ?? null,
        stateMachineVersionArn: null, stateMachineAliasArn: null,
        // As recorded on AWS (test_event_bridge_events_base): the redrive fields ride on every event.
        redriveCount: exec.redriveCount, redriveDate: exec.redriveDate ?? null,
        redriveStatus: isRedrivable(exec) ? 'REDRIVABLE' : 'NOT_REDRIVABLE',
        redriveStatusReason: isRedrivable(exec) ? null : `Execution is ${exec.status} and cannot be redriven`,
        inputDetails: { included: true }, outputDetails: exec.output !== undefined ? { included: true } : null,
        error: exec.error ?? null, cause: exec.cause ?? null,
      },
    }], { allowAwsSource: true });
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
    this.tokens.succeed(token, value);
  }

  sendTaskFailure(token: string, error?: string, cause?: string) {
    this.findToken(token);
    if (error !== undefined && (typeof error !== 'string' || error.length > 256)) throw new ApiError('ValidationException', "1 validation error detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to 256");
    if (cause !== undefined && (typeof cause !== 'string' || cause.length > 32768)) throw new ApiError('ValidationException', "1 validation error detected: Value at 'cause' failed to satisfy constraint: Member must have length less than or equal to 32768");
    // Recorded AWS: a failure sent without error or cause reaches the task (and a Catch) without them.
    this.tokens.fail(token, error, cause);
  }

  sendTaskHeartbeat(token: string) {
    this.findToken(token);
    this.tokens.heartbeat(token);
  }

  private findToken(token: string) {
    if (typeof token !== 'string' || token.length < 1 || token.length > 2048) throw new ApiError('InvalidToken', 'Invalid Token: the token must be 1 to 2048 characters');
    if (!this.tokens.has(token)) throw new ApiError('TaskTimedOut', 'Task Timed Out: the token is unknown or its task has ended');
  }
}

