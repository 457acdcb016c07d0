/**
 * Pass, Wait, Succeed and Fail states, and the context object (`$$`).
 * https://states-language.net/spec.html#state-types
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html
 */
import { lambdaError, type CaseResult, type ConformanceCase } from '../case';

const SPEC_PASS = 'https://states-language.net/spec.html#pass-state';
const SPEC_WAIT = 'https://states-language.net/spec.html#wait-state';
const DOC_PASS = 'https://docs.aws.amazon.com/step-functions/latest/dg/state-pass.html';
const DOC_WAIT = 'https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html';
const DOC_SUCCEED = 'https://docs.aws.amazon.com/step-functions/latest/dg/state-succeed.html';
const DOC_FAIL = 'https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html';
const DOC_CONTEXT = 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html';
const DOC_EVENTS = 'https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html';
const REC = 'recorded AWS: localstack tests/aws/services/stepfunctions/v2';
const REC_BASE = `${REC}/base/test_base.snapshot.json`;
const REC_WAIT = `${REC}/base/test_wait.snapshot.json`;
const REC_CTX = `${REC}/context_object/test_context_object.snapshot.json`;
const REC_SCENARIOS = `${REC}/scenarios/test_base_scenarios.snapshot.json`;

// The harness's fixed execution identity (see the brief / case.ts).
const START = '2025-01-01T00:00:00.000Z';
const SM_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:conformance';
const EXEC_ARN = (name: string) => `arn:aws:states:us-east-1:123456789012:execution:conformance:${name}`;
const ROLE_ARN = 'arn:aws:iam::123456789012:role/conformance';
const FN = 'arn:aws:lambda:us-east-1:123456789012:function:f';
/** Timestamps in the context object: ISO 8601 UTC, e.g. 2023-11-21T06:27:31.545Z (test_base.py test_execution_dateformat). */
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const WAIT_OK = ['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'ExecutionSucceeded'];
const WAIT_FAILED = ['ExecutionStarted', 'WaitStateEntered', 'ExecutionFailed'];
const FAIL = ['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed'];

function one(state: Record<string, unknown>, name = 'S'): Record<string, unknown> {
  return { StartAt: name, States: { [name]: state } };
}

/** A Wait `W` followed by a Pass that outputs its own `$$.State.EnteredTime`. */
function waitThenStamp(wait: Record<string, unknown>): Record<string, unknown> {
  return {
    StartAt: 'W',
    States: {
      W: { Type: 'Wait', Next: 'After', ...wait },
      After: { Type: 'Pass', Parameters: { 'entered.$': '$$.State.EnteredTime' }, End: true },
    },
  };
}

/** Milliseconds from the execution start to the `entered` timestamp in the output. */
function msAfterStart(r: CaseResult): number {
  const entered = (r.output as { entered: string }).entered;
  expect(entered).toMatch(ISO_UTC);
  return Date.parse(entered) - Date.parse(START);
}

/** Expects the state after the Wait to be entered `seconds` later (virtual clock; 1 s tolerance). */
function waitedSeconds(seconds: number): (r: CaseResult) => void {
  return (r) => {
    const ms = msAfterStart(r);
    expect(ms).toBeGreaterThanOrEqual(seconds * 1000);
    expect(ms).toBeLessThan(seconds * 1000 + 1000);
  };
}

/** A Wait `W` on TimestampPath `$.ts` that fails on `ts` with AWS's recorded cause. */
function badTimestampPath(name: string, ts: string): ConformanceCase {
  return {
    name,
    source: `${REC_WAIT} test_wait_timestamppath; ${REC_SCENARIOS} test_wait_timestamp_path`,
    definition: one({ Type: 'Wait', TimestampPath: '$.ts', End: true }, 'W'),
    input: { ts },
    expect: {
      status: 'FAILED',
      error: 'States.Runtime',
      cause: `An error occurred while executing the state 'W' (entered at the event id #2). The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.ts == ${ts}`,
      events: WAIT_FAILED,
    },
  };
}

const passCases: ConformanceCase[] = [
  {
    name: 'Pass Result becomes the output',
    source: `${REC_BASE} test_state_pass_result`,
    definition: one({ Type: 'Pass', Result: { Arg1: 'argument1' }, End: true }),
    expect: {
      status: 'SUCCEEDED',
      output: { Arg1: 'argument1' },
      events: ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded'],
    },
  },
  {
    name: 'Pass without Result passes its input through',
    source: `${REC_BASE} test_decl_version_1_0; ${DOC_PASS}`,
    definition: { Version: '1.0', StartAt: 'S', States: { S: { Type: 'Pass', End: true } } },
    input: { a: [1, { b: null }] },
    expect: { status: 'SUCCEEDED', output: { a: [1, { b: null }] } },
  },
  {
    name: 'Pass Result with ResultPath is merged into the input',
    source: DOC_PASS,
    definition: one({ Type: 'Pass', Result: { x: 1 }, ResultPath: '$.r', End: true }),
    input: { keep: true },
    expect: { status: 'SUCCEEDED', output: { keep: true, r: { x: 1 } } },
  },
  {
    name: 'Pass Result with ResultPath "$" replaces the input',
    source: 'recorded AWS (lead-verified): ResultPath "$" on a Pass with Result replaces the input',
    definition: one({ Type: 'Pass', Result: 'replaced', ResultPath: '$', End: true }),
    input: { old: 1 },
    expect: { status: 'SUCCEEDED', output: 'replaced' },
  },
  {
    name: 'Pass Result false is output as false',
    source: `${SPEC_PASS} (Result is any JSON value)`,
    definition: one({ Type: 'Pass', Result: false, End: true }),
    input: { a: 1 },
    expect: { status: 'SUCCEEDED', output: false },
  },
  {
    name: 'Pass Result 0 is output as 0',
    source: `${SPEC_PASS} (Result is any JSON value)`,
    definition: one({ Type: 'Pass', Result: 0, End: true }),
    input: { a: 1 },
    expect: { status: 'SUCCEEDED', output: 0 },
  },
  {
    name: 'Pass Result "" is output as the empty string',
    source: `${SPEC_PASS} (Result is any JSON value)`,
    definition: one({ Type: 'Pass', Result: '', End: true }),
    input: { a: 1 },
    expect: { status: 'SUCCEEDED', output: '' },
  },
  {
    name: 'Pass Result null is output as null (unverified)',
    source: `${SPEC_PASS} (Result is any JSON value); not recorded`,
    definition: one({ Type: 'Pass', Result: null, End: true }),
    input: { a: 1 },
    expect: { status: 'SUCCEEDED', output: null },
  },
  {
    name: 'Pass Result false at a ResultPath is kept',
    source: `${SPEC_PASS}; https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html`,
    definition: one({ Type: 'Pass', Result: false, ResultPath: '$.flag', End: true }),
    input: { a: 1 },
    expect: { status: 'SUCCEEDED', output: { a: 1, flag: false } },
  },
  {
    name: 'Pass Result array is output as an array',
    source: `${REC_SCENARIOS} test_parallel_state (LoadInput outputs [1,2,3,4])`,
    definition: one({ Type: 'Pass', Result: [1, 2, 3, 4], End: true }),
    expect: { status: 'SUCCEEDED', output: [1, 2, 3, 4] },
  },
  {
    name: 'a chain of Pass states with Parameters, InputPath null and OutputPath null',
    source: `${REC_BASE} test_state_pass_result_null_input_output_paths`,
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
      output: {},
      entered: ['State0', 'State1', 'State2'],
      events: [
        'ExecutionStarted',
        'PassStateEntered',
        'PassStateExited',
        'PassStateEntered',
        'PassStateExited',
        'PassStateEntered',
        'PassStateExited',
        'ExecutionSucceeded',
      ],
    },
  },
];

