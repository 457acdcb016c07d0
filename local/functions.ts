/**
 * Runs each Lambda's bundled asset from cdk.out in this process, isolated per function: the bundle
 * is evaluated in its own module scope whose `process` carries the function's own environment (from
 * the template, with SDK endpoints pointed at the runtime) and captured stdout/stderr (its logs),
 * and whose `Date`/`setTimeout` follow the runtime clock. Timeouts and errors are Lambda-shaped.
 */
import { randomUUID } from 'crypto';
import * as fs from 'fs';
import { createRequire } from 'module';
import { LoopbackTarget, withLoopback } from './loopback';
import * as path from 'path';
import { Writable } from 'stream';
import { Clock } from './clock';
import { FaultInjector, runWithFault } from './faults';
import { FunctionDef } from './template';

export class LambdaFunctionError extends Error {
  constructor(readonly errorType: string, readonly errorMessage: string, readonly trace: string[] = []) {
    super(errorMessage);
    this.name = errorType;
  }
  /** The Cause Step Functions reports for a failed Lambda task. */
  get cause(): string { return JSON.stringify({ errorType: this.errorType, errorMessage: this.errorMessage, trace: this.trace }); }
}

export interface LogLine { functionName: string; stream: 'stdout' | 'stderr'; text: string }

export interface LocalFunctionOptions {
  readonly def: FunctionDef;
  /** The environment the function sees (read when its bundle first loads). */
  readonly environment: () => Record<string, string>;
  readonly clock: Clock;
  readonly faults: FaultInjector;
  /** Copy its logs to stderr. @default false */
  readonly echoLogs?: boolean;
  /** The runtime's endpoint, which its SDK calls reach in memory (local/loopback.ts). */
  readonly loopback?: () => LoopbackTarget | undefined;
}

export class LocalFunction {
  invocations = 0;
  /** Invocations in progress now, and the most seen at once. */
  inFlight = 0;
  maxInFlight = 0;
  /** Invocations refused because the reserved concurrency was in use. */
  throttles = 0;
  readonly logs: LogLine[] = [];
  private handlerFn?: (event: unknown, context: unknown) => Promise<unknown>;

  readonly def: FunctionDef;
  private readonly env: () => Record<string, string>;
  private readonly clock: Clock;
  private readonly faults: FaultInjector;
  private readonly echoLogs: boolean;
  private readonly loopback?: () => LoopbackTarget | undefined;

  constructor(o: LocalFunctionOptions) {
    ({ def: this.def, environment: this.env, clock: this.clock, faults: this.faults, loopback: this.loopback } = o);
    this.echoLogs = o.echoLogs ?? false;
  }

  private readonly deadlines = new Set<number>();

  /** The clock time at which the earliest call now in flight times out (undefined when none is). */
  get earliestDeadline(): number | undefined {
    let min: number | undefined;
    for (const d of this.deadlines) if (min === undefined || d < min) min = d;
    return min;
  }

  /** Evaluates the bundle (once). */
  load(): void {
    if (this.handlerFn) return;
    const [file, exportName] = splitHandler(this.def.handler);
    const entry = ['.js', '.cjs', '.mjs'].map((ext) => path.join(this.def.assetDir, file + ext)).find((f) => fs.existsSync(f));
    if (!entry) throw new Error(`${this.def.cdkPath}: handler file ${file}.js not found in ${this.def.assetDir}`);
    if (entry.endsWith('.mjs')) throw new Error(`${this.def.cdkPath}: ESM bundles are not supported by the local runtime; bundle as CommonJS`);
    const code = fs.readFileSync(entry, 'utf8');
    const capture = (stream: 'stdout' | 'stderr') => new Writable({
      write: (chunk, _enc, cb) => {
        const text = String(chunk);
        if (this.logs.length > 5000) this.logs.splice(0, 1000);
        this.logs.push({ functionName: this.def.name, stream, text });
        if (this.echoLogs) process.stderr.write(`[${this.def.name}] ${text}`);
        cb();
      },
    });
    const fnProcess = Object.create(process, {
      env: { value: { ...this.env() }, enumerable: true },
      stdout: { value: capture('stdout') },
      stderr: { value: capture('stderr') },
    });
    const fnConsole = new console.Console({ stdout: fnProcess.stdout, stderr: fnProcess.stderr });
    const module = { exports: {} as Record<string, unknown> };
    const wrapper = new Function('exports', 'require', 'module', '__filename', '__dirname', 'process', 'console', 'Date', 'setTimeout', 'clearTimeout', code);
    wrapper(module.exports, createRequire(entry), module, entry, path.dirname(entry), fnProcess, fnConsole, this.clock.Date, this.clock.setTimeout, this.clock.clearTimeout);
    const handler = module.exports[exportName];
    if (typeof handler !== 'function') throw new Error(`${this.def.cdkPath}: ${this.def.handler} does not export a function`);
    this.handlerFn = handler as (event: unknown, context: unknown) => Promise<unknown>;
  }

