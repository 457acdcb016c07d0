/**
 * Execution histories exactly as AWS records them: each case replays one `get_execution_history`
 * that LocalStack recorded against real AWS and compares the whole event list, field by field
 * (every field but `timestamp`): `id`, `previousEventId`, `type` and the `*EventDetails` object.
 *
 * The snapshots show JSON text fields (`input`, `output`, `parameters`, a JSON `cause`, the values
 * of `assignedVariables`) parsed, so `normalize` parses ours the same way before comparing. The
 * snapshots replace ARNs and ids with placeholders; the expected values below use the harness's
 * names instead (us-east-1, account 123456789012, machine and execution `conformance`, role
 * `conformance`) and match what a double cannot reproduce (request ids, dates) loosely.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html
 */
import type { CaseResult, ConformanceCase, FunctionDouble } from '../case';
import { lambdaError } from '../case';
import type { HistoryEvent } from '../../../local/interpreter/history';

const REC = 'recorded AWS: localstack tests/aws/services/stepfunctions/v2';
const BASE = `${REC}/base/test_base.snapshot.json`;
const WAIT = `${REC}/base/test_wait.snapshot.json`;
const SCENARIOS = `${REC}/scenarios/test_base_scenarios.snapshot.json`;
const TASK_LAMBDA = `${REC}/error_handling/test_task_lambda.snapshot.json`;
const SERVICE_LAMBDA = `${REC}/error_handling/test_task_service_lambda.snapshot.json`;
const LAMBDA_TASK = `${REC}/services/test_lambda_task.snapshot.json`;
const LAMBDA_TASK_SERVICE = `${REC}/services/test_lambda_task_service.snapshot.json`;
const TIMEOUTS = `${REC}/timeouts/test_timeouts.snapshot.json`;
const CALLBACK = `${REC}/callback/test_callback.snapshot.json`;
const ASSIGN = `${REC}/assign/test_assign_base.snapshot.json`;
const EVAL_JSONATA = `${REC}/evaluate_jsonata/test_base_evaluate_expressions.snapshot.json`;
const JSON_MANIPULATION = `${REC}/intrinsic_functions/test_json_manipulation.snapshot.json`;

const REGION = 'us-east-1';
const ROLE = 'arn:aws:iam::123456789012:role/conformance';
const MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:conformance';
const EXECUTION_ARN = 'arn:aws:states:us-east-1:123456789012:execution:conformance:conformance';
const INVOKE = 'arn:aws:states:::lambda:invoke';
const fn = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

// ---- Lambda doubles -----------------------------------------------------------------------------
const echo: FunctionDouble = (event) => event;
const returns =
  (value: unknown): FunctionDouble =>
  () =>
    value;
/** The recorded functions raise `Exception("Some exception was raised.")`. */
const raises: FunctionDouble = () => {
  throw lambdaError('Exception', 'Some exception was raised.');
};
/** The recorded function sleeps 60 s, past every task timeout used here. */
const sleeps60: FunctionDouble = async (_event, call) => {
  await call.sleep(60_000);
  return {};
};
const RAISED = 'Some exception was raised.';

// ---- Comparing a history ------------------------------------------------------------------------
type Ev = Record<string, unknown>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Details as the snapshots show them: JSON text fields parsed. */
function parseDetails(d: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...d };
  for (const key of ['input', 'output', 'parameters']) if (typeof out[key] === 'string') out[key] = parseJson(out[key] as string);
  // A Lambda function error's cause is the function's error JSON; the snapshots show it parsed.
  if (typeof out.cause === 'string' && out.cause.trimStart().startsWith('{')) out.cause = parseJson(out.cause);
  if (out.assignedVariables && typeof out.assignedVariables === 'object') {
    out.assignedVariables = Object.fromEntries(
      Object.entries(out.assignedVariables as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? parseJson(v) : v]),
    );
  }
  return out;
}

/** Our history without timestamps, JSON text parsed. */
function normalize(history: readonly HistoryEvent[]): Ev[] {
  return history.map(({ timestamp: _timestamp, ...event }) =>
    Object.fromEntries(
      Object.entries(event).map(([k, v]) => [k, k.endsWith('EventDetails') && v && typeof v === 'object' ? parseDetails(v as Record<string, unknown>) : v]),
    ),
  );
}

const history =
  (expected: () => Ev[]) =>
  (r: CaseResult): void => {
    expect(normalize(r.history)).toEqual(expected());
  };

// ---- Building expected events -------------------------------------------------------------------
const T = { truncated: false };
const ev = (id: number, previousEventId: number, type: string, details: Record<string, unknown> = {}): Ev => ({ id, previousEventId, type, ...details });
const started = (input: unknown): Ev => ev(1, 0, 'ExecutionStarted', { executionStartedEventDetails: { input, inputDetails: T, roleArn: ROLE } });
const entered = (id: number, prev: number, kind: string, name: string, input: unknown): Ev =>
  ev(id, prev, `${kind}StateEntered`, { stateEnteredEventDetails: { input, inputDetails: T, name } });
const exited = (id: number, prev: number, kind: string, name: string, output: unknown, assignedVariables?: Record<string, unknown>): Ev =>
  ev(id, prev, `${kind}StateExited`, {
    stateExitedEventDetails: { name, output, outputDetails: T, ...(assignedVariables ? { assignedVariables, assignedVariablesDetails: T } : {}) },
  });
const succeeded = (id: number, prev: number, output: unknown): Ev => ev(id, prev, 'ExecutionSucceeded', { executionSucceededEventDetails: { output, outputDetails: T } });
const failed = (id: number, prev: number, details: { error?: unknown; cause?: unknown }): Ev => ev(id, prev, 'ExecutionFailed', { executionFailedEventDetails: details });

const lambdaScheduled = (id: number, prev: number, input: unknown, name = 'f', extra: Record<string, unknown> = {}): Ev =>
  ev(id, prev, 'LambdaFunctionScheduled', { lambdaFunctionScheduledEventDetails: { input, inputDetails: T, resource: fn(name), ...extra } });
const lambdaStarted = (id: number, prev: number): Ev => ev(id, prev, 'LambdaFunctionStarted');
const lambdaSucceeded = (id: number, prev: number, output: unknown): Ev => ev(id, prev, 'LambdaFunctionSucceeded', { lambdaFunctionSucceededEventDetails: { output, outputDetails: T } });
const lambdaFailed = (id: number, prev: number, error: string, cause: unknown): Ev => ev(id, prev, 'LambdaFunctionFailed', { lambdaFunctionFailedEventDetails: { cause, error } });

/** `arn:aws:states:::lambda:<resource>` is recorded as resource `<resource>`, resourceType `lambda`. */
const svc = (resource = 'invoke') => ({ resource, resourceType: 'lambda' });
const taskScheduled = (id: number, prev: number, parameters: unknown, extra: Record<string, unknown> = {}, resource = 'invoke'): Ev =>
  ev(id, prev, 'TaskScheduled', { taskScheduledEventDetails: { parameters, region: REGION, ...svc(resource), ...extra } });
const taskStarted = (id: number, prev: number, resource = 'invoke'): Ev => ev(id, prev, 'TaskStarted', { taskStartedEventDetails: svc(resource) });
const taskSucceeded = (id: number, prev: number, output: unknown, resource = 'invoke'): Ev =>
  ev(id, prev, 'TaskSucceeded', { taskSucceededEventDetails: { output, outputDetails: T, ...svc(resource) } });
const taskFailed = (id: number, prev: number, error: string, cause: unknown): Ev => ev(id, prev, 'TaskFailed', { taskFailedEventDetails: { cause, error, ...svc() } });
const taskTimedOut = (id: number, prev: number): Ev => ev(id, prev, 'TaskTimedOut', { taskTimedOutEventDetails: { error: 'States.Timeout', ...svc() } });

const mapStarted = (id: number, prev: number, length: number): Ev => ev(id, prev, 'MapStateStarted', { mapStateStartedEventDetails: { length } });
const iteration = (outcome: 'Started' | 'Succeeded' | 'Failed', id: number, prev: number, name: string, index: number): Ev =>
  ev(id, prev, `MapIteration${outcome}`, { [`mapIteration${outcome}EventDetails`]: { index, name } });

/**
 * The events of an inline Map with MaxConcurrency 1 whose iterator is one Pass state, as recorded:
 * each MapIterationStarted after the first points at the previous iteration's PassStateExited,
 * not at its MapIterationSucceeded. Returns the events from the first MapIterationStarted on.
 */
