/**
 * Loads aws-local-stepfunctions (pinned 3.0.0) in a scope whose `setTimeout`, `clearTimeout` and
 * `Date` are the runtime clock's, and applies four small patches, each asserted to apply:
 *  1. EventLogger calls a per-run hook synchronously on every event (exact history order).
 *  2. StateMachine.run passes that hook to its logger (nested Map/Parallel runs inherit it).
 *  3. `$$.Execution.*` keeps the values the runtime passes (the library overwrote `Input` and
 *     `StartTime` with the branch's own inside Map and Parallel).
 *  4. Task states without TimeoutSeconds wait up to a year (AWS has no default; the library used 60 s).
 *  5. `$$.State.Name` and `$$.State.EnteredTime` are set as each state is entered (the library had no
 *     `$$.State`); `$$.State.RetryCount` is still refused at boot (see refusals.ts).
 *  6. Choice type tests with `false` (`IsPresent: false`, `IsNull: false`, `IsString: false`, ...)
 *     match when the test fails, as on AWS (the library never matched them).
 *  7. A Pass state with a falsy `Result` (`false`, `0`, `""`, `null`) outputs it (the library passed its input).
 * The library's Lambda client is never used: every Task resource is dispatched by the runtime.
 */
import * as fs from 'fs';
import { createRequire } from 'module';
import { Clock } from './clock';

const PATCHES: { name: string; find: string; replace: string }[] = [
  {
    name: 'event hook (logger)',
    find: 'constructor() {\n    this.eventTarget = new EventTarget();',
    replace: 'constructor(hook) {\n    this.hook = hook;\n    this.eventTarget = new EventTarget();',
  },
  {
    name: 'event hook (dispatch)',
    find: 'dispatch(event) {\n    if (this.isLoggerClosed) return;',
    replace: 'dispatch(event) {\n    if (this.isLoggerClosed) return;\n    this.hook?.(event, this);',
  },
  {
    name: 'event hook (run)',
    find: 'const eventLogger = new EventLogger();',
    replace: 'const eventLogger = new EventLogger(options?.hook);',
  },
  {
    name: 'context object',
    find: 'Input: input,\n        StartTime: (/* @__PURE__ */ new Date()).toISOString()\n',
    replace: 'Input: input,\n        StartTime: (/* @__PURE__ */ new Date()).toISOString(),\n        ...options.runOptions?.context?.Execution\n',
  },
  {
    name: 'context object $$.State',
    find: '        const stateExecutor = new StateExecutor(currStateName, currState);\n',
    replace: '        context.State = { Name: currStateName, EnteredTime: (/* @__PURE__ */ new Date()).toISOString() };\n        const stateExecutor = new StateExecutor(currStateName, currState);\n',
  },
  {
    name: 'Pass with a falsy Result',
    find: '    if (this.stateDefinition.Result) {\n      return this.buildExecutionResult(this.stateDefinition.Result);',
    replace: '    if ("Result" in this.stateDefinition) {\n      return this.buildExecutionResult(this.stateDefinition.Result);',
  },
  {
    name: 'no default task timeout',
    find: 'var DEFAULT_TIMEOUT_SECONDS = 60;',
    replace: 'var DEFAULT_TIMEOUT_SECONDS = 31536000;',
  },
];

// The library returned `flag && test`, so `"IsPresent": false` could never match.
for (const [flag, test] of [['IsNull', 'varValue === null'], ['IsPresent', 'varValue !== void 0'], ['IsNumeric', 'typeof varValue === "number"'],
  ['IsString', 'typeof varValue === "string"'], ['IsBoolean', 'typeof varValue === "boolean"'], ['IsTimestamp', 'isRFC3339Timestamp(varValue)']]) {
  const local = flag === 'IsNull' ? 'isNullTrue' : `${flag}True`;
  PATCHES.push({ name: `Choice ${flag}: false`, find: `return ${local} && ${test};`, replace: `return ${local} === (${test});` });
}

export interface AslEvent {
  type: string;
  timestamp: number;
  state?: { name: string; type: string; input: unknown; output?: unknown };
  Error?: string;
  Cause?: unknown;
  retry?: { attempt: number };
  index?: number;
  input?: unknown;
  output?: unknown;
}

export interface AslRunOptions {
  overrides: { taskResourceLocalHandlers: Record<string, (input: unknown) => Promise<unknown>> };
  context: Record<string, unknown>;
  hook: (event: AslEvent, logger: object) => void;
  noThrowOnAbort?: boolean;
}

export interface AslStateMachine {
  run(input: unknown, options: AslRunOptions): { abort(): void; result: Promise<unknown> };
}

export interface AslModule {
  StateMachine: new (definition: unknown, options?: unknown) => AslStateMachine;
  ExecutionError: new (...args: unknown[]) => Error & { cause?: unknown };
  ExecutionAbortedError: new (...args: unknown[]) => Error;
  ExecutionTimeoutError: new (...args: unknown[]) => Error;
}

const unusedSdk = new Proxy({}, {
  get(_t, prop) {
    if (prop === '__esModule') return false;
    throw new Error(`local runtime: the interpreter tried to use the AWS SDK (${String(prop)}); every Task must be dispatched by the runtime`);
  },
});

// Polyfill for Node 20: the library calls Promise.withResolvers (Node 22+).
if (!(Promise as unknown as { withResolvers?: unknown }).withResolvers) {
  (Promise as unknown as { withResolvers: () => unknown }).withResolvers = function withResolvers<T>() {
    let resolve!: (v: T) => void; let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
}

export function loadAsl(clock: Clock): AslModule {
  const file = require.resolve('aws-local-stepfunctions');
  let source = fs.readFileSync(file, 'utf8');
  for (const patch of PATCHES) {
    const at = source.indexOf(patch.find);
    if (at < 0 || source.indexOf(patch.find, at + 1) >= 0) {
      throw new Error(`local runtime: patch "${patch.name}" does not apply to ${file}; is aws-local-stepfunctions still 3.0.0?`);
    }
    source = source.replace(patch.find, patch.replace);
  }
  const baseRequire = createRequire(file);
  const scopedRequire = (id: string) => (id.startsWith('@aws-sdk/') ? unusedSdk : baseRequire(id));
  const module = { exports: {} as AslModule };
  const factory = new Function('exports', 'require', 'module', '__filename', '__dirname', 'setTimeout', 'clearTimeout', 'Date', source);
  factory(module.exports, scopedRequire, module, file, require('path').dirname(file), clock.setTimeout, clock.clearTimeout, clock.Date);
  return module.exports;
}