const waitCases: ConformanceCase[] = [
  {
    name: 'Wait Seconds passes its input through',
    source: `${DOC_WAIT}; ${REC_WAIT} test_timestamp_in_past (history shape)`,
    definition: one({ Type: 'Wait', Seconds: 10, End: true }, 'W'),
    input: { a: 1 },
    expect: { status: 'SUCCEEDED', output: { a: 1 }, events: WAIT_OK },
  },
  {
    name: 'Wait Seconds 10 enters the next state 10 s later',
    source: SPEC_WAIT,
    definition: waitThenStamp({ Seconds: 10 }),
    expect: { status: 'SUCCEEDED', entered: ['W', 'After'], check: waitedSeconds(10) },
  },
  {
    name: 'Wait SecondsPath reads the delay from the input',
    source: SPEC_WAIT,
    definition: waitThenStamp({ SecondsPath: '$.s' }),
    input: { s: 5 },
    expect: { status: 'SUCCEEDED', check: waitedSeconds(5) },
  },
  {
    name: 'Wait SecondsPath 0 does not wait (unverified)',
    source: `${REC_WAIT} test_base_wait_seconds_path[0] exists as an AWS-validated test; its snapshot was not found`,
    definition: waitThenStamp({ SecondsPath: '$.s' }),
    input: { s: 0 },
    expect: { status: 'SUCCEEDED', check: waitedSeconds(0) },
  },
  {
    name: 'Wait SecondsPath with a negative value fails with States.Runtime (unverified)',
    source: `${REC_WAIT} test_base_wait_seconds_path[-1] (snapshot not found; wording from LocalStack's implementation)`,
    definition: one({ Type: 'Wait', SecondsPath: '$.s', End: true }, 'W'),
    input: { s: -1 },
    expect: { status: 'FAILED', error: 'States.Runtime', cause: /The SecondsPath parameter references a negative value: \$\.s == -1/ },
  },
  {
    name: 'Wait SecondsPath with a non-integer fails with States.Runtime (unverified)',
    source: `${REC_WAIT} test_base_wait_seconds_path[1.5] (snapshot not found; wording from LocalStack's implementation)`,
    definition: one({ Type: 'Wait', SecondsPath: '$.s', End: true }, 'W'),
    input: { s: 1.5 },
    expect: { status: 'FAILED', error: 'States.Runtime', cause: /The SecondsPath parameter cannot be parsed as a long value: \$\.s == 1\.5/ },
  },
  {
    name: 'Wait SecondsPath that matches nothing fails with States.Runtime (unverified)',
    source: `${REC_SCENARIOS} test_invalid_jsonpath (other *Path fields fail with States.Runtime); SecondsPath not recorded`,
    definition: one({ Type: 'Wait', SecondsPath: '$.nope', End: true }, 'W'),
    input: {},
    expect: { status: 'FAILED', error: 'States.Runtime' },
  },
  {
    name: 'Wait Timestamp in the future waits until that time',
    source: SPEC_WAIT,
    definition: waitThenStamp({ Timestamp: '2025-01-01T00:01:00Z' }),
    expect: { status: 'SUCCEEDED', check: waitedSeconds(60) },
  },
  {
    name: 'Wait Timestamp in the past does not wait',
    source: `${REC_WAIT} test_timestamp_in_past`,
    definition: waitThenStamp({ Timestamp: '2016-03-14T01:59:00Z' }),
    expect: { status: 'SUCCEEDED', check: waitedSeconds(0) },
  },
  {
    name: 'Wait TimestampPath in the past succeeds without waiting',
    source: `${REC_WAIT} test_timestamp_in_past`,
    definition: one({ Type: 'Wait', TimestampPath: '$.start_at', End: true }, 'W'),
    input: { start_at: '2016-03-14T01:59:00Z' },
    expect: { status: 'SUCCEEDED', output: { start_at: '2016-03-14T01:59:00Z' }, events: WAIT_OK },
  },
  {
    name: 'Wait TimestampPath in the future waits until that time',
    source: SPEC_WAIT,
    definition: waitThenStamp({ TimestampPath: '$.at' }),
    input: { at: '2025-01-01T00:00:30Z' },
    expect: { status: 'SUCCEEDED', check: waitedSeconds(30) },
  },
  {
    name: 'Wait TimestampPath accepts any number of fractional-second digits',
    source: `${REC_WAIT} test_wait_timestamppath[.00Z] and [.000000Z]`,
    definition: one({ Type: 'Wait', TimestampPath: '$.ts', End: true }, 'W'),
    input: { ts: '2016-12-05T21:29:29.00Z' },
    expect: { status: 'SUCCEEDED', output: { ts: '2016-12-05T21:29:29.00Z' }, events: WAIT_OK },
  },
  badTimestampPath('Wait TimestampPath with a space instead of T fails with States.Runtime', '2016-12-05 21:29:29Z'),
  badTimestampPath('Wait TimestampPath without a zone (no Z) fails with States.Runtime', '2016-12-05T21:29:29'),
  badTimestampPath('Wait TimestampPath with month 13 fails with States.Runtime', '2016-13-05T21:29:29Z'),
  badTimestampPath('Wait TimestampPath with hour 25 fails with States.Runtime', '2016-12-05T25:29:29Z'),
  {
    name: 'a static Wait Timestamp that is not RFC3339 is rejected at creation',
    source: `${REC_SCENARIOS} test_wait_timestamp_invalid[NO_T]`,
    definition: one({ Type: 'Wait', Timestamp: '2016-12-05 21:29:29Z', End: true }, 'W'),
    expect: {
      definitionError: {
        name: 'InvalidDefinition',
        message: /SCHEMA_VALIDATION_FAILED: String does not match RFC3339 timestamp at \/States\/W\/Timestamp/,
      },
    },
  },
  {
    name: 'a static Wait Timestamp without Z is rejected at creation',
    source: `${REC_SCENARIOS} test_wait_timestamp_invalid[NO_Z]`,
    definition: one({ Type: 'Wait', Timestamp: '2016-12-05T21:29:29', End: true }, 'W'),
    expect: {
      definitionError: {
        name: 'InvalidDefinition',
        message: /SCHEMA_VALIDATION_FAILED: String does not match RFC3339 timestamp at \/States\/W\/Timestamp/,
      },
    },
  },
  {
    name: 'Wait applies InputPath and OutputPath',
    source: `${DOC_WAIT} (InputPath, OutputPath supported)`,
    definition: one({ Type: 'Wait', Seconds: 1, InputPath: '$.a', OutputPath: '$.b', End: true }, 'W'),
    input: { a: { b: { c: 1 } }, z: 0 },
    expect: { status: 'SUCCEEDED', output: { c: 1 } },
  },
];

