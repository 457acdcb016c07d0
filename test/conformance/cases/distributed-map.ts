/**
 * Distributed Map (`ProcessorConfig.Mode: DISTRIBUTED`) over items from the state input: each item
 * (or batch of items) runs as a child workflow execution with its own history, grouped in a Map Run.
 * The parent history shows the Map Run (MapRunStarted / MapRunSucceeded / MapRunFailed) and no
 * iteration events. Covered here: results, ItemSelector, Label and ARNs, child executions, tolerated
 * failures, ItemBatcher, MaxConcurrency, Retry/Catch and what DescribeMapRun reports.
 * ItemReader / ResultWriter (S3) are refused by our runtime at boot, so nothing here uses them.
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html
 */
import type { CaseResult, ConformanceCase, FunctionDouble, MapRunResult } from '../case';
import { lambdaError } from '../case';

const DOC = 'https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html';
const DOC_THRESHOLD = `${DOC}#maprun-fail-threshold`;
const DOC_BATCH = 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itembatcher.html';
const DOC_MAPRUN = 'https://docs.aws.amazon.com/step-functions/latest/dg/concepts-examine-map-run.html';
const DOC_CONTEXT = 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html';
const API_DESCRIBE = 'https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html';
const API_STARTED = 'https://docs.aws.amazon.com/step-functions/latest/apireference/API_MapRunStartedEventDetails.html';
const SCENARIOS = 'recorded AWS: localstack tests/aws/services/stepfunctions/v2/scenarios/test_base_scenarios.snapshot.json';
const MAP_RUN_API = 'recorded AWS: localstack tests/aws/services/stepfunctions/v2/test_sfn_api_map_run.snapshot.json test_list_map_runs_and_describe_map_run';

const ARN = 'arn:aws:states:us-east-1:123456789012';
const fn = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

/** A Distributed Map ItemProcessor (the child workflow) made of `states`, starting at `startAt`. */
const processor = (startAt: string, states: Record<string, unknown>, executionType: 'STANDARD' | 'EXPRESS' = 'STANDARD') => ({
  ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: executionType },
  StartAt: startAt,
  States: states,
});
const passChild = (executionType: 'STANDARD' | 'EXPRESS' = 'STANDARD') => processor('Echo', { Echo: { Type: 'Pass', End: true } }, executionType);
const taskChild = (name: string) => processor('Call', { Call: { Type: 'Task', Resource: fn(name), End: true } });
/** A child that fails with ItemFailed when its item says `fail: true`, and returns the item otherwise. */
const failingChild = processor('Check', {
  Check: { Type: 'Choice', Choices: [{ Variable: '$.fail', BooleanEquals: true, Next: 'Bad' }], Default: 'Good' },
  Bad: { Type: 'Fail', Error: 'ItemFailed', Cause: 'the item asked to fail' },
  Good: { Type: 'Pass', End: true },
});
/** The same child for JSONata machines (whose states inherit the JSONata query language). */
const failingChildJsonata = processor('Check', {
  Check: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.fail %}', Next: 'Bad' }], Default: 'Good' },
  Bad: { Type: 'Fail', Error: 'ItemFailed', Cause: 'the item asked to fail' },
  Good: { Type: 'Pass', End: true },
});

/** A machine whose only state is the Map `MapState`. */
const mapOnly = (map: Record<string, unknown>): Record<string, unknown> => ({
  StartAt: 'MapState',
  States: { MapState: { Type: 'Map', End: true, ...map } },
});
const jsonataMapOnly = (map: Record<string, unknown>): Record<string, unknown> => ({
  QueryLanguage: 'JSONata',
  StartAt: 'MapState',
  States: { MapState: { Type: 'Map', End: true, ...map } },
});

/** `n` items `{ id, fail }`, the ones at `failing` asking the child to fail. */
const items = (n: number, failing: number[] = []) => Array.from({ length: n }, (_, id) => ({ id, fail: failing.includes(id) }));

const byType = (r: CaseResult, type: string) => r.history.filter((e) => e.type === type);
function only(r: CaseResult, type: string) {
  const events = byType(r, type);
  expect(events).toHaveLength(1);
  return events[0];
}
function theRun(r: CaseResult): MapRunResult {
  expect(r.mapRuns).toHaveLength(1);
  return r.mapRuns![0];
}
const mapDuration = (r: CaseResult): number => only(r, 'MapStateExited').timestamp - only(r, 'MapStateEntered').timestamp;
const noIterationEvents = (r: CaseResult) => expect(r.history.filter((e) => e.type.startsWith('MapIteration'))).toEqual([]);
/** Child executions ordered by the `id` of the item they received. */
const childrenById = (run: MapRunResult) => [...run.children].sort((a, b) => (a.input as { id: number }).id - (b.input as { id: number }).id);

/** A Lambda double that waits one second and returns its event. */
const oneSecond: FunctionDouble = async (event, call) => {
  await call.sleep(1000);
  return event;
};

