/**
 * Parallel state: branch outputs, input/output processing, failure, Retry and Catch, nesting, and
 * the history AWS records. Branch events interleave on AWS, so exact `events` are given only for
 * single-branch machines.
 */
import type { CaseResult, ConformanceCase, FunctionDouble } from '../case';
import { lambdaError } from '../case';

const DOC = 'https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html';
const SPEC = 'https://states-language.net/spec.html#parallel-state';
const DOC_ERRORS = 'https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html';
const DOC_CONTEXT = 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html';
const SCENARIOS = 'recorded AWS: localstack tests/aws/services/stepfunctions/v2/scenarios/test_base_scenarios.snapshot.json';
// The snapshot's parallel transformer drops ParallelStateSucceeded/Exited events of inner states;
// their place is kept by the event ids, from which the full sequence below is read.
const IDS_NOTE = '(events the snapshot transformer elides are placed by the recorded event ids)';

const fn = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** A one-state branch. */
const branch = (name: string, state: Record<string, unknown>): Record<string, unknown> => ({
  StartAt: name,
  States: { [name]: { End: true, ...state } },
});
const passBranch = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> =>
  branch(name, { Type: 'Pass', ...extra });
const failBranch = (name: string, error: string, cause?: string): Record<string, unknown> => ({
  StartAt: name,
  States: { [name]: { Type: 'Fail', Error: error, ...(cause === undefined ? {} : { Cause: cause }) } },
});
const taskBranch = (name: string, fnName: string, extra: Record<string, unknown> = {}): Record<string, unknown> =>
  branch(name, { Type: 'Task', Resource: fn(fnName), ...extra });

/** A machine whose only state is the Parallel `P`. */
const parallelOnly = (branches: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  StartAt: 'P',
  States: { P: { Type: 'Parallel', Branches: branches, End: true, ...extra } },
});

const enteredNames = (r: CaseResult): string[] =>
  r.history
    .filter((e) => e.type.endsWith('StateEntered'))
    .map((e) => (e.stateEnteredEventDetails as { name: string }).name);

function only(r: CaseResult, type: string) {
  const events = r.history.filter((e) => e.type === type);
  expect(events).toHaveLength(1);
  return events[0];
}

const sleepsThen =
  (ms: number, result: unknown): FunctionDouble =>
  async (_e, call) => {
    await call.sleep(ms);
    return result;
  };

const lambdaAttempt = ['LambdaFunctionScheduled', 'LambdaFunctionStarted'];

