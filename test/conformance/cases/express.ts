/**
 * Express workflows (`type: 'EXPRESS'`): the same ASL semantics as Standard (output, errors,
 * Retry/Catch), what StartSyncExecution answers (status, output, error, cause), what CreateStateMachine
 * refuses for Express (.sync, .waitForTaskToken, activities, Distributed Map), the Express context
 * object and the five-minute limit. AWS keeps no GetExecutionHistory for Express executions, so no
 * case asserts `events` or `entered`.
 * https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html
 */
import type { ConformanceCase } from '../case';
import { lambdaError } from '../case';

const DOC_TYPES = 'https://docs.aws.amazon.com/step-functions/latest/dg/choosing-workflow-type.html';
const DOC_QUOTAS = 'https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html';
const DOC_CONTEXT = 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html';
const DOC_ERRORS = 'https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html';
const LS = 'recorded AWS: localstack tests/aws/services/stepfunctions/v2/';
const SYNC = `${LS}express/test_express_sync.snapshot.json`;
const ASYNC = `${LS}express/test_express_async.snapshot.json`;
const API_EXPRESS = `${LS}test_sfn_api_express.snapshot.json`;

const ARN = 'arn:aws:states:us-east-1:123456789012';
const fn = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const raise = () => {
  throw lambdaError('Exception', 'Some exception was raised.');
};

