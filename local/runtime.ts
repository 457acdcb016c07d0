/**
 * The embedded local runtime: executes exactly what `cdk synth` produced (state machines, bundled
 * Lambda code, EventBridge rules, tables) in one Node process, behind an AWS-compatible endpoint.
 */
import { execFileSync } from 'child_process';
import * as path from 'path';
import { AsyncInvocation, AsyncInvoker } from './async-invoke';
import { LocalBus } from './bus';
import { Clock } from './clock';
import { Endpoint } from './endpoint';
import { Engine, Execution, ExecutionStatus, ProgressEvent } from './engine';
import { FaultInjector } from './faults';
import { functionEnvironment, LocalFunction } from './functions';
import { LoopbackTarget } from './loopback';
import { LocalQueues } from './queues';
import { LocalStore } from './store';
import { assemblyIsStale, loadAssembly, LocalModel } from './template';

export interface LocalRuntimeOptions {
  /** Project root (holds cdk.json). @default process.cwd() */
  readonly projectDir?: string;
  /** Cloud assembly folder. @default `<projectDir>/cdk.out` */
  readonly cdkOut?: string;
  /** `auto` synthesizes when sources are newer than cdk.out. @default 'auto' */
  readonly synth?: 'auto' | 'always' | 'never';
  /** Endpoint port (0 = any free port). @default 0 */
  readonly port?: number;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** How often (clock time) expired items are swept. @default 60_000 */
  readonly sweepIntervalMs?: number;
  /** Copy Lambda logs to stderr. @default false */
  readonly echoLambdaLogs?: boolean;
}

/**
 * SDK v3 client configuration for the local endpoint (any credentials are accepted). The SDK sends
 * StartSyncExecution to a `sync-` prefixed host, which does not resolve for a local endpoint:
 * `disableHostPrefix` keeps the endpoint's host.
 */
export function localClientConfig(endpoint: string) {
  return { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, disableHostPrefix: true };
}

/** Synthesizes the app into cdkOut when asked or when it is stale. Returns true when it ran. */
export function ensureAssembly(projectDir: string, cdkOut: string, mode: 'auto' | 'always' | 'never' = 'auto'): boolean {
  if (mode === 'never' || (mode === 'auto' && !assemblyIsStale(projectDir, cdkOut))) return false;
  const cdk = path.join(projectDir, 'node_modules', '.bin', 'cdk');
  execFileSync(cdk, ['synth', '--quiet', '--output', cdkOut], { cwd: projectDir, stdio: ['ignore', 'ignore', 'inherit'] });
  return true;
}

/**
 * A queue URL in a function's environment (a `Ref` to a queue) points at the endpoint: the SDK's SQS
 * client sends to the host of the QueueUrl it is given unless an endpoint is configured in code, so
 * the template's placeholder host would not resolve from a handler that relies on AWS_ENDPOINT_URL.
 */
function withLocalQueueUrls(env: Record<string, string>, region: string, endpointUrl: string): Record<string, string> {
  const placeholder = `http://sqs.${region}.localhost/`;
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.split(placeholder).join(`${endpointUrl}/`)]));
}

export class LocalRuntime {
  readonly clock: Clock;
  readonly faults = new FaultInjector();
  readonly functions = new Map<string, LocalFunction>();
  /** Asynchronous (event) Lambda invocations that Lambda gave up on (retries exhausted or event too old). */
  readonly asyncFailures: { functionName: string; requestId: string; condition: string; error: string }[] = [];
  /** The template's SQS queues: rule-target DLQs, Lambda destinations and DLQs, SendMessage (one store). */
  readonly queues: LocalQueues;
  /** Lambda's asynchronous invocation queue (rule targets, Invoke with InvocationType Event). */
  readonly async: AsyncInvoker;
  /** @internal The engine behind the API below; tests and the CLI use the API, not this. */
  engine!: Engine;
  /** @internal */
  bus!: LocalBus;
  /** @internal */
  store!: LocalStore;
  endpointUrl = '';
  private endpoint!: Endpoint;

