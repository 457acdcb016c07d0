/**
 * Error handling: Retry, Catch, task timeouts, heartbeats, and the history AWS records for them.
 * Expected values come from the ASL spec, the AWS error-handling guide, and histories LocalStack
 * recorded against AWS (cited per case).
 */
import type { CaseResult, ConformanceCase, FunctionCall, FunctionDouble } from '../case';
import { lambdaError } from '../case';
import type { HistoryEvent } from '../../../local/interpreter/history';

const SPEC_RETRY = 'https://states-language.net/spec.html#retrying-after-error';
const SPEC_CATCH = 'https://states-language.net/spec.html#fallback-states';
const SPEC_TASK = 'https://states-language.net/spec.html#task-state';
const DOC = 'https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html';
const DOC_RESULTPATH = 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html';
const REC = 'recorded AWS: localstack tests/aws/services/stepfunctions/v2';
const SCENARIOS = `${REC}/scenarios/test_base_scenarios.snapshot.json`;
const TASK_LAMBDA = `${REC}/error_handling/test_task_lambda.snapshot.json`;
const SERVICE_LAMBDA = `${REC}/error_handling/test_task_service_lambda.snapshot.json`;
const STATES_ERRORS = `${REC}/error_handling/test_states_errors.snapshot.json`;
const TIMEOUTS = `${REC}/timeouts/test_timeouts.snapshot.json`;
const HEARTBEATS = `${REC}/timeouts/test_heartbeats.snapshot.json`;
const CALLBACK = `${REC}/callback/test_callback.snapshot.json`;

const fn = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const INVOKE = 'arn:aws:states:::lambda:invoke';
const INVOKE_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

/** A Lambda double that always fails with `type`/`message`. */
const alwaysFails =
  (type = 'Boom', message = 'boom'): FunctionDouble =>
  () => {
    throw lambdaError(type, message);
  };

/** A Lambda double that fails its first `failures` calls, then returns `result`. */
const failsThen =
  (failures: number, result: unknown = { ok: true }, type = 'Boom'): FunctionDouble =>
  (_event, call) => {
    if (call.call < failures) throw lambdaError(type, `failure ${call.call}`);
    return result;
  };

/** A Lambda double that outlives any task timeout below a minute. */
const sleeps60: FunctionDouble = async (_event, call) => {
  await call.sleep(60_000);
  return 'late';
};

/** A callback worker: the function returns at once and the worker answers the task token later. */
const worker =
  (plan: (token: string, call: FunctionCall) => Promise<void>): FunctionDouble =>
  (event, call) => {
    void plan((event as { token: string }).token, call);
    return {};
  };

const waitTask = (extra: Record<string, unknown>): Record<string, unknown> => ({
  Type: 'Task',
  Resource: INVOKE_WAIT,
  Parameters: { FunctionName: 'worker', Payload: { 'token.$': '$$.Task.Token' } },
  ...extra,
});

const BIG = 'a'.repeat(257 * 1024); // over the 256 KiB payload quota

const byType = (r: CaseResult, type: string): HistoryEvent[] => r.history.filter((e) => e.type === type);

function only(r: CaseResult, type: string): HistoryEvent {
  const events = byType(r, type);
  expect(events).toHaveLength(1);
  return events[0];
}

/** Milliseconds from each failed attempt's end to the next attempt's scheduling: the retry delays. */
function retryDelays(r: CaseResult, ended: string[], scheduled: string): number[] {
  const delays: number[] = [];
  let endedAt: number | undefined;
  for (const e of r.history) {
    if (ended.includes(e.type)) endedAt = e.timestamp;
    else if (e.type === scheduled && endedAt !== undefined) {
      delays.push(e.timestamp - endedAt);
      endedAt = undefined;
    }
  }
  return delays;
}
const lambdaDelays = (r: CaseResult): number[] =>
  retryDelays(r, ['LambdaFunctionFailed', 'LambdaFunctionTimedOut'], 'LambdaFunctionScheduled');
const serviceDelays = (r: CaseResult): number[] => retryDelays(r, ['TaskFailed', 'TaskTimedOut'], 'TaskScheduled');

/** The error output of a caught Lambda function error: `{Error, Cause}`, Cause the function's JSON error. */
function expectLambdaErrorOutput(value: unknown, type: string, message: string): void {
  const v = value as { Error: string; Cause: string };
  expect(Object.keys(v).sort()).toEqual(['Cause', 'Error']);
  expect(v.Error).toBe(type);
  const cause = JSON.parse(v.Cause) as { errorType: string; errorMessage: string };
  expect(cause.errorType).toBe(type);
  expect(cause.errorMessage).toBe(message);
}

const cause = (message: string): RegExp => new RegExp(`"errorMessage":\\s*"${message}"`);

const lambdaAttempt = ['LambdaFunctionScheduled', 'LambdaFunctionStarted'];
const serviceAttempt = ['TaskScheduled', 'TaskStarted'];

const dataLimitCause = (task: string): string =>
  `The state/task '${task}' returned a result with a size exceeding the maximum number of bytes service limit.`;

/** One Lambda task `T` (function `f`) with the given Retry, failing or not as the double says. */
const retryMachine = (retry: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  StartAt: 'T',
  States: { T: { Type: 'Task', Resource: fn('f'), Retry: retry, End: true, ...extra } },
});