const MAP_RUN_EVENTS_OK = ['MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited'];
const HELLO_WORLD_SELECTED = [
  { constantValue: 'constant', mapValue: 'Hello', fromInput: ['Hello', 'World'] },
  { constantValue: 'constant', mapValue: 'World', fromInput: ['Hello', 'World'] },
];

export const cases: ConformanceCase[] = [
  // ---- Results and the parent history --------------------------------------------------------------------
  {
    name: 'the parent history shows the Map Run and no iterations; the result is the child outputs in item order',
    source: `${SCENARIOS} test_map_state_config_distributed_item_selector (events, previousEventIds and output)`,
    definition: {
      StartAt: 'MapState',
      States: {
        MapState: {
          Type: 'Map',
          MaxConcurrency: 1,
          ItemSelector: { constantValue: 'constant', 'mapValue.$': '$$.Map.Item.Value', 'fromInput.$': '$' },
          ItemProcessor: passChild(),
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
      },
    },
    input: ['Hello', 'World'],
    expect: {
      status: 'SUCCEEDED',
      output: HELLO_WORLD_SELECTED,
      events: ['ExecutionStarted', ...MAP_RUN_EVENTS_OK, 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded'],
      check: (r) => {
        // AWS links MapStateExited, like MapStateSucceeded, to the MapRunSucceeded event.
        expect(r.history.map((e) => [e.id, e.previousEventId])).toEqual([[1, 0], [2, 0], [3, 2], [4, 3], [5, 4], [6, 5], [7, 5], [8, 7], [9, 8], [10, 9]]);
        expect(only(r, 'MapStateStarted').mapStateStartedEventDetails).toEqual({ length: 2 });
      },
    },
  },
  {
    name: 'MapRunStarted names the Map Run in mapRunStartedEventDetails.mapRunArn',
    source: `${SCENARIOS} test_map_state_legacy_config_distributed (mapRunStartedEventDetails); ${API_STARTED}`,
    definition: mapOnly({ ItemProcessor: passChild() }),
    input: ['Hello', 'World'],
    expect: {
      status: 'SUCCEEDED',
      output: ['Hello', 'World'],
      check: (r) => {
        const run = theRun(r);
        expect(only(r, 'MapRunStarted').mapRunStartedEventDetails).toEqual({ mapRunArn: run.mapRunArn });
        expect(run.mapRunArn.startsWith(`${ARN}:mapRun:conformance/`)).toBe(true);
      },
    },
  },
  {
    name: 'the legacy Iterator with a DISTRIBUTED ProcessorConfig runs as a Distributed Map',
    source: `${SCENARIOS} test_map_state_legacy_config_distributed`,
    definition: {
      StartAt: 'MapState',
      States: {
        MapState: { Type: 'Map', MaxConcurrency: 1, Iterator: passChild(), Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    },
    input: ['Hello', 'World'],
    expect: {
      status: 'SUCCEEDED',
      output: ['Hello', 'World'],
      events: ['ExecutionStarted', ...MAP_RUN_EVENTS_OK, 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded'],
    },
  },
  {
    name: 'Parameters on a Distributed Map shapes each child input like ItemSelector',
    source: `${SCENARIOS} test_map_state_config_distributed_parameters`,
    definition: mapOnly({
      MaxConcurrency: 1,
      Parameters: { constantValue: 'constant', 'mapValue.$': '$$.Map.Item.Value', 'fromInput.$': '$' },
      ItemProcessor: passChild(),
    }),
    input: ['Hello', 'World'],
    expect: { status: 'SUCCEEDED', output: HELLO_WORLD_SELECTED },
  },
  {
    name: 'the legacy Iterator with ItemSelector on a Distributed Map',
    source: `${SCENARIOS} test_map_state_legacy_config_distributed_item_selector`,
    definition: mapOnly({
      MaxConcurrency: 1,
      ItemSelector: { constantValue: 'constant', 'mapValue.$': '$$.Map.Item.Value', 'fromInput.$': '$' },
      Iterator: passChild(),
    }),
    input: ['Hello', 'World'],
    expect: { status: 'SUCCEEDED', output: HELLO_WORLD_SELECTED },
  },
  {
    name: 'no MapIteration events in the parent: the children have their own histories',
    source: `${DOC} (Key terms: each child workflow execution has its own execution history); ${SCENARIOS} test_map_state_config_distributed_item_selector`,
    definition: mapOnly({ ItemProcessor: passChild() }),
    input: [1, 2, 3],
    expect: {
      status: 'SUCCEEDED',
      output: [1, 2, 3],
      check: (r) => {
        noIterationEvents(r);
        expect(r.history.filter((e) => e.type === 'PassStateEntered')).toEqual([]);
        for (const child of theRun(r).children) {
          expect(child.history[0].type).toBe('ExecutionStarted');
          expect(child.history.map((e) => e.type)).toContain('PassStateEntered');
          expect(child.history[child.history.length - 1].type).toBe('ExecutionSucceeded');
        }
      },
    },
  },
  {
    name: 'ItemsPath selects the array of items in the state input',
    source: `${DOC} (ItemsPath: the JSON array from a previous step)`,
    definition: mapOnly({ ItemsPath: '$.order.lines', ItemProcessor: passChild() }),
    input: { order: { lines: [{ sku: 'a' }, { sku: 'b' }] } },
    expect: {
      status: 'SUCCEEDED',
      output: [{ sku: 'a' }, { sku: 'b' }],
      check: (r) => expect(only(r, 'MapStateStarted').mapStateStartedEventDetails).toEqual({ length: 2 }),
    },
  },
  {
    name: 'ItemSelector can pass $$.Map.Item.Index',
    source: `https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemselector.html; ${SCENARIOS} test_map_state_config_distributed_item_selector`,
    definition: mapOnly({ ItemSelector: { 'index.$': '$$.Map.Item.Index', 'value.$': '$$.Map.Item.Value' }, ItemProcessor: passChild() }),
    input: ['a', 'b', 'c'],
    expect: { status: 'SUCCEEDED', output: [{ index: 0, value: 'a' }, { index: 1, value: 'b' }, { index: 2, value: 'c' }] },
  },
  {
    name: 'a child Task is called once per item with the item',
    source: `${DOC_BATCH} (without batching each child workflow execution receives an array item as its input)`,
    definition: mapOnly({ MaxConcurrency: 1, ItemProcessor: taskChild('f') }),
    input: [{ n: 1 }, { n: 2 }],
    functions: { f: (event) => ({ doubled: (event as { n: number }).n * 2 }) },
    expect: {
      status: 'SUCCEEDED',
      output: [{ doubled: 2 }, { doubled: 4 }],
      check: (r) => expect(r.calls.f).toEqual([{ n: 1 }, { n: 2 }]),
    },
  },
  {
    name: 'results are in item order even when later children finish first',
    source: `${DOC} (ResultWriter absent: the Map returns an array of all the child workflow execution results)`,
    definition: mapOnly({ ItemProcessor: taskChild('f') }),
    input: [3, 1, 2],
    functions: {
      f: async (event, call) => {
        await call.sleep((event as number) * 1000);
        return `r${event as number}`;
      },
    },
    expect: { status: 'SUCCEEDED', output: ['r3', 'r1', 'r2'] },
  },
  {
    name: 'an empty item array gives []',
    source: `${DOC} (the Map returns an array of all the child workflow execution results)`,
    definition: mapOnly({ ItemProcessor: passChild() }),
    input: [],
    expect: { status: 'SUCCEEDED', output: [] },
  },
  {
    name: 'ResultPath puts the array of child outputs into the state input',
    source: `${DOC} (ResultPath)`,
    definition: mapOnly({ ItemsPath: '$.values', ResultPath: '$.results', ItemProcessor: passChild() }),
    input: { values: [1, 2] },
    expect: { status: 'SUCCEEDED', output: { values: [1, 2], results: [1, 2] } },
  },
  {
    name: 'ResultPath null keeps the state input',
    source: `${DOC} (ResultPath); https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html (null discards the result)`,
    definition: mapOnly({ ItemsPath: '$.values', ResultPath: null, ItemProcessor: passChild() }),
    input: { values: [1, 2], keep: true },
    expect: { status: 'SUCCEEDED', output: { values: [1, 2], keep: true } },
  },
  {
    name: 'ResultSelector reshapes the array of child outputs',
    source: `${DOC} (ResultSelector)`,
    definition: mapOnly({ ResultSelector: { 'first.$': '$[0]', 'all.$': '$' }, ItemProcessor: passChild() }),
    input: ['x', 'y'],
    expect: { status: 'SUCCEEDED', output: { first: 'x', all: ['x', 'y'] } },
  },
  {
    name: 'EXPRESS child executions give the same result',
    source: `${DOC} (ExecutionType: STANDARD or EXPRESS for the child workflows)`,
    definition: mapOnly({ ItemProcessor: passChild('EXPRESS') }),
    input: [1, 2, 3],
    expect: {
      status: 'SUCCEEDED',
      output: [1, 2, 3],
      check: (r) => {
        noIterationEvents(r);
        const run = theRun(r);
        expect(run.children).toHaveLength(3);
        expect(run.children.map((c) => c.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
      },
    },
  },
  // ---- JSONata -------------------------------------------------------------------------------------------
  {
    name: 'JSONata: Items selects the items and ItemSelector reads $states.context.Map.Item',
    source: `${DOC} (Items, JSONata only; ItemSelector); ${DOC_CONTEXT} (Map.Item.Index / Map.Item.Value)`,
    definition: jsonataMapOnly({
      Items: '{% $states.input.list %}',
      ItemSelector: { index: '{% $states.context.Map.Item.Index %}', value: '{% $states.context.Map.Item.Value %}' },
      ItemProcessor: passChild(),
    }),
    input: { list: ['a', 'b'] },
    expect: { status: 'SUCCEEDED', output: [{ index: 0, value: 'a' }, { index: 1, value: 'b' }] },
  },
  {
    name: 'JSONata: Output of a Distributed Map sees the child outputs as $states.result',
    source: `${DOC} (Output, JSONata only); https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html ($states.result)`,
    definition: jsonataMapOnly({ Items: [1, 2, 3], ItemProcessor: passChild(), Output: { count: '{% $count($states.result) %}', total: '{% $sum($states.result) %}' } }),
    expect: { status: 'SUCCEEDED', output: { count: 3, total: 6 } },
  },
  // ---- Label and ARNs -------------------------------------------------------------------------------------
  {
    name: 'Label appears in the Map Run ARN: mapRun:<state machine>/<label>:<id>',
    source: `${DOC} (Label: demoWorkflow/demoLabel in the Map Run ARN); ${SCENARIOS} test_map_state_result_writer (mapRun:<name>/TestMap:<id>)`,
    definition: mapOnly({ Label: 'TestMap', ItemProcessor: passChild() }),
    input: [1, 2],
    expect: {
      status: 'SUCCEEDED',
      output: [1, 2],
      check: (r) => {
        const run = theRun(r);
        expect(run.mapRunArn).toMatch(/^arn:aws:states:us-east-1:123456789012:mapRun:conformance\/TestMap:[^:/]+$/);
        expect(only(r, 'MapRunStarted').mapRunStartedEventDetails).toEqual({ mapRunArn: run.mapRunArn });
      },
    },
  },
  {
    name: 'child executions of a labelled Map are named execution:<state machine>/<label>:<name>',
    source: `${MAP_RUN_API} (the children run stateMachine:<name>/<label>); ${DOC_MAPRUN} (labelled state machine ARN <stateMachineName>/<MapRunLabel or UUID>)`,
    definition: mapOnly({ Label: 'TestMap', ItemProcessor: passChild() }),
    input: [1, 2],
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const run = theRun(r);
        expect(run.children).toHaveLength(2);
        for (const child of run.children) {
          expect(child.executionArn).toMatch(/^arn:aws:states:us-east-1:123456789012:execution:conformance\/TestMap:[^:/]+$/);
          expect(child.executionArn.endsWith(`:${child.name}`)).toBe(true);
        }
        expect(new Set(run.children.map((c) => c.executionArn)).size).toBe(2);
      },
    },
  },
  {
    name: 'without Label the Map Run ARN still has a generated label part',
    source: `${DOC} (Label: if you don't specify a label, Step Functions automatically generates a unique label)`,
    definition: mapOnly({ ItemProcessor: passChild() }),
    input: [1],
    expect: {
      status: 'SUCCEEDED',
      check: (r) => expect(theRun(r).mapRunArn).toMatch(/^arn:aws:states:us-east-1:123456789012:mapRun:conformance\/[^:/]+:[^:/]+$/),
    },
  },
  {
    name: 'a 40-character Label is accepted',
    source: `${DOC} (Labels can't exceed 40 characters)`,
    definition: mapOnly({ Label: 'L'.repeat(40), ItemProcessor: passChild() }),
    input: [1],
    expect: { status: 'SUCCEEDED', check: (r) => expect(theRun(r).mapRunArn).toContain(`:mapRun:conformance/${'L'.repeat(40)}:`) },
  },
  {
    name: 'a Label over 40 characters is rejected',
    source: `${DOC} (Labels can't exceed 40 characters); localstack template map_state_label_too_long_fail.json5 (AWS wording not located)`,
    definition: mapOnly({ Label: 'L'.repeat(41), ItemProcessor: passChild() }),
    expect: { definitionError: { name: 'InvalidDefinition' } },
  },
  {
    name: 'a Label with whitespace is rejected',
    source: `${DOC} (Labels can't contain whitespace); AWS wording not recorded`,
    definition: mapOnly({ Label: 'my label', ItemProcessor: passChild() }),
    expect: { definitionError: { name: 'InvalidDefinition' } },
  },
  {
    name: 'a Label with a bracket character is rejected',
    source: `${DOC} (Labels can't contain < > { } [ ]); localstack template map_state_label_invalid_char_fail.json5 (AWS wording not located)`,
    definition: mapOnly({ Label: 'label_{x}', ItemProcessor: passChild() }),
    expect: { definitionError: { name: 'InvalidDefinition' } },
  },
  {
    name: 'an empty Label is rejected',
    source: 'localstack template map_state_label_empty_fail.json5 of test_base_scenarios (a validated test expecting CreateStateMachine to fail; AWS wording not located)',
    definition: mapOnly({ Label: '', ItemProcessor: passChild() }),
    expect: { definitionError: { name: 'InvalidDefinition' } },
  },
  {
    name: 'two Distributed Maps with the same Label are rejected',
    source: `${DOC} (Labels must be unique within a state machine definition); AWS wording not recorded`,
    definition: {
      StartAt: 'First',
      States: {
        First: { Type: 'Map', Label: 'Same', ItemProcessor: passChild(), Next: 'Second' },
        Second: { Type: 'Map', Label: 'Same', ItemProcessor: passChild(), End: true },
      },
    },
    expect: { definitionError: { name: 'InvalidDefinition' } },
  },
  // ---- Child executions -------------------------------------------------------------------------------------
  {
    name: 'one child execution per item, each with the item as its input and its output',
    source: `${DOC_BATCH} (each child workflow execution receives an array item as its input); ${DOC} (child workflow executions)`,
    definition: mapOnly({ MaxConcurrency: 1, ItemProcessor: passChild() }),
    input: [{ id: 0 }, { id: 1 }, { id: 2 }],
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const run = theRun(r);
        expect(run.children.map((c) => [c.status, c.input, c.output])).toEqual([
          ['SUCCEEDED', { id: 0 }, { id: 0 }],
          ['SUCCEEDED', { id: 1 }, { id: 1 }],
          ['SUCCEEDED', { id: 2 }, { id: 2 }],
        ]);
      },
    },
  },
  {
    name: 'a child input is the ItemSelector result',
    source: `https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemselector.html (ItemSelector overrides each item before it is passed to the iteration)`,
    definition: mapOnly({ MaxConcurrency: 1, ItemSelector: { 'id.$': '$$.Map.Item.Index', tag: 't' }, ItemProcessor: passChild() }),
    input: ['a', 'b'],
    expect: {
      status: 'SUCCEEDED',
      output: [{ id: 0, tag: 't' }, { id: 1, tag: 't' }],
      check: (r) => expect(childrenById(theRun(r)).map((c) => c.input)).toEqual([{ id: 0, tag: 't' }, { id: 1, tag: 't' }]),
    },
  },
  {
    name: 'in a child, $$.Execution.Input is its item and $$.Execution.Id its own ARN',
    source: `${DOC_CONTEXT} (Execution.Id, Execution.Input of the running execution); ${DOC_BATCH} (the child input is the item)`,
    definition: mapOnly({
      MaxConcurrency: 1,
      ItemProcessor: processor('Look', { Look: { Type: 'Pass', Parameters: { 'input.$': '$$.Execution.Input', 'id.$': '$$.Execution.Id' }, End: true } }),
    }),
    input: [{ id: 0 }, { id: 1 }],
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const children = theRun(r).children;
        const out = r.output as { input: unknown; id: string }[];
        expect(out.map((o) => o.input)).toEqual([{ id: 0 }, { id: 1 }]);
        expect(out.map((o) => o.id).sort()).toEqual(children.map((c) => c.executionArn).sort());
        expect(out[0].id).not.toBe(`${ARN}:execution:conformance:conformance`);
      },
    },
  },
  {
    name: 'a failed child records its status, error and cause',
    source: `${DOC} (child workflow executions are executions with their own status); ${DOC_THRESHOLD}`,
    definition: mapOnly({ MaxConcurrency: 1, ToleratedFailureCount: 1, ItemProcessor: failingChild }),
    input: items(3, [1]),
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const children = childrenById(theRun(r));
        expect(children.map((c) => c.status)).toEqual(['SUCCEEDED', 'FAILED', 'SUCCEEDED']);
        expect(children[1]).toMatchObject({ error: 'ItemFailed', cause: 'the item asked to fail' });
        expect(children[1].history[children[1].history.length - 1].type).toBe('ExecutionFailed');
      },
    },
  },
  // ---- Tolerated failures ------------------------------------------------------------------------------------
  {
    name: 'ToleratedFailureCount 1: one failed child of three and the Map succeeds',
    source: `${DOC_THRESHOLD} (the Map Run fails if it exceeds the tolerated count)`,
    definition: mapOnly({ MaxConcurrency: 1, ToleratedFailureCount: 1, ItemProcessor: failingChild }),
    input: items(3, [1]),
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        expect((r.output as unknown[]).length).toBe(3);
        expect((r.output as unknown[])[0]).toEqual({ id: 0, fail: false });
        expect((r.output as unknown[])[2]).toEqual({ id: 2, fail: false });
        expect(byType(r, 'MapRunSucceeded')).toHaveLength(1);
      },
    },
  },
  {
    name: 'ToleratedFailureCount 1 with two failed children fails with States.ExceedToleratedFailureThreshold',
    source: `${DOC_THRESHOLD} (Step Functions returns States.ExceedToleratedFailureThreshold when the Map Run fails because the threshold is exceeded)`,
    definition: mapOnly({ MaxConcurrency: 1, ToleratedFailureCount: 1, ItemProcessor: failingChild }),
    input: items(3, [0, 1]),
    expect: { status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' },
  },
  {
    name: 'ToleratedFailureCount 0: a single failed child fails the Map',
    source: `${DOC_THRESHOLD} (fails when the count is exceeded)`,
    definition: mapOnly({ ToleratedFailureCount: 0, ItemProcessor: failingChild }),
    input: items(3, [2]),
    expect: { status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' },
  },
  {
    name: 'ToleratedFailurePercentage 50: two failed of four (exactly 50%) is tolerated',
    source: `${DOC_THRESHOLD} (fails only if the percentage, failed or timed out items / total items, exceeds the value)`,
    definition: mapOnly({ ToleratedFailurePercentage: 50, ItemProcessor: failingChild }),
    input: items(4, [0, 3]),
    expect: { status: 'SUCCEEDED', check: (r) => expect((r.output as unknown[]).length).toBe(4) },
  },
  {
    name: 'ToleratedFailurePercentage 50: three failed of four exceeds it',
    source: DOC_THRESHOLD,
    definition: mapOnly({ ToleratedFailurePercentage: 50, ItemProcessor: failingChild }),
    input: items(4, [0, 1, 3]),
    expect: { status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' },
  },
  {
    name: 'ToleratedFailurePercentage 100: the Map succeeds even if every child fails',
    source: `${DOC_THRESHOLD} (if you specify the percentage as 100, the workflow won't fail even if all child workflow executions fail)`,
    definition: mapOnly({ ToleratedFailurePercentage: 100, ItemProcessor: failingChild }),
    input: items(3, [0, 1, 2]),
    expect: {
      status: 'SUCCEEDED',
      check: (r) => expect(theRun(r).children.map((c) => c.status)).toEqual(['FAILED', 'FAILED', 'FAILED']),
    },
  },
  {
    name: 'with both thresholds, exceeding either one fails the Map',
    source: `${DOC_THRESHOLD} (if you specify both values, the workflow fails when it exceeds either value)`,
    definition: mapOnly({ ToleratedFailureCount: 3, ToleratedFailurePercentage: 25, ItemProcessor: failingChild }),
    input: items(4, [1, 2]),
    expect: { status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' },
  },
  {
    name: 'ToleratedFailureCountPath reads the count from the state input',
    source: `${DOC} (ToleratedFailureCountPath: a reference path to a non-negative integer)`,
    definition: mapOnly({ ItemsPath: '$.items', ToleratedFailureCountPath: '$.count', ItemProcessor: failingChild }),
    input: { count: 1, items: items(3, [0]) },
    expect: { status: 'SUCCEEDED', check: (r) => expect(theRun(r).description).toMatchObject({ toleratedFailureCount: 1 }) },
  },
  {
    name: 'ToleratedFailurePercentagePath reads the percentage from the state input',
    source: `${DOC_THRESHOLD} (ToleratedFailurePercentagePath: "$.percentage")`,
    definition: mapOnly({ ItemsPath: '$.items', ToleratedFailurePercentagePath: '$.percentage', ItemProcessor: failingChild }),
    input: { percentage: 10, items: items(4, [0]) },
    expect: { status: 'FAILED', error: 'States.ExceedToleratedFailureThreshold' },
  },
  {
    name: 'JSONata: ToleratedFailureCount as an expression',
    source: `${DOC} (ToleratedFailureCount: in JSONata states, a JSONata expression that evaluates to an integer)`,
    definition: jsonataMapOnly({ Items: '{% $states.input.items %}', ToleratedFailureCount: '{% $states.input.allowed %}', ItemProcessor: failingChildJsonata }),
    input: { allowed: 2, items: items(3, [0, 2]) },
    expect: { status: 'SUCCEEDED', check: (r) => expect(theRun(r).description).toMatchObject({ toleratedFailureCount: 2 }) },
  },
  {
    name: 'an exceeded threshold: MapRunFailed and MapStateFailed in the parent, no MapStateExited',
    source: `${DOC_THRESHOLD}; event order as ${SCENARIOS} test_map_state_config_distributed_item_selector with MapRunFailed / MapStateFailed for the Succeeded pair (failure history not recorded)`,
    definition: mapOnly({ ToleratedFailureCount: 0, ItemProcessor: failingChild }),
    input: items(2, [0]),
    expect: {
      status: 'FAILED',
      error: 'States.ExceedToleratedFailureThreshold',
      events: ['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunFailed', 'MapStateFailed', 'ExecutionFailed'],
    },
  },
  {
    name: 'a Catch on the Map handles States.ExceedToleratedFailureThreshold',
    source: `https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html (States.ExceedToleratedFailureThreshold can be caught); ${DOC} (Catch)`,
    definition: {
      StartAt: 'MapState',
      States: {
        MapState: {
          Type: 'Map',
          ItemsPath: '$.items',
          ToleratedFailureCount: 0,
          ItemProcessor: failingChild,
          Catch: [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], ResultPath: '$.error', Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', End: true },
      },
    },
    input: { items: items(2, [1]) },
    expect: {
      status: 'SUCCEEDED',
      entered: ['MapState', 'Handled'],
      check: (r) => expect((r.output as { error: { Error: string } }).error.Error).toBe('States.ExceedToleratedFailureThreshold'),
    },
  },
  // ---- DescribeMapRun ---------------------------------------------------------------------------------------
  {
    name: 'DescribeMapRun of a successful run: status, limits and item/execution counts',
    source: `${MAP_RUN_API} (MaxConcurrency 1, two items, no tolerance: toleratedFailureCount 0, toleratedFailurePercentage 0.0, resultsWritten 2 without a ResultWriter)`,
    definition: mapOnly({ MaxConcurrency: 1, ItemProcessor: passChild() }),
    input: [{ a: 1 }, { a: 2 }],
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const run = theRun(r);
        const counts = { aborted: 0, failed: 0, pending: 0, resultsWritten: 2, running: 0, succeeded: 2, timedOut: 0, total: 2 };
        expect(run.description).toMatchObject({
          mapRunArn: run.mapRunArn,
          executionArn: `${ARN}:execution:conformance:conformance`,
          status: 'SUCCEEDED',
          maxConcurrency: 1,
          toleratedFailureCount: 0,
          toleratedFailurePercentage: 0,
          itemCounts: counts,
          executionCounts: counts,
        });
      },
    },
  },
  {
    name: 'DescribeMapRun reports the configured MaxConcurrency and tolerances',
    source: `${API_DESCRIBE} (maxConcurrency, toleratedFailureCount, toleratedFailurePercentage of the Map Run)`,
    definition: mapOnly({ MaxConcurrency: 2, ToleratedFailureCount: 5, ToleratedFailurePercentage: 50, ItemProcessor: passChild() }),
    input: [1, 2, 3],
    expect: {
      status: 'SUCCEEDED',
      check: (r) => expect(theRun(r).description).toMatchObject({ maxConcurrency: 2, toleratedFailureCount: 5, toleratedFailurePercentage: 50 }),
    },
  },
  {
    name: 'DescribeMapRun counts failed children of a tolerated run',
    source: `${API_DESCRIBE} (itemCounts / executionCounts: succeeded, failed, total)`,
    definition: mapOnly({ MaxConcurrency: 1, ToleratedFailureCount: 1, ItemProcessor: failingChild }),
    input: items(3, [2]),
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const counts = { succeeded: 2, failed: 1, timedOut: 0, aborted: 0, running: 0, pending: 0, total: 3 };
        expect(theRun(r).description).toMatchObject({ status: 'SUCCEEDED', itemCounts: counts, executionCounts: counts });
      },
    },
  },
  {
    name: 'DescribeMapRun of a run over its threshold is FAILED',
    source: `${API_DESCRIBE} (status); ${DOC_THRESHOLD} (Step Functions may keep running children after the threshold is exceeded, so only the failed count's lower bound is fixed)`,
    definition: mapOnly({ MaxConcurrency: 1, ToleratedFailureCount: 1, ItemProcessor: failingChild }),
    input: items(3, [0, 1]),
    expect: {
      status: 'FAILED',
      check: (r) => {
        const d = theRun(r).description as { status: string; itemCounts: { failed: number; total: number } };
        expect(d.status).toBe('FAILED');
        expect(d.itemCounts.failed).toBeGreaterThanOrEqual(2);
        expect(d.itemCounts.total).toBe(3);
      },
    },
  },
  // ---- ItemBatcher ------------------------------------------------------------------------------------------
  {
    name: 'MaxItemsPerBatch 2 over five items: three children receiving {Items: [...]}',
    source: `${DOC_BATCH} (with batching, Step Functions adds the items to an Items array and passes it to each child workflow execution)`,
    definition: mapOnly({ MaxConcurrency: 1, ItemBatcher: { MaxItemsPerBatch: 2 }, ItemProcessor: passChild() }),
    input: [1, 2, 3, 4, 5],
    expect: {
      status: 'SUCCEEDED',
      output: [{ Items: [1, 2] }, { Items: [3, 4] }, { Items: [5] }],
      check: (r) => expect(theRun(r).children.map((c) => c.input)).toEqual([{ Items: [1, 2] }, { Items: [3, 4] }, { Items: [5] }]),
    },
  },
  {
    name: 'BatchInput is added to every batch next to Items',
    source: `${DOC_BATCH} (BatchInput: a fixed JSON input included in each batch passed to each child workflow execution)`,
    definition: mapOnly({ MaxConcurrency: 1, ItemBatcher: { MaxItemsPerBatch: 2, BatchInput: { factor: 7 } }, ItemProcessor: passChild() }),
    input: [1, 2, 3],
    expect: {
      status: 'SUCCEEDED',
      output: [{ BatchInput: { factor: 7 }, Items: [1, 2] }, { BatchInput: { factor: 7 }, Items: [3] }],
    },
  },
  {
    name: 'BatchInput may select from the state input with a path',
    source: `${DOC_BATCH} (BatchInput values can be static or selected from the state input)`,
    definition: mapOnly({ ItemsPath: '$.values', ItemBatcher: { MaxItemsPerBatch: 3, BatchInput: { 'factor.$': '$.factor' } }, ItemProcessor: passChild() }),
    input: { factor: 3, values: [1, 2] },
    expect: { status: 'SUCCEEDED', output: [{ BatchInput: { factor: 3 }, Items: [1, 2] }] },
  },
  {
    name: 'MaxInputBytesPerBatch limits how many items go in a batch',
    source: `${DOC_BATCH} (MaxInputBytesPerBatch: the maximum size of a batch in bytes; 42-byte items in 100 bytes fit two per batch however the batch is measured)`,
    definition: mapOnly({ MaxConcurrency: 1, ItemBatcher: { MaxInputBytesPerBatch: 100 }, ItemProcessor: passChild() }),
    input: ['a'.repeat(40), 'b'.repeat(40), 'c'.repeat(40), 'd'.repeat(40), 'e'.repeat(40)],
    expect: {
      status: 'SUCCEEDED',
      output: [{ Items: ['a'.repeat(40), 'b'.repeat(40)] }, { Items: ['c'.repeat(40), 'd'.repeat(40)] }, { Items: ['e'.repeat(40)] }],
    },
  },
  {
    name: 'MaxItemsPerBatchPath reads the batch size from the state input',
    source: `${DOC_BATCH} (MaxItemsPerBatchPath)`,
    definition: mapOnly({ ItemsPath: '$.values', ItemBatcher: { MaxItemsPerBatchPath: '$.size' }, ItemProcessor: passChild() }),
    input: { size: 3, values: [1, 2, 3, 4] },
    expect: { status: 'SUCCEEDED', output: [{ Items: [1, 2, 3] }, { Items: [4] }] },
  },
  {
    name: 'JSONata: MaxItemsPerBatch as an expression',
    source: `${DOC_BATCH}; recorded template shape: localstack map_item_batcher_base_max_per_batch_jsonata.json5 (MaxItemsPerBatch "{% ... %}")`,
    definition: jsonataMapOnly({ Items: [1, 2, 3], ItemBatcher: { MaxItemsPerBatch: '{% $states.input.size %}' }, ItemProcessor: passChild() }),
    input: { size: 2 },
    expect: { status: 'SUCCEEDED', output: [{ Items: [1, 2] }, { Items: [3] }] },
  },
  {
    name: 'with batching, DescribeMapRun counts items and child executions apart',
    source: `${API_DESCRIBE} (itemCounts: items processed; executionCounts: child workflow executions)`,
    definition: mapOnly({ ItemBatcher: { MaxItemsPerBatch: 2 }, ItemProcessor: passChild() }),
    input: [1, 2, 3, 4, 5],
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const run = theRun(r);
        expect(run.children).toHaveLength(3);
        expect(run.description).toMatchObject({ itemCounts: { total: 5, succeeded: 5 }, executionCounts: { total: 3, succeeded: 3 } });
      },
    },
  },
  // ---- MaxConcurrency ---------------------------------------------------------------------------------------
  {
    name: 'MaxConcurrency 1: three one-second children take three seconds',
    source: `${DOC} (MaxConcurrency: the number of child workflow executions that can run in parallel)`,
    definition: mapOnly({ MaxConcurrency: 1, ItemProcessor: taskChild('f') }),
    input: [1, 2, 3],
    functions: { f: oneSecond },
    expect: { status: 'SUCCEEDED', output: [1, 2, 3], check: (r) => expect(mapDuration(r)).toBe(3000) },
  },
  {
    name: 'MaxConcurrency 2: three one-second children take two seconds',
    source: `${DOC} (MaxConcurrency)`,
    definition: mapOnly({ MaxConcurrency: 2, ItemProcessor: taskChild('f') }),
    input: [1, 2, 3],
    functions: { f: oneSecond },
    expect: { status: 'SUCCEEDED', output: [1, 2, 3], check: (r) => expect(mapDuration(r)).toBe(2000) },
  },
  {
    name: 'without MaxConcurrency all children run at once',
    source: `${DOC} (if you don't specify a concurrency value or set it to zero, Step Functions doesn't limit concurrency)`,
    definition: mapOnly({ ItemProcessor: taskChild('f') }),
    input: [1, 2, 3, 4],
    functions: { f: oneSecond },
    expect: { status: 'SUCCEEDED', output: [1, 2, 3, 4], check: (r) => expect(mapDuration(r)).toBe(1000) },
  },
  // ---- Retry ------------------------------------------------------------------------------------------------
  {
    name: 'a Retry on a Distributed Map starts a new Map Run',
    source: `${DOC} (Retry: when you retry a Map state, it creates a new Map Run)`,
    definition: mapOnly({
      ToleratedFailureCount: 0,
      ItemProcessor: taskChild('f'),
      Retry: [{ ErrorEquals: ['States.ExceedToleratedFailureThreshold'], IntervalSeconds: 1, MaxAttempts: 1 }],
    }),
    input: [1],
    functions: {
      f: (event, call) => {
        if (call.call === 0) throw lambdaError('Boom', 'first call fails');
        return event;
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: [1],
      check: (r) => {
        expect(r.mapRuns).toHaveLength(2);
        expect(r.mapRuns![0].mapRunArn).not.toBe(r.mapRuns![1].mapRunArn);
        expect(r.mapRuns!.map((m) => m.description.status)).toEqual(['FAILED', 'SUCCEEDED']);
        expect(byType(r, 'MapRunStarted')).toHaveLength(2);
        expect(r.calls.f).toHaveLength(2);
      },
    },
  },
];