export const cases: ConformanceCase[] = [
  // ---- Outputs ---------------------------------------------------------------------------------------
  {
    name: 'the output is an array of branch outputs in branch order',
    source: `${SCENARIOS} test_parallel_state_order`,
    definition: {
      StartAt: 'StartState',
      States: {
        StartState: {
          Type: 'Parallel',
          Branches: [0, 1, 2, 3].map((i) => passBranch(`Branch${i}`, { Result: { branch: i } })),
          End: true,
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: [{ branch: 0 }, { branch: 1 }, { branch: 2 }, { branch: 3 }],
      check: (r) => {
        // 2 + 4 branches x (PassStateEntered, PassStateExited) + Succeeded, Exited + ExecutionSucceeded
        expect(r.history).toHaveLength(14);
        expect(r.history.slice(0, 3).map((e) => e.type)).toEqual(['ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted']);
        expect(r.history.slice(-3).map((e) => e.type)).toEqual(['ParallelStateSucceeded', 'ParallelStateExited', 'ExecutionSucceeded']);
      },
    },
  },
  {
    name: 'every branch receives the Parallel state input',
    source: `${SCENARIOS} test_parallel_state`,
    definition: {
      StartAt: 'LoadInput',
      States: {
        LoadInput: { Type: 'Pass', Result: [1, 2, 3, 4], Next: 'ParallelState' },
        ParallelState: {
          Type: 'Parallel',
          End: true,
          Branches: [
            passBranch('Branch1'),
            { StartAt: 'Branch21', States: { Branch21: { Type: 'Pass', Next: 'Branch22' }, Branch22: { Type: 'Pass', End: true } } },
            {
              StartAt: 'Branch31',
              States: {
                Branch31: { Type: 'Pass', Next: 'Branch32' },
                Branch32: { Type: 'Pass', Next: 'Branch33' },
                Branch33: { Type: 'Pass', End: true },
              },
            },
          ],
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: [
        [1, 2, 3, 4],
        [1, 2, 3, 4],
        [1, 2, 3, 4],
      ],
      check: (r) => {
        expect(r.history).toHaveLength(20);
        expect(enteredNames(r).sort()).toEqual(['Branch1', 'Branch21', 'Branch22', 'Branch31', 'Branch32', 'Branch33', 'LoadInput', 'ParallelState']);
      },
    },
  },
  {
    name: 'a single-branch Parallel: ParallelStateStarted, branch events, ParallelStateSucceeded, ParallelStateExited',
    source: `${SCENARIOS} test_parallel_state_order ${IDS_NOTE}`,
    definition: parallelOnly([passBranch('B', { Result: 'b' })]),
    expect: {
      status: 'SUCCEEDED',
      output: ['b'],
      entered: ['P', 'B'],
      events: [
        'ExecutionStarted',
        'ParallelStateEntered',
        'ParallelStateStarted',
        'PassStateEntered',
        'PassStateExited',
        'ParallelStateSucceeded',
        'ParallelStateExited',
        'ExecutionSucceeded',
      ],
    },
  },
  {
    name: 'a branch of several states outputs its last state\'s output',
    source: `${SPEC} (each branch is a state machine; its output is that of its terminal state)`,
    definition: parallelOnly([
      {
        StartAt: 'One',
        States: {
          One: { Type: 'Pass', Result: 1, ResultPath: '$.one', Next: 'Two' },
          Two: { Type: 'Pass', Result: 2, ResultPath: '$.two', End: true },
        },
      },
    ]),
    input: { start: true },
    expect: { status: 'SUCCEEDED', output: [{ start: true, one: 1, two: 2 }] },
  },
  {
    name: 'a branch ending in a Succeed state outputs that state\'s input',
    source: `${SPEC} (Succeed state: output equals its input)`,
    definition: parallelOnly([{ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }, passBranch('Other', { Result: 'x' })]),
    input: { k: 'v' },
    expect: { status: 'SUCCEEDED', output: [{ k: 'v' }, 'x'] },
  },
  {
    name: 'a branch with a Choice takes its own path',
    source: `${SPEC} (branches are full state machines)`,
    definition: parallelOnly([
      {
        StartAt: 'Pick',
        States: {
          Pick: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 5, Next: 'Big' }], Default: 'Small' },
          Big: { Type: 'Pass', Result: 'big', End: true },
          Small: { Type: 'Pass', Result: 'small', End: true },
        },
      },
    ]),
    input: { n: 9 },
    expect: { status: 'SUCCEEDED', output: ['big'] },
  },
  {
    name: 'a branch may hold a Map; its result is that branch\'s output',
    source: `${SPEC} (branches are full state machines); https://states-language.net/spec.html#map-state`,
    definition: parallelOnly([
      branch('Double', {
        Type: 'Map',
        ItemProcessor: { StartAt: 'Add', States: { Add: { Type: 'Pass', Parameters: { 'v.$': 'States.MathAdd($, $)' }, End: true } } },
      }),
      passBranch('Other', { Result: 'x' }),
    ]),
    input: [1, 2],
    expect: { status: 'SUCCEEDED', output: [[{ v: 2 }, { v: 4 }], 'x'] },
  },
  {
    name: 'outputs keep branch order when a later branch finishes first',
    source: `${DOC} (the output is an array with one element per branch, holding that branch's output)`,
    definition: parallelOnly([taskBranch('Slow', 'slow'), taskBranch('Fast', 'fast')]),
    functions: { slow: sleepsThen(5000, 'slow result'), fast: () => 'fast result' },
    expect: { status: 'SUCCEEDED', output: ['slow result', 'fast result'] },
  },
  {
    name: 'branches run concurrently: two 5 s waits take 5 s',
    source: `${DOC} (branches are executed in parallel)`,
    definition: parallelOnly([
      branch('W1', { Type: 'Wait', Seconds: 5 }),
      branch('W2', { Type: 'Wait', Seconds: 5 }),
    ]),
    expect: {
      status: 'SUCCEEDED',
      output: [{}, {}],
      check: (r) => expect(only(r, 'ParallelStateExited').timestamp - only(r, 'ParallelStateEntered').timestamp).toBe(5000),
    },
  },
  {
    name: 'a Lambda task in a single branch: its events sit between ParallelStateStarted and ParallelStateSucceeded',
    source: `${SCENARIOS} test_parallel_state_order (Parallel events) ${IDS_NOTE}, with the Lambda task events recorded in error_handling/test_task_lambda.snapshot.json`,
    definition: parallelOnly([taskBranch('Call', 'f')]),
    input: { x: 1 },
    functions: { f: (event) => ({ got: event }) },
    expect: {
      status: 'SUCCEEDED',
      output: [{ got: { x: 1 } }],
      events: [
        'ExecutionStarted',
        'ParallelStateEntered',
        'ParallelStateStarted',
        'TaskStateEntered',
        ...lambdaAttempt,
        'LambdaFunctionSucceeded',
        'TaskStateExited',
        'ParallelStateSucceeded',
        'ParallelStateExited',
        'ExecutionSucceeded',
      ],
    },
  },
  // ---- Input and output processing ------------------------------------------------------------------
  {
    name: 'InputPath selects what the branches receive',
    source: `${DOC} (InputPath)`,
    definition: parallelOnly([passBranch('A'), passBranch('B')], { InputPath: '$.part' }),
    input: { part: { n: 1 }, other: true },
    expect: { status: 'SUCCEEDED', output: [{ n: 1 }, { n: 1 }] },
  },
  {
    name: 'Parameters build the branch input',
    source: `${DOC} (Parameters: the key-value pairs, static or selected from the input, given to each branch)`,
    definition: parallelOnly([passBranch('A')], { Parameters: { 'id.$': '$.order.id', fixed: 'yes' } }),
    input: { order: { id: 42 } },
    expect: { status: 'SUCCEEDED', output: [{ id: 42, fixed: 'yes' }] },
  },
  {
    name: 'ResultSelector reshapes the array of branch outputs',
    source: `${DOC} (ResultSelector)`,
    definition: parallelOnly([passBranch('A', { Result: { v: 'a' } }), passBranch('B', { Result: { v: 'b' } })], {
      ResultSelector: { 'first.$': '$[0].v', 'second.$': '$[1].v' },
    }),
    expect: { status: 'SUCCEEDED', output: { first: 'a', second: 'b' } },
  },
  {
    name: 'ResultPath places the branch outputs in the input',
    source: `${DOC} (ResultPath)`,
    definition: parallelOnly([passBranch('A', { Result: 1 }), passBranch('B', { Result: 2 })], { ResultPath: '$.results' }),
    input: { keep: 'me' },
    expect: { status: 'SUCCEEDED', output: { keep: 'me', results: [1, 2] } },
  },
  {
    name: 'ResultSelector then ResultPath',
    source: `${DOC} (ResultSelector is applied before ResultPath)`,
    definition: parallelOnly([passBranch('A', { Result: 1 }), passBranch('B', { Result: 2 })], {
      ResultSelector: { 'a.$': '$[0]' },
      ResultPath: '$.sel',
    }),
    input: { keep: 'me' },
    expect: { status: 'SUCCEEDED', output: { keep: 'me', sel: { a: 1 } } },
  },
  {
    name: 'ResultPath null passes the Parallel input on',
    source: `${DOC} (ResultPath); https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html (null discards the result)`,
    definition: parallelOnly([passBranch('A', { Result: 1 })], { ResultPath: null }),
    input: { keep: 'me' },
    expect: { status: 'SUCCEEDED', output: { keep: 'me' } },
  },
  {
    name: 'OutputPath picks one branch output',
    source: `${DOC} (OutputPath)`,
    definition: parallelOnly([passBranch('A', { Result: 'a' }), passBranch('B', { Result: 'b' })], { OutputPath: '$[1]' }),
    expect: { status: 'SUCCEEDED', output: 'b' },
  },
  {
    name: 'a branch reads $$.Execution.Input, the execution input, not its own input',
    source: `${DOC_CONTEXT} (Execution.Input)`,
    definition: parallelOnly([passBranch('A', { Parameters: { 'whole.$': '$$.Execution.Input', 'mine.$': '$' } })], {
      InputPath: '$.part',
    }),
    input: { part: { n: 1 }, other: 'x' },
    expect: { status: 'SUCCEEDED', output: [{ whole: { part: { n: 1 }, other: 'x' }, mine: { n: 1 } }] },
  },
  // ---- Failure ------------------------------------------------------------------------------------------
  {
    name: 'a failing branch fails the Parallel with the branch\'s error: ParallelStateFailed, ExecutionFailed',
    source: `${SCENARIOS} test_parallel_state_fail`,
    definition: { StartAt: 'ParallelState', States: { ParallelState: { Type: 'Parallel', End: true, Branches: [failBranch('Branch1', 'FailureType')] } } },
    expect: {
      status: 'FAILED',
      error: 'FailureType',
      events: ['ExecutionStarted', 'ParallelStateEntered', 'ParallelStateStarted', 'FailStateEntered', 'ParallelStateFailed', 'ExecutionFailed'],
      check: (r) => expect(only(r, 'ExecutionFailed').executionFailedEventDetails).toEqual({ error: 'FailureType' }),
    },
  },
  {
    name: 'the branch\'s cause is the execution cause',
    source: `${SCENARIOS} test_parallel_state_retry (ExecutionFailed error and cause of the branch Fail state)`,
    definition: parallelOnly([passBranch('Ok'), failBranch('Bad', 'FailureType', 'Cause description')]),
    expect: { status: 'FAILED', error: 'FailureType', cause: 'Cause description' },
  },
  {
    name: 'a Lambda error in a branch is the Parallel\'s error',
    source: `${DOC} (an unhandled error in a branch fails the Parallel state); the TaskStateAborted after the failure as recorded in localstack tests/aws/services/stepfunctions/v2/callback/test_callback.snapshot.json (SQS_PARALLEL_WAIT_FOR_TASK_TOKEN) and timeouts/test_timeouts.snapshot.json (test_service_lambda_map_timeout)`,
    definition: parallelOnly([taskBranch('Call', 'f')]),
    functions: {
      f: () => {
        throw lambdaError('CustomError', 'branch broke');
      },
    },
    expect: {
      status: 'FAILED',
      error: 'CustomError',
      cause: /"errorMessage":\s*"branch broke"/,
      events: [
        'ExecutionStarted',
        'ParallelStateEntered',
        'ParallelStateStarted',
        'TaskStateEntered',
        ...lambdaAttempt,
        'LambdaFunctionFailed',
        'TaskStateAborted',
        'ParallelStateFailed',
        'ExecutionFailed',
      ],
    },
  },
  {
    name: 'when one branch fails the other branches are stopped',
    source: `${DOC} ("If any branch fails ... the entire Parallel state fails, and all of its branches are stopped")`,
    definition: parallelOnly([
      failBranch('Bad', 'FailureType', 'now'),
      { StartAt: 'Slow', States: { Slow: { Type: 'Wait', Seconds: 100, Next: 'Late' }, Late: { Type: 'Pass', End: true } } },
    ]),
    expect: {
      status: 'FAILED',
      error: 'FailureType',
      check: (r) => expect(enteredNames(r)).not.toContain('Late'),
    },
  },
  {
    name: 'a task timeout in a branch fails the Parallel with States.Timeout',
    source: `${DOC} (a branch error fails the Parallel); ${DOC_ERRORS} (States.Timeout)`,
    definition: parallelOnly([taskBranch('Call', 'f', { TimeoutSeconds: 1 })]),
    functions: { f: sleepsThen(10_000, 'late') },
    expect: { status: 'FAILED', error: 'States.Timeout' },
  },
  {
    name: 'an error caught inside the branch does not fail the Parallel',
    source: `${DOC} (only an unhandled error in a branch fails the Parallel state)`,
    definition: parallelOnly([
      {
        StartAt: 'Call',
        States: {
          Call: { Type: 'Task', Resource: fn('f'), Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Recover' }], End: true },
          Recover: { Type: 'Pass', Result: 'recovered', End: true },
        },
      },
      passBranch('Other', { Result: 'other' }),
    ]),
    functions: {
      f: () => {
        throw lambdaError('CustomError', 'handled in branch');
      },
    },
    expect: { status: 'SUCCEEDED', output: ['recovered', 'other'] },
  },
  // ---- Catch ----------------------------------------------------------------------------------------------
  {
    name: 'Catch on a Parallel: ParallelStateFailed, ParallelStateExited with the error output, then the handler',
    source: `${SCENARIOS} test_parallel_state_catch`,
    definition: {
      StartAt: 'ParallelState',
      States: {
        ParallelState: {
          Type: 'Parallel',
          Branches: [failBranch('Branch1', 'FailureType', 'Cause description')],
          Catch: [{ ErrorEquals: ['FailureType'], Next: 'FinalCaught' }],
          Next: 'Final',
        },
        FinalCaught: { Type: 'Pass', End: true },
        Final: { Type: 'Pass', End: true },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: { Error: 'FailureType', Cause: 'Cause description' },
      entered: ['ParallelState', 'Branch1', 'FinalCaught'],
      events: [
        'ExecutionStarted',
        'ParallelStateEntered',
        'ParallelStateStarted',
        'FailStateEntered',
        'ParallelStateFailed',
        'ParallelStateExited',
        'PassStateEntered',
        'PassStateExited',
        'ExecutionSucceeded',
      ],
    },
  },
  {
    name: 'Catch on a Parallel with ResultPath keeps the input',
    source: `${DOC} (Catch); ${DOC_ERRORS} (Error output with ResultPath)`,
    definition: {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [failBranch('Bad', 'FailureType', 'Cause description')],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', End: true },
      },
    },
    input: { keep: 'me' },
    expect: { status: 'SUCCEEDED', output: { keep: 'me', error: { Error: 'FailureType', Cause: 'Cause description' } } },
  },
  {
    name: 'a Parallel catcher for another error does not catch',
    source: `${DOC_ERRORS} (a catcher applies when the error name is in its ErrorEquals)`,
    definition: {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [failBranch('Bad', 'FailureType', 'Cause description')],
          Catch: [{ ErrorEquals: ['OtherError'], Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', End: true },
      },
    },
    expect: { status: 'FAILED', error: 'FailureType', cause: 'Cause description' },
  },
  {
    name: 'a Lambda error from a branch is caught on the Parallel with its error output',
    source: `${DOC} (Catch); ${DOC_ERRORS} (Error output)`,
    definition: {
      StartAt: 'P',
      States: {
        P: { Type: 'Parallel', Branches: [taskBranch('Call', 'f')], Catch: [{ ErrorEquals: ['CustomError'], Next: 'Handled' }], End: true },
        Handled: { Type: 'Pass', End: true },
      },
    },
    functions: {
      f: () => {
        throw lambdaError('CustomError', 'branch broke');
      },
    },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const out = r.output as { Error: string; Cause: string };
        expect(out.Error).toBe('CustomError');
        expect(JSON.parse(out.Cause)).toMatchObject({ errorType: 'CustomError', errorMessage: 'branch broke' });
      },
    },
  },
  // ---- Retry -------------------------------------------------------------------------------------------------
  {
    name: 'Retry on a Parallel: ParallelStateStarted again for each attempt, no ParallelStateFailed between',
    source: `${SCENARIOS} test_parallel_state_retry`,
    definition: {
      StartAt: 'ParallelState',
      States: {
        ParallelState: {
          Type: 'Parallel',
          Branches: [failBranch('Branch1', 'FailureType', 'Cause description')],
          Retry: [{ ErrorEquals: ['FailureType'], MaxAttempts: 2 }],
          Next: 'Final',
        },
        Final: { Type: 'Pass', End: true },
      },
    },
    expect: {
      status: 'FAILED',
      error: 'FailureType',
      cause: 'Cause description',
      events: [
        'ExecutionStarted',
        'ParallelStateEntered',
        'ParallelStateStarted',
        'FailStateEntered',
        'ParallelStateStarted',
        'FailStateEntered',
        'ParallelStateStarted',
        'FailStateEntered',
        'ParallelStateFailed',
        'ExecutionFailed',
      ],
    },
  },
  {
    name: 'a Parallel retry re-runs every branch',
    source: `${SCENARIOS} test_parallel_state_retry (the whole state runs again); ${DOC} (Retry)`,
    definition: parallelOnly(
      [
        { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 1, Next: 'Flaky' }, Flaky: { Type: 'Task', Resource: fn('flaky'), End: true } } },
        taskBranch('Steady', 'steady'),
      ],
      { Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 1 }] },
    ),
    functions: {
      flaky: (_e, call) => {
        if (call.call === 0) throw lambdaError('Boom', 'first run');
        return 'flaky ok';
      },
      steady: (_e, call) => `steady run ${call.call}`,
    },
    expect: {
      status: 'SUCCEEDED',
      output: ['flaky ok', 'steady run 1'],
      check: (r) => {
        expect(r.calls.flaky).toHaveLength(2);
        expect(r.calls.steady).toHaveLength(2);
        expect(r.history.filter((e) => e.type === 'ParallelStateStarted')).toHaveLength(2);
        expect(r.history.filter((e) => e.type === 'ParallelStateEntered')).toHaveLength(1);
      },
    },
  },
  {
    name: 'a Parallel retry waits IntervalSeconds before starting again',
    source: `${DOC_ERRORS} (IntervalSeconds); ${SCENARIOS} test_parallel_state_retry (a retry is a new ParallelStateStarted)`,
    definition: parallelOnly([failBranch('Bad', 'FailureType', 'c')], {
      Retry: [{ ErrorEquals: ['FailureType'], IntervalSeconds: 3, MaxAttempts: 1 }],
    }),
    expect: {
      status: 'FAILED',
      error: 'FailureType',
      check: (r) => {
        const starts = r.history.filter((e) => e.type === 'ParallelStateStarted');
        expect(starts).toHaveLength(2);
        expect(starts[1].timestamp - starts[0].timestamp).toBe(3000);
      },
    },
  },
  {
    name: 'Retry then Catch on a Parallel',
    source: `${DOC_ERRORS} (retriers first, then catchers)`,
    definition: {
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [failBranch('Bad', 'FailureType', 'Cause description')],
          Retry: [{ ErrorEquals: ['FailureType'], MaxAttempts: 1 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', End: true },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: { Error: 'FailureType', Cause: 'Cause description' },
      check: (r) => expect(r.history.filter((e) => e.type === 'FailStateEntered')).toHaveLength(2),
    },
  },
  // ---- Nesting ---------------------------------------------------------------------------------------------------
  {
    name: 'nested Parallel: output [[input]] and the nested state events',
    source: `${SCENARIOS} test_parallel_state_nested ${IDS_NOTE}`,
    definition: {
      StartAt: 'ParallelStateL1',
      States: {
        ParallelStateL1: {
          Type: 'Parallel',
          End: true,
          Branches: [
            {
              StartAt: 'ParallelStateL2',
              States: { ParallelStateL2: { Type: 'Parallel', End: true, Branches: [passBranch('BranchL2')] } },
            },
          ],
        },
      },
    },
    input: [
      [1, 2, 3],
      [4, 5, 6],
    ],
    expect: {
      status: 'SUCCEEDED',
      output: [
        [
          [
            [1, 2, 3],
            [4, 5, 6],
          ],
        ],
      ],
      entered: ['ParallelStateL1', 'ParallelStateL2', 'BranchL2'],
      events: [
        'ExecutionStarted',
        'ParallelStateEntered',
        'ParallelStateStarted',
        'ParallelStateEntered',
        'ParallelStateStarted',
        'PassStateEntered',
        'PassStateExited',
        'ParallelStateSucceeded',
        'ParallelStateExited',
        'ParallelStateSucceeded',
        'ParallelStateExited',
        'ExecutionSucceeded',
      ],
    },
  },
  {
    name: 'a failure in a nested Parallel fails both levels with the inner error',
    source: `${SCENARIOS} test_parallel_state_fail (FailStateEntered, ParallelStateFailed, ExecutionFailed; the nested order is that shape applied at each level)`,
    definition: parallelOnly([
      { StartAt: 'Inner', States: { Inner: { Type: 'Parallel', End: true, Branches: [failBranch('Bad', 'DeepError', 'deep')] } } },
    ]),
    expect: {
      status: 'FAILED',
      error: 'DeepError',
      cause: 'deep',
      events: [
        'ExecutionStarted',
        'ParallelStateEntered',
        'ParallelStateStarted',
        'ParallelStateEntered',
        'ParallelStateStarted',
        'FailStateEntered',
        'ParallelStateFailed',
        'ParallelStateFailed',
        'ExecutionFailed',
      ],
    },
  },
  // ---- Definitions AWS rejects ---------------------------------------------------------------------------------
  {
    name: 'a branch state cannot transition to a state outside its branch',
    source: `${SPEC} (a state inside a branch may transition only to states of the same branch)`,
    definition: {
      StartAt: 'P',
      States: {
        P: { Type: 'Parallel', Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', Next: 'Outside' } } }], Next: 'Outside' },
        Outside: { Type: 'Pass', End: true },
      },
    },
    expect: { definitionError: { name: 'InvalidDefinition' } },
  },
  {
    name: 'a Parallel state without Branches is rejected',
    source: `${SPEC} (a Parallel state MUST contain a field named "Branches")`,
    definition: { StartAt: 'P', States: { P: { Type: 'Parallel', End: true } } },
    expect: { definitionError: { name: 'InvalidDefinition' } },
  },
];