function passIterations(firstId: number, mapStartedId: number, map: string, inner: string, inputs: unknown[], assigned?: (i: number) => Record<string, unknown>): Ev[] {
  const events: Ev[] = [];
  inputs.forEach((item, i) => {
    const base = firstId + 4 * i;
    events.push(
      iteration('Started', base, i === 0 ? mapStartedId : base - 2, map, i),
      entered(base + 1, base, 'Pass', inner, item),
      exited(base + 2, base + 1, 'Pass', inner, item, assigned?.(i)),
      iteration('Succeeded', base + 3, base + 2, map, i),
    );
  });
  return events;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A Lambda function error's Cause, parsed: errorType and errorMessage are the function's. The
 * recorded functions run on Python (which adds requestId and stackTrace); a double cannot give the
 * same requestId or trace, so the rest is matched loosely.
 */
const lambdaCause = (errorType: string, errorMessage: string) => expect.objectContaining({ errorMessage, errorType });
/** The same Cause as text inside an error output (`{"Error", "Cause"}`), matched loosely the same way. */
const lambdaCauseText = (errorType: string, errorMessage: string) =>
  expect.stringMatching(new RegExp(`^\\{(?=.*"errorMessage": ?"${escapeRe(errorMessage)}")(?=.*"errorType": ?"${escapeRe(errorType)}")`, 's'));

/**
 * The result of `lambda:invoke` as recorded: the Invoke response with its HTTP metadata. Request
 * ids, trace ids and dates cannot be reproduced and are matched loosely; the rest is exact
 * (Content-Length is the length of the function's JSON result).
 */
const invokeResult = (payload: unknown, contentLength: number) => ({
  ExecutedVersion: '$LATEST',
  Payload: payload,
  SdkHttpMetadata: {
    AllHttpHeaders: {
      'X-Amz-Executed-Version': ['$LATEST'],
      'x-amzn-Remapped-Content-Length': ['0'],
      Connection: ['keep-alive'],
      'x-amzn-RequestId': [expect.any(String)],
      'Content-Length': [String(contentLength)],
      Date: expect.anything(),
      'X-Amzn-Trace-Id': expect.anything(),
      'Content-Type': ['application/json'],
    },
    HttpHeaders: {
      Connection: 'keep-alive',
      'Content-Length': String(contentLength),
      'Content-Type': 'application/json',
      Date: expect.any(String),
      'X-Amz-Executed-Version': '$LATEST',
      'x-amzn-Remapped-Content-Length': '0',
      'x-amzn-RequestId': expect.any(String),
      'X-Amzn-Trace-Id': expect.any(String),
    },
    HttpStatusCode: 200,
  },
  SdkResponseMetadata: { RequestId: expect.any(String) },
  StatusCode: 200,
});

// ---- Definitions used more than once ------------------------------------------------------------
const SOME_FAILURE = "This state machines raises a 'SomeFailure' failure.";
/** The recorded `Task` with Parameters `FunctionName.$`/`Payload.$` and the "catch relevant" handlers. */
const catchRelevant = (resource: string): Record<string, unknown> => ({
  StartAt: 'Start',
  States: {
    Start: {
      Type: 'Task',
      Resource: resource,
      Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' },
      Catch: [
        { ErrorEquals: ['Lambda.Unknown'], Next: 'EndWithLambdaUnknownHandler' },
        { ErrorEquals: ['States.TaskFailed'], Next: 'EndWithStateTaskFailedHandler' },
        { ErrorEquals: ['States.ALL'], Next: 'EndWithAllHandler' },
      ],
      Next: 'EndWithFinal',
    },
    EndWithLambdaUnknownHandler: { Type: 'Pass', ResultPath: '$.lambda_unknown', End: true },
    EndWithStateTaskFailedHandler: { Type: 'Pass', ResultPath: '$.task_failed_error', End: true },
    EndWithAllHandler: { Type: 'Pass', ResultPath: '$.all_error', End: true },
    EndWithFinal: { Type: 'Pass', ResultPath: '$.final', End: true },
  },
});
/** The recorded "catch unknown" machine: only Lambda.Unknown is caught. */
const catchUnknown = (resource: string): Record<string, unknown> => ({
  StartAt: 'Start',
  States: {
    Start: {
      Type: 'Task',
      Resource: resource,
      Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' },
      Catch: [{ ErrorEquals: ['Lambda.Unknown'], Next: 'EndWithHandler' }],
      Next: 'EndWithFinal',
    },
    EndWithHandler: { Type: 'Pass', ResultPath: '$.error', End: true },
    EndWithFinal: { Type: 'Pass', ResultPath: '$.final', End: true },
  },
});
/** The recorded services `LAMBDA_INVOKE` machine. */
const lambdaInvoke: Record<string, unknown> = {
  StartAt: 'Start',
  States: {
    Start: { Type: 'Task', Resource: INVOKE, Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' }, Next: 'EndWithFinal' },
    EndWithFinal: { Type: 'Pass', ResultPath: '$.final', End: true },
  },
};
const inlineMap = (extra: Record<string, unknown>, inner: Record<string, unknown>, startAt: string): Record<string, unknown> => ({
  Type: 'Map',
  MaxConcurrency: 1,
  ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: startAt, States: inner },
  ...extra,
});

const ARR8 = [1, 'Hello', {}, null, 3.3, 3, 4, 5];
const ARR7 = [1, 'Hello', {}, 3.3, 3, 4, 5];
const SHIPPED = { 'delivery-partner': 'UQS', shipped: ['A', 'B', 'C'] };
const selected = (i: number) => ({ constant_value: 'HelloWorld', iteration_input_value: SHIPPED.shipped[i], from_input_constant: 'UQS', iteration_index: i, original_input: SHIPPED });
const LAMBDA_INPUT = { FunctionName: 'f', Payload: null };

export const cases: ConformanceCase[] = [
  // ---- Fail and Pass ------------------------------------------------------------------------------
  {
    name: 'Fail with Error and Cause',
    source: `${BASE} test_state_fail`,
    definition: { StartAt: 'FailState', States: { FailState: { Type: 'Fail', Error: 'SomeFailure', Cause: SOME_FAILURE } } },
    expect: {
      status: 'FAILED',
      check: history(() => [started({}), entered(2, 0, 'Fail', 'FailState', {}), failed(3, 2, { cause: SOME_FAILURE, error: 'SomeFailure' })]),
    },
  },
  {
    name: 'Fail with ErrorPath and CausePath',
    source: `${BASE} test_state_fail_path`,
    definition: { StartAt: 'FailState', States: { FailState: { Type: 'Fail', ErrorPath: '$.Error', CausePath: '$.Cause' } } },
    input: { Error: 'error string', Cause: 'cause string' },
    expect: {
      status: 'FAILED',
      check: history(() => {
        const input = { Error: 'error string', Cause: 'cause string' };
        return [started(input), entered(2, 0, 'Fail', 'FailState', input), failed(3, 2, { cause: 'cause string', error: 'error string' })];
      }),
    },
  },
  {
    name: 'Fail with intrinsic functions in ErrorPath and CausePath',
    source: `${BASE} test_state_fail_intrinsic`,
    definition: {
      StartAt: 'FailState',
      States: {
        FailState: {
          Type: 'Fail',
          ErrorPath: "States.Format('{}', $.Error)",
          CausePath: "States.Format('This is a custom error message for {}, caused by {}.', $.Error, $.Cause)",
        },
      },
    },
    input: { Error: 'error string', Cause: 'cause string' },
    expect: {
      status: 'FAILED',
      check: history(() => {
        const input = { Error: 'error string', Cause: 'cause string' };
        return [
          started(input),
          entered(2, 0, 'Fail', 'FailState', input),
          failed(3, 2, { cause: 'This is a custom error message for error string, caused by cause string.', error: 'error string' }),
        ];
      }),
    },
  },
  {
    name: 'Fail without Error or Cause records empty executionFailedEventDetails',
    source: `${BASE} test_state_fail_empty`,
    definition: { StartAt: 'FailState', States: { FailState: { Type: 'Fail' } } },
    expect: { status: 'FAILED', check: history(() => [started({}), entered(2, 0, 'Fail', 'FailState', {}), failed(3, 2, {})]) },
  },
  {
    name: 'Pass with Result',
    source: `${BASE} test_state_pass_result`,
    definition: { StartAt: 'State_1', States: { State_1: { Type: 'Pass', Result: { Arg1: 'argument1' }, End: true } } },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => [
        started({}),
        entered(2, 0, 'Pass', 'State_1', {}),
        exited(3, 2, 'Pass', 'State_1', { Arg1: 'argument1' }),
        succeeded(4, 3, { Arg1: 'argument1' }),
      ]),
    },
  },
  {
    name: 'Pass Result keys ending in .$ stay literal',
    source: `${BASE} test_state_pass_result_jsonpaths`,
    definition: { StartAt: 'State_1', States: { State_1: { Type: 'Pass', Result: { 'unsupported1.$': '$.jsonpath', 'unsupported2.$': '$$' }, End: true } } },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const out = { 'unsupported1.$': '$.jsonpath', 'unsupported2.$': '$$' };
        return [started({}), entered(2, 0, 'Pass', 'State_1', {}), exited(3, 2, 'Pass', 'State_1', out), succeeded(4, 3, out)];
      }),
    },
  },
  {
    name: 'Pass with Parameters, InputPath null and OutputPath null',
    source: `${BASE} test_state_pass_result_null_input_output_paths`,
    definition: {
      StartAt: 'State0',
      States: {
        State0: { Type: 'Pass', Parameters: { Arg1: 'argument1', 'FromInput.$': '$' }, Next: 'State1' },
        State1: { Type: 'Pass', InputPath: null, Parameters: { Arg2: 'argument2', 'FromInput.$': '$' }, Next: 'State2' },
        State2: { Type: 'Pass', OutputPath: null, End: true },
      },
    },
    input: { InputValue: 0 },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const s1 = { Arg1: 'argument1', FromInput: { InputValue: 0 } };
        const s2 = { Arg2: 'argument2', FromInput: {} };
        return [
          started({ InputValue: 0 }),
          entered(2, 0, 'Pass', 'State0', { InputValue: 0 }),
          exited(3, 2, 'Pass', 'State0', s1),
          entered(4, 3, 'Pass', 'State1', s1),
          exited(5, 4, 'Pass', 'State1', s2),
          entered(6, 5, 'Pass', 'State2', s2),
          exited(7, 6, 'Pass', 'State2', {}),
          succeeded(8, 7, {}),
        ];
      }),
    },
  },
  {
    name: 'Pass with a JSONPath filter expression in Parameters',
    source: `${BASE} test_state_pass_regex_json_path_base`,
    definition: { StartAt: 'State0', States: { State0: { Type: 'Pass', Parameters: { 'FromInput.$': '$.users[?(@.status == 0)]' }, End: true } } },
    input: { users: [{ year: 1997, status: 0 }, { year: 1998, status: 1 }] },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const input = { users: [{ year: 1997, status: 0 }, { year: 1998, status: 1 }] };
        const out = { FromInput: [{ year: 1997, status: 0 }] };
        return [started(input), entered(2, 0, 'Pass', 'State0', input), exited(3, 2, 'Pass', 'State0', out), succeeded(4, 3, out)];
      }),
    },
  },
  {
    name: 'a machine declaring Version 1.0',
    source: `${BASE} test_decl_version_1_0`,
    definition: { StartAt: 'State_1', Version: '1.0', States: { State_1: { Type: 'Pass', End: true } } },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => [started({}), entered(2, 0, 'Pass', 'State_1', {}), exited(3, 2, 'Pass', 'State_1', {}), succeeded(4, 3, {})]),
    },
  },
  // ---- Wait ---------------------------------------------------------------------------------------
  {
    name: 'Wait TimestampPath to a UTC timestamp that has come',
    source: `${WAIT} test_wait_timestamppath[Z] (the recorded timestamp was the time of the call; here the execution's start)`,
    definition: { StartAt: 'State_1', States: { State_1: { Type: 'Wait', TimestampPath: '$.start_at', End: true } } },
    input: { start_at: '2025-01-01T00:00:00Z' },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const input = { start_at: '2025-01-01T00:00:00Z' };
        return [started(input), entered(2, 0, 'Wait', 'State_1', input), exited(3, 2, 'Wait', 'State_1', input), succeeded(4, 3, input)];
      }),
    },
  },
  {
    name: 'Wait TimestampPath without a zone fails with States.Runtime',
    source: `${WAIT} test_wait_timestamppath[]`,
    definition: { StartAt: 'State_1', States: { State_1: { Type: 'Wait', TimestampPath: '$.start_at', End: true } } },
    input: { start_at: '2025-01-01T00:00:00' },
    expect: {
      status: 'FAILED',
      check: history(() => {
        const input = { start_at: '2025-01-01T00:00:00' };
        return [
          started(input),
          entered(2, 0, 'Wait', 'State_1', input),
          failed(3, 2, {
            cause:
              "An error occurred while executing the state 'State_1' (entered at the event id #2). The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.start_at == 2025-01-01T00:00:00",
            error: 'States.Runtime',
          }),
        ];
      }),
    },
  },
  // ---- Choice -------------------------------------------------------------------------------------
  {
    name: 'Choice with a singleton And',
    source: `${SCENARIOS} test_choice_singleton_composite`,
    definition: {
      StartAt: 'ChoiceStateX',
      States: {
        ChoiceStateX: { Type: 'Choice', Choices: [{ And: [{ Variable: '$.type', StringEquals: 'Public' }], Next: 'Public' }], Default: 'DefaultState' },
        Public: { Type: 'Pass', End: true },
        DefaultState: { Type: 'Fail', Cause: 'No Matches!' },
      },
    },
    input: { type: 'Public', value: 22 },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const v = { type: 'Public', value: 22 };
        return [
          started(v),
          entered(2, 0, 'Choice', 'ChoiceStateX', v),
          exited(3, 2, 'Choice', 'ChoiceStateX', v),
          entered(4, 3, 'Pass', 'Public', v),
          exited(5, 4, 'Pass', 'Public', v),
          succeeded(6, 5, v),
        ];
      }),
    },
  },
  // ---- Parallel -----------------------------------------------------------------------------------
  {
    name: 'Parallel of four Pass branches (branch events in any order)',
    source: `${SCENARIOS} test_parallel_state_order (the recording masks the ids of branch events, whose order varies, and omits event 12)`,
    definition: {
      StartAt: 'StartState',
      States: {
        StartState: {
          Type: 'Parallel',
          End: true,
          Branches: [0, 1, 2, 3].map((i) => ({ StartAt: `Branch${i}`, States: { [`Branch${i}`]: { Type: 'Pass', Result: { branch: i }, End: true } } })),
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const events = normalize(r.history);
        expect(events).toHaveLength(14);
        expect(events.slice(0, 3)).toEqual([started({}), entered(2, 0, 'Parallel', 'StartState', {}), ev(3, 2, 'ParallelStateStarted')]);
        // Key order is not part of an event: compare with keys sorted.
        const canonical = (v: unknown): unknown => (Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v);
        const strip = (e: Ev) => JSON.stringify(canonical({ ...e, id: undefined, previousEventId: undefined }));
        const branches = [0, 1, 2, 3].flatMap((i) => [entered(0, 0, 'Pass', `Branch${i}`, {}), exited(0, 0, 'Pass', `Branch${i}`, { branch: i })]);
        expect(events.slice(3, 11).map(strip).sort()).toEqual(branches.map(strip).sort());
        const out = [{ branch: 0 }, { branch: 1 }, { branch: 2 }, { branch: 3 }];
        expect(events.slice(12)).toEqual([exited(13, 11, 'Parallel', 'StartState', out), succeeded(14, 13, out)]);
      },
    },
  },
  {
    name: 'Parallel whose branch fails',
    source: `${SCENARIOS} test_parallel_state_fail`,
    definition: {
      StartAt: 'ParallelState',
      States: { ParallelState: { Type: 'Parallel', End: true, Branches: [{ StartAt: 'Branch1', States: { Branch1: { Type: 'Fail', Error: 'FailureType' } } }] } },
    },
    expect: {
      status: 'FAILED',
      check: history(() => [
        started({}),
        entered(2, 0, 'Parallel', 'ParallelState', {}),
        ev(3, 2, 'ParallelStateStarted'),
        entered(4, 3, 'Fail', 'Branch1', {}),
        ev(5, 4, 'ParallelStateFailed'),
        failed(6, 5, { error: 'FailureType' }),
      ]),
    },
  },
  {
    name: 'Parallel failure caught',
    source: `${SCENARIOS} test_parallel_state_catch`,
    definition: {
      StartAt: 'ParallelState',
      States: {
        ParallelState: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Branch1', States: { Branch1: { Type: 'Fail', Error: 'FailureType', Cause: 'Cause description' } } }],
          Catch: [{ ErrorEquals: ['FailureType'], Next: 'FinalCaught' }],
          Next: 'Final',
        },
        FinalCaught: { Type: 'Pass', End: true },
        Final: { Type: 'Pass', End: true },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const err = { Error: 'FailureType', Cause: 'Cause description' };
        return [
          started({}),
          entered(2, 0, 'Parallel', 'ParallelState', {}),
          ev(3, 2, 'ParallelStateStarted'),
          entered(4, 3, 'Fail', 'Branch1', {}),
          ev(5, 4, 'ParallelStateFailed'),
          exited(6, 5, 'Parallel', 'ParallelState', err),
          entered(7, 6, 'Pass', 'FinalCaught', err),
          exited(8, 7, 'Pass', 'FinalCaught', err),
          succeeded(9, 8, err),
        ];
      }),
    },
  },
  {
    name: 'Parallel retried: a new ParallelStateStarted per attempt',
    source: `${SCENARIOS} test_parallel_state_retry (three attempts recorded: MaxAttempts 2)`,
    definition: {
      StartAt: 'ParallelState',
      States: {
        ParallelState: {
          Type: 'Parallel',
          End: true,
          Branches: [{ StartAt: 'Branch1', States: { Branch1: { Type: 'Fail', Error: 'FailureType', Cause: 'Cause description' } } }],
          Retry: [{ ErrorEquals: ['FailureType'], MaxAttempts: 2 }],
        },
      },
    },
    expect: {
      status: 'FAILED',
      check: history(() => [
        started({}),
        entered(2, 0, 'Parallel', 'ParallelState', {}),
        ev(3, 2, 'ParallelStateStarted'),
        entered(4, 3, 'Fail', 'Branch1', {}),
        ev(5, 4, 'ParallelStateStarted'),
        entered(6, 5, 'Fail', 'Branch1', {}),
        ev(7, 6, 'ParallelStateStarted'),
        entered(8, 7, 'Fail', 'Branch1', {}),
        ev(9, 8, 'ParallelStateFailed'),
        failed(10, 9, { cause: 'Cause description', error: 'FailureType' }),
      ]),
    },
  },
  // ---- Inline Map ---------------------------------------------------------------------------------
  {
    name: 'inline Map of eight values, MaxConcurrency 1',
    source: `${SCENARIOS} test_map_state`,
    definition: {
      StartAt: 'StartState',
      States: {
        StartState: { Type: 'Pass', Result: ARR8, ResultPath: '$.arr', Next: 'MapState' },
        MapState: inlineMap({ ResultPath: null, InputPath: '$.arr', Next: 'Final' }, { HandleItem: { Type: 'Pass', End: true } }, 'HandleItem'),
        Final: { Type: 'Pass', End: true },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const v = { arr: ARR8 };
        return [
          started({}),
          entered(2, 0, 'Pass', 'StartState', {}),
          exited(3, 2, 'Pass', 'StartState', v),
          entered(4, 3, 'Map', 'MapState', v),
          mapStarted(5, 4, 8),
          ...passIterations(6, 5, 'MapState', 'HandleItem', ARR8),
          ev(38, 37, 'MapStateSucceeded'),
          exited(39, 37, 'Map', 'MapState', v),
          entered(40, 39, 'Pass', 'Final', v),
          exited(41, 40, 'Pass', 'Final', v),
          succeeded(42, 41, v),
        ];
      }),
    },
  },
  {
    name: 'inline Map stopped by a Fail state in an iteration',
    source: `${SCENARIOS} test_map_state_break_condition`,
    definition: {
      StartAt: 'StartState',
      States: {
        StartState: { Type: 'Pass', Result: ARR7, ResultPath: '$.arr', Next: 'MapState' },
        MapState: inlineMap(
          { ResultPath: null, InputPath: '$.arr', Next: 'Final' },
          {
            Equals3: {
              Type: 'Choice',
              Choices: [{ And: [{ IsPresent: true, Variable: '$' }, { And: [{ IsNumeric: true, Variable: '$' }, { NumericEquals: 3, Variable: '$' }] }], Next: 'Break' }],
              Default: 'Pass',
            },
            Break: { Type: 'Fail', Error: 'SomeFailure', Cause: SOME_FAILURE },
            Pass: { Type: 'Pass', End: true },
          },
          'Equals3',
        ),
        Final: { Type: 'Pass', End: true },
      },
    },
    expect: {
      status: 'FAILED',
      check: history(() => {
        const v = { arr: ARR7 };
        const events: Ev[] = [started({}), entered(2, 0, 'Pass', 'StartState', {}), exited(3, 2, 'Pass', 'StartState', v), entered(4, 3, 'Map', 'MapState', v), mapStarted(5, 4, 7)];
        for (let i = 0; i < 4; i++) {
          const b = 6 + 6 * i;
          events.push(
            iteration('Started', b, i === 0 ? 5 : b - 2, 'MapState', i),
            entered(b + 1, b, 'Choice', 'Equals3', ARR7[i]),
            exited(b + 2, b + 1, 'Choice', 'Equals3', ARR7[i]),
            entered(b + 3, b + 2, 'Pass', 'Pass', ARR7[i]),
            exited(b + 4, b + 3, 'Pass', 'Pass', ARR7[i]),
            iteration('Succeeded', b + 5, b + 4, 'MapState', i),
          );
        }
        events.push(
          iteration('Started', 30, 28, 'MapState', 4),
          entered(31, 30, 'Choice', 'Equals3', 3),
          exited(32, 31, 'Choice', 'Equals3', 3),
          entered(33, 32, 'Fail', 'Break', 3),
          iteration('Failed', 34, 33, 'MapState', 4),
          ev(35, 33, 'MapStateFailed'),
          failed(36, 35, { cause: SOME_FAILURE, error: 'SomeFailure' }),
        );
        return events;
      }),
    },
  },
  {
    name: 'inline Map failure caught',
    source: `${SCENARIOS} test_map_state_catch`,
    definition: {
      StartAt: 'StartState',
      States: {
        StartState: { Type: 'Pass', Result: [1], ResultPath: '$.arr', Next: 'MapState' },
        MapState: inlineMap(
          { ResultPath: null, InputPath: '$.arr', Catch: [{ ErrorEquals: ['HandleItemFailError'], Next: 'FinalCaught' }], Next: 'Final' },
          { HandleItemFail: { Type: 'Fail', Error: 'HandleItemFailError', Cause: 'HandleItemFailCause' } },
          'HandleItemFail',
        ),
        FinalCaught: { Type: 'Pass', End: true },
        Final: { Type: 'Pass', End: true },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const err = { Error: 'HandleItemFailError', Cause: 'HandleItemFailCause' };
        return [
          started({}),
          entered(2, 0, 'Pass', 'StartState', {}),
          exited(3, 2, 'Pass', 'StartState', { arr: [1] }),
          entered(4, 3, 'Map', 'MapState', { arr: [1] }),
          mapStarted(5, 4, 1),
          iteration('Started', 6, 5, 'MapState', 0),
          entered(7, 6, 'Fail', 'HandleItemFail', 1),
          iteration('Failed', 8, 7, 'MapState', 0),
          ev(9, 7, 'MapStateFailed'),
          exited(10, 9, 'Map', 'MapState', err),
          entered(11, 10, 'Pass', 'FinalCaught', err),
          exited(12, 11, 'Pass', 'FinalCaught', err),
          succeeded(13, 12, err),
        ];
      }),
    },
  },
  {
    name: 'inline Map retried: a new MapStateStarted per attempt',
    source: `${SCENARIOS} test_map_state_retry`,
    definition: {
      StartAt: 'StartState',
      States: {
        StartState: { Type: 'Pass', Result: [1], ResultPath: '$.arr', Next: 'MapState' },
        MapState: inlineMap(
          { ResultPath: null, InputPath: '$.arr', Retry: [{ ErrorEquals: ['HandleItemFailError'], MaxAttempts: 2 }], Next: 'Final' },
          { HandleItemFail: { Type: 'Fail', Error: 'HandleItemFailError', Cause: 'HandleItemFailCause' } },
          'HandleItemFail',
        ),
        Final: { Type: 'Pass', End: true },
      },
    },
    expect: {
      status: 'FAILED',
      check: history(() => [
        started({}),
        entered(2, 0, 'Pass', 'StartState', {}),
        exited(3, 2, 'Pass', 'StartState', { arr: [1] }),
        entered(4, 3, 'Map', 'MapState', { arr: [1] }),
        mapStarted(5, 4, 1),
        iteration('Started', 6, 5, 'MapState', 0),
        entered(7, 6, 'Fail', 'HandleItemFail', 1),
        iteration('Failed', 8, 7, 'MapState', 0),
        mapStarted(9, 7, 1),
        iteration('Started', 10, 9, 'MapState', 0),
        entered(11, 10, 'Fail', 'HandleItemFail', 1),
        iteration('Failed', 12, 11, 'MapState', 0),
        mapStarted(13, 11, 1),
        iteration('Started', 14, 13, 'MapState', 0),
        entered(15, 14, 'Fail', 'HandleItemFail', 1),
        iteration('Failed', 16, 15, 'MapState', 0),
        ev(17, 15, 'MapStateFailed'),
        failed(18, 17, { cause: 'HandleItemFailCause', error: 'HandleItemFailError' }),
      ]),
    },
  },
  {
    name: 'inline Map with ItemsPath, ItemSelector and ResultPath',
    source: `${SCENARIOS} test_map_state_item_selector_singleton`,
    definition: {
      StartAt: 'StartState',
      States: {
        StartState: { Type: 'Pass', Result: { detail: SHIPPED }, Next: 'MapState' },
        MapState: inlineMap(
          {
            ResultPath: '$.detail.shipped_output',
            InputPath: '$.detail',
            ItemsPath: '$.shipped',
            ItemSelector: {
              'original_input.$': '$',
              'iteration_input_value.$': '$$.Map.Item.Value',
              'iteration_index.$': '$$.Map.Item.Index',
              'from_input_constant.$': '$.delivery-partner',
              constant_value: 'HelloWorld',
            },
            Next: 'Final',
          },
          { HandleItem: { Type: 'Pass', End: true } },
          'HandleItem',
        ),
        Final: { Type: 'Pass', End: true },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const input = { detail: SHIPPED };
        const out = { detail: { ...SHIPPED, shipped_output: [0, 1, 2].map(selected) } };
        return [
          started({}),
          entered(2, 0, 'Pass', 'StartState', {}),
          exited(3, 2, 'Pass', 'StartState', input),
          entered(4, 3, 'Map', 'MapState', input),
          mapStarted(5, 4, 3),
          ...passIterations(6, 5, 'MapState', 'HandleItem', [0, 1, 2].map(selected)),
          ev(18, 17, 'MapStateSucceeded'),
          exited(19, 17, 'Map', 'MapState', out),
          entered(20, 19, 'Pass', 'Final', out),
          exited(21, 20, 'Pass', 'Final', out),
          succeeded(22, 21, out),
        ];
      }),
    },
  },
  {
    name: 'Map without ProcessorConfig runs inline',
    source: `${SCENARIOS} test_map_state_no_processor_config`,
    definition: {
      StartAt: 'StartState',
      States: {
        StartState: { Type: 'Pass', Result: [1, 2, 3], ResultPath: '$.arr', Next: 'MapState' },
        MapState: { Type: 'Map', ItemsPath: '$.arr', MaxConcurrency: 1, ItemProcessor: { StartAt: 'HandleItem', States: { HandleItem: { Type: 'Pass', End: true } } }, End: true },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => [
        started({}),
        entered(2, 0, 'Pass', 'StartState', {}),
        exited(3, 2, 'Pass', 'StartState', { arr: [1, 2, 3] }),
        entered(4, 3, 'Map', 'MapState', { arr: [1, 2, 3] }),
        mapStarted(5, 4, 3),
        ...passIterations(6, 5, 'MapState', 'HandleItem', [1, 2, 3]),
        ev(18, 17, 'MapStateSucceeded'),
        exited(19, 17, 'Map', 'MapState', [1, 2, 3]),
        succeeded(20, 19, [1, 2, 3]),
      ]),
    },
  },
  // ---- Lambda function ARN tasks ------------------------------------------------------------------
  {
    name: 'two Lambda function tasks, the second with ResultPath',
    source: `${LAMBDA_TASK} test_invoke_pipe (the first function returns {"Return": "HelloWorld"}, the second echoes)`,
    definition: {
      StartAt: 'step1',
      States: { step1: { Type: 'Task', Resource: fn('f1'), Next: 'step2' }, step2: { Type: 'Task', Resource: fn('f2'), ResultPath: '$.Return', End: true } },
    },
    functions: { f1: returns({ Return: 'HelloWorld' }), f2: echo },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const v = { Return: 'HelloWorld' };
        return [
          started({}),
          entered(2, 0, 'Task', 'step1', {}),
          lambdaScheduled(3, 2, {}, 'f1'),
          lambdaStarted(4, 3),
          lambdaSucceeded(5, 4, v),
          exited(6, 5, 'Task', 'step1', v),
          entered(7, 6, 'Task', 'step2', v),
          lambdaScheduled(8, 7, v, 'f2'),
          lambdaStarted(9, 8),
          lambdaSucceeded(10, 9, v),
          exited(11, 10, 'Task', 'step2', { Return: v }),
          succeeded(12, 11, { Return: v }),
        ];
      }),
    },
  },
  {
    name: 'Lambda function task on a string input',
    source: `${LAMBDA_TASK} test_invoke_json_values[HelloWorld] (the function echoes)`,
    definition: { StartAt: 'step1', States: { step1: { Type: 'Task', Resource: fn('f'), End: true } } },
    input: 'HelloWorld',
    functions: { f: echo },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => [
        started('HelloWorld'),
        entered(2, 0, 'Task', 'step1', 'HelloWorld'),
        lambdaScheduled(3, 2, 'HelloWorld'),
        lambdaStarted(4, 3),
        lambdaSucceeded(5, 4, 'HelloWorld'),
        exited(6, 5, 'Task', 'step1', 'HelloWorld'),
        succeeded(7, 6, 'HelloWorld'),
      ]),
    },
  },
  {
    name: 'Lambda function error not caught (Catch on another error)',
    source: `${TASK_LAMBDA} test_raise_exception`,
    definition: catchUnknown(fn('f')),
    input: LAMBDA_INPUT,
    functions: { f: raises },
    expect: {
      status: 'FAILED',
      check: history(() => [
        started(LAMBDA_INPUT),
        entered(2, 0, 'Task', 'Start', LAMBDA_INPUT),
        lambdaScheduled(3, 2, LAMBDA_INPUT),
        lambdaStarted(4, 3),
        lambdaFailed(5, 4, 'Exception', lambdaCause('Exception', RAISED)),
        failed(6, 5, { cause: lambdaCause('Exception', RAISED), error: 'Exception' }),
      ]),
    },
  },
  {
    name: 'Lambda function error caught by States.TaskFailed',
    source: `${TASK_LAMBDA} test_raise_exception_catch`,
    definition: catchRelevant(fn('f')),
    input: LAMBDA_INPUT,
    functions: { f: raises },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const err = { Error: 'Exception', Cause: lambdaCauseText('Exception', RAISED) };
        const out = { ...err, task_failed_error: err };
        return [
          started(LAMBDA_INPUT),
          entered(2, 0, 'Task', 'Start', LAMBDA_INPUT),
          lambdaScheduled(3, 2, LAMBDA_INPUT),
          lambdaStarted(4, 3),
          lambdaFailed(5, 4, 'Exception', lambdaCause('Exception', RAISED)),
          exited(6, 5, 'Task', 'Start', err),
          entered(7, 6, 'Pass', 'EndWithStateTaskFailedHandler', err),
          exited(8, 7, 'Pass', 'EndWithStateTaskFailedHandler', out),
          succeeded(9, 8, out),
        ];
      }),
    },
  },
  {
    name: 'Lambda function retried three times, then caught',
    source: `${SCENARIOS} test_lambda_invoke_with_retry_base`,
    definition: {
      StartAt: 'InvokeLambdaWithRetry',
      States: {
        InvokeLambdaWithRetry: {
          Type: 'Task',
          Resource: fn('f'),
          Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 3 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'HandleError' }],
          End: true,
          ResultSelector: { 'Retries.$': '$$.State.RetryCount' },
        },
        HandleError: { Type: 'Pass', End: true },
      },
    },
    input: { Value1: 'HelloWorld!', Value2: null },
    functions: { f: raises },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const input = { Value1: 'HelloWorld!', Value2: null };
        const err = { Error: 'Exception', Cause: lambdaCauseText('Exception', RAISED) };
        const attempts = [0, 1, 2, 3].flatMap((i) => {
          const b = 3 + 3 * i;
          return [lambdaScheduled(b, b - 1, input), lambdaStarted(b + 1, b), lambdaFailed(b + 2, b + 1, 'Exception', lambdaCause('Exception', RAISED))];
        });
        return [
          started(input),
          entered(2, 0, 'Task', 'InvokeLambdaWithRetry', input),
          ...attempts,
          exited(15, 14, 'Task', 'InvokeLambdaWithRetry', err),
          entered(16, 15, 'Pass', 'HandleError', err),
          exited(17, 16, 'Pass', 'HandleError', err),
          succeeded(18, 17, err),
        ];
      }),
    },
  },
  {
    name: 'Lambda function with an empty Retry fails at once',
    source: `${SCENARIOS} test_lambda_empty_retry`,
    definition: { StartAt: 'LambdaTask', States: { LambdaTask: { Type: 'Task', Resource: fn('f'), End: true, Retry: [] } } },
    functions: { f: raises },
    expect: {
      status: 'FAILED',
      check: history(() => [
        started({}),
        entered(2, 0, 'Task', 'LambdaTask', {}),
        lambdaScheduled(3, 2, {}),
        lambdaStarted(4, 3),
        lambdaFailed(5, 4, 'Exception', lambdaCause('Exception', RAISED)),
        failed(6, 5, { cause: lambdaCause('Exception', RAISED), error: 'Exception' }),
      ]),
    },
  },
  {
    name: 'Lambda function task with an empty Catch',
    source: `${SCENARIOS} test_catch_empty (the function returns {})`,
    definition: { StartAt: 'StartTask', States: { StartTask: { Type: 'Task', Resource: fn('f'), Catch: [], Next: 'Final' }, Final: { Type: 'Pass', End: true } } },
    functions: { f: returns({}) },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => [
        started({}),
        entered(2, 0, 'Task', 'StartTask', {}),
        lambdaScheduled(3, 2, {}),
        lambdaStarted(4, 3),
        lambdaSucceeded(5, 4, {}),
        exited(6, 5, 'Task', 'StartTask', {}),
        entered(7, 6, 'Pass', 'Final', {}),
        exited(8, 7, 'Pass', 'Final', {}),
        succeeded(9, 8, {}),
      ]),
    },
  },
  {
    name: 'an OutputPath matching nothing fails with States.Runtime, which Catch does not take',
    source: `${SCENARIOS} test_catch_states_runtime (the function returns {})`,
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
    functions: { f: returns({}) },
    expect: {
      status: 'FAILED',
      check: history(() => [
        started({}),
        entered(2, 0, 'Task', 'RaiseRuntime', {}),
        lambdaScheduled(3, 2, {}),
        lambdaStarted(4, 3),
        lambdaSucceeded(5, 4, {}),
        failed(6, 5, {
          cause: "An error occurred while executing the state 'RaiseRuntime' (entered at the event id #2). Invalid path '$.no.such.result.path' : Missing property in path $['no']",
          error: 'States.Runtime',
        }),
      ]),
    },
  },
  {
    name: 'Lambda function task with TimeoutSeconds times out',
    source: `${TIMEOUTS} test_fixed_timeout_lambda (the function sleeps 60 s)`,
    definition: { StartAt: 'Start', States: { Start: { Type: 'Task', Resource: fn('f'), TimeoutSeconds: 5, End: true } } },
    input: { Payload: null },
    functions: { f: sleeps60 },
    expect: {
      status: 'FAILED',
      check: history(() => [
        started({ Payload: null }),
        entered(2, 0, 'Task', 'Start', { Payload: null }),
        lambdaScheduled(3, 2, { Payload: null }, 'f', { timeoutInSeconds: 5 }),
        lambdaStarted(4, 3),
        ev(5, 4, 'LambdaFunctionTimedOut', { lambdaFunctionTimedOutEventDetails: { error: 'States.Timeout' } }),
        failed(6, 5, { error: 'States.Timeout' }),
      ]),
    },
  },
  // ---- lambda:invoke tasks ------------------------------------------------------------------------
  {
    name: 'lambda:invoke success; a null Payload reaches the function as {}',
    source: `${LAMBDA_TASK_SERVICE} test_invoke (the function echoes its event; the recorded Payload is {})`,
    definition: lambdaInvoke,
    input: LAMBDA_INPUT,
    functions: { f: echo },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const res = invokeResult({}, 2);
        return [
          started(LAMBDA_INPUT),
          entered(2, 0, 'Task', 'Start', LAMBDA_INPUT),
          taskScheduled(3, 2, LAMBDA_INPUT),
          taskStarted(4, 3),
          taskSucceeded(5, 4, res),
          exited(6, 5, 'Task', 'Start', res),
          entered(7, 6, 'Pass', 'EndWithFinal', res),
          exited(8, 7, 'Pass', 'EndWithFinal', { ...res, final: res }),
          succeeded(9, 8, { ...res, final: res }),
        ];
      }),
    },
  },
  {
    name: 'lambda:invoke with a JSON text Payload sends that text as the event',
    source: `${LAMBDA_TASK_SERVICE} test_invoke_json_values[None] (Payload "null": the echoing function returned null, Content-Length 4)`,
    definition: lambdaInvoke,
    input: { FunctionName: 'f', Payload: 'null' },
    functions: { f: echo },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const input = { FunctionName: 'f', Payload: 'null' };
        const res = invokeResult(null, 4);
        return [
          started(input),
          entered(2, 0, 'Task', 'Start', input),
          taskScheduled(3, 2, input),
          taskStarted(4, 3),
          taskSucceeded(5, 4, res),
          exited(6, 5, 'Task', 'Start', res),
          entered(7, 6, 'Pass', 'EndWithFinal', res),
          exited(8, 7, 'Pass', 'EndWithFinal', { ...res, final: res }),
          succeeded(9, 8, { ...res, final: res }),
        ];
      }),
    },
  },
  {
    name: 'lambda:invoke function error not caught',
    source: `${SERVICE_LAMBDA} test_raise_exception`,
    definition: catchUnknown(INVOKE),
    input: LAMBDA_INPUT,
    functions: { f: raises },
    expect: {
      status: 'FAILED',
      check: history(() => [
        started(LAMBDA_INPUT),
        entered(2, 0, 'Task', 'Start', LAMBDA_INPUT),
        taskScheduled(3, 2, LAMBDA_INPUT),
        taskStarted(4, 3),
        taskFailed(5, 4, 'Exception', lambdaCause('Exception', RAISED)),
        failed(6, 5, { cause: lambdaCause('Exception', RAISED), error: 'Exception' }),
      ]),
    },
  },
  {
    name: 'lambda:invoke function error caught by States.TaskFailed',
    source: `${SERVICE_LAMBDA} test_raise_exception_catch`,
    definition: catchRelevant(INVOKE),
    input: LAMBDA_INPUT,
    functions: { f: raises },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const err = { Error: 'Exception', Cause: lambdaCauseText('Exception', RAISED) };
        const out = { ...err, task_failed_error: err };
        return [
          started(LAMBDA_INPUT),
          entered(2, 0, 'Task', 'Start', LAMBDA_INPUT),
          taskScheduled(3, 2, LAMBDA_INPUT),
          taskStarted(4, 3),
          taskFailed(5, 4, 'Exception', lambdaCause('Exception', RAISED)),
          exited(6, 5, 'Task', 'Start', err),
          entered(7, 6, 'Pass', 'EndWithStateTaskFailedHandler', err),
          exited(8, 7, 'Pass', 'EndWithStateTaskFailedHandler', out),
          succeeded(9, 8, out),
        ];
      }),
    },
  },
  {
    name: 'lambda:invoke of a function that does not exist',
    source: `${SERVICE_LAMBDA} test_no_such_function (the request id is matched loosely)`,
    definition: catchUnknown(INVOKE),
    input: { FunctionName: 'no_such_f', Payload: null },
    functions: {},
    expect: {
      status: 'FAILED',
      check: history(() => {
        const input = { FunctionName: 'no_such_f', Payload: null };
        const cause = expect.stringMatching(
          new RegExp(
            `^${escapeRe(`Function not found: ${fn('no_such_f')} (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: `)}[^;]+${escapeRe('; Proxy: null)')}$`,
          ),
        );
        return [
          started(input),
          entered(2, 0, 'Task', 'Start', input),
          taskScheduled(3, 2, input),
          taskStarted(4, 3),
          taskFailed(5, 4, 'Lambda.ResourceNotFoundException', cause),
          failed(6, 5, { cause, error: 'Lambda.ResourceNotFoundException' }),
        ];
      }),
    },
  },
  {
    name: 'lambda:invoke timeout caught by States.Timeout',
    source: `${SERVICE_LAMBDA} test_invoke_timeout (recorded with TimeoutSeconds 5; the function sleeps 60 s)`,
    definition: {
      StartAt: 'Start',
      States: {
        Start: {
          Type: 'Task',
          Resource: INVOKE,
          TimeoutSeconds: 5,
          Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' },
          Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'EndWithHandler' }],
          Next: 'EndWithFinal',
        },
        EndWithHandler: { Type: 'Pass', ResultPath: '$.error', End: true },
        EndWithFinal: { Type: 'Pass', ResultPath: '$.final', End: true },
      },
    },
    input: LAMBDA_INPUT,
    functions: { f: sleeps60 },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const err = { Error: 'States.Timeout', Cause: '' };
        const out = { ...err, error: err };
        return [
          started(LAMBDA_INPUT),
          entered(2, 0, 'Task', 'Start', LAMBDA_INPUT),
          taskScheduled(3, 2, LAMBDA_INPUT, { timeoutInSeconds: 5 }),
          taskStarted(4, 3),
          taskTimedOut(5, 4),
          exited(6, 5, 'Task', 'Start', err),
          entered(7, 6, 'Pass', 'EndWithHandler', err),
          exited(8, 7, 'Pass', 'EndWithHandler', out),
          succeeded(9, 8, out),
        ];
      }),
    },
  },
  {
    name: 'lambda:invoke with TimeoutSecondsPath times out',
    source: `${TIMEOUTS} test_fixed_timeout_service_lambda (the function sleeps 60 s)`,
    definition: {
      StartAt: 'Start',
      States: {
        Start: {
          Type: 'Task',
          Resource: INVOKE,
          TimeoutSecondsPath: '$.TimeoutSecondsValue',
          Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' },
          End: true,
        },
      },
    },
    input: { ...LAMBDA_INPUT, TimeoutSecondsValue: 5 },
    functions: { f: sleeps60 },
    expect: {
      status: 'FAILED',
      check: history(() => {
        const input = { ...LAMBDA_INPUT, TimeoutSecondsValue: 5 };
        return [
          started(input),
          entered(2, 0, 'Task', 'Start', input),
          taskScheduled(3, 2, LAMBDA_INPUT, { timeoutInSeconds: 5 }),
          taskStarted(4, 3),
          taskTimedOut(5, 4),
          failed(6, 5, { error: 'States.Timeout' }),
        ];
      }),
    },
  },
  {
    name: 'lambda:invoke retried three times with the context object in its Payload, then caught',
    source: `${SCENARIOS} test_lambda_service_invoke_with_retry_extended_input (recorded in 2023, before redrive; $$.Execution.RedriveCount 0 is expected as AWS records it since: ${ASSIGN} test_base_cases[BASE_PATHS])`,
    definition: {
      StartAt: 'InvokeLambdaWithRetry',
      States: {
        InvokeLambdaWithRetry: {
          Type: 'Task',
          Resource: INVOKE,
          Parameters: { 'FunctionName.$': '$.FunctionName', Payload: { 'ThisContextObject.$': '$$', 'ThisState.$': '$' } },
          Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 3 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'HandleError' }],
          ResultPath: '$.state_output',
          ResultSelector: { 'FinalRetryCount.$': '$$.State.RetryCount' },
          End: true,
        },
        HandleError: { Type: 'Pass', End: true },
      },
    },
    input: { FunctionName: 'f', Value1: 'HelloWorld!', Value2: null },
    functions: { f: raises },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const input = { FunctionName: 'f', Value1: 'HelloWorld!', Value2: null };
        const context = (retry: number) => ({
          Execution: { Id: EXECUTION_ARN, Input: input, StartTime: expect.any(String), Name: 'conformance', RoleArn: ROLE, RedriveCount: 0 },
          StateMachine: { Id: MACHINE_ARN, Name: 'conformance' },
          State: { Name: 'InvokeLambdaWithRetry', EnteredTime: expect.any(String), RetryCount: retry },
        });
        const err = { Error: 'Exception', Cause: lambdaCauseText('Exception', RAISED) };
        const attempts = [0, 1, 2, 3].flatMap((i) => {
          const b = 3 + 3 * i;
          return [
            taskScheduled(b, b - 1, { Payload: { ThisContextObject: context(i), ThisState: input }, FunctionName: 'f' }),
            taskStarted(b + 1, b),
            taskFailed(b + 2, b + 1, 'Exception', lambdaCause('Exception', RAISED)),
          ];
        });
        return [
          started(input),
          entered(2, 0, 'Task', 'InvokeLambdaWithRetry', input),
          ...attempts,
          exited(15, 14, 'Task', 'InvokeLambdaWithRetry', err),
          entered(16, 15, 'Pass', 'HandleError', err),
          exited(17, 16, 'Pass', 'HandleError', err),
          succeeded(18, 17, err),
        ];
      }),
    },
  },
  {
    name: 'lambda:invoke.waitForTaskToken answered by SendTaskSuccess',
    source:
      `${CALLBACK} test_sqs_wait_for_task_token: no lambda:invoke.waitForTaskToken history is recorded, so the event sequence and details are the recorded SQS ones with ` +
      `resource/resourceType as recorded for lambda:invoke (${LAMBDA_TASK_SERVICE} test_invoke): "invoke.waitForTaskToken"/"lambda"; the TaskSubmitted output (the Invoke response) is matched loosely`,
    definition: {
      StartAt: 'SendMessageWithWait',
      States: {
        SendMessageWithWait: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'worker', Payload: { 'Message.$': '$.Message', 'TaskToken.$': '$$.Task.Token' } },
          End: true,
        },
      },
    },
    input: { Message: 'test_message_txt' },
    functions: {
      worker: (event, call) => {
        const token = (event as { TaskToken: string }).TaskToken;
        void call.sleep(1000).then(() => call.sendTaskSuccess(token, 'test_message_txt'));
        return {};
      },
    },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const input = { Message: 'test_message_txt' };
        const res = 'invoke.waitForTaskToken';
        return [
          started(input),
          entered(2, 0, 'Task', 'SendMessageWithWait', input),
          taskScheduled(3, 2, { FunctionName: 'worker', Payload: { Message: 'test_message_txt', TaskToken: expect.any(String) } }, {}, res),
          taskStarted(4, 3, res),
          ev(5, 4, 'TaskSubmitted', { taskSubmittedEventDetails: { output: expect.objectContaining({ Payload: {}, StatusCode: 200 }), outputDetails: T, ...svc(res) } }),
          taskSucceeded(6, 5, 'test_message_txt', res),
          exited(7, 6, 'Task', 'SendMessageWithWait', 'test_message_txt'),
          succeeded(8, 7, 'test_message_txt'),
        ];
      }),
    },
  },
  // ---- Variables (Assign) -------------------------------------------------------------------------
  {
    name: 'Pass Assign from paths, the context object and an intrinsic function',
    source: `${ASSIGN} test_base_cases[BASE_PATHS] (start and entered times matched loosely)`,
    definition: {
      StartAt: 'State0',
      States: {
        State0: {
          Type: 'Pass',
          Assign: {
            'str_path_root.$': '$',
            'str_path.$': '$.input_value',
            'str_contextpath_root.$': '$$',
            'str_contextpath.$': '$$.Execution.Id',
            'str_intrinsic_func.$': "States.Format('Format Func {}', $.input_value)",
          },
          End: true,
        },
      },
    },
    input: { input_value: 'input_value_literal' },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const input = { input_value: 'input_value_literal' };
        return [
          started(input),
          entered(2, 0, 'Pass', 'State0', input),
          exited(3, 2, 'Pass', 'State0', input, {
            str_contextpath: EXECUTION_ARN,
            str_contextpath_root: {
              Execution: { Id: EXECUTION_ARN, Input: input, StartTime: expect.any(String), Name: 'conformance', RoleArn: ROLE, RedriveCount: 0 },
              StateMachine: { Id: MACHINE_ARN, Name: 'conformance' },
              State: { Name: 'State0', EnteredTime: expect.any(String) },
            },
            str_intrinsic_func: 'Format Func input_value_literal',
            str_path: 'input_value_literal',
            str_path_root: input,
          }),
          succeeded(4, 3, input),
        ];
      }),
    },
  },
  {
    name: 'variables assigned outside an inline Map are read inside it',
    source: `${ASSIGN} test_base_cases[BASE_SCOPE_MAP]`,
    definition: {
      StartAt: 'State0',
      States: {
        State0: { Type: 'Pass', Assign: { x: 42, items: [1, 2, 3] }, Next: 'State1' },
        State1: inlineMap({ ItemsPath: '$items', Next: 'State2' }, { Inner: { Type: 'Pass', Assign: { 'innerX.$': '$x' }, End: true } }, 'Inner'),
        State2: { Type: 'Pass', Assign: { 'final.$': '$x' }, End: true },
      },
    },
    input: { input_value: 'input_value_literal' },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const input = { input_value: 'input_value_literal' };
        return [
          started(input),
          entered(2, 0, 'Pass', 'State0', input),
          exited(3, 2, 'Pass', 'State0', input, { items: [1, 2, 3], x: 42 }),
          entered(4, 3, 'Map', 'State1', input),
          mapStarted(5, 4, 3),
          ...passIterations(6, 5, 'State1', 'Inner', [1, 2, 3], () => ({ innerX: 42 })),
          ev(18, 17, 'MapStateSucceeded'),
          exited(19, 17, 'Map', 'State1', [1, 2, 3]),
          entered(20, 19, 'Pass', 'State2', [1, 2, 3]),
          exited(21, 20, 'Pass', 'State2', [1, 2, 3], { final: 42 }),
          succeeded(22, 21, [1, 2, 3]),
        ];
      }),
    },
  },
  ...[
    { id: 'CONDITION_TRUE', condition: true },
    { id: 'CONDITION_FALSE', condition: false },
  ].map(
    ({ id, condition }): ConformanceCase => ({
      name: `JSONata Choice Assign on the ${condition ? 'matching rule' : 'default'}`,
      source: `${ASSIGN} test_assign_in_choice[${id}]`,
      definition: {
        QueryLanguage: 'JSONata',
        StartAt: 'ChoiceState',
        States: {
          ChoiceState: {
            Type: 'Choice',
            Choices: [{ Condition: '{% $states.input.condition %}', Next: 'ConditionTrue', Assign: { Assignment: 'Condition assignment' } }],
            Default: 'DefaultState',
            Assign: { Assignment: 'Default Assignment' },
          },
          ConditionTrue: { Type: 'Pass', End: true },
          DefaultState: { Type: 'Fail', Cause: 'Condition is false' },
        },
      },
      input: { condition },
      expect: {
        status: condition ? 'SUCCEEDED' : 'FAILED',
        check: history(() => {
          const input = { condition };
          const head = [
            started(input),
            entered(2, 0, 'Choice', 'ChoiceState', input),
            exited(3, 2, 'Choice', 'ChoiceState', input, { Assignment: condition ? 'Condition assignment' : 'Default Assignment' }),
          ];
          return condition
            ? [...head, entered(4, 3, 'Pass', 'ConditionTrue', input), exited(5, 4, 'Pass', 'ConditionTrue', input), succeeded(6, 5, input)]
            : [...head, entered(4, 3, 'Fail', 'DefaultState', input), failed(5, 4, { cause: 'Condition is false' })];
        }),
      },
    }),
  ),
  // ---- JSONata ------------------------------------------------------------------------------------
  {
    name: 'JSONata Map Items evaluating to null: EvaluationFailed',
    source: `${SCENARIOS} test_map_state_items_eval_jsonata_fail[null] (EvaluationFailed points at event 0, as MapStateEntered does)`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'MapIterateState',
      States: { MapIterateState: inlineMap({ Items: '{% null %}', End: true }, { Pass: { Type: 'Pass', End: true } }, 'Pass') },
    },
    expect: {
      status: 'FAILED',
      check: history(() => {
        const cause =
          "An error occurred while executing the state 'MapIterateState' (entered at the event id #2). The JSONata expression 'null' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'null' for value: null";
        return [
          started({}),
          entered(2, 0, 'Map', 'MapIterateState', {}),
          ev(3, 0, 'EvaluationFailed', { evaluationFailedEventDetails: { cause, error: 'States.QueryEvaluationError', location: 'Items', state: 'MapIterateState' } }),
          ev(4, 3, 'MapStateFailed'),
          failed(5, 4, { cause, error: 'States.QueryEvaluationError' }),
        ];
      }),
    },
  },
  {
    name: 'JSONata Map Items from a number variable: EvaluationFailed',
    source: `${SCENARIOS} test_map_state_items_eval_jsonata_variable_sampling_fail[number] (EvaluationFailed points at event 3, as MapStateEntered does)`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'Start',
      States: {
        Start: { Type: 'Pass', Assign: { ItemsVar: 1 }, Next: 'MapIterateState' },
        MapIterateState: inlineMap({ Items: '{% $ItemsVar %}', End: true }, { Pass: { Type: 'Pass', End: true } }, 'Pass'),
      },
    },
    expect: {
      status: 'FAILED',
      check: history(() => {
        const cause =
          "An error occurred while executing the state 'MapIterateState' (entered at the event id #4). The JSONata expression '$ItemsVar' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'number' for value: 1";
        return [
          started({}),
          entered(2, 0, 'Pass', 'Start', {}),
          exited(3, 2, 'Pass', 'Start', {}, { ItemsVar: 1 }),
          entered(4, 3, 'Map', 'MapIterateState', {}),
          ev(5, 3, 'EvaluationFailed', { evaluationFailedEventDetails: { cause, error: 'States.QueryEvaluationError', location: 'Items', state: 'MapIterateState' } }),
          ev(6, 5, 'MapStateFailed'),
          failed(7, 6, { cause, error: 'States.QueryEvaluationError' }),
        ];
      }),
    },
  },
  {
    name: 'JSONata Wait Timestamp without a T: EvaluationFailed, no WaitStateFailed',
    source: `${SCENARIOS} test_wait_timestamp_jsonata[NO_T]`,
    definition: { QueryLanguage: 'JSONata', StartAt: 'WaitState', States: { WaitState: { Type: 'Wait', Timestamp: '{% $states.input.TimestampValue %}', End: true } } },
    input: { TimestampValue: '2016-12-05 21:29:29Z' },
    expect: {
      status: 'FAILED',
      check: history(() => {
        const input = { TimestampValue: '2016-12-05 21:29:29Z' };
        const cause =
          "An error occurred while executing the state 'WaitState' (entered at the event id #2). The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: 2016-12-05 21:29:29Z";
        return [
          started(input),
          entered(2, 0, 'Wait', 'WaitState', input),
          ev(3, 2, 'EvaluationFailed', { evaluationFailedEventDetails: { cause, error: 'States.QueryEvaluationError', location: 'Timestamp', state: 'WaitState' } }),
          failed(4, 3, { cause, error: 'States.QueryEvaluationError' }),
        ];
      }),
    },
  },
  {
    name: 'JSONata lambda:invoke with Arguments and a TimeoutSeconds expression',
    source: `${EVAL_JSONATA} test_base_task[TIMEOUT_SECONDS] (the function echoes)`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'Start',
      States: { Start: { Type: 'Task', Resource: INVOKE, Arguments: { Payload: {}, FunctionName: fn('f') }, TimeoutSeconds: '{% $variable := 1 %}', End: true } },
    },
    functions: { f: echo },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const res = invokeResult({}, 2);
        return [
          started({}),
          entered(2, 0, 'Task', 'Start', {}),
          taskScheduled(3, 2, { Payload: {}, FunctionName: fn('f') }, { timeoutInSeconds: 1 }),
          taskStarted(4, 3),
          taskSucceeded(5, 4, res),
          exited(6, 5, 'Task', 'Start', res),
          succeeded(7, 6, res),
        ];
      }),
    },
  },
  {
    name: 'JSONata Pass Output with a regular expression',
    source: `${EVAL_JSONATA} test_base_jsonata_regular_expressions[BASE]`,
    definition: { QueryLanguage: 'JSONata', StartAt: 'Start', States: { Start: { Type: 'Pass', Output: '{% $contains("hello$world", /^hello\\$/) %}', End: true } } },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => [started({}), entered(2, 0, 'Pass', 'Start', {}), exited(3, 2, 'Pass', 'Start', true), succeeded(4, 3, true)]),
    },
  },
  {
    name: 'JSONata Pass Output merging two input objects',
    source: `${EVAL_JSONATA} test_merge_with_dynamic_args`,
    definition: { QueryLanguage: 'JSONata', StartAt: 'Start', States: { Start: { Type: 'Pass', Output: '{% $merge([$states.input.part1, $states.input.part2]) %}', End: true } } },
    input: { part1: { hello: 'world' }, part2: { foo: 'bar' } },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const input = { part1: { hello: 'world' }, part2: { foo: 'bar' } };
        const out = { hello: 'world', foo: 'bar' };
        return [started(input), entered(2, 0, 'Pass', 'Start', input), exited(3, 2, 'Pass', 'Start', out), succeeded(4, 3, out)];
      }),
    },
  },
  // ---- Intrinsic functions ------------------------------------------------------------------------
  {
    name: 'States.StringToJson in Parameters',
    source: `${JSON_MANIPULATION} test_string_to_json (exec_hist_resp_8)`,
    definition: { StartAt: 'State_0', States: { State_0: { Type: 'Pass', Parameters: { 'FunctionResult.$': 'States.StringToJson($.FunctionInput)' }, End: true } } },
    input: { FunctionInput: '[1, 2, "HelloWorld"]' },
    expect: {
      status: 'SUCCEEDED',
      check: history(() => {
        const input = { FunctionInput: '[1, 2, "HelloWorld"]' };
        const out = { FunctionResult: [1, 2, 'HelloWorld'] };
        return [started(input), entered(2, 0, 'Pass', 'State_0', input), exited(3, 2, 'Pass', 'State_0', out), succeeded(4, 3, out)];
      }),
    },
  },
];
