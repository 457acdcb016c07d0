/**
 * Redriving an unsuccessful Standard execution (RedriveExecution): the execution continues from the
 * state that did not complete, with that state's input, under the same execution ARN; states that
 * completed are not re-run; `$$.Execution.RedriveCount` counts the redrives; the history gains an
 * ExecutionRedriven event; for inline Map and Parallel only the iterations and branches that failed or
 * were aborted run again; a Distributed Map re-runs only its unsuccessful child executions.
 * Each case's `expect` is the first run, `redrive.expect` the redriven one (events / entered then
 * cover the whole history).
 * https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html
 */
import type { CaseResult, ConformanceCase, FunctionDouble } from '../case';
import { lambdaError } from '../case';

const DOC = 'https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html';
const API = 'https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html';
const API_EVENT = 'https://docs.aws.amazon.com/step-functions/latest/apireference/API_ExecutionRedrivenEventDetails.html';
const DOC_MAP_RUN = 'https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html';
const DOC_CONTEXT = 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html';
const RECORDED_COUNT = 'recorded AWS: localstack tests/aws/services/stepfunctions/v2/outputdecl/test_output.snapshot.json test_base_cases[BASE_EXPR] (RedriveCount 0 before any redrive)';

const EXECUTION_ARN = 'arn:aws:states:us-east-1:123456789012:execution:conformance:conformance';
const fn = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const task = (name: string, extra: Record<string, unknown> = {}) => ({ Type: 'Task', Resource: fn(name), ...extra });

/** Fails on the first call with Boom; afterwards returns `result(event)` (the event by default). */
const failsFirst =
  (result: (event: unknown) => unknown = (event) => event): FunctionDouble =>
  (event, call) => {
    if (call.call === 0) throw lambdaError('Boom', 'first call fails');
    return result(event);
  };
/** Fails on the first `n` calls with Boom. */
const failsTimes =
  (n: number): FunctionDouble =>
  (event, call) => {
    if (call.call < n) throw lambdaError('Boom', `call ${call.call} fails`);
    return event;
  };

const FAILED_BOOM = { status: 'FAILED', error: 'Boom' } as const;
const byType = (r: CaseResult, type: string) => r.history.filter((e) => e.type === type);
const types = (r: CaseResult) => r.history.map((e) => e.type);
const LAMBDA_FAILED = ['TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionFailed'];
const LAMBDA_OK = ['TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited'];

/** Prepare (Pass) then Call (the function `f`), the documented two-state example. */
const PASS_THEN_TASK = {
  StartAt: 'Prepare',
  States: {
    Prepare: { Type: 'Pass', Result: { prepared: true }, ResultPath: '$.prep', Next: 'Call' },
    Call: task('f', { End: true }),
  },
};

