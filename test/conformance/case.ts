/**
 * One conformance case: an ASL definition, its input, and what AWS does with it. Every case names
 * the source of its expected value (`source`): the ASL specification section, the AWS documentation
 * page, or a recorded AWS answer. Expected values come from those sources, never from what the
 * interpreter happens to do.
 */
import type { HistoryEvent } from '../../local/interpreter/history';

/** What a case's Lambda function double receives besides its event. */
export interface FunctionCall {
  /** 0 for the first call of this function in the execution, 1 for the second, ... */
  readonly call: number;
  /** Milliseconds since the epoch on the execution's clock (virtual: timers fire instantly when idle). */
  now(): number;
  /** Waits on the execution's clock. */
  sleep(ms: number): Promise<void>;
  /** For `.waitForTaskToken` cases: answer a token later, as a worker would. */
  sendTaskSuccess(token: string, output: unknown): void;
  sendTaskFailure(token: string, error?: string, cause?: string): void;
  sendTaskHeartbeat(token: string): void;
}

/**
 * A Lambda function double. Return a value to succeed (it is the function's result, JSON-serialized
 * as Lambda does). Throw `lambdaError(type, message)` to fail as a Lambda function error does on AWS
 * (Step Functions sees Error = errorType, Cause = the JSON `{"errorMessage","errorType","trace"}`).
 */
export type FunctionDouble = (event: unknown, call: FunctionCall) => unknown | Promise<unknown>;

export function lambdaError(errorType: string, errorMessage: string): Error {
  const e = new Error(errorMessage);
  e.name = errorType;
  return e;
}

export interface ConformanceCase {
  /** What the case shows, as a user would say it: `wildcard that matches nothing yields []`. */
  readonly name: string;
  /** Where the expected value comes from (URL + section, or "recorded AWS: <where>"). */
  readonly source: string;
  readonly definition: Record<string, unknown>;
  /** Execution input (any JSON value). @default {} */
  readonly input?: unknown;
  /**
   * Lambda doubles by function name. A Task resource `arn:aws:lambda:us-east-1:123456789012:function:<name>`
   * or `arn:aws:states:::lambda:invoke` with `FunctionName` `<name>` (or its ARN) calls `functions[<name>]`.
   */
  readonly functions?: Record<string, FunctionDouble>;
  /** @default 'STANDARD' */
  readonly type?: 'STANDARD' | 'EXPRESS';
  /** The execution name. @default 'conformance' */
  readonly executionName?: string;
  /**
   * After the first run ends, RedriveExecution is called (the functions may behave differently
   * then: `call.call` keeps counting) and the redriven run is checked against `redrive.expect`
   * (`events` / `entered` then cover the whole history, first run included).
   */
  readonly redrive?: { readonly expect: ConformanceCase['expect'] };
  readonly expect: {
    /** Set when AWS rejects the definition at CreateStateMachine (then nothing runs). */
    readonly definitionError?: { readonly name: 'InvalidDefinition'; readonly message?: string | RegExp };
    readonly status?: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
    /** Deep-equal to the parsed execution output. */
    readonly output?: unknown;
    readonly error?: string;
    readonly cause?: string | RegExp;
    /** State names in the order their `*StateEntered` events appear (sequential machines only). */
    readonly entered?: readonly string[];
    /** The exact history event types, in order (deterministic machines only). */
    readonly events?: readonly string[];
    /** Any further assertions (use jest's `expect`). */
    readonly check?: (r: CaseResult) => void;
  };
}

/** A Distributed Map run, as DescribeMapRun and ListExecutions(mapRunArn) describe it. */
export interface MapRunResult {
  readonly mapRunArn: string;
  /** DescribeMapRun's answer (status, maxConcurrency, toleratedFailure*, itemCounts, executionCounts, ...). */
  readonly description: Record<string, unknown>;
  /** The child workflow executions, in the order they started. */
  readonly children: readonly { readonly executionArn: string; readonly name: string; readonly status: string; readonly input: unknown; readonly output?: unknown; readonly error?: string; readonly cause?: string; readonly history: readonly HistoryEvent[] }[];
}

export interface CaseResult {
  readonly status: string;
  /** Distributed Map runs of this execution, in the order they started. */
  readonly mapRuns?: readonly MapRunResult[];
  readonly output?: unknown;
  readonly error?: string;
  readonly cause?: string;
  readonly history: readonly HistoryEvent[];
  /** Calls made to each function double, with the event each received. */
  readonly calls: Readonly<Record<string, unknown[]>>;
}
