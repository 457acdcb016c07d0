/**
 * Review cases: behaviours of the interpreter checked against recorded AWS answers and the AWS
 * developer guide, found in a review of local/interpreter. Each case cites its source; cases marked
 * FAILS in their comment failed on the interpreter when written.
 */
import type { CaseResult, ConformanceCase, FunctionDouble } from '../case';
import type { HistoryEvent } from '../../../local/interpreter/history';

const REC = 'recorded AWS: localstack tests/aws/services/stepfunctions/v2';
const CALLBACK = `${REC}/callback/test_callback.snapshot.json`;
const TIMEOUTS = `${REC}/timeouts/test_timeouts.snapshot.json`;
const QUOTAS = 'https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html';

const INVOKE = 'arn:aws:states:::lambda:invoke';
const INVOKE_WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

const types = (r: CaseResult): string[] => r.history.map((e) => e.type);
const byType = (r: CaseResult, type: string): HistoryEvent[] => r.history.filter((e) => e.type === type);

/** A callback worker that answers its token with SendTaskFailure carrying neither error nor cause. */
const failsWithNothing: FunctionDouble = (event, call) => {
  const token = (event as { TaskToken: string }).TaskToken;
  void call.sleep(1000).then(() => call.sendTaskFailure(token));
  return {};
};

/** The callback task of the recorded templates: the worker receives the state input and the token. */
const callbackTask = {
  Type: 'Task',
  Resource: INVOKE_WAIT,
  Parameters: { FunctionName: 'worker', Payload: { 'Context.$': '$', 'TaskToken.$': '$$.Task.Token' } },
};
const catchers = [
  { ErrorEquals: ['States.Runtime'], ResultPath: '$.states_runtime_error', Next: 'CaughtRuntimeError' },
  { ErrorEquals: ['States.ALL'], ResultPath: '$.states_all_error', Next: 'CaughtStatesALL' },
];
const caughtStates = { CaughtRuntimeError: { Type: 'Pass', End: true }, CaughtStatesALL: { Type: 'Pass', End: true } };