export const cases: ConformanceCase[] = [
  // ---- Where the redriven run starts -----------------------------------------------------------------------
  {
    name: 'a redrive reruns the failed Task and not the Pass before it',
    source: `${DOC} (a Pass followed by a Task that failed: the redrive reschedules and reruns the Task state)`,
    definition: PASS_THEN_TASK,
    input: { id: 1 },
    functions: { f: failsFirst() },
    expect: { ...FAILED_BOOM, entered: ['Prepare', 'Call'] },
    redrive: {
      expect: {
        status: 'SUCCEEDED',
        output: { id: 1, prep: { prepared: true } },
        entered: ['Prepare', 'Call', 'Call'],
        check: (r) => expect(r.calls.f).toHaveLength(2),
      },
    },
  },
  {
    name: 'the history of a redriven execution: ExecutionRedriven after ExecutionFailed, then the Task again',
    source: `${DOC} (the failed state is rerun, the successful ones are kept in the history); ${API_EVENT}; event order after ExecutionRedriven not recorded`,
    definition: PASS_THEN_TASK,
    functions: { f: failsFirst() },
    expect: { ...FAILED_BOOM, events: ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', ...LAMBDA_FAILED, 'ExecutionFailed'] },
    redrive: {
      expect: {
        status: 'SUCCEEDED',
        events: ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', ...LAMBDA_FAILED, 'ExecutionFailed', 'ExecutionRedriven', ...LAMBDA_OK, 'ExecutionSucceeded'],
      },
    },
  },
  {
    name: 'ExecutionRedriven carries executionRedrivenEventDetails.redriveCount 1',
    source: `${API_EVENT} (redriveCount: the number of times the execution was redriven)`,
    definition: PASS_THEN_TASK,
    functions: { f: failsFirst() },
    expect: FAILED_BOOM,
    redrive: {
      expect: {
        status: 'SUCCEEDED',
        check: (r) => {
          const redriven = byType(r, 'ExecutionRedriven');
          expect(redriven).toHaveLength(1);
          expect(redriven[0].executionRedrivenEventDetails).toEqual({ redriveCount: 1 });
          expect(types(r)[types(r).indexOf('ExecutionRedriven') - 1]).toBe('ExecutionFailed');
        },
      },
    },
  },
  {
    name: 'the redriven state gets the same input as in the first attempt',
    source: `${API} (it continues the failed execution from the unsuccessful step and uses the same input)`,
    definition: PASS_THEN_TASK,
    input: { id: 7 },
    functions: { f: failsFirst() },
    expect: FAILED_BOOM,
    redrive: {
      expect: {
        status: 'SUCCEEDED',
        check: (r) => expect(r.calls.f).toEqual([{ id: 7, prep: { prepared: true } }, { id: 7, prep: { prepared: true } }]),
      },
    },
  },
  {
    name: 'an earlier Task is not called again and its result is kept',
    source: `${API} (Step Functions preserves the results of the successful steps and doesn't rerun them)`,
    definition: {
      StartAt: 'Fetch',
      States: {
        Fetch: task('fetch', { ResultPath: '$.fetched', Next: 'Use' }),
        Use: task('use', { End: true }),
      },
    },
    input: { id: 1 },
    functions: { fetch: () => ({ x: 1 }), use: failsFirst() },
    expect: FAILED_BOOM,
    redrive: {
      expect: {
        status: 'SUCCEEDED',
        output: { id: 1, fetched: { x: 1 } },
        check: (r) => {
          expect(r.calls.fetch).toHaveLength(1);
          expect(r.calls.use).toEqual([{ id: 1, fetched: { x: 1 } }, { id: 1, fetched: { x: 1 } }]);
        },
      },
    },
  },
  {
    name: 'a Choice before the failed state is not entered again',
    source: `${API} (the successful steps aren't rerun)`,
    definition: {
      StartAt: 'Route',
      States: {
        Route: { Type: 'Choice', Choices: [{ Variable: '$.go', BooleanEquals: true, Next: 'Call' }], Default: 'Other' },
        Call: task('f', { End: true }),
        Other: { Type: 'Pass', End: true },
      },
    },
    input: { go: true },
    functions: { f: failsFirst() },
    expect: { ...FAILED_BOOM, entered: ['Route', 'Call'] },
    redrive: { expect: { status: 'SUCCEEDED', output: { go: true }, entered: ['Route', 'Call', 'Call'] } },
  },
  {
    name: 'a Wait before the failed state is not waited again',
    source: `${API} (the successful steps aren't rerun)`,
    definition: { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 60, Next: 'Call' }, Call: task('f', { End: true }) } },
    functions: { f: failsFirst() },
    expect: { ...FAILED_BOOM, entered: ['Pause', 'Call'] },
    redrive: {
      expect: {
        status: 'SUCCEEDED',
        entered: ['Pause', 'Call', 'Call'],
        check: (r) => {
          expect(byType(r, 'WaitStateExited')).toHaveLength(1);
          const last = r.history[r.history.length - 1];
          expect(last.timestamp - byType(r, 'ExecutionRedriven')[0].timestamp).toBe(0);
        },
      },
    },
  },
  {
    name: 'the states after the redriven one run as usual',
    source: `${DOC} (the execution continues from the unsuccessful step)`,
    definition: {
      StartAt: 'Call',
      States: {
        Call: task('f', { ResultPath: '$.result', Next: 'After' }),
        After: { Type: 'Pass', Parameters: { 'got.$': '$.result' }, End: true },
      },
    },
    input: { n: 2 },
    functions: { f: failsFirst((event) => (event as { n: number }).n * 10) },
    expect: { ...FAILED_BOOM, entered: ['Call'] },
    redrive: { expect: { status: 'SUCCEEDED', output: { got: 20 }, entered: ['Call', 'Call', 'After'] } },
  },
  // ---- The context object ---------------------------------------------------------------------------------
  {
    name: '$$.Execution.RedriveCount is 0 in the first run and 1 in the redriven run',
    source: `${DOC_CONTEXT} (Execution.RedriveCount); ${RECORDED_COUNT}; ${API_EVENT}`,
    definition: { StartAt: 'Call', States: { Call: task('f', { Parameters: { 'redriveCount.$': '$$.Execution.RedriveCount' }, End: true }) } },
    functions: { f: failsFirst() },
    expect: { ...FAILED_BOOM, check: (r) => expect(r.calls.f).toEqual([{ redriveCount: 0 }]) },
    redrive: { expect: { status: 'SUCCEEDED', output: { redriveCount: 1 }, check: (r) => expect(r.calls.f).toEqual([{ redriveCount: 0 }, { redriveCount: 1 }]) } },
  },
  {
    name: 'JSONata: $states.context.Execution.RedriveCount is 1 in the redriven run',
    source: `${DOC_CONTEXT} (Execution.RedriveCount); ${RECORDED_COUNT}`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'Call',
      States: { Call: { Type: 'Task', Resource: fn('f'), Arguments: { redriveCount: '{% $states.context.Execution.RedriveCount %}' }, End: true } },
    },
    functions: { f: failsFirst() },
    expect: FAILED_BOOM,
    redrive: { expect: { status: 'SUCCEEDED', output: { redriveCount: 1 } } },
  },
  {
    name: 'a state after the redriven one also sees RedriveCount 1',
    source: `${DOC_CONTEXT} (Execution.RedriveCount counts the redrives of the execution)`,
    definition: {
      StartAt: 'Call',
      States: {
        Call: task('f', { ResultPath: null, Next: 'Look' }),
        Look: { Type: 'Pass', Parameters: { 'redriveCount.$': '$$.Execution.RedriveCount' }, End: true },
      },
    },
    functions: { f: failsFirst() },
    expect: FAILED_BOOM,
    redrive: { expect: { status: 'SUCCEEDED', output: { redriveCount: 1 } } },
  },
  {
    name: 'a redriven execution keeps its execution ARN and its input',
    source: `${API} (redriven executions use the same execution ARN; the same input)`,
    definition: {
      StartAt: 'Call',
      States: { Call: task('f', { Parameters: { 'id.$': '$$.Execution.Id', 'input.$': '$$.Execution.Input' }, End: true }) },
    },
    input: { order: 42 },
    functions: { f: failsFirst() },
    expect: FAILED_BOOM,
    redrive: {
      expect: {
        status: 'SUCCEEDED',
        output: { id: EXECUTION_ARN, input: { order: 42 } },
        check: (r) => expect(r.calls.f).toEqual([{ id: EXECUTION_ARN, input: { order: 42 } }, { id: EXECUTION_ARN, input: { order: 42 } }]),
      },
    },
  },
  // ---- Failing again ------------------------------------------------------------------------------------------
  {
    name: 'a Task with exhausted retries fails; the redrive calls it again and succeeds',
    source: `${DOC} (the failed Task state is rescheduled and rerun); https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html (MaxAttempts)`,
    definition: {
      StartAt: 'Call',
      States: { Call: task('f', { Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 1, MaxAttempts: 1 }], End: true }) },
    },
    input: { n: 1 },
    functions: { f: failsTimes(2) },
    expect: { ...FAILED_BOOM, check: (r) => expect(r.calls.f).toHaveLength(2) },
    redrive: { expect: { status: 'SUCCEEDED', output: { n: 1 }, check: (r) => expect(r.calls.f).toHaveLength(3) } },
  },
  {
    name: 'a redriven execution that fails again is FAILED, with one ExecutionRedriven and two ExecutionFailed',
    source: `${DOC}; ${API_EVENT}`,
    definition: { StartAt: 'Call', States: { Call: task('f', { End: true }) } },
    functions: { f: failsTimes(2) },
    expect: FAILED_BOOM,
    redrive: {
      expect: {
        ...FAILED_BOOM,
        entered: ['Call', 'Call'],
        check: (r) => {
          expect(byType(r, 'ExecutionRedriven')).toHaveLength(1);
          expect(byType(r, 'ExecutionFailed')).toHaveLength(2);
          expect(r.history[r.history.length - 1].type).toBe('ExecutionFailed');
        },
      },
    },
  },
  {
    name: 'an execution that failed in a Fail state fails there again when redriven',
    source: `${DOC_MAP_RUN} (a redriven workflow redrives the states that have an Entered event without its Exited event); https://states-language.net/spec.html#fail-state`,
    definition: {
      StartAt: 'Check',
      States: {
        Check: { Type: 'Choice', Choices: [{ Variable: '$.ok', BooleanEquals: true, Next: 'Done' }], Default: 'Reject' },
        Reject: { Type: 'Fail', Error: 'Rejected', Cause: 'not ok' },
        Done: { Type: 'Succeed' },
      },
    },
    input: { ok: false },
    expect: { status: 'FAILED', error: 'Rejected', cause: 'not ok', entered: ['Check', 'Reject'] },
    redrive: { expect: { status: 'FAILED', error: 'Rejected', cause: 'not ok', entered: ['Check', 'Reject', 'Reject'] } },
  },
  // ---- TIMED_OUT executions ------------------------------------------------------------------------------------
  {
    name: 'a TIMED_OUT execution can be redriven',
    source: `${API} (failed, aborted, or timed out executions can be redriven)`,
    definition: { TimeoutSeconds: 3, StartAt: 'Slow', States: { Slow: task('slow', { End: true }) } },
    functions: {
      slow: async (_event, call) => {
        await call.sleep(call.call === 0 ? 10_000 : 1000);
        return 'done';
      },
    },
    expect: { status: 'TIMED_OUT' },
    redrive: {
      expect: {
        status: 'SUCCEEDED',
        output: 'done',
        check: (r) => expect(types(r).indexOf('ExecutionRedriven')).toBe(types(r).indexOf('ExecutionTimedOut') + 1),
      },
    },
  },
  {
    name: 'a redrive starts the state machine timeout again',
    source: `${DOC} (when you redrive an execution, the state machine level timeout, if defined, is reset to 0)`,
    definition: {
      TimeoutSeconds: 5,
      StartAt: 'Pause',
      States: { Pause: { Type: 'Wait', Seconds: 3, Next: 'Slow' }, Slow: task('slow', { End: true }) },
    },
    functions: {
      // 3 s of Wait + 10 s: times out; on the redrive 4 s fit in a fresh 5 s timeout.
      slow: async (_event, call) => {
        await call.sleep(call.call === 0 ? 10_000 : 4000);
        return 'done';
      },
    },
    expect: { status: 'TIMED_OUT', entered: ['Pause', 'Slow'] },
    redrive: { expect: { status: 'SUCCEEDED', output: 'done', entered: ['Pause', 'Slow', 'Slow'] } },
  },
  // ---- Inline Map and Parallel ---------------------------------------------------------------------------------
  {
    name: 'inline Map: the redrive reruns the failed iteration and the ones not run, not the successful one',
    source: `${API} (for an Inline Map, RedriveExecution reschedules and redrives only the iterations that failed or aborted)`,
    definition: {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          MaxConcurrency: 1,
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Call', States: { Call: task('f', { End: true }) } },
          End: true,
        },
      },
    },
    input: [1, 2, 3],
    functions: {
      f: (event, call) => {
        if (event === 2 && call.call === 1) throw lambdaError('Boom', 'item 2 fails once');
        return (event as number) * 10;
      },
    },
    expect: { ...FAILED_BOOM, check: (r) => expect(r.calls.f).toEqual([1, 2]) },
    redrive: { expect: { status: 'SUCCEEDED', output: [10, 20, 30], check: (r) => expect(r.calls.f).toEqual([1, 2, 2, 3]) } },
  },
  {
    name: 'inline Map: the redriven iteration receives its own item again',
    source: `${API} (only the failed iterations are redriven, with the same input)`,
    definition: {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          MaxConcurrency: 1,
          ItemSelector: { 'index.$': '$$.Map.Item.Index', 'value.$': '$$.Map.Item.Value' },
          ItemProcessor: { StartAt: 'Call', States: { Call: task('f', { End: true }) } },
          End: true,
        },
      },
    },
    input: ['a', 'b'],
    functions: {
      f: (event, call) => {
        if ((event as { index: number }).index === 1 && call.call < 2) throw lambdaError('Boom', 'item 1 fails in the first run');
        return event;
      },
    },
    expect: FAILED_BOOM,
    redrive: {
      expect: {
        status: 'SUCCEEDED',
        output: [{ index: 0, value: 'a' }, { index: 1, value: 'b' }],
        check: (r) => {
          const calls = r.calls.f as { index: number }[];
          expect(calls.filter((c) => c.index === 0)).toHaveLength(1);
          expect(calls.filter((c) => c.index === 1)).toEqual([{ index: 1, value: 'b' }, { index: 1, value: 'b' }]);
        },
      },
    },
  },
  {
    name: 'Parallel: only the failed branch runs again',
    source: `${API} (for a Parallel state, RedriveExecution reschedules and redrives only the branches that failed or aborted)`,
    definition: {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'A', States: { A: task('a', { End: true }) } },
            { StartAt: 'B', States: { B: task('b', { End: true }) } },
          ],
          End: true,
        },
      },
    },
    functions: {
      a: () => 'a',
      // B fails a second after A has finished, so A is a successful branch.
      b: async (_event, call) => {
        await call.sleep(1000);
        if (call.call === 0) throw lambdaError('Boom', 'branch B fails once');
        return 'b';
      },
    },
    expect: FAILED_BOOM,
    redrive: {
      expect: {
        status: 'SUCCEEDED',
        output: ['a', 'b'],
        check: (r) => {
          expect(r.calls.a).toHaveLength(1);
          expect(r.calls.b).toHaveLength(2);
        },
      },
    },
  },
  {
    name: 'Parallel: a branch aborted by the failure runs again too',
    source: `${API} (the branches that failed or aborted are redriven)`,
    definition: {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'Slow', States: { Slow: task('slow', { End: true }) } },
            { StartAt: 'Fast', States: { Fast: task('fast', { End: true }) } },
          ],
          End: true,
        },
      },
    },
    functions: {
      slow: async (_event, call) => {
        await call.sleep(5000);
        return 'slow';
      },
      fast: failsFirst(() => 'fast'),
    },
    expect: FAILED_BOOM,
    redrive: {
      expect: {
        status: 'SUCCEEDED',
        output: ['slow', 'fast'],
        check: (r) => {
          expect(r.calls.slow).toHaveLength(2);
          expect(r.calls.fast).toHaveLength(2);
        },
      },
    },
  },
  // ---- Distributed Map -----------------------------------------------------------------------------------------
  {
    name: 'Distributed Map: the redrive reruns only the unsuccessful child executions',
    source: `${DOC_MAP_RUN} (redriving the parent workflow redrives the unsuccessful child workflow executions of the Map Run); ${API}`,
    definition: {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          MaxConcurrency: 1,
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Call', States: { Call: task('f', { End: true }) } },
          End: true,
        },
      },
    },
    input: [1, 2, 3],
    functions: {
      f: (event, call) => {
        if (event === 2 && call.call === 1) throw lambdaError('Boom', 'item 2 fails once');
        return (event as number) * 10;
      },
    },
    expect: { status: 'FAILED' },
    redrive: {
      expect: {
        status: 'SUCCEEDED',
        output: [10, 20, 30],
        check: (r) => {
          const calls = r.calls.f as number[];
          expect(calls.filter((c) => c === 1)).toHaveLength(1);
          expect(calls.filter((c) => c === 2)).toHaveLength(2);
          expect(calls.filter((c) => c === 3)).toHaveLength(1);
        },
      },
    },
  },
  {
    name: 'Distributed Map: the Map Run itself is redriven (MapRunRedriven, redriveCount 1)',
    source: `${DOC_MAP_RUN} (redriving the parent redrives the failed Map Run); https://docs.aws.amazon.com/step-functions/latest/apireference/API_MapRunRedrivenEventDetails.html; https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html (redriveCount)`,
    definition: {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Call', States: { Call: task('f', { End: true }) } },
          End: true,
        },
      },
    },
    input: [1],
    functions: { f: failsFirst() },
    expect: { status: 'FAILED' },
    redrive: {
      expect: {
        status: 'SUCCEEDED',
        output: [1],
        check: (r) => {
          expect(r.mapRuns).toHaveLength(1);
          const run = r.mapRuns![0];
          const redriven = byType(r, 'MapRunRedriven');
          expect(redriven).toHaveLength(1);
          expect(redriven[0].mapRunRedrivenEventDetails).toEqual({ mapRunArn: run.mapRunArn, redriveCount: 1 });
          expect(run.description).toMatchObject({ status: 'SUCCEEDED', redriveCount: 1 });
        },
      },
    },
  },
  {
    name: 'Distributed Map: a failed STANDARD child is redriven under its own ARN',
    source: `${DOC_MAP_RUN} (STANDARD child workflow executions are redriven; only EXPRESS children are rerun with StartExecution); ${API}`,
    definition: {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          MaxConcurrency: 1,
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Call', States: { Call: task('f', { End: true }) } },
          End: true,
        },
      },
    },
    input: [1, 2],
    functions: {
      f: (event, call) => {
        if (event === 2 && call.call === 1) throw lambdaError('Boom', 'item 2 fails once');
        return event;
      },
    },
    expect: { status: 'FAILED' },
    redrive: {
      expect: {
        status: 'SUCCEEDED',
        output: [1, 2],
        check: (r) => {
          const children = r.mapRuns![0].children;
          expect(children).toHaveLength(2);
          expect(children.map((c) => c.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
          const second = children.find((c) => c.input === 2)!;
          expect(second.history.map((e) => e.type)).toContain('ExecutionRedriven');
        },
      },
    },
  },
];