const succeedCases: ConformanceCase[] = [
  {
    name: 'Succeed outputs its input',
    source: `${DOC_SUCCEED}; event types from ${DOC_EVENTS}`,
    definition: one({ Type: 'Succeed' }),
    input: { a: 1 },
    expect: {
      status: 'SUCCEEDED',
      output: { a: 1 },
      events: ['ExecutionStarted', 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded'],
    },
  },
  {
    name: 'Succeed applies OutputPath',
    source: `${DOC_SUCCEED} (InputPath, OutputPath supported)`,
    definition: one({ Type: 'Succeed', OutputPath: '$.keep' }),
    input: { keep: 'k', drop: 'd' },
    expect: { status: 'SUCCEEDED', output: 'k' },
  },
  {
    name: 'Succeed applies InputPath',
    source: `${DOC_SUCCEED} (InputPath, OutputPath supported)`,
    definition: one({ Type: 'Succeed', InputPath: '$.a' }),
    input: { a: [1], b: 2 },
    expect: { status: 'SUCCEEDED', output: [1] },
  },
  {
    name: 'Succeed after a Pass ends the execution',
    source: DOC_SUCCEED,
    definition: {
      StartAt: 'P',
      States: { P: { Type: 'Pass', Result: { done: true }, Next: 'Done' }, Done: { Type: 'Succeed' } },
    },
    expect: {
      status: 'SUCCEEDED',
      output: { done: true },
      entered: ['P', 'Done'],
      events: [
        'ExecutionStarted',
        'PassStateEntered',
        'PassStateExited',
        'SucceedStateEntered',
        'SucceedStateExited',
        'ExecutionSucceeded',
      ],
    },
  },
];

const failCases: ConformanceCase[] = [
  {
    name: 'Fail reports its Error and Cause and has no Exited event',
    source: `${REC_BASE} test_state_fail`,
    definition: one({ Type: 'Fail', Error: 'SomeFailure', Cause: "This state machines raises a 'SomeFailure' failure." }, 'FailState'),
    expect: {
      status: 'FAILED',
      error: 'SomeFailure',
      cause: "This state machines raises a 'SomeFailure' failure.",
      events: FAIL,
    },
  },
  {
    name: 'Fail without Error or Cause fails with neither set',
    source: `${REC_BASE} test_state_fail_empty (executionFailedEventDetails is {})`,
    definition: one({ Type: 'Fail' }, 'FailState'),
    expect: {
      status: 'FAILED',
      events: FAIL,
      check: (r) => {
        expect(r.error).toBeUndefined();
        expect(r.cause).toBeUndefined();
      },
    },
  },
  {
    name: 'Fail with only Error reports that error',
    source: DOC_FAIL,
    definition: one({ Type: 'Fail', Error: 'OnlyError' }),
    expect: { status: 'FAILED', error: 'OnlyError', events: FAIL },
  },
  {
    name: 'Fail ErrorPath and CausePath read the input',
    source: `${REC_BASE} test_state_fail_path`,
    definition: one({ Type: 'Fail', ErrorPath: '$.Error', CausePath: '$.Cause' }, 'FailState'),
    input: { Error: 'error string', Cause: 'cause string' },
    expect: { status: 'FAILED', error: 'error string', cause: 'cause string', events: FAIL },
  },
  {
    name: 'Fail ErrorPath and CausePath can use States.Format',
    source: `${REC_BASE} test_state_fail_intrinsic`,
    definition: one(
      {
        Type: 'Fail',
        ErrorPath: "States.Format('{}', $.Error)",
        CausePath: "States.Format('This is a custom error message for {}, caused by {}.', $.Error, $.Cause)",
      },
      'FailState',
    ),
    input: { Error: 'error string', Cause: 'cause string' },
    expect: {
      status: 'FAILED',
      error: 'error string',
      cause: 'This is a custom error message for error string, caused by cause string.',
      events: FAIL,
    },
  },
  {
    name: 'Fail ErrorPath and CausePath can read the context object',
    source: `${DOC_FAIL} (ErrorPath/CausePath may be context object paths); template localstack context_object_error_cause_path.json5`,
    definition: one({ Type: 'Fail', ErrorPath: '$$.State.Name', CausePath: '$$.StateMachine.Name' }, 'StartState'),
    expect: { status: 'FAILED', error: 'StartState', cause: 'conformance' },
  },
  {
    name: 'Fail ErrorPath that matches nothing fails with States.Runtime',
    source: `${REC_SCENARIOS} test_invalid_jsonpath[INVALID_JSONPATH_IN_ERRORPATH]`,
    definition: {
      StartAt: 'pass',
      States: {
        pass: { Type: 'Pass', Parameters: { Error: 'error-value' }, Next: 'fail' },
        fail: { Type: 'Fail', ErrorPath: '$.ErrorX' },
      },
    },
    input: { 'int-literal': 0 },
    expect: {
      status: 'FAILED',
      error: 'States.Runtime',
      cause:
        /^An error occurred while executing the state 'fail' \(entered at the event id #4\)\. The JSONPath '\$\.ErrorX' specified for the field 'ErrorPath' could not be found in the input '.*'$/,
      events: ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'FailStateEntered', 'ExecutionFailed'],
    },
  },
  {
    name: 'Fail CausePath that matches nothing fails with States.Runtime',
    source: `${REC_SCENARIOS} test_invalid_jsonpath[ST.INVALID_JSONPATH_IN_CAUSEPATH]`,
    definition: {
      StartAt: 'pass',
      States: {
        pass: { Type: 'Pass', Parameters: { Error: 'error-value' }, Next: 'fail' },
        fail: { Type: 'Fail', ErrorPath: '$.Error', CausePath: '$.NoSuchCausePath' },
      },
    },
    input: { 'int-literal': 0 },
    expect: {
      status: 'FAILED',
      error: 'States.Runtime',
      cause:
        /^An error occurred while executing the state 'fail' \(entered at the event id #4\)\. The JSONPath '\$\.NoSuchCausePath' specified for the field 'CausePath' could not be found in the input '.*'$/,
    },
  },
];

const contextCases: ConformanceCase[] = [
  {
    name: '$$.Execution.Id is the execution ARN',
    source: `${REC_BASE} test_query_context_object_values; ${DOC_CONTEXT}`,
    definition: one({ Type: 'Pass', Parameters: { 'id.$': '$$.Execution.Id' }, End: true }),
    expect: { status: 'SUCCEEDED', output: { id: EXEC_ARN('conformance') } },
  },
  {
    name: '$$.Execution.Name and Id follow the execution name',
    source: `${REC_BASE} test_query_context_object_values`,
    executionName: 'run-42',
    definition: one({ Type: 'Pass', Parameters: { 'name.$': '$$.Execution.Name', 'id.$': '$$.Execution.Id' }, End: true }),
    expect: { status: 'SUCCEEDED', output: { name: 'run-42', id: EXEC_ARN('run-42') } },
  },
  {
    name: '$$.Execution.Input stays the original input after states change the data',
    source: `${REC_BASE} test_query_context_object_values`,
    definition: {
      StartAt: 'Replace',
      States: {
        Replace: { Type: 'Pass', Result: { replaced: true }, Next: 'Read' },
        Read: { Type: 'Pass', Parameters: { 'original.$': '$$.Execution.Input', 'now.$': '$' }, End: true },
      },
    },
    input: { message: 'HelloWorld!' },
    expect: { status: 'SUCCEEDED', output: { original: { message: 'HelloWorld!' }, now: { replaced: true } } },
  },
  {
    name: '$$.Execution.StartTime is the execution start in UTC with milliseconds',
    source: `${REC_BASE} test_execution_dateformat ("2023-11-21T06:27:31.545Z" format, equals startDate)`,
    definition: one({ Type: 'Pass', Parameters: { 'out1.$': '$$.Execution.StartTime' }, End: true }),
    expect: { status: 'SUCCEEDED', output: { out1: START } },
  },
  {
    name: '$$.Execution.RoleArn is the state machine role',
    source: `${REC_BASE} test_query_context_object_values`,
    definition: one({ Type: 'Pass', Parameters: { 'role.$': '$$.Execution.RoleArn' }, End: true }),
    expect: { status: 'SUCCEEDED', output: { role: ROLE_ARN } },
  },
  {
    name: '$$.Execution.RedriveCount is 0 for a first run',
    source: `${REC_CTX} test_input_path[$$]`,
    definition: one({ Type: 'Pass', Parameters: { 'n.$': '$$.Execution.RedriveCount' }, End: true }),
    expect: { status: 'SUCCEEDED', output: { n: 0 } },
  },
  {
    name: '$$.StateMachine holds the state machine Id and Name',
    source: `${REC_BASE} test_query_context_object_values`,
    definition: one({ Type: 'Pass', Parameters: { 'sm.$': '$$.StateMachine' }, End: true }),
    expect: { status: 'SUCCEEDED', output: { sm: { Id: SM_ARN, Name: 'conformance' } } },
  },
  {
    name: '$$.State.Name is the name of the current state',
    source: `${REC_BASE} test_query_context_object_values (QueryValues1, QueryValues2)`,
    definition: {
      StartAt: 'QueryValues1',
      States: {
        QueryValues1: { Type: 'Pass', Parameters: { 'n.$': '$$.State.Name' }, ResultPath: '$.first', Next: 'QueryValues2' },
        QueryValues2: { Type: 'Pass', Parameters: { 'n.$': '$$.State.Name' }, ResultPath: '$.second', End: true },
      },
    },
    expect: { status: 'SUCCEEDED', output: { first: { n: 'QueryValues1' }, second: { n: 'QueryValues2' } } },
  },
  {
    name: '$$.State in a Pass state holds only Name and EnteredTime',
    source: `${REC_BASE} test_query_context_object_values; ${REC_CTX} test_input_path[$$] (no RetryCount outside Task)`,
    definition: one({ Type: 'Pass', Parameters: { 'state.$': '$$.State' }, End: true }, 'TestState'),
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const state = (r.output as { state: Record<string, unknown> }).state;
        expect(Object.keys(state).sort()).toEqual(['EnteredTime', 'Name']);
        expect(state.Name).toBe('TestState');
        expect(state.EnteredTime).toMatch(ISO_UTC);
      },
    },
  },
  {
    name: '$$ in a Pass state is Execution, StateMachine and State',
    source: `${REC_CTX} test_input_path[$$]; ${REC_BASE} test_query_context_object_values`,
    definition: one({ Type: 'Pass', Parameters: { 'context_object.$': '$$' }, End: true }, 'TestState'),
    input: { 'input-value': 0 },
    expect: {
      status: 'SUCCEEDED',
      check: (r) =>
        expect(r.output).toEqual({
          context_object: {
            Execution: {
              Id: EXEC_ARN('conformance'),
              Input: { 'input-value': 0 },
              StartTime: START,
              Name: 'conformance',
              RoleArn: ROLE_ARN,
              RedriveCount: 0,
            },
            StateMachine: { Id: SM_ARN, Name: 'conformance' },
            State: { Name: 'TestState', EnteredTime: expect.stringMatching(ISO_UTC) },
          },
        }),
    },
  },
  {
    name: '$$.State.EnteredTime of the first state is the execution start',
    source: `${DOC_CONTEXT} (State.EnteredTime); virtual clock starts at ${START}`,
    definition: one({ Type: 'Pass', Parameters: { 'entered.$': '$$.State.EnteredTime' }, End: true }),
    expect: { status: 'SUCCEEDED', check: waitedSeconds(0) },
  },
  {
    name: '$$.State.RetryCount is 0 on the first Task attempt',
    source: `${DOC_CONTEXT} (State.RetryCount)`,
    definition: one({ Type: 'Task', Resource: FN, Parameters: { 'rc.$': '$$.State.RetryCount' }, End: true }, 'T'),
    functions: { f: (event) => event },
    expect: { status: 'SUCCEEDED', output: { rc: 0 } },
  },
  {
    name: '$$.State.RetryCount counts the retries of a Task',
    source: `${DOC_CONTEXT} (State.RetryCount); template localstack lambda_invoke_with_retry_extended_input.json5`,
    definition: one(
      {
        Type: 'Task',
        Resource: FN,
        Parameters: { 'rc.$': '$$.State.RetryCount' },
        Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 2 }],
        End: true,
      },
      'T',
    ),
    functions: {
      f: (event, call) => {
        if (call.call === 0) throw lambdaError('Boom', 'first attempt fails');
        return event;
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: { rc: 1 },
      check: (r) => expect(r.calls.f).toEqual([{ rc: 0 }, { rc: 1 }]),
    },
  },
];

export const cases: ConformanceCase[] = [...passCases, ...waitCases, ...succeedCases, ...failCases, ...contextCases];