export const cases: ConformanceCase[] = [
  // ---- Same semantics as Standard ---------------------------------------------------------------------------
  {
    name: 'an Express Pass with Result succeeds with that result',
    source: `${SYNC} test_base[BASE_PASS_RESULT] (start_execution_sync_response status SUCCEEDED, output); ${ASYNC} test_base[BASE_PASS_RESULT]`,
    type: 'EXPRESS',
    definition: { StartAt: 'Result', States: { Result: { Type: 'Pass', Result: { Arg1: 'argument1' }, End: true } } },
    expect: { status: 'SUCCEEDED', output: { Arg1: 'argument1' } },
  },
  {
    name: 'an Express Fail state: StartSyncExecution answers FAILED with the error and cause',
    source: `${SYNC} test_base[BASE_RAISE_FAILURE] (status FAILED, error, cause)`,
    type: 'EXPRESS',
    definition: { StartAt: 'Stop', States: { Stop: { Type: 'Fail', Error: 'SomeFailure', Cause: "This state machines raises a 'SomeFailure' failure." } } },
    expect: { status: 'FAILED', error: 'SomeFailure', cause: "This state machines raises a 'SomeFailure' failure." },
  },
  {
    name: 'an Express Catch turns a Lambda error into the error output',
    source: `${SYNC} test_catch (output {Error: "Exception", Cause: <the Lambda error JSON>})`,
    type: 'EXPRESS',
    definition: {
      StartAt: 'Invoke',
      States: {
        Invoke: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'raise', 'Payload.$': '$' },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    },
    functions: { raise },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const out = r.output as { Error: string; Cause: string };
        expect(Object.keys(out).sort()).toEqual(['Cause', 'Error']);
        expect(out.Error).toBe('Exception');
        expect(JSON.parse(out.Cause)).toMatchObject({ errorType: 'Exception', errorMessage: 'Some exception was raised.' });
      },
    },
  },
  {
    name: 'an Express Retry runs the task 1 + MaxAttempts times before the Catch',
    source: `${SYNC} test_retry (MaxAttempts 3, then the catcher's error output; billed 7.6 s = 1 + 2 + 4 s of intervals)`,
    type: 'EXPRESS',
    definition: {
      StartAt: 'Invoke',
      States: {
        Invoke: {
          Type: 'Task',
          Resource: fn('raise'),
          Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 3 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    },
    functions: { raise },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        expect(r.calls.raise).toHaveLength(4);
        expect((r.output as { Error: string }).Error).toBe('Exception');
      },
    },
  },
  {
    name: 'an Express Retry that succeeds on the second attempt',
    source: `${DOC_ERRORS} (Retry); ${DOC_TYPES} (Express workflows run the same Amazon States Language)`,
    type: 'EXPRESS',
    definition: {
      StartAt: 'Invoke',
      States: { Invoke: { Type: 'Task', Resource: fn('flaky'), Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 1 }], End: true } },
    },
    input: { n: 1 },
    functions: {
      flaky: (event, call) => {
        if (call.call === 0) throw lambdaError('Boom', 'first call fails');
        return event;
      },
    },
    expect: { status: 'SUCCEEDED', output: { n: 1 }, check: (r) => expect(r.calls.flaky).toHaveLength(2) },
  },
  {
    name: 'an uncaught Lambda error fails an Express execution with the Lambda error',
    source: `${DOC_ERRORS} (Lambda function errors); ${DOC_TYPES}`,
    type: 'EXPRESS',
    definition: { StartAt: 'Invoke', States: { Invoke: { Type: 'Task', Resource: fn('raise'), End: true } } },
    functions: { raise },
    expect: {
      status: 'FAILED',
      error: 'Exception',
      check: (r) => expect(JSON.parse(r.cause ?? '')).toMatchObject({ errorMessage: 'Some exception was raised.' }),
    },
  },
  {
    name: 'an inline Map in an Express workflow',
    source: `https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html; ${DOC_TYPES}`,
    type: 'EXPRESS',
    definition: {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemProcessor: { StartAt: 'Wrap', States: { Wrap: { Type: 'Pass', Parameters: { 'v.$': '$' }, End: true } } },
          End: true,
        },
      },
    },
    input: [1, 2],
    expect: { status: 'SUCCEEDED', output: [{ v: 1 }, { v: 2 }] },
  },
  {
    name: 'a Parallel in an Express workflow',
    source: `https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html; ${DOC_TYPES}`,
    type: 'EXPRESS',
    definition: {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', Result: 'a', End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Pass', Result: 'b', End: true } } },
          ],
          End: true,
        },
      },
    },
    expect: { status: 'SUCCEEDED', output: ['a', 'b'] },
  },
  {
    name: 'JSONata in an Express workflow',
    source: `https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html; ${DOC_TYPES}`,
    type: 'EXPRESS',
    definition: { QueryLanguage: 'JSONata', StartAt: 'Sum', States: { Sum: { Type: 'Pass', Output: { total: '{% $sum($states.input.values) %}' }, End: true } } },
    input: { values: [1, 2, 3] },
    expect: { status: 'SUCCEEDED', output: { total: 6 } },
  },
  // ---- The context object --------------------------------------------------------------------------------------
  {
    name: 'the Express context object: express execution ARN, name, input, role, state machine and state',
    source: `${SYNC} test_query_runtime_memory (Execution.Id arn:...:express:<machine>:<name>:<id>; Execution {Id, Input, Name, RoleArn, StartTime}); ${DOC_CONTEXT}`,
    type: 'EXPRESS',
    definition: {
      StartAt: 'Look',
      States: { Look: { Type: 'Pass', Parameters: { 'execution.$': '$$.Execution', 'machine.$': '$$.StateMachine', 'state.$': '$$.State.Name' }, End: true } },
    },
    input: { message: 'TestMessage' },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const out = r.output as { execution: Record<string, unknown>; machine: unknown; state: string };
        // The async recording also shows RedriveCount 0 and the sync one does not: it is not asserted.
        expect(out.execution).toMatchObject({ Input: { message: 'TestMessage' }, Name: 'conformance', RoleArn: 'arn:aws:iam::123456789012:role/conformance' });
        expect(out.execution.Id).toMatch(/^arn:aws:states:us-east-1:123456789012:express:conformance:conformance:[^:]+$/);
        expect(typeof out.execution.StartTime).toBe('string');
        expect(out.machine).toEqual({ Id: `${ARN}:stateMachine:conformance`, Name: 'conformance' });
        expect(out.state).toBe('Look');
      },
    },
  },
  // ---- Refused at CreateStateMachine ----------------------------------------------------------------------------
  {
    name: 'an Express machine cannot use .waitForTaskToken',
    source: `${API_EXPRESS} test_illegal_callbacks[WAIT_FOR_TASK_TOKEN] (creation_error; AWS's message has two spaces before "at")`,
    type: 'EXPRESS',
    definition: {
      StartAt: 'Publish',
      States: {
        Publish: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sns:publish.waitForTaskToken',
          Parameters: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:topic', Message: { 'TaskToken.$': '$$.Task.Token' } },
          End: true,
        },
      },
    },
    expect: {
      definitionError: {
        name: 'InvalidDefinition',
        message: "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support '.waitForTaskToken' service integration  at /States/Publish/Resource'",
      },
    },
  },
  {
    name: 'an Express machine cannot use .sync',
    source: `${API_EXPRESS} test_illegal_callbacks[SYNC] (creation_error)`,
    type: 'EXPRESS',
    definition: {
      StartAt: 'StartExecution',
      States: {
        StartExecution: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.sync',
          Parameters: { StateMachineArn: `${ARN}:stateMachine:other`, Input: {} },
          End: true,
        },
      },
    },
    expect: {
      definitionError: {
        name: 'InvalidDefinition',
        message: "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support '.sync' service integration at /States/StartExecution/Resource'",
      },
    },
  },
  {
    name: 'an Express machine cannot run an activity',
    source: `${API_EXPRESS} test_illegal_activity_task (creation_error)`,
    type: 'EXPRESS',
    definition: { StartAt: 'ActivityTask', States: { ActivityTask: { Type: 'Task', Resource: `${ARN}:activity:worker`, End: true } } },
    expect: {
      definitionError: {
        name: 'InvalidDefinition',
        message: "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support Activity ARN at /States/ActivityTask/Resource'",
      },
    },
  },
  {
    name: 'the same .waitForTaskToken Task is accepted in a Standard machine',
    source: `${API_EXPRESS} test_illegal_callbacks (the refusal is specific to Express); https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token`,
    definition: {
      StartAt: 'Publish',
      States: {
        Publish: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
          Parameters: { FunctionName: 'worker', Payload: { 'token.$': '$$.Task.Token' } },
          End: true,
        },
      },
    },
    functions: {
      worker: (event, call) => {
        // Answer later, as a worker would, once the task waits for its token.
        void call.sleep(1000).then(() => call.sendTaskSuccess((event as { token: string }).token, { ok: true }));
        return {};
      },
    },
    expect: { status: 'SUCCEEDED', output: { ok: true } },
  },
  {
    name: 'an Express machine cannot contain a Distributed Map (unverified wording)',
    source: 'https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html (Warning: Distributed mode is supported in Standard workflows but not supported in Express workflows); the refusal message is not recorded',
    type: 'EXPRESS',
    definition: {
      StartAt: 'MapState',
      States: {
        MapState: {
          Type: 'Map',
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    },
    expect: { definitionError: { name: 'InvalidDefinition' } },
  },
  // ---- Duration -------------------------------------------------------------------------------------------------
  {
    name: 'an Express execution may run for just under five minutes',
    source: `${DOC_QUOTAS} (Express maximum execution duration: 5 minutes); ${DOC_TYPES}`,
    type: 'EXPRESS',
    definition: { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 299, End: true } } },
    input: { a: 1 },
    expect: { status: 'SUCCEEDED', output: { a: 1 } },
  },
  {
    name: 'an Express execution that runs past five minutes times out',
    source: `${DOC_QUOTAS} (Express maximum execution duration: 5 minutes); https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartSyncExecution.html (status TIMED_OUT)`,
    type: 'EXPRESS',
    definition: { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 600, Next: 'After' }, After: { Type: 'Pass', End: true } } },
    expect: { status: 'TIMED_OUT' },
  },
  {
    name: 'an Express state machine TimeoutSeconds ends the execution TIMED_OUT',
    source: 'https://states-language.net/spec.html#toplevelfields (TimeoutSeconds); https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartSyncExecution.html (status TIMED_OUT)',
    type: 'EXPRESS',
    definition: { TimeoutSeconds: 2, StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 10, End: true } } },
    expect: { status: 'TIMED_OUT' },
  },
  {
    name: 'a Task TimeoutSeconds in an Express workflow raises States.Timeout, which Catch handles',
    source: `${DOC_ERRORS} (States.Timeout); ${DOC_TYPES}`,
    type: 'EXPRESS',
    definition: {
      StartAt: 'Slow',
      States: {
        Slow: { Type: 'Task', Resource: fn('slow'), TimeoutSeconds: 1, Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'TimedOut' }], End: true },
        TimedOut: { Type: 'Pass', Result: 'timed out', End: true },
      },
    },
    functions: {
      slow: async (_event, call) => {
        await call.sleep(5000);
        return 'late';
      },
    },
    expect: { status: 'SUCCEEDED', output: 'timed out' },
  },
];