export const cases: ConformanceCase[] = [
  // FAILS: the error output is {Error: "", Cause: ""} and TaskFailed carries error "".
  {
    name: 'SendTaskFailure with neither error nor cause: TaskFailed has neither, and the caught error output is {Error: null, Cause: null}',
    source: `${CALLBACK} test_sqs_failure_in_wait_for_task_tok_no_error_field[SQS_WAIT_FOR_TASK_TOKEN_CATCH]`,
    definition: { StartAt: 'SendMessageWithWait', States: { SendMessageWithWait: { ...callbackTask, Catch: catchers, End: true }, ...caughtStates } },
    input: { Message: 'test_message_txt' },
    functions: { worker: failsWithNothing },
    expect: {
      status: 'SUCCEEDED',
      output: { Message: 'test_message_txt', states_all_error: { Error: null, Cause: null } },
      events: [
        'ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskFailed',
        'TaskStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded',
      ],
      check: (r) => expect(byType(r, 'TaskFailed')[0].taskFailedEventDetails).toEqual({ resource: 'invoke.waitForTaskToken', resourceType: 'lambda' }),
    },
  },
  // FAILS: no TaskStateAborted is recorded (and the error output is {Error: "", Cause: ""}).
  {
    name: 'a failed callback task in a Parallel branch: TaskFailed, TaskStateAborted, ParallelStateFailed, then the Parallel Catch',
    source: `${CALLBACK} test_sqs_failure_in_wait_for_task_tok_no_error_field[SQS_PARALLEL_WAIT_FOR_TASK_TOKEN]`,
    definition: {
      StartAt: 'ParallelJob',
      States: {
        ParallelJob: { Type: 'Parallel', Branches: [{ StartAt: 'SendMessageWithWait', States: { SendMessageWithWait: { ...callbackTask, End: true } } }], Catch: catchers, End: true },
        ...caughtStates,
      },
    },
    input: { Message: 'test_message_txt' },
    functions: { worker: failsWithNothing },
    expect: {
      status: 'SUCCEEDED',
      output: { Message: 'test_message_txt', states_all_error: { Error: null, Cause: null } },
      events: [
        'ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted',
        'TaskSubmitted', 'TaskFailed', 'TaskStateAborted', 'ParallelStateFailed', 'ParallelStateExited',
        'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded',
      ],
      check: (r) => {
        // Recorded: TaskStateAborted and ParallelStateFailed both follow the TaskFailed event.
        const failed = byType(r, 'TaskFailed')[0].id;
        expect(byType(r, 'TaskStateAborted').map((e) => e.previousEventId)).toEqual([failed]);
        expect(byType(r, 'ParallelStateFailed')[0].previousEventId).toBe(failed);
      },
    },
  },
  // FAILS: no TaskStateAborted is recorded for the Task states of the failed and aborted iterations.
  {
    name: 'a Map whose four iterations time out: one MapIterationFailed, three MapIterationAborted, and a TaskStateAborted for each running Task state',
    source: `${TIMEOUTS} test_service_lambda_map_timeout`,
    definition: {
      StartAt: 'MapWait',
      States: {
        MapWait: {
          Type: 'Map', InputPath: '$.Inputs', End: true,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'LambdaInvoke',
            States: { LambdaInvoke: { Type: 'Task', Resource: INVOKE, TimeoutSeconds: 5, Parameters: { 'FunctionName.$': '$.FunctionName', 'Payload.$': '$.Payload' }, End: true } },
          },
        },
      },
    },
    input: { Inputs: [0, 1, 2, 3].map(() => ({ FunctionName: 'slow', Payload: null })) },
    functions: { slow: async (_e, call) => { await call.sleep(60_000); return 'late'; } },
    expect: {
      status: 'FAILED',
      error: 'States.Timeout',
      check: (r) => {
        expect(byType(r, 'MapIterationFailed')).toHaveLength(1);
        expect(byType(r, 'MapIterationAborted')).toHaveLength(3);
        expect(byType(r, 'TaskStateAborted')).toHaveLength(4);
        expect(types(r).slice(-2)).toEqual(['MapStateFailed', 'ExecutionFailed']);
        expect(byType(r, 'ExecutionFailed')[0].executionFailedEventDetails).toEqual({ error: 'States.Timeout' });
      },
    },
  },
  // FAILS: the harness reports "the execution is stuck": no timer bounds the execution.
  {
    name: 'a Standard execution waiting on a task token nobody answers times out after one year',
    source: `${QUOTAS} (Quotas related to state machine executions: maximum execution time 1 year; past it the execution fails with States.Timeout)`,
    definition: { StartAt: 'Wait', States: { Wait: { ...callbackTask, End: true } } },
    functions: { worker: () => ({}) },
    expect: {
      status: 'TIMED_OUT',
      check: (r) => {
        const last = r.history[r.history.length - 1];
        expect(last.type).toBe('ExecutionTimedOut');
        const days = (last.timestamp - r.history[0].timestamp) / 86_400_000;
        expect(days).toBeGreaterThanOrEqual(365);
        expect(days).toBeLessThanOrEqual(366);
      },
    },
  },
  // FAILS: the outcome carries error States.Timeout and a cause text.
  {
    name: 'DescribeExecution of an execution stopped by TimeoutSeconds has status TIMED_OUT and neither error nor cause',
    source: `${TIMEOUTS} test_global_timeout (describe_execution: status TIMED_OUT, no error or cause field)`,
    definition: { TimeoutSeconds: 1, StartAt: 'WaitState', States: { WaitState: { Type: 'Wait', Seconds: 60, End: true } } },
    expect: { status: 'TIMED_OUT', error: undefined, cause: undefined },
  },
];