  private constructor(readonly model: LocalModel, clock: Clock) {
    this.clock = clock;
    this.queues = new LocalQueues(model.queues, clock, model.account);
    this.async = new AsyncInvoker(clock, this.queues, model.eventInvokeConfigs);
    this.async.onSettled((inv) => {
      if (inv.status === 'failed') this.asyncFailures.push({ functionName: inv.functionName, requestId: inv.requestId, condition: inv.condition!, error: inv.lastError ? `${inv.lastError.errorType}: ${inv.lastError.errorMessage}` : inv.condition! });
    });
  }

  static async start(options: LocalRuntimeOptions = {}): Promise<LocalRuntime> {
    const projectDir = options.projectDir ?? process.cwd();
    const cdkOut = options.cdkOut ?? path.join(projectDir, 'cdk.out');
    ensureAssembly(projectDir, cdkOut, options.synth ?? 'auto');
    const model = loadAssembly(cdkOut, options.region ?? 'us-east-1');
    const clock = new Clock();
    const rt = new LocalRuntime(model, clock);
    rt.store = await LocalStore.start(model.tables, clock);
    // Bundles load on first invoke (a cold start); their environment points at the endpoint.
    // A function's SDK calls to the endpoint are handed to it in memory, not over loopback TCP.
    let target: LoopbackTarget | undefined;
    const loopback = () => (target ??= rt.endpointUrl ? { host: new URL(rt.endpointUrl).hostname, port: new URL(rt.endpointUrl).port, handle: (req, res) => rt.endpoint.handle(req, res) } : undefined);
    for (const def of model.functions) {
      rt.functions.set(def.arn, new LocalFunction({
        def, clock, faults: rt.faults, echoLogs: options.echoLambdaLogs, loopback,
        environment: () => withLocalQueueUrls(functionEnvironment(def, model.region, rt.endpointUrl), model.region, rt.endpointUrl),
      }));
    }
    rt.bus = new LocalBus({
      rules: model.rules, buses: model.buses, archives: model.archives, queues: rt.queues, region: model.region, account: model.account, clock,
      dispatch: (arn, input) => rt.engine.deliver(arn, input),
    });
    try {
      rt.engine = new Engine({
        machines: model.stateMachines, clock, functions: rt.functions, store: rt.store, faults: rt.faults, region: model.region, account: model.account,
        bus: () => rt.bus, invokeAsync: (fn, payload) => { rt.async.invoke(fn, payload); },
      });
    } catch (err) {
      await rt.store.stop();
      throw err;
    }
    rt.endpoint = new Endpoint(rt.engine, rt.bus, rt.store, { queues: rt.queues, lambda: { find: (ref) => rt.engine.findFunction(ref), async: rt.async, region: model.region, account: model.account } });
    rt.endpointUrl = await rt.endpoint.listen(options.port ?? 0);
    rt.queues.baseUrl = rt.endpointUrl;
    rt.store.startSweeper(options.sweepIntervalMs ?? 60_000);
    return rt;
  }

  /** The ARN of a state machine by name or by workflow suffix (`pipeline` finds `<stack>-pipeline`). */
  stateMachineArn(workflow: string): string {
    const m = this.engine.machineByArnOrName(workflow);
    if (!m) throw new Error(`No state machine named ${workflow} (have: ${[...this.engine.machines.values()].map((x) => x.def.name).join(', ')})`);
    return m.def.arn;
  }

  /** A function by physical name, logical id or construct-path suffix (e.g. `Pipeline/TrainFn`). */
  fn(ref: string): LocalFunction {
    for (const f of this.functions.values()) {
      const p = f.def.cdkPath.replace(/\/Resource$/, '');
      if (f.def.name === ref || f.def.logicalId === ref || p === ref || p.endsWith(`/${ref}`) || p.endsWith(`/${ref}/Function`)) return f;
    }
    throw new Error(`No function ${ref}`);
  }

  tableName(logicalIdPrefix?: string): string {
    const t = logicalIdPrefix ? this.model.tables.find((x) => x.logicalId.startsWith(logicalIdPrefix)) : this.model.tables[0];
    if (!t) throw new Error(`No table ${logicalIdPrefix ?? ''}`);
    return t.name;
  }

  busName(logicalIdPrefix?: string): string {
    const b = logicalIdPrefix ? this.model.buses.find((x) => x.logicalId.startsWith(logicalIdPrefix)) : this.model.buses[0];
    if (!b) throw new Error(`No bus ${logicalIdPrefix ?? ''}`);
    return b.name;
  }