export const cases: ConformanceCase[] = [
  // ---- Retry: intervals, backoff, attempts -------------------------------------------------------
  {
    name: 'a retrier with only ErrorEquals waits 1 s, then doubles, for 3 retries',
    source: `${DOC} (Retrying after an error: IntervalSeconds 1, MaxAttempts 3, BackoffRate 2.0 by default)`,
    definition: retryMachine([{ ErrorEquals: ['Boom'] }]),
    functions: { f: alwaysFails() },
    expect: {
      status: 'FAILED',
      error: 'Boom',
      cause: cause('boom'),
      check: (r) => {
        expect(r.calls.f).toHaveLength(4);
        expect(lambdaDelays(r)).toEqual([1000, 2000, 4000]);
      },
    },
  },
  {
    name: 'IntervalSeconds 2 with BackoffRate 3 waits 2, 6 then 18 s',
    source: `${DOC} (Retrying after an error: BackoffRate multiplies the interval after each attempt)`,
    definition: retryMachine([{ ErrorEquals: ['Boom'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 3 }]),
    functions: { f: alwaysFails() },
    expect: {
      status: 'FAILED',
      error: 'Boom',
      check: (r) => {
        expect(r.calls.f).toHaveLength(4);
        expect(lambdaDelays(r)).toEqual([2000, 6000, 18000]);
      },
    },
  },
  {
    name: 'BackoffRate 1 keeps the interval constant',
    source: `${DOC} (Retrying after an error: BackoffRate)`,
    definition: retryMachine([{ ErrorEquals: ['Boom'], IntervalSeconds: 2, BackoffRate: 1, MaxAttempts: 3 }]),
    functions: { f: alwaysFails() },
    expect: { status: 'FAILED', error: 'Boom', check: (r) => expect(lambdaDelays(r)).toEqual([2000, 2000, 2000]) },
  },
  {
    name: 'IntervalSeconds 3 with BackoffRate 1.5 makes 2 retries after 3 and 4.5 s',
    source: `${DOC} (Retrying after an error: "makes 2 retry attempts after waiting for 3 and 4.5 seconds")`,
    definition: retryMachine([{ ErrorEquals: ['Boom'], IntervalSeconds: 3, MaxAttempts: 2, BackoffRate: 1.5 }]),
    functions: { f: alwaysFails() },
    expect: {
      status: 'FAILED',
      error: 'Boom',
      check: (r) => {
        expect(r.calls.f).toHaveLength(3);
        expect(lambdaDelays(r)).toEqual([3000, 4500]);
      },
    },
  },
  {
    name: 'MaxAttempts 1 retries once',
    source: `${DOC} (Retrying after an error: MaxAttempts is the maximum number of retry attempts)`,
    definition: retryMachine([{ ErrorEquals: ['Boom'], MaxAttempts: 1 }]),
    functions: { f: alwaysFails() },
    expect: {
      status: 'FAILED',
      error: 'Boom',
      check: (r) => {
        expect(r.calls.f).toHaveLength(2);
        expect(lambdaDelays(r)).toEqual([1000]);
      },
    },
  },
  {
    name: 'MaxAttempts 0 never retries: one TaskScheduled, then ExecutionFailed',
    source: `${SCENARIOS} test_retry_interval_features_max_attempts_zero; ${DOC} ("A value of 0 specifies that the error or errors are never retried")`,
    definition: {
      StartAt: 'LambdaTask',
      States: {
        LambdaTask: {
          Type: 'Task',
          Resource: INVOKE,
          Parameters: { FunctionName: 'f', Payload: { 'RetryAttempt.$': '$$.State.RetryCount' } },
          Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 0 }],
          End: true,
        },
      },
    },
    functions: { f: alwaysFails('Exception', 'Some exception was raised.') },
    expect: {
      status: 'FAILED',
      error: 'Exception',
      cause: cause('Some exception was raised.'),
      events: ['ExecutionStarted', 'TaskStateEntered', ...serviceAttempt, 'TaskFailed', 'ExecutionFailed'],
      check: (r) => expect(r.calls.f).toEqual([{ RetryAttempt: 0 }]),
    },
  },
  {
    name: 'MaxDelaySeconds caps the growing interval',
    source: `${DOC} (Retrying after an error: MaxDelaySeconds, the maximum value up to which a retry interval can increase)`,
    definition: retryMachine([
      { ErrorEquals: ['Boom'], IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 4, MaxDelaySeconds: 10 },
    ]),
    functions: { f: alwaysFails() },
    expect: {
      status: 'FAILED',
      error: 'Boom',
      check: (r) => {
        expect(r.calls.f).toHaveLength(5);
        expect(lambdaDelays(r)).toEqual([2000, 6000, 10000, 10000]);
      },
    },
  },
  {
    name: 'MaxDelaySeconds above every computed interval changes nothing',
    source: `${DOC} (Retrying after an error: MaxDelaySeconds)`,
    definition: retryMachine([{ ErrorEquals: ['Boom'], MaxDelaySeconds: 100 }]),
    functions: { f: alwaysFails() },
    expect: { status: 'FAILED', error: 'Boom', check: (r) => expect(lambdaDelays(r)).toEqual([1000, 2000, 4000]) },
  },
  {
    name: 'JitterStrategy FULL waits a random time between 0 and the computed interval',
    source: `${DOC} (Retrying after an error: JitterStrategy FULL)`,
    definition: retryMachine([
      { ErrorEquals: ['Boom'], IntervalSeconds: 4, BackoffRate: 2, MaxAttempts: 3, JitterStrategy: 'FULL' },
    ]),
    functions: { f: alwaysFails() },
    expect: {
      status: 'FAILED',
      error: 'Boom',
      check: (r) => {
        expect(r.calls.f).toHaveLength(4);
        const delays = lambdaDelays(r);
        expect(delays).toHaveLength(3);
        [4000, 8000, 16000].forEach((max, i) => {
          expect(delays[i]).toBeGreaterThanOrEqual(0);
          expect(delays[i]).toBeLessThanOrEqual(max);
        });
      },
    },
  },
  {
    name: 'JitterStrategy FULL with MaxDelaySeconds: jitter within the capped interval, 2 retries',
    source: `${SCENARIOS} test_retry_interval_features (history); ${DOC} (JitterStrategy, MaxDelaySeconds)`,
    definition: {
      StartAt: 'LambdaTask',
      States: {
        LambdaTask: {
          Type: 'Task',
          Resource: fn('f'),
          End: true,
          Retry: [
            {
              Comment: 'all retry language features',
              ErrorEquals: ['States.ALL'],
              IntervalSeconds: 3,
              MaxAttempts: 2,
              BackoffRate: 2,
              MaxDelaySeconds: 5,
              JitterStrategy: 'FULL',
            },
          ],
        },
      },
    },
    functions: { f: alwaysFails('Exception', 'Some exception was raised.') },
    expect: {
      status: 'FAILED',
      error: 'Exception',
      events: [
        'ExecutionStarted',
        'TaskStateEntered',
        ...lambdaAttempt,
        'LambdaFunctionFailed',
        ...lambdaAttempt,
        'LambdaFunctionFailed',
        ...lambdaAttempt,
        'LambdaFunctionFailed',
        'ExecutionFailed',
      ],
      check: (r) => {
        const [d1, d2] = lambdaDelays(r);
        expect(d1).toBeGreaterThanOrEqual(0);
        expect(d1).toBeLessThanOrEqual(3000);
        expect(d2).toBeGreaterThanOrEqual(0);
        expect(d2).toBeLessThanOrEqual(5000);
      },
    },
  },
  {
    name: 'JitterStrategy NONE waits exactly the computed interval',
    source: `${SCENARIOS} test_retry_interval_features_jitter_none (definition); ${DOC} (JitterStrategy NONE)`,
    definition: retryMachine([
      { ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1, MaxDelaySeconds: 3, JitterStrategy: 'NONE' },
    ]),
    functions: { f: alwaysFails() },
    expect: {
      status: 'FAILED',
      error: 'Boom',
      check: (r) => {
        expect(r.calls.f).toHaveLength(3);
        expect(lambdaDelays(r)).toEqual([1000, 1000]);
      },
    },
  },
  {
    name: 'a task that fails twice then succeeds: no new TaskStateEntered on a retry',
    source: `${SCENARIOS} test_lambda_invoke_with_retry_base (each retry is LambdaFunctionScheduled/Started/Failed again)`,
    definition: retryMachine([{ ErrorEquals: ['Boom'] }]),
    functions: { f: failsThen(2) },
    expect: {
      status: 'SUCCEEDED',
      output: { ok: true },
      entered: ['T'],
      events: [
        'ExecutionStarted',
        'TaskStateEntered',
        ...lambdaAttempt,
        'LambdaFunctionFailed',
        ...lambdaAttempt,
        'LambdaFunctionFailed',
        ...lambdaAttempt,
        'LambdaFunctionSucceeded',
        'TaskStateExited',
        'ExecutionSucceeded',
      ],
      check: (r) => expect(lambdaDelays(r)).toEqual([1000, 2000]),
    },
  },
  {
    name: 'lambda:invoke that fails twice then succeeds: TaskScheduled/Started/Failed per attempt',
    source: `${SCENARIOS} test_lambda_service_invoke_with_retry_extended_input`,
    definition: {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: INVOKE,
          Parameters: { FunctionName: 'f', 'Payload.$': '$' },
          Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 2 }],
          OutputPath: '$.Payload',
          End: true,
        },
      },
    },
    functions: { f: failsThen(2) },
    expect: {
      status: 'SUCCEEDED',
      output: { ok: true },
      events: [
        'ExecutionStarted',
        'TaskStateEntered',
        ...serviceAttempt,
        'TaskFailed',
        ...serviceAttempt,
        'TaskFailed',
        ...serviceAttempt,
        'TaskSucceeded',
        'TaskStateExited',
        'ExecutionSucceeded',
      ],
      check: (r) => expect(serviceDelays(r)).toEqual([2000, 4000]),
    },
  },
  {
    name: 'an empty Retry array is the same as none',
    source: `${SCENARIOS} test_lambda_empty_retry`,
    definition: { StartAt: 'LambdaTask', States: { LambdaTask: { Type: 'Task', Resource: fn('f'), End: true, Retry: [] } } },
    functions: { f: alwaysFails('Exception', 'Some exception was raised.') },
    expect: {
      status: 'FAILED',
      error: 'Exception',
      cause: cause('Some exception was raised.'),
      events: ['ExecutionStarted', 'TaskStateEntered', ...lambdaAttempt, 'LambdaFunctionFailed', 'ExecutionFailed'],
    },
  },
  {
    name: 'a retrier for another error does not retry',
    source: `${SPEC_RETRY} (a retrier applies when the error name appears in its ErrorEquals)`,
    definition: retryMachine([{ ErrorEquals: ['OtherError'], MaxAttempts: 5 }]),
    functions: { f: alwaysFails() },
    expect: { status: 'FAILED', error: 'Boom', check: (r) => expect(r.calls.f).toHaveLength(1) },
  },
  {
    name: 'error names are case-sensitive: "boom" does not match Boom',
    source: `${DOC} (Error names: case-sensitive strings)`,
    definition: retryMachine([{ ErrorEquals: ['boom'] }]),
    functions: { f: alwaysFails() },
    expect: { status: 'FAILED', error: 'Boom', check: (r) => expect(r.calls.f).toHaveLength(1) },
  },
  // ---- Several retriers --------------------------------------------------------------------------
  {
    name: 'the first matching retrier wins; once it is spent, a later matching retrier is not used',
    source: `${SPEC_RETRY} (the interpreter implements the policy of the retrier whose ErrorEquals holds the error; past MaxAttempts retries cease); ${SCENARIOS} test_map_state_retry_multiple_retriers`,
    definition: retryMachine([
      { ErrorEquals: ['Boom'], MaxAttempts: 1 },
      { ErrorEquals: ['Boom', 'Other'], MaxAttempts: 5 },
    ]),
    functions: { f: alwaysFails() },
    expect: { status: 'FAILED', error: 'Boom', check: (r) => expect(r.calls.f).toHaveLength(2) },
  },
  {
    name: 'each retrier counts its own attempts across errors (ErrorA, ErrorB, ErrorC, ErrorB)',
    source: `${DOC} (Complex retry scenarios: waits of 1, 2 and 5 s; the fourth error finds the first retrier spent and goes to Catch)`,
    definition: {
      StartAt: 'X',
      States: {
        X: {
          Type: 'Task',
          Resource: fn('f'),
          Next: 'Y',
          Retry: [
            { ErrorEquals: ['ErrorA', 'ErrorB'], IntervalSeconds: 1, BackoffRate: 2.0, MaxAttempts: 2 },
            { ErrorEquals: ['ErrorC'], IntervalSeconds: 5 },
          ],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Z' }],
        },
        Y: { Type: 'Pass', End: true },
        Z: { Type: 'Pass', End: true },
      },
    },
    functions: {
      f: (_e, call) => {
        const errors = ['ErrorA', 'ErrorB', 'ErrorC', 'ErrorB'];
        if (call.call < errors.length) throw lambdaError(errors[call.call], `attempt ${call.call}`);
        return 'should not be called again';
      },
    },
    expect: {
      status: 'SUCCEEDED',
      entered: ['X', 'Z'],
      check: (r) => {
        expect(r.calls.f).toHaveLength(4);
        expect(lambdaDelays(r)).toEqual([1000, 2000, 5000]);
        expectLambdaErrorOutput(r.output, 'ErrorB', 'attempt 3');
      },
    },
  },
  {
    name: 'MaxAttempts 0 for States.Timeout before States.ALL: a timeout is not retried',
    source: `${DOC} (Retrying after an error: example retrying any error except States.Timeout)`,
    definition: retryMachine([{ ErrorEquals: ['States.Timeout'], MaxAttempts: 0 }, { ErrorEquals: ['States.ALL'] }], {
      TimeoutSeconds: 2,
    }),
    functions: { f: sleeps60 },
    expect: { status: 'FAILED', error: 'States.Timeout', check: (r) => expect(r.calls.f).toHaveLength(1) },
  },
  {
    name: 'MaxAttempts 0 for States.Timeout before States.ALL: other errors are retried',
    source: `${DOC} (Retrying after an error: example retrying any error except States.Timeout)`,
    definition: retryMachine([{ ErrorEquals: ['States.Timeout'], MaxAttempts: 0 }, { ErrorEquals: ['States.ALL'] }], {
      TimeoutSeconds: 2,
    }),
    functions: { f: failsThen(1) },
    expect: { status: 'SUCCEEDED', output: { ok: true }, check: (r) => expect(r.calls.f).toHaveLength(2) },
  },
  {
    name: 'States.ALL in a retrier that is not the last one is rejected (unverified)',
    source: `${SPEC_RETRY} ("States.ALL ... MUST appear in the last Retrier in the Retry array"); AWS's message not recorded`,
    definition: retryMachine([{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['Boom'] }]),
    expect: { definitionError: { name: 'InvalidDefinition' } },
  },
  {
    name: 'States.ALL with other names in ErrorEquals is rejected (unverified)',
    source: `${SPEC_RETRY} ("Such a value MUST appear alone in the ErrorEquals array"); AWS's message not recorded`,
    definition: retryMachine([{ ErrorEquals: ['Boom', 'States.ALL'] }]),
    expect: { definitionError: { name: 'InvalidDefinition' } },
  },
  // ---- States.TaskFailed --------------------------------------------------------------------------
  {
    name: 'Retry on States.TaskFailed retries a Lambda function error',
    source: `${DOC} (Handling a failure using Retry: States.TaskFailed matches any error a Lambda function outputs)`,
    definition: retryMachine([{ ErrorEquals: ['States.TaskFailed'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2.0 }]),
    functions: { f: failsThen(1, { ok: true }, 'HandledError') },
    expect: { status: 'SUCCEEDED', output: { ok: true }, check: (r) => expect(r.calls.f).toHaveLength(2) },
  },
  {
    name: 'Catch on States.TaskFailed catches a Lambda function error',
    source: `${DOC} (Handling a failure using Catch: the States.TaskFailed variant)`,
    definition: {
      StartAt: 'HelloWorld',
      States: {
        HelloWorld: {
          Type: 'Task',
          Resource: fn('FailFunction'),
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'fallback' }],
          End: true,
        },
        fallback: { Type: 'Pass', Result: 'Hello, AWS Step Functions!', End: true },
      },
    },
    functions: { FailFunction: alwaysFails('HandledError', 'error') },
    expect: { status: 'SUCCEEDED', output: 'Hello, AWS Step Functions!', entered: ['HelloWorld', 'fallback'] },
  },
  {
    name: 'Catch on States.TaskFailed does not catch States.Timeout',
    source: `${DOC} (States.TaskFailed: in a retry or catch it matches any known error name except States.Timeout)`,
    definition: {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: fn('f'),
          TimeoutSeconds: 2,
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    },
    functions: { f: sleeps60 },
    expect: { status: 'FAILED', error: 'States.Timeout', entered: ['T'] },
  },
  {
    name: 'a timeout skips a States.TaskFailed catcher and takes the States.Timeout one',
    source: `${DOC} (States.TaskFailed does not match States.Timeout; catchers are scanned in order)`,
    definition: {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: fn('f'),
          TimeoutSeconds: 2,
          Catch: [
            { ErrorEquals: ['States.TaskFailed'], Next: 'OnFailure' },
            { ErrorEquals: ['States.Timeout'], Next: 'OnTimeout' },
          ],
          End: true,
        },
        OnFailure: { Type: 'Pass', End: true },
        OnTimeout: { Type: 'Pass', End: true },
      },
    },
    functions: { f: sleeps60 },
    expect: { status: 'SUCCEEDED', entered: ['T', 'OnTimeout'] },
  },
  {
    name: 'Retry on States.TaskFailed does not retry a timeout',
    source: `${DOC} (States.TaskFailed matches any known error name except States.Timeout)`,
    definition: retryMachine([{ ErrorEquals: ['States.TaskFailed'] }], { TimeoutSeconds: 2 }),
    functions: { f: sleeps60 },
    expect: { status: 'FAILED', error: 'States.Timeout', check: (r) => expect(r.calls.f).toHaveLength(1) },
  },
  // ---- Catch ----------------------------------------------------------------------------------------
  {
    name: 'a caught Lambda error: TaskStateExited carries the error output, which replaces the input',
    source: `${TASK_LAMBDA} test_raise_exception_catch (LambdaFunctionFailed, TaskStateExited, then the handler)`,
    definition: {
      StartAt: 'Start',
      States: {
        Start: {
          Type: 'Task',
          Resource: fn('f'),
          Catch: [{ ErrorEquals: ['CustomError'], Next: 'Handler' }],
          Next: 'Final',
        },
        Handler: { Type: 'Pass', End: true },
        Final: { Type: 'Pass', End: true },
      },
    },
    input: { order: 7 },
    functions: { f: alwaysFails('CustomError', 'it broke') },
    expect: {
      status: 'SUCCEEDED',
      entered: ['Start', 'Handler'],
      events: [
        'ExecutionStarted',
        'TaskStateEntered',
        ...lambdaAttempt,
        'LambdaFunctionFailed',
        'TaskStateExited',
        'PassStateEntered',
        'PassStateExited',
        'ExecutionSucceeded',
      ],
      check: (r) => expectLambdaErrorOutput(r.output, 'CustomError', 'it broke'),
    },
  },
  {
    name: 'Catch with ResultPath adds the error output to the input',
    source: `${DOC} (Error output: with ResultPath the error output is added to the input); ${DOC_RESULTPATH}`,
    definition: {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: fn('f'),
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error-info', Next: 'Recovery' }],
          End: true,
        },
        Recovery: { Type: 'Pass', End: true },
      },
    },
    input: { order: 7 },
    functions: { f: alwaysFails('CustomError', 'it broke') },
    expect: {
      status: 'SUCCEEDED',
      entered: ['T', 'Recovery'],
      check: (r) => {
        const out = r.output as { order: number; 'error-info': unknown };
        expect(Object.keys(out).sort()).toEqual(['error-info', 'order']);
        expect(out.order).toBe(7);
        expectLambdaErrorOutput(out['error-info'], 'CustomError', 'it broke');
      },
    },
  },
  {
    name: 'Catch with ResultPath "$" is the same as no ResultPath',
    source: `${DOC} (Error output: "If you don't specify the ResultPath field, it defaults to $")`,
    definition: {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: fn('f'), Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$', Next: 'R' }], End: true },
        R: { Type: 'Pass', End: true },
      },
    },
    input: { order: 7 },
    functions: { f: alwaysFails('CustomError', 'it broke') },
    expect: { status: 'SUCCEEDED', check: (r) => expectLambdaErrorOutput(r.output, 'CustomError', 'it broke') },
  },
  {
    name: 'Catch with ResultPath null passes the original input on',
    source: `${DOC_RESULTPATH} (ResultPath null discards the result and keeps the input); ${DOC} (a catcher's ResultPath works like a state's)`,
    definition: {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: fn('f'), Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: null, Next: 'R' }], End: true },
        R: { Type: 'Pass', End: true },
      },
    },
    input: { order: 7 },
    functions: { f: alwaysFails('CustomError', 'it broke') },
    expect: { status: 'SUCCEEDED', output: { order: 7 }, entered: ['T', 'R'] },
  },
  {
    name: 'catchers are scanned in order: the first match wins',
    source: `${SPEC_CATCH} (the interpreter scans the catchers in array order)`,
    definition: {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: fn('f'),
          Catch: [
            { ErrorEquals: ['CustomError'], Next: 'First' },
            { ErrorEquals: ['States.ALL'], Next: 'Second' },
          ],
          End: true,
        },
        First: { Type: 'Pass', End: true },
        Second: { Type: 'Pass', End: true },
      },
    },
    functions: { f: alwaysFails('CustomError', 'it broke') },
    expect: { status: 'SUCCEEDED', entered: ['T', 'First'] },
  },
  {
    name: 'a catcher that does not match is passed over for a later States.ALL',
    source: `${DOC} (Fallback states: the java.lang.Exception / States.ALL example)`,
    definition: {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: fn('f'),
          Catch: [
            { ErrorEquals: ['java.lang.Exception'], ResultPath: '$.error-info', Next: 'RecoveryState' },
            { ErrorEquals: ['States.ALL'], Next: 'EndState' },
          ],
          End: true,
        },
        RecoveryState: { Type: 'Pass', End: true },
        EndState: { Type: 'Pass', End: true },
      },
    },
    functions: { f: alwaysFails('CustomError', 'it broke') },
    expect: {
      status: 'SUCCEEDED',
      entered: ['T', 'EndState'],
      check: (r) => expectLambdaErrorOutput(r.output, 'CustomError', 'it broke'),
    },
  },
  {
    name: 'a catcher lists several error names',
    source: `${DOC} (Fallback states: "Each catcher can specify multiple errors to handle")`,
    definition: {
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: fn('f'), Catch: [{ ErrorEquals: ['ErrorA', 'CustomError'], Next: 'R' }], End: true },
        R: { Type: 'Pass', End: true },
      },
    },
    functions: { f: alwaysFails('CustomError', 'it broke') },
    expect: { status: 'SUCCEEDED', entered: ['T', 'R'] },
  },
  {
    name: 'an empty Catch array is the same as none',
    source: `${SCENARIOS} test_catch_empty`,
    definition: {
      StartAt: 'StartTask',
      States: { StartTask: { Type: 'Task', Resource: fn('f'), Catch: [], Next: 'Final' }, Final: { Type: 'Pass', End: true } },
    },
    functions: { f: (event) => event },
    expect: {
      status: 'SUCCEEDED',
      output: {},
      events: [
        'ExecutionStarted',
        'TaskStateEntered',
        ...lambdaAttempt,
        'LambdaFunctionSucceeded',
        'TaskStateExited',
        'PassStateEntered',
        'PassStateExited',
        'ExecutionSucceeded',
      ],
    },
  },
  {
    name: 'an uncaught Lambda error fails the execution with its error and cause, no TaskStateExited',
    source: `${TASK_LAMBDA} test_raise_exception`,
    definition: {
      StartAt: 'Start',
      States: {
        Start: { Type: 'Task', Resource: fn('f'), Catch: [{ ErrorEquals: ['Unknown'], Next: 'Handler' }], End: true },
        Handler: { Type: 'Pass', End: true },
      },
    },
    functions: { f: alwaysFails('Exception', 'Some exception was raised.') },
    expect: {
      status: 'FAILED',
      error: 'Exception',
      cause: cause('Some exception was raised.'),
      events: ['ExecutionStarted', 'TaskStateEntered', ...lambdaAttempt, 'LambdaFunctionFailed', 'ExecutionFailed'],
    },
  },
  {
    name: 'an uncaught lambda:invoke error: TaskFailed then ExecutionFailed',
    source: `${SERVICE_LAMBDA} test_raise_exception`,
    definition: {
      StartAt: 'Start',
      States: {
        Start: { Type: 'Task', Resource: INVOKE, Parameters: { FunctionName: 'f', 'Payload.$': '$' }, End: true },
      },
    },
    functions: { f: alwaysFails('Exception', 'Some exception was raised.') },
    expect: {
      status: 'FAILED',
      error: 'Exception',
      cause: cause('Some exception was raised.'),
      events: ['ExecutionStarted', 'TaskStateEntered', ...serviceAttempt, 'TaskFailed', 'ExecutionFailed'],
    },
  },
  {
    name: 'Catch after the retries are exhausted: four attempts, then the handler',
    source: `${SCENARIOS} test_lambda_invoke_with_retry_base`,
    definition: {
      StartAt: 'InvokeLambdaWithRetry',
      States: {
        InvokeLambdaWithRetry: {
          Type: 'Task',
          Resource: fn('f'),
          Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 3 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'HandleError' }],
          End: true,
        },
        HandleError: { Type: 'Pass', End: true },
      },
    },
    input: { Value1: 'HelloWorld!', Value2: null },
    functions: { f: alwaysFails('Exception', 'Some exception was raised.') },
    expect: {
      status: 'SUCCEEDED',
      events: [
        'ExecutionStarted',
        'TaskStateEntered',
        ...[1, 2, 3, 4].flatMap(() => [...lambdaAttempt, 'LambdaFunctionFailed']),
        'TaskStateExited',
        'PassStateEntered',
        'PassStateExited',
        'ExecutionSucceeded',
      ],
      check: (r) => {
        expect(r.calls.f).toEqual([1, 2, 3, 4].map(() => ({ Value1: 'HelloWorld!', Value2: null })));
        expectLambdaErrorOutput(r.output, 'Exception', 'Some exception was raised.');
      },
    },
  },
  {
    name: 'lambda:invoke Retry then Catch, with $$.State.RetryCount in the payload of each attempt',
    source: `${SCENARIOS} test_lambda_service_invoke_with_retry_extended_input (RetryCount 0..3 in TaskScheduled parameters)`,
    definition: {
      StartAt: 'InvokeLambdaWithRetry',
      States: {
        InvokeLambdaWithRetry: {
          Type: 'Task',
          Resource: INVOKE,
          Parameters: { FunctionName: 'f', Payload: { 'RetryCount.$': '$$.State.RetryCount', 'ThisState.$': '$' } },
          Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 3 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'HandleError' }],
          ResultPath: '$.state_output',
          End: true,
        },
        HandleError: { Type: 'Pass', End: true },
      },
    },
    input: { Value1: 'HelloWorld!' },
    functions: { f: alwaysFails('Exception', 'Some exception was raised.') },
    expect: {
      status: 'SUCCEEDED',
      events: [
        'ExecutionStarted',
        'TaskStateEntered',
        ...[1, 2, 3, 4].flatMap(() => [...serviceAttempt, 'TaskFailed']),
        'TaskStateExited',
        'PassStateEntered',
        'PassStateExited',
        'ExecutionSucceeded',
      ],
      check: (r) => {
        expect(r.calls.f).toEqual([0, 1, 2, 3].map((n) => ({ RetryCount: n, ThisState: { Value1: 'HelloWorld!' } })));
        expectLambdaErrorOutput(r.output, 'Exception', 'Some exception was raised.');
      },
    },
  },
  {
    name: "the error output after retries is the last attempt's error",
    source: `${DOC} (retriers are used first; the matching catcher then handles the error that remains)`,
    definition: {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: fn('f'),
          Retry: [{ ErrorEquals: ['First'], MaxAttempts: 1 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          Next: 'Done',
        },
        Caught: { Type: 'Pass', End: true },
        Done: { Type: 'Pass', End: true },
      },
    },
    functions: {
      f: (_e, call) => {
        throw lambdaError(call.call === 0 ? 'First' : 'Second', `attempt ${call.call}`);
      },
    },
    expect: {
      status: 'SUCCEEDED',
      entered: ['T', 'Caught'],
      check: (r) => {
        expect(r.calls.f).toHaveLength(2);
        expectLambdaErrorOutput(r.output, 'Second', 'attempt 1');
      },
    },
  },
  // ---- $$.State.RetryCount ----------------------------------------------------------------------------
  {
    name: '$$.State.RetryCount in Parameters is 0, 1, 2 on successive attempts',
    source: `${SCENARIOS} test_lambda_invoke_with_retry_extended_input (State.RetryCount per LambdaFunctionScheduled)`,
    definition: retryMachine([{ ErrorEquals: ['Boom'] }], { Parameters: { 'attempt.$': '$$.State.RetryCount' } }),
    functions: { f: failsThen(2, 'done') },
    expect: {
      status: 'SUCCEEDED',
      output: 'done',
      check: (r) => expect(r.calls.f).toEqual([{ attempt: 0 }, { attempt: 1 }, { attempt: 2 }]),
    },
  },
  {
    name: '$$.State.RetryCount is 0 when nothing is retried',
    source: `${SCENARIOS} test_lambda_invoke_with_retry_extended_input (RetryCount 0 on the first attempt)`,
    definition: { StartAt: 'T', States: { T: { Type: 'Task', Resource: fn('f'), Parameters: { 'n.$': '$$.State.RetryCount' }, End: true } } },
    functions: { f: (event) => event },
    expect: { status: 'SUCCEEDED', output: { n: 0 } },
  },
  // ---- Task timeouts ---------------------------------------------------------------------------------
  {
    name: 'TimeoutSeconds on a Lambda task: LambdaFunctionTimedOut and States.Timeout',
    source: `${TIMEOUTS} test_fixed_timeout_lambda`,
    definition: { StartAt: 'Start', States: { Start: { Type: 'Task', Resource: fn('f'), TimeoutSeconds: 2, End: true } } },
    input: { Payload: null },
    functions: { f: sleeps60 },
    expect: {
      status: 'FAILED',
      error: 'States.Timeout',
      events: ['ExecutionStarted', 'TaskStateEntered', ...lambdaAttempt, 'LambdaFunctionTimedOut', 'ExecutionFailed'],
      check: (r) => {
        expect(only(r, 'LambdaFunctionTimedOut').timestamp - only(r, 'LambdaFunctionStarted').timestamp).toBe(2000);
        // a timeout carries no cause
        expect(only(r, 'ExecutionFailed').executionFailedEventDetails).toEqual({ error: 'States.Timeout' });
        expect(only(r, 'LambdaFunctionScheduled').lambdaFunctionScheduledEventDetails).toMatchObject({ timeoutInSeconds: 2 });
      },
    },
  },
  {
    name: 'TimeoutSeconds on lambda:invoke: TaskTimedOut and States.Timeout',
    source: `${TIMEOUTS} test_fixed_timeout_service_lambda`,
    definition: {
      StartAt: 'Start',
      States: {
        Start: { Type: 'Task', Resource: INVOKE, TimeoutSeconds: 5, Parameters: { FunctionName: 'f', 'Payload.$': '$.Payload' }, End: true },
      },
    },
    input: { Payload: null },
    functions: { f: sleeps60 },
    expect: {
      status: 'FAILED',
      error: 'States.Timeout',
      events: ['ExecutionStarted', 'TaskStateEntered', ...serviceAttempt, 'TaskTimedOut', 'ExecutionFailed'],
      check: (r) => {
        expect(only(r, 'TaskTimedOut').timestamp - only(r, 'TaskStarted').timestamp).toBe(5000);
        expect(only(r, 'TaskScheduled').taskScheduledEventDetails).toMatchObject({ timeoutInSeconds: 5 });
        expect(only(r, 'ExecutionFailed').executionFailedEventDetails).toEqual({ error: 'States.Timeout' });
      },
    },
  },
  {
    name: 'TimeoutSecondsPath reads the task timeout from the input',
    source: `${TIMEOUTS} test_fixed_timeout_service_lambda_with_path (timeoutInSeconds taken from the input)`,
    definition: {
      StartAt: 'Start',
      States: {
        Start: {
          Type: 'Task',
          Resource: INVOKE,
          TimeoutSecondsPath: '$.TimeoutSecondsValue',
          Parameters: { FunctionName: 'f', 'Payload.$': '$.Payload' },
          End: true,
        },
      },
    },
    input: { TimeoutSecondsValue: 3, Payload: null },
    functions: { f: sleeps60 },
    expect: {
      status: 'FAILED',
      error: 'States.Timeout',
      events: ['ExecutionStarted', 'TaskStateEntered', ...serviceAttempt, 'TaskTimedOut', 'ExecutionFailed'],
      check: (r) => {
        expect(only(r, 'TaskTimedOut').timestamp - only(r, 'TaskStarted').timestamp).toBe(3000);
        expect(only(r, 'TaskScheduled').taskScheduledEventDetails).toMatchObject({ timeoutInSeconds: 3 });
      },
    },
  },
  {
    name: 'a caught task timeout: error output {Error: States.Timeout, Cause: ""}',
    source: `${SERVICE_LAMBDA} test_invoke_timeout`,
    definition: {
      StartAt: 'Start',
      States: {
        Start: {
          Type: 'Task',
          Resource: INVOKE,
          TimeoutSeconds: 1,
          Parameters: { FunctionName: 'f', 'Payload.$': '$.Payload' },
          Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'EndWithHandler' }],
          Next: 'EndWithFinal',
        },
        EndWithHandler: { Type: 'Pass', ResultPath: '$.error', End: true },
        EndWithFinal: { Type: 'Pass', ResultPath: '$.final', End: true },
      },
    },
    input: { Payload: null },
    functions: { f: sleeps60 },
    expect: {
      status: 'SUCCEEDED',
      output: { Error: 'States.Timeout', Cause: '', error: { Error: 'States.Timeout', Cause: '' } },
      events: [
        'ExecutionStarted',
        'TaskStateEntered',
        ...serviceAttempt,
        'TaskTimedOut',
        'TaskStateExited',
        'PassStateEntered',
        'PassStateExited',
        'ExecutionSucceeded',
      ],
    },
  },
  {
    name: 'Retry on States.Timeout: a timed-out attempt is retried',
    source: `${DOC} (Handling a timeout using Retry)`,
    definition: retryMachine([{ ErrorEquals: ['States.Timeout'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 2.0 }], {
      TimeoutSeconds: 2,
    }),
    functions: {
      f: async (_e, call) => {
        if (call.call === 0) await call.sleep(60_000);
        return 'in time';
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: 'in time',
      events: [
        'ExecutionStarted',
        'TaskStateEntered',
        ...lambdaAttempt,
        'LambdaFunctionTimedOut',
        ...lambdaAttempt,
        'LambdaFunctionSucceeded',
        'TaskStateExited',
        'ExecutionSucceeded',
      ],
      check: (r) => expect(lambdaDelays(r)).toEqual([1000]),
    },
  },
  {
    name: 'a task that finishes within TimeoutSeconds succeeds',
    source: `${SPEC_TASK} (TimeoutSeconds: the task fails with States.Timeout only if it runs longer)`,
    definition: { StartAt: 'T', States: { T: { Type: 'Task', Resource: fn('f'), TimeoutSeconds: 5, End: true } } },
    functions: {
      f: async (_e, call) => {
        await call.sleep(4000);
        return 'ok';
      },
    },
    expect: { status: 'SUCCEEDED', output: 'ok' },
  },
  // ---- Heartbeats and callbacks -----------------------------------------------------------------------
  {
    name: 'heartbeats sent within HeartbeatSeconds keep a callback task alive until SendTaskSuccess',
    source: `${CALLBACK} test_sqs_wait_for_task_tok_with_heartbeat (heartbeats add no events; TaskSubmitted then TaskSucceeded); ${SPEC_TASK} (HeartbeatSeconds)`,
    definition: { StartAt: 'Work', States: { Work: waitTask({ HeartbeatSeconds: 5, TimeoutSeconds: 600, End: true }) } },
    functions: {
      worker: worker(async (token, call) => {
        for (let i = 0; i < 3; i++) {
          await call.sleep(3000);
          call.sendTaskHeartbeat(token);
        }
        await call.sleep(3000);
        call.sendTaskSuccess(token, { done: true });
      }),
    },
    expect: {
      status: 'SUCCEEDED',
      output: { done: true },
      events: [
        'ExecutionStarted',
        'TaskStateEntered',
        ...serviceAttempt,
        'TaskSubmitted',
        'TaskSucceeded',
        'TaskStateExited',
        'ExecutionSucceeded',
      ],
      check: (r) => expect(only(r, 'TaskSucceeded').timestamp - only(r, 'TaskStarted').timestamp).toBe(12000),
    },
  },
  {
    name: 'no heartbeat within HeartbeatSeconds: TaskTimedOut with States.Timeout',
    source: `${HEARTBEATS} test_heartbeat_timeout (the recorded error is States.Timeout); ${SPEC_TASK} ("fails the state with a States.Timeout Error Name")`,
    definition: { StartAt: 'Work', States: { Work: waitTask({ HeartbeatSeconds: 5, TimeoutSeconds: 600, End: true }) } },
    functions: { worker: worker(async () => undefined) },
    expect: {
      status: 'FAILED',
      error: 'States.Timeout',
      events: ['ExecutionStarted', 'TaskStateEntered', ...serviceAttempt, 'TaskSubmitted', 'TaskTimedOut', 'ExecutionFailed'],
      check: (r) => {
        expect(only(r, 'TaskTimedOut').timestamp - only(r, 'TaskStarted').timestamp).toBe(5000);
        expect(only(r, 'TaskScheduled').taskScheduledEventDetails).toMatchObject({ heartbeatInSeconds: 5, timeoutInSeconds: 600 });
      },
    },
  },
  {
    name: 'the heartbeat timer restarts at each heartbeat: one at 3 s, timed out at 8 s',
    source: `${SPEC_TASK} (HeartbeatSeconds: the time allowed between heartbeats); ${HEARTBEATS} test_heartbeat_timeout`,
    definition: { StartAt: 'Work', States: { Work: waitTask({ HeartbeatSeconds: 5, End: true }) } },
    functions: {
      worker: worker(async (token, call) => {
        await call.sleep(3000);
        call.sendTaskHeartbeat(token);
      }),
    },
    expect: {
      status: 'FAILED',
      error: 'States.Timeout',
      check: (r) => expect(only(r, 'TaskTimedOut').timestamp - only(r, 'TaskStarted').timestamp).toBe(8000),
    },
  },
  {
    name: 'a heartbeat timeout is caught by States.HeartbeatTimeout',
    source: `${DOC} (States.HeartbeatTimeout: a Task failed to send a heartbeat for longer than HeartbeatSeconds; usable in Catch and Retry)`,
    definition: {
      StartAt: 'Work',
      States: {
        Work: waitTask({ HeartbeatSeconds: 5, Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], Next: 'OnHeartbeat' }], End: true }),
        OnHeartbeat: { Type: 'Pass', Result: 'worker lost', End: true },
      },
    },
    functions: { worker: worker(async () => undefined) },
    expect: { status: 'SUCCEEDED', output: 'worker lost', entered: ['Work', 'OnHeartbeat'] },
  },
  {
    name: 'a heartbeat timeout is caught by States.Timeout',
    source: `${DOC} (States.Timeout: ran longer than TimeoutSeconds or failed to send a heartbeat within HeartbeatSeconds); ${HEARTBEATS}`,
    definition: {
      StartAt: 'Work',
      States: {
        Work: waitTask({ HeartbeatSeconds: 5, Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'OnTimeout' }], End: true }),
        OnTimeout: { Type: 'Pass', Result: 'timed out', End: true },
      },
    },
    functions: { worker: worker(async () => undefined) },
    expect: { status: 'SUCCEEDED', output: 'timed out', entered: ['Work', 'OnTimeout'] },
  },
  {
    name: 'TimeoutSeconds on a callback task with no answer: TaskTimedOut after TaskSubmitted',
    source: `${CALLBACK} test_sqs_wait_for_task_token_timeout`,
    definition: { StartAt: 'Work', States: { Work: waitTask({ TimeoutSeconds: 5, End: true }) } },
    functions: { worker: worker(async () => undefined) },
    expect: {
      status: 'FAILED',
      error: 'States.Timeout',
      events: ['ExecutionStarted', 'TaskStateEntered', ...serviceAttempt, 'TaskSubmitted', 'TaskTimedOut', 'ExecutionFailed'],
      check: (r) => expect(only(r, 'TaskTimedOut').timestamp - only(r, 'TaskStarted').timestamp).toBe(5000),
    },
  },
  {
    name: 'SendTaskFailure passes its error and cause through to the execution',
    source: `${CALLBACK} test_sqs_failure_in_wait_for_task_token`,
    definition: { StartAt: 'Work', States: { Work: waitTask({ End: true }) } },
    functions: {
      worker: worker(async (token, call) => {
        await call.sleep(1000);
        call.sendTaskFailure(token, 'Failure error', 'Failure cause');
      }),
    },
    expect: {
      status: 'FAILED',
      error: 'Failure error',
      cause: 'Failure cause',
      events: ['ExecutionStarted', 'TaskStateEntered', ...serviceAttempt, 'TaskSubmitted', 'TaskFailed', 'ExecutionFailed'],
    },
  },
  {
    name: 'a SendTaskFailure error is caught by its name; the error output has its cause',
    source: `${CALLBACK} test_sqs_failure_in_wait_for_task_token (error and cause as sent); ${DOC} (Error output)`,
    definition: {
      StartAt: 'Work',
      States: {
        Work: waitTask({ Catch: [{ ErrorEquals: ['Failure error'], Next: 'Handled' }], End: true }),
        Handled: { Type: 'Pass', End: true },
      },
    },
    functions: {
      worker: worker(async (token, call) => {
        await call.sleep(1000);
        call.sendTaskFailure(token, 'Failure error', 'Failure cause');
      }),
    },
    expect: { status: 'SUCCEEDED', output: { Error: 'Failure error', Cause: 'Failure cause' }, entered: ['Work', 'Handled'] },
  },
  {
    name: 'the SendTaskSuccess output is the task result',
    source: `${CALLBACK} test_sqs_wait_for_task_token (TaskSucceeded output is the output sent)`,
    definition: { StartAt: 'Work', States: { Work: waitTask({ ResultPath: '$.reply', End: true }) } },
    input: { id: 1 },
    functions: {
      worker: worker(async (token, call) => {
        await call.sleep(1000);
        call.sendTaskSuccess(token, { approved: true });
      }),
    },
    expect: { status: 'SUCCEEDED', output: { id: 1, reply: { approved: true } } },
  },
  // ---- State machine TimeoutSeconds ------------------------------------------------------------------
  {
    name: 'state machine TimeoutSeconds ends the execution TIMED_OUT',
    source: `${TIMEOUTS} test_global_timeout (describe_execution status TIMED_OUT); https://states-language.net/spec.html#toplevelfields (TimeoutSeconds)`,
    definition: { TimeoutSeconds: 1, StartAt: 'WaitState', States: { WaitState: { Type: 'Wait', Seconds: 60, End: true } } },
    expect: {
      status: 'TIMED_OUT',
      check: (r) => {
        const last = r.history[r.history.length - 1];
        expect(last.type).toBe('ExecutionTimedOut');
        expect(last.timestamp - r.history[0].timestamp).toBe(1000);
        expect(byType(r, 'WaitStateExited')).toHaveLength(0);
      },
    },
  },
  // ---- States.DataLimitExceeded ------------------------------------------------------------------------
  {
    name: 'a Lambda result over 256 KB fails the task with States.DataLimitExceeded, caught by name',
    source: `${STATES_ERRORS} test_task_lambda_data_limit_exceeded_on_large_utf8_response`,
    definition: {
      StartAt: 'InvokeLambda',
      States: {
        InvokeLambda: {
          Type: 'Task',
          Resource: fn('big'),
          Next: 'ProcessResult',
          Catch: [
            { ErrorEquals: ['States.DataLimitExceeded'], Next: 'HandleDataLimitExceeded' },
            { ErrorEquals: ['States.ALL'], Next: 'HandleGeneralError' },
          ],
        },
        ProcessResult: { Type: 'Pass', End: true },
        HandleDataLimitExceeded: { Type: 'Pass', End: true },
        HandleGeneralError: { Type: 'Pass', End: true },
      },
    },
    functions: { big: () => BIG },
    expect: {
      status: 'SUCCEEDED',
      output: { Error: 'States.DataLimitExceeded', Cause: dataLimitCause(fn('big')) },
      entered: ['InvokeLambda', 'HandleDataLimitExceeded'],
      events: [
        'ExecutionStarted',
        'TaskStateEntered',
        ...lambdaAttempt,
        'LambdaFunctionFailed',
        'TaskStateExited',
        'PassStateEntered',
        'PassStateExited',
        'ExecutionSucceeded',
      ],
    },
  },
  {
    name: 'States.DataLimitExceeded from a Lambda task is caught by States.ALL (recorded, despite the guide)',
    source: `${STATES_ERRORS} test_task_lambda_catch_state_all_data_limit_exceeded_on_large_utf8_response (recorded AWS wins over ${DOC}, which says States.ALL cannot catch it)`,
    definition: {
      StartAt: 'InvokeLambda',
      States: {
        InvokeLambda: { Type: 'Task', Resource: fn('big'), Next: 'ProcessResult', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'HandleGeneralError' }] },
        ProcessResult: { Type: 'Pass', End: true },
        HandleGeneralError: { Type: 'Pass', End: true },
      },
    },
    functions: { big: () => BIG },
    expect: {
      status: 'SUCCEEDED',
      output: { Error: 'States.DataLimitExceeded', Cause: dataLimitCause(fn('big')) },
      entered: ['InvokeLambda', 'HandleGeneralError'],
    },
  },
  {
    name: 'lambda:invoke with a result over 256 KB: TaskFailed, cause names the "lambda" task',
    source: `${STATES_ERRORS} test_service_task_lambada_data_limit_exceeded_on_large_utf8_response`,
    definition: {
      StartAt: 'InvokeLambda',
      States: {
        InvokeLambda: {
          Type: 'Task',
          Resource: INVOKE,
          Parameters: { FunctionName: 'big', 'Payload.$': '$.Payload' },
          Next: 'ProcessResult',
          Catch: [
            { ErrorEquals: ['States.DataLimitExceeded'], Next: 'HandleDataLimitExceeded' },
            { ErrorEquals: ['States.ALL'], Next: 'HandleGeneralError' },
          ],
        },
        ProcessResult: { Type: 'Pass', End: true },
        HandleDataLimitExceeded: { Type: 'Pass', End: true },
        HandleGeneralError: { Type: 'Pass', End: true },
      },
    },
    input: { Payload: null },
    functions: { big: () => BIG },
    expect: {
      status: 'SUCCEEDED',
      output: { Error: 'States.DataLimitExceeded', Cause: dataLimitCause('lambda') },
      events: [
        'ExecutionStarted',
        'TaskStateEntered',
        ...serviceAttempt,
        'TaskFailed',
        'TaskStateExited',
        'PassStateEntered',
        'PassStateExited',
        'ExecutionSucceeded',
      ],
    },
  },
  {
    name: 'lambda:invoke States.DataLimitExceeded is caught by States.ALL',
    source: `${STATES_ERRORS} test_service_task_lambada_catch_state_all_data_limit_exceeded_on_large_utf8_response`,
    definition: {
      StartAt: 'InvokeLambda',
      States: {
        InvokeLambda: {
          Type: 'Task',
          Resource: INVOKE,
          Parameters: { FunctionName: 'big', 'Payload.$': '$.Payload' },
          Next: 'ProcessResult',
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'HandleGeneralError' }],
        },
        ProcessResult: { Type: 'Pass', End: true },
        HandleGeneralError: { Type: 'Pass', End: true },
      },
    },
    input: { Payload: null },
    functions: { big: () => BIG },
    expect: {
      status: 'SUCCEEDED',
      output: { Error: 'States.DataLimitExceeded', Cause: dataLimitCause('lambda') },
      entered: ['InvokeLambda', 'HandleGeneralError'],
    },
  },
  {
    name: 'an uncaught States.DataLimitExceeded fails the execution',
    source: `${STATES_ERRORS} test_task_lambda_data_limit_exceeded_on_large_utf8_response (error and cause)`,
    definition: { StartAt: 'InvokeLambda', States: { InvokeLambda: { Type: 'Task', Resource: fn('big'), End: true } } },
    functions: { big: () => BIG },
    expect: {
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause: dataLimitCause(fn('big')),
      events: ['ExecutionStarted', 'TaskStateEntered', ...lambdaAttempt, 'LambdaFunctionFailed', 'ExecutionFailed'],
    },
  },
  {
    name: 'a Pass state whose result is over 256 KB fails the execution right after PassStateEntered',
    source: `${STATES_ERRORS} test_start_large_input`,
    definition: { StartAt: 'State_1', States: { State_1: { Type: 'Pass', Result: { Arg1: BIG }, End: true } } },
    expect: {
      status: 'FAILED',
      error: 'States.DataLimitExceeded',
      cause: dataLimitCause('State_1'),
      events: ['ExecutionStarted', 'PassStateEntered', 'ExecutionFailed'],
    },
  },
  // ---- States.Runtime ---------------------------------------------------------------------------------
  {
    name: 'a bad OutputPath raises States.Runtime, which a Catch on States.Runtime does not catch',
    source: `${SCENARIOS} test_catch_states_runtime`,
    definition: {
      StartAt: 'RaiseRuntime',
      States: {
        RaiseRuntime: {
          Type: 'Task',
          Resource: fn('f'),
          OutputPath: '$.no.such.result.path',
          Catch: [{ ErrorEquals: ['States.Runtime'], Next: 'CaughtRuntime' }],
          Next: 'Final',
        },
        CaughtRuntime: { Type: 'Pass', End: true },
        Final: { Type: 'Pass', End: true },
      },
    },
    functions: { f: (event) => event },
    expect: {
      status: 'FAILED',
      error: 'States.Runtime',
      cause:
        "An error occurred while executing the state 'RaiseRuntime' (entered at the event id #2). Invalid path '$.no.such.result.path' : Missing property in path $['no']",
      events: ['ExecutionStarted', 'TaskStateEntered', ...lambdaAttempt, 'LambdaFunctionSucceeded', 'ExecutionFailed'],
    },
  },
  {
    name: 'States.Runtime is neither retried nor caught by States.ALL',
    source: `${DOC} (States.Runtime: not retriable; a retry or catch on States.ALL does not catch it); ${SCENARIOS} test_catch_states_runtime (message form)`,
    definition: {
      StartAt: 'RaiseRuntime',
      States: {
        RaiseRuntime: {
          Type: 'Task',
          Resource: fn('f'),
          OutputPath: '$.no.such.result.path',
          Retry: [{ ErrorEquals: ['States.ALL'] }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    },
    functions: { f: (event) => event },
    expect: {
      status: 'FAILED',
      error: 'States.Runtime',
      cause: /Invalid path '\$\.no\.such\.result\.path' : Missing property in path \$\['no'\]/,
      entered: ['RaiseRuntime'],
      check: (r) => expect(r.calls.f).toHaveLength(1),
    },
  },
  {
    name: 'a ResultPath that cannot be applied to an array input fails with States.ResultPathMatchFailure (unverified)',
    source: `${DOC} (States.ResultPathMatchFailure: failed to apply a state's ResultPath to the input it received); not recorded`,
    definition: { StartAt: 'T', States: { T: { Type: 'Task', Resource: fn('f'), ResultPath: '$.result', End: true } } },
    input: [1, 2],
    functions: { f: () => 'r' },
    expect: { status: 'FAILED', error: 'States.ResultPathMatchFailure' },
  },
];