  /** Invokes like Lambda's RequestResponse: resolves with the result or rejects with LambdaFunctionError. */
  async invoke(payload: unknown): Promise<unknown> {
    this.load();
    // Reserved concurrency is both a guarantee and a cap: past it, Lambda throttles the call.
    if (this.def.reservedConcurrency !== undefined && this.inFlight >= this.def.reservedConcurrency) {
      this.throttles++;
      throw new LambdaFunctionError('Lambda.TooManyRequestsException', `Rate Exceeded. (reserved concurrency ${this.def.reservedConcurrency} of ${this.def.name} in use)`);
    }
    this.invocations++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    const requestId = randomUUID();
    const timeoutMs = this.def.timeoutSeconds * 1000;
    const deadline = this.clock.now() + timeoutMs;
    this.deadlines.add(deadline);
    const fault = this.faults.take({ kind: 'function', names: [this.def.name, this.def.logicalId, this.def.cdkPath.replace(/\/Resource$/, '')], input: payload });
    const timedOut = () => new LambdaFunctionError('Sandbox.Timedout', `${requestId} Task timed out after ${this.def.timeoutSeconds.toFixed(2)} seconds`);
    let timer: number | undefined;
    const timeout = new Promise<never>((_, reject) => { timer = this.clock.setTimeout(() => reject(timedOut()), timeoutMs); });
    try {
      const run = () => {
        const context = {
          functionName: this.def.name, functionVersion: '$LATEST', invokedFunctionArn: this.def.arn, memoryLimitInMB: String(this.def.memorySize),
          awsRequestId: requestId, logGroupName: this.def.logGroupName, logStreamName: `local/${requestId}`, callbackWaitsForEmptyEventLoop: true,
          getRemainingTimeInMillis: () => Math.max(0, deadline - this.clock.now()),
        };
        // Lambda passes a JSON-serialized event: the handler never shares objects with the caller.
        const event = JSON.parse(JSON.stringify(payload ?? null));
        return this.loopback ? withLoopback(this.loopback, () => this.handlerFn!(event, context)) : this.handlerFn!(event, context);
      };
      // A fault behaves as the handler throwing or hanging, within the invocation and its timeout.
      const result = await Promise.race([runWithFault(fault, async () => run(), {
        sleep: (ms) => new Promise((r) => this.clock.setTimeout(r, ms)),
        error: (e) => Object.assign(new Error(e.message ?? `Injected ${e.name}`), { name: e.name }),
      }), timeout]);
      return result === undefined ? null : JSON.parse(JSON.stringify(result));
    } catch (err) {
      if (err instanceof LambdaFunctionError) throw err;
      const e = err as Error;
      throw new LambdaFunctionError(e?.name || 'Error', e?.message ?? String(err), String(e?.stack ?? '').split('\n').slice(1, 6).map((s) => s.trim()));
    } finally {
      this.inFlight--;
      this.deadlines.delete(deadline);
      this.clock.clearTimeout(timer);
    }
  }
}

function splitHandler(handler: string): [string, string] {
  const i = handler.lastIndexOf('.');
  return [handler.slice(0, i), handler.slice(i + 1)];
}

/** The environment a function sees: its template variables plus Lambda's own, endpoints local. */
export function functionEnvironment(def: FunctionDef, region: string, endpoint: string): Record<string, string> {
  return {
    AWS_REGION: region, AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_SESSION_TOKEN: 'local',
    AWS_ENDPOINT_URL: endpoint,
    AWS_LAMBDA_FUNCTION_NAME: def.name, AWS_LAMBDA_FUNCTION_VERSION: '$LATEST', AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(def.memorySize),
    AWS_LAMBDA_LOG_GROUP_NAME: def.logGroupName, AWS_EXECUTION_ENV: `AWS_Lambda_${def.runtime}`, _HANDLER: def.handler,
    LANG: 'en_US.UTF-8', TZ: ':UTC', NODE_PATH: '', PATH: process.env.PATH ?? '',
    ...def.environment,
  };
}