  /** A queue's URL (as GetQueueUrl answers) by name, logical-id prefix, construct-path suffix or ARN. */
  queueUrl(ref: string): string {
    const q = this.queues.find(ref) ?? this.queues.list().find((x) => x.def.logicalId.startsWith(ref) || x.def.cdkPath.replace(/\/Resource$/, '').endsWith(`/${ref}`));
    if (!q) throw new Error(`No queue ${ref} (have: ${this.queues.list().map((x) => x.def.name).join(', ')})`);
    return this.queues.url(q);
  }

  /** Invokes a function asynchronously (as EventBridge and `Invoke` with InvocationType Event do). */
  invokeAsync(fnRef: string, payload: unknown): AsyncInvocation {
    return this.async.invoke(this.fn(fnRef), payload);
  }

  /** Deletes expired items now (AWS does it lazily; reads must filter on expiry themselves). */
  sweepExpired(): Promise<number> { return this.store.sweepExpired(); }

  // ---- Executions: the programmatic API for tests, the CLI and users' own suites ------------------

  /**
   * Starts an execution of a state machine (by ARN, name or workflow suffix), as StartExecution
   * does: the same name and input while it runs returns the same execution.
   */
  startExecution(workflow: string, input: unknown = {}, options: { name?: string } = {}): Execution {
    return this.engine.startExecution({ stateMachineArn: this.stateMachineArn(workflow), input: JSON.stringify(input), name: options.name });
  }

  /** An execution by ARN (undefined when there is none). */
  execution(executionArn: string): Execution | undefined {
    return this.engine.executions.get(executionArn);
  }

  /** Executions, oldest first, optionally of one workflow and/or in one status. */
  executions(filter: { workflow?: string; status?: ExecutionStatus } = {}): Execution[] {
    const arn = filter.workflow !== undefined ? this.stateMachineArn(filter.workflow) : undefined;
    return [...this.engine.executions.values()].filter((e) => (arn === undefined || e.stateMachineArn === arn) && (filter.status === undefined || e.status === filter.status));
  }

  /** StopExecution. Returns the stop date (ms). */
  stopExecution(executionArn: string, error?: string, cause?: string): number {
    return this.engine.stopExecution(executionArn, error, cause);
  }

  /** RedriveExecution. Returns the redrive date (ms). */
  redriveExecution(executionArn: string): number {
    return this.engine.redriveExecution(executionArn);
  }

  /** Calls `listener` with every history event of every execution, as it is recorded. Returns an unsubscribe. */
  onEvent(listener: (event: ProgressEvent) => void): () => void {
    return this.engine.onProgress(listener);
  }

  /** The state machines of the assembly. */
  stateMachines(): { arn: string; name: string; type: 'STANDARD' | 'EXPRESS'; definition: Record<string, unknown> }[] {
    return [...this.engine.machines.values()].map((m) => ({ arn: m.def.arn, name: m.def.name, type: m.def.type, definition: m.def.definition }));
  }

  /**
   * Effective writes made by Step Functions' direct DynamoDB integrations (a rejected conditional
   * write does not count), by table and action (`putItem`, `updateItem`, ...).
   */
  directWrites(tableName: string, action: string): number {
    return this.engine.dynamoWrites.get(`${tableName} ${action}`) ?? 0;
  }

  /** Every direct-integration write count, as `{ "<table> <action>": n }`. */
  directWriteCounts(): Record<string, number> {
    return Object.fromEntries(this.engine.dynamoWrites);
  }

  /** Holds the expiry sweeper (scenarios whose items must outlive their TTL while they look). Returns a resume. */
  pauseSweeper(): () => void {
    return this.store.pauseSweeper();
  }

  /** Calls the local DynamoDB store directly (the low-level JSON API, as the SDK sends it). */
  dynamodb(operation: string, params: Record<string, unknown>): Promise<unknown> {
    return this.store.call(operation, params);
  }

  async stop(): Promise<void> {
    for (const e of this.engine.executions.values()) if (e.status === 'RUNNING') this.engine.stopExecution(e.executionArn, 'States.Aborted', 'runtime stopped', true);
    this.clock.dispose();
    await this.endpoint.close();
    await this.store.stop();
  }
}

export type { Execution, ExecutionStatus, ProgressEvent } from './engine';
