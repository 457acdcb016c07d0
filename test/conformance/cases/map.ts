/**
 * Inline Map state: items, ItemSelector / legacy Iterator + Parameters, concurrency, failures,
 * Retry and Catch, nesting, and the history AWS records. With MaxConcurrency 1 iterations run one
 * after another, so those histories are deterministic and given exactly.
 */
import type { CaseResult, ConformanceCase, FunctionDouble } from '../case';
import { lambdaError } from '../case';

const DOC = 'https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html';
const SPEC = 'https://states-language.net/spec.html#map-state';
const DOC_ERRORS = 'https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html';
const DOC_ITEMSELECTOR = 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemselector.html';
const SCENARIOS = 'recorded AWS: localstack tests/aws/services/stepfunctions/v2/scenarios/test_base_scenarios.snapshot.json';

const fn = (name: string): string => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const INLINE = { Mode: 'INLINE' };

/** An ItemProcessor of one state. */
const processor = (name: string, state: Record<string, unknown>): Record<string, unknown> => ({
  ProcessorConfig: INLINE,
  StartAt: name,
  States: { [name]: state },
});
const passProcessor = (name = 'HandleItem'): Record<string, unknown> => processor(name, { Type: 'Pass', End: true });
const failProcessor = (error?: string, cause?: string): Record<string, unknown> =>
  processor('HandleItemFail', {
    Type: 'Fail',
    ...(error === undefined ? {} : { Error: error }),
    ...(cause === undefined ? {} : { Cause: cause }),
  });

/** A machine whose only state is the Map `MapState`. */
const mapOnly = (map: Record<string, unknown>): Record<string, unknown> => ({
  StartAt: 'MapState',
  States: { MapState: { Type: 'Map', End: true, ...map } },
});

/** The recorded scenario shape: a Pass that puts `items` at $.arr, the Map over it, then a Pass. */
const scenario = (items: unknown[], map: Record<string, unknown>): Record<string, unknown> => ({
  StartAt: 'StartState',
  States: {
    StartState: { Type: 'Pass', Result: items, ResultPath: '$.arr', Next: 'MapState' },
    MapState: { Type: 'Map', ResultPath: null, InputPath: '$.arr', MaxConcurrency: 1, Next: 'Final', ...map },
    Final: { Type: 'Pass', End: true },
  },
});

/** Event types of `n` sequential iterations, each running the given inner events. */
const iterations = (n: number, inner: string[]): string[] =>
  Array.from({ length: n }, () => ['MapIterationStarted', ...inner, 'MapIterationSucceeded']).flat();
const PASS = ['PassStateEntered', 'PassStateExited'];
const LAMBDA_TASK = ['TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited'];

const byType = (r: CaseResult, type: string) => r.history.filter((e) => e.type === type);
function only(r: CaseResult, type: string) {
  const events = byType(r, type);
  expect(events).toHaveLength(1);
  return events[0];
}
const mapDuration = (r: CaseResult): number => only(r, 'MapStateExited').timestamp - only(r, 'MapStateEntered').timestamp;
const iterationStarts = (r: CaseResult): unknown[] =>
  byType(r, 'MapIterationStarted').map((e) => e.mapIterationStartedEventDetails);

/** A Lambda double that waits `event` seconds, then returns `r<event>`. */
const waitsItemSeconds: FunctionDouble = async (event, call) => {
  await call.sleep((event as number) * 1000);
  return `r${event as number}`;
};

const MIXED = [1, 'Hello', {}, null, 3.3, 3, 4, 5];

export const cases: ConformanceCase[] = [
  // ---- Items and results -----------------------------------------------------------------------------
  {
    name: 'MaxConcurrency 1 over mixed items: one iteration after another, ResultPath null keeps the input',
    source: `${SCENARIOS} test_map_state`,
    definition: scenario(MIXED, { ItemProcessor: passProcessor() }),
    expect: {
      status: 'SUCCEEDED',
      output: { arr: MIXED },
      events: [
        'ExecutionStarted',
        ...PASS,
        'MapStateEntered',
        'MapStateStarted',
        ...iterations(8, PASS),
        'MapStateSucceeded',
        'MapStateExited',
        ...PASS,
        'ExecutionSucceeded',
      ],
      check: (r) => {
        expect(only(r, 'MapStateStarted').mapStateStartedEventDetails).toEqual({ length: 8 });
        expect(iterationStarts(r)).toEqual(MIXED.map((_, index) => ({ name: 'MapState', index })));
        expect(byType(r, 'MapIterationSucceeded').map((e) => e.mapIterationSucceededEventDetails)).toEqual(
          MIXED.map((_, index) => ({ name: 'MapState', index })),
        );
      },
    },
  },
  {
    name: 'the Map result is the array of iteration outputs',
    source: `${SCENARIOS} test_map_state_no_processor_config (output [1,2,3])`,
    definition: {
      StartAt: 'StartState',
      States: {
        StartState: { Type: 'Pass', Result: [1, 2, 3], ResultPath: '$.arr', Next: 'MapState' },
        MapState: {
          Type: 'Map',
          ItemsPath: '$.arr',
          MaxConcurrency: 1,
          ItemProcessor: { StartAt: 'HandleItem', States: { HandleItem: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: [1, 2, 3],
      events: ['ExecutionStarted', ...PASS, 'MapStateEntered', 'MapStateStarted', ...iterations(3, PASS), 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded'],
    },
  },
  {
    name: 'an ItemProcessor without ProcessorConfig runs inline',
    source: `${SCENARIOS} test_map_state_no_processor_config; ${DOC}`,
    definition: mapOnly({ ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } }),
    input: ['a', 'b'],
    expect: { status: 'SUCCEEDED', output: ['a', 'b'] },
  },
  {
    name: 'ItemsPath selects the array to iterate over',
    source: `${DOC} (ItemsPath)`,
    definition: mapOnly({ ItemsPath: '$.order.lines', ItemProcessor: passProcessor() }),
    input: { order: { lines: [{ sku: 'a' }, { sku: 'b' }] } },
    expect: {
      status: 'SUCCEEDED',
      output: [{ sku: 'a' }, { sku: 'b' }],
      check: (r) => expect(only(r, 'MapStateStarted').mapStateStartedEventDetails).toEqual({ length: 2 }),
    },
  },
  {
    name: 'without ItemsPath the input itself is the array',
    source: `${DOC} (ItemsPath defaults to $)`,
    definition: mapOnly({ ItemProcessor: passProcessor() }),
    input: [true, false],
    expect: { status: 'SUCCEEDED', output: [true, false] },
  },
  {
    name: 'each iteration\'s own result is collected',
    source: `${SPEC} (the Map result has one element per item, the output of that iteration)`,
    definition: mapOnly({ ItemProcessor: processor('Wrap', { Type: 'Pass', Parameters: { 'value.$': '$' }, End: true }) }),
    input: [1, 2],
    expect: { status: 'SUCCEEDED', output: [{ value: 1 }, { value: 2 }] },
  },
  {
    name: 'an iteration may end in a Succeed state',
    source: `${SPEC} (the ItemProcessor is a state machine; a Succeed state ends it with its input)`,
    definition: mapOnly({ ItemProcessor: processor('Done', { Type: 'Succeed' }) }),
    input: [{ a: 1 }, 'b'],
    expect: { status: 'SUCCEEDED', output: [{ a: 1 }, 'b'] },
  },
  {
    name: 'a Choice in the ItemProcessor routes each item on its own',
    source: `${SPEC} (each item runs the ItemProcessor state machine)`,
    definition: mapOnly({
      ItemProcessor: {
        StartAt: 'Pick',
        States: {
          Pick: { Type: 'Choice', Choices: [{ Variable: '$', NumericGreaterThan: 1, Next: 'Big' }], Default: 'Small' },
          Big: { Type: 'Pass', Result: 'big', End: true },
          Small: { Type: 'Pass', Result: 'small', End: true },
        },
      },
    }),
    input: [1, 2, 0, 5],
    expect: { status: 'SUCCEEDED', output: ['small', 'big', 'small', 'big'] },
  },
  {
    name: 'an empty array gives [] with MapStateStarted length 0 and no iteration',
    source: `${SPEC} (one result element per item); ${SCENARIOS} test_map_item_reader_* (mapStateStartedEventDetails length 0)`,
    definition: mapOnly({ ItemProcessor: passProcessor() }),
    input: [],
    expect: {
      status: 'SUCCEEDED',
      output: [],
      check: (r) => {
        expect(only(r, 'MapStateStarted').mapStateStartedEventDetails).toEqual({ length: 0 });
        expect(byType(r, 'MapIterationStarted')).toHaveLength(0);
      },
    },
  },
  // ---- ItemSelector and legacy Parameters ----------------------------------------------------------------
  {
    name: 'ItemSelector builds each item from $$.Map.Item.Value, $$.Map.Item.Index and the state input',
    source: `${SCENARIOS} test_map_state_item_selector_singleton`,
    definition: {
      StartAt: 'StartState',
      States: {
        StartState: { Type: 'Pass', Result: { detail: { 'delivery-partner': 'UQS', shipped: ['A', 'B', 'C'] } }, Next: 'MapState' },
        MapState: {
          Type: 'Map',
          ResultPath: '$.detail.shipped_output',
          InputPath: '$.detail',
          ItemsPath: '$.shipped',
          MaxConcurrency: 1,
          ItemSelector: {
            'original_input.$': '$',
            'iteration_input_value.$': '$$.Map.Item.Value',
            'iteration_index.$': '$$.Map.Item.Index',
            'from_input_constant.$': '$.delivery-partner',
            constant_value: 'HelloWorld',
          },
          ItemProcessor: passProcessor(),
          Next: 'Final',
        },
        Final: { Type: 'Pass', End: true },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: {
        detail: {
          'delivery-partner': 'UQS',
          shipped: ['A', 'B', 'C'],
          shipped_output: ['A', 'B', 'C'].map((value, index) => ({
            constant_value: 'HelloWorld',
            iteration_input_value: value,
            from_input_constant: 'UQS',
            iteration_index: index,
            original_input: { 'delivery-partner': 'UQS', shipped: ['A', 'B', 'C'] },
          })),
        },
      },
      events: [
        'ExecutionStarted',
        ...PASS,
        'MapStateEntered',
        'MapStateStarted',
        ...iterations(3, PASS),
        'MapStateSucceeded',
        'MapStateExited',
        ...PASS,
        'ExecutionSucceeded',
      ],
    },
  },
  {
    name: 'an ItemSelector of constants gives every iteration the same input',
    source: `${DOC_ITEMSELECTOR}`,
    definition: mapOnly({ ItemSelector: { fixed: 'value' }, ItemProcessor: passProcessor() }),
    input: [1, 2],
    expect: { status: 'SUCCEEDED', output: [{ fixed: 'value' }, { fixed: 'value' }] },
  },
  {
    name: 'an ItemSelector may call intrinsic functions',
    source: `${DOC_ITEMSELECTOR}; https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html (States.Format)`,
    definition: mapOnly({ ItemSelector: { 'label.$': "States.Format('item-{}', $$.Map.Item.Index)" }, ItemProcessor: passProcessor() }),
    input: ['x', 'y'],
    expect: { status: 'SUCCEEDED', output: [{ label: 'item-0' }, { label: 'item-1' }] },
  },
  {
    name: 'legacy Iterator with Parameters: $$.Map.Item.Value and $ (the Map input)',
    source: `${SCENARIOS} test_map_state_legacy_config_inline_parameters`,
    definition: {
      StartAt: 'MapState',
      States: {
        MapState: {
          Type: 'Map',
          MaxConcurrency: 1,
          Parameters: { constantValue: 'constant', 'mapValue.$': '$$.Map.Item.Value', 'fromInput.$': '$' },
          Iterator: { StartAt: 'IteratorInner', States: { IteratorInner: { Type: 'Pass', End: true } }, ProcessorConfig: INLINE },
          Next: 'Finish',
        },
        Finish: { Type: 'Succeed' },
      },
    },
    input: ['Hello', 'World'],
    expect: {
      status: 'SUCCEEDED',
      output: [
        { constantValue: 'constant', mapValue: 'Hello', fromInput: ['Hello', 'World'] },
        { constantValue: 'constant', mapValue: 'World', fromInput: ['Hello', 'World'] },
      ],
      events: [
        'ExecutionStarted',
        'MapStateEntered',
        'MapStateStarted',
        ...iterations(2, PASS),
        'MapStateSucceeded',
        'MapStateExited',
        'SucceedStateEntered',
        'SucceedStateExited',
        'ExecutionSucceeded',
      ],
    },
  },
  {
    name: 'legacy Iterator with Parameters and $$.Map.Item.Index',
    source: `${SCENARIOS} test_map_state_parameters_legacy`,
    definition: mapOnly({
      InputPath: '$.detail',
      ItemsPath: '$.shipped',
      MaxConcurrency: 1,
      Parameters: { 'iteration_input_value.$': '$$.Map.Item.Value', 'iteration_index.$': '$$.Map.Item.Index', 'from_input_constant.$': '$.delivery-partner' },
      Iterator: { StartAt: 'HandleItem', States: { HandleItem: { Type: 'Pass', End: true } } },
    }),
    input: { detail: { 'delivery-partner': 'UQS', shipped: [{ prod: 'R31' }, { prod: 'S39' }] } },
    expect: {
      status: 'SUCCEEDED',
      output: [
        { iteration_input_value: { prod: 'R31' }, iteration_index: 0, from_input_constant: 'UQS' },
        { iteration_input_value: { prod: 'S39' }, iteration_index: 1, from_input_constant: 'UQS' },
      ],
    },
  },
  {
    name: 'legacy Iterator without Parameters: same history as ItemProcessor',
    source: `${SCENARIOS} test_map_state_legacy`,
    definition: scenario(MIXED, { Iterator: { StartAt: 'HandleItem', States: { HandleItem: { Type: 'Pass', End: true } } } }),
    expect: {
      status: 'SUCCEEDED',
      output: { arr: MIXED },
      events: [
        'ExecutionStarted',
        ...PASS,
        'MapStateEntered',
        'MapStateStarted',
        ...iterations(8, PASS),
        'MapStateSucceeded',
        'MapStateExited',
        ...PASS,
        'ExecutionSucceeded',
      ],
    },
  },
  {
    name: 'legacy Iterator with ProcessorConfig INLINE and no Parameters',
    source: `${SCENARIOS} test_map_state_legacy_config_inline`,
    definition: {
      StartAt: 'MapState',
      States: {
        MapState: {
          Type: 'Map',
          MaxConcurrency: 1,
          Iterator: { ProcessorConfig: INLINE, StartAt: 'IteratorInner', States: { IteratorInner: { Type: 'Pass', End: true } } },
          Next: 'Finish',
        },
        Finish: { Type: 'Succeed' },
      },
    },
    input: ['Hello', 'World'],
    expect: {
      status: 'SUCCEEDED',
      output: ['Hello', 'World'],
      events: [
        'ExecutionStarted',
        'MapStateEntered',
        'MapStateStarted',
        ...iterations(2, PASS),
        'MapStateSucceeded',
        'MapStateExited',
        'SucceedStateEntered',
        'SucceedStateExited',
        'ExecutionSucceeded',
      ],
    },
  },
  // ---- Concurrency -----------------------------------------------------------------------------------------
  {
    name: 'MaxConcurrency 0 places no limit and succeeds',
    source: `${SCENARIOS} test_max_concurrency_path[0]; ${DOC} (MaxConcurrency 0: no limit)`,
    definition: mapOnly({ MaxConcurrency: 0, ItemProcessor: passProcessor() }),
    input: [1, 2, 3],
    expect: { status: 'SUCCEEDED', output: [1, 2, 3] },
  },
  {
    name: 'with no limit all iterations run at once: three 1 s items take 1 s',
    source: `${DOC} (MaxConcurrency: iterations run concurrently up to the limit; 0 means no limit)`,
    definition: mapOnly({ MaxConcurrency: 0, ItemProcessor: processor('Call', { Type: 'Task', Resource: fn('f'), End: true }) }),
    input: [1, 1, 1],
    functions: { f: waitsItemSeconds },
    expect: { status: 'SUCCEEDED', output: ['r1', 'r1', 'r1'], check: (r) => expect(mapDuration(r)).toBe(1000) },
  },
  {
    name: 'MaxConcurrency 1: three 1 s items take 3 s and run in item order',
    source: `${DOC} (MaxConcurrency 1 runs one iteration at a time)`,
    definition: mapOnly({ MaxConcurrency: 1, ItemProcessor: processor('Call', { Type: 'Task', Resource: fn('f'), End: true }) }),
    input: [1, 1, 1],
    functions: { f: waitsItemSeconds },
    expect: {
      status: 'SUCCEEDED',
      output: ['r1', 'r1', 'r1'],
      events: ['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', ...iterations(3, LAMBDA_TASK), 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded'],
      check: (r) => expect(mapDuration(r)).toBe(3000),
    },
  },
  {
    name: 'MaxConcurrency 2: three 1 s items take 2 s',
    source: `${DOC} (MaxConcurrency: the upper bound of concurrent iterations)`,
    definition: mapOnly({ MaxConcurrency: 2, ItemProcessor: processor('Call', { Type: 'Task', Resource: fn('f'), End: true }) }),
    input: [1, 1, 1],
    functions: { f: waitsItemSeconds },
    expect: { status: 'SUCCEEDED', output: ['r1', 'r1', 'r1'], check: (r) => expect(mapDuration(r)).toBe(2000) },
  },
  {
    name: 'results are in item order even when later items finish first',
    source: `${SPEC} (the result array is in the order of the input items)`,
    definition: mapOnly({ ItemProcessor: processor('Call', { Type: 'Task', Resource: fn('f'), End: true }) }),
    input: [3, 1, 2],
    functions: { f: waitsItemSeconds },
    expect: { status: 'SUCCEEDED', output: ['r3', 'r1', 'r2'] },
  },
  {
    name: 'MaxConcurrency 1 calls the function once per item, in item order',
    source: `${DOC} (MaxConcurrency 1)`,
    definition: mapOnly({ MaxConcurrency: 1, ItemProcessor: processor('Call', { Type: 'Task', Resource: fn('f'), End: true }) }),
    input: [10, 20, 30],
    functions: { f: (event) => (event as number) + 1 },
    expect: { status: 'SUCCEEDED', output: [11, 21, 31], check: (r) => expect(r.calls.f).toEqual([10, 20, 30]) },
  },
  {
    name: 'MaxConcurrencyPath 1 reads the limit from the input',
    source: `${SCENARIOS} test_max_concurrency_path[1]`,
    definition: {
      StartAt: 'MapState',
      States: {
        MapState: {
          Type: 'Map',
          ItemsPath: '$.Values',
          MaxConcurrencyPath: '$.MaxConcurrencyValue',
          ItemProcessor: passProcessor(),
          Next: 'Final',
        },
        Final: { Type: 'Pass', End: true },
      },
    },
    input: { MaxConcurrencyValue: 1, Values: ['HelloWorld'] },
    expect: {
      status: 'SUCCEEDED',
      output: ['HelloWorld'],
      events: ['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', ...iterations(1, PASS), 'MapStateSucceeded', 'MapStateExited', ...PASS, 'ExecutionSucceeded'],
    },
  },
  {
    name: 'MaxConcurrencyPath to a string fails with States.Runtime before MapStateStarted',
    source: `${SCENARIOS} test_max_concurrency_path[NoNumber]`,
    definition: mapOnly({ ItemsPath: '$.Values', MaxConcurrencyPath: '$.MaxConcurrencyValue', ItemProcessor: passProcessor() }),
    input: { MaxConcurrencyValue: 'NoNumber', Values: ['HelloWorld'] },
    expect: {
      status: 'FAILED',
      error: 'States.Runtime',
      cause:
        "An error occurred while executing the state 'MapState' (entered at the event id #2). The MaxConcurrencyPath field refers to value \"NoNumber\" which is not a valid integer: $.MaxConcurrencyValue",
      events: ['ExecutionStarted', 'MapStateEntered', 'ExecutionFailed'],
    },
  },
  {
    name: 'MaxConcurrencyPath to an object fails with States.Runtime',
    source: `${SCENARIOS} test_max_concurrency_path[max_concurrency_value0]`,
    definition: mapOnly({ ItemsPath: '$.Values', MaxConcurrencyPath: '$.MaxConcurrencyValue', ItemProcessor: passProcessor() }),
    input: { MaxConcurrencyValue: {}, Values: ['HelloWorld'] },
    expect: {
      status: 'FAILED',
      error: 'States.Runtime',
      cause:
        "An error occurred while executing the state 'MapState' (entered at the event id #2). The MaxConcurrencyPath field refers to value \"{}\" which is not a valid integer: $.MaxConcurrencyValue",
      events: ['ExecutionStarted', 'MapStateEntered', 'ExecutionFailed'],
    },
  },
  // ---- Output processing ---------------------------------------------------------------------------------------
  {
    name: 'ResultSelector reshapes the array of results',
    source: `${DOC} (ResultSelector)`,
    definition: mapOnly({ ItemProcessor: passProcessor(), ResultSelector: { 'first.$': '$[0]', 'all.$': '$' } }),
    input: ['a', 'b'],
    expect: { status: 'SUCCEEDED', output: { first: 'a', all: ['a', 'b'] } },
  },
  {
    name: 'ResultPath places the results in the input',
    source: `${DOC} (ResultPath)`,
    definition: mapOnly({ ItemsPath: '$.items', ItemProcessor: passProcessor(), ResultPath: '$.results' }),
    input: { items: [1, 2], keep: true },
    expect: { status: 'SUCCEEDED', output: { items: [1, 2], keep: true, results: [1, 2] } },
  },
  {
    name: 'OutputPath picks one result',
    source: `${DOC} (OutputPath)`,
    definition: mapOnly({ ItemProcessor: passProcessor(), OutputPath: '$[1]' }),
    input: ['a', 'b'],
    expect: { status: 'SUCCEEDED', output: 'b' },
  },
  // ---- Failure ------------------------------------------------------------------------------------------------------
  {
    name: 'a failing iteration fails the Map: MapIterationFailed, MapStateFailed, and no later iteration',
    source: `${SCENARIOS} test_map_state_break_condition`,
    definition: scenario([1, 'Hello', {}, 3.3, 3, 4, 5], {
      ItemProcessor: {
        ProcessorConfig: INLINE,
        StartAt: 'Equals3',
        States: {
          Equals3: {
            Type: 'Choice',
            Choices: [
              {
                And: [
                  { IsPresent: true, Variable: '$' },
                  { And: [{ IsNumeric: true, Variable: '$' }, { NumericEquals: 3, Variable: '$' }] },
                ],
                Next: 'Break',
              },
            ],
            Default: 'Pass',
          },
          Break: { Type: 'Fail', Error: 'SomeFailure', Cause: "This state machines raises a 'SomeFailure' failure." },
          Pass: { Type: 'Pass', End: true },
        },
      },
    }),
    expect: {
      status: 'FAILED',
      error: 'SomeFailure',
      cause: "This state machines raises a 'SomeFailure' failure.",
      events: [
        'ExecutionStarted',
        ...PASS,
        'MapStateEntered',
        'MapStateStarted',
        ...iterations(4, ['ChoiceStateEntered', 'ChoiceStateExited', ...PASS]),
        'MapIterationStarted',
        'ChoiceStateEntered',
        'ChoiceStateExited',
        'FailStateEntered',
        'MapIterationFailed',
        'MapStateFailed',
        'ExecutionFailed',
      ],
      check: (r) => expect(only(r, 'MapIterationFailed').mapIterationFailedEventDetails).toEqual({ name: 'MapState', index: 4 }),
    },
  },
  {
    name: 'a Lambda error in an iteration is the Map\'s error',
    source: `${SCENARIOS} test_map_state_break_condition (an iteration failure fails the Map with its error); the TaskStateAborted after the failure as recorded in localstack tests/aws/services/stepfunctions/v2/timeouts/test_timeouts.snapshot.json (test_service_lambda_map_timeout)`,
    definition: mapOnly({ MaxConcurrency: 1, ItemProcessor: processor('Call', { Type: 'Task', Resource: fn('f'), End: true }) }),
    input: ['ok', 'bad'],
    functions: {
      f: (event) => {
        if (event === 'bad') throw lambdaError('ItemError', 'item bad');
        return 'done';
      },
    },
    expect: {
      status: 'FAILED',
      error: 'ItemError',
      cause: /"errorMessage":\s*"item bad"/,
      events: [
        'ExecutionStarted',
        'MapStateEntered',
        'MapStateStarted',
        ...iterations(1, LAMBDA_TASK),
        'MapIterationStarted',
        'TaskStateEntered',
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'LambdaFunctionFailed',
        'TaskStateAborted',
        'MapIterationFailed',
        'MapStateFailed',
        'ExecutionFailed',
      ],
    },
  },
  {
    name: 'a Fail state without Error in an iteration fails the execution with no error name',
    source: `${SCENARIOS} test_map_state_catch_empty_fail (ExecutionFailed with empty details; "State.ALL" is not States.ALL)`,
    definition: {
      StartAt: 'StartState',
      States: {
        StartState: { Type: 'Pass', Result: [1], ResultPath: '$.arr', Next: 'MapState' },
        MapState: {
          Type: 'Map',
          ResultPath: null,
          InputPath: '$.arr',
          MaxConcurrency: 1,
          ItemProcessor: failProcessor(),
          Catch: [
            { ErrorEquals: ['Internal Error'], Next: 'CaughtInternalError' },
            { ErrorEquals: ['State.ALL'], Next: 'CaughtStatesALL' },
          ],
          Next: 'CaughtNone',
        },
        CaughtInternalError: { Type: 'Pass', End: true },
        CaughtStatesALL: { Type: 'Pass', End: true },
        CaughtNone: { Type: 'Pass', End: true },
      },
    },
    expect: {
      status: 'FAILED',
      events: [
        'ExecutionStarted',
        ...PASS,
        'MapStateEntered',
        'MapStateStarted',
        'MapIterationStarted',
        'FailStateEntered',
        'MapIterationFailed',
        'MapStateFailed',
        'ExecutionFailed',
      ],
      check: (r) => {
        expect(only(r, 'ExecutionFailed').executionFailedEventDetails).toEqual({});
        expect(r.error).toBeUndefined();
      },
    },
  },
  {
    name: 'a task Retry inside an iteration lets the iteration succeed',
    source: `${DOC_ERRORS} (Retry on the Task state); ${DOC}`,
    definition: mapOnly({
      MaxConcurrency: 1,
      ItemProcessor: processor('Call', { Type: 'Task', Resource: fn('f'), Retry: [{ ErrorEquals: ['Boom'] }], End: true }),
    }),
    input: [1, 2],
    functions: {
      f: (event, call) => {
        if (call.call === 0) throw lambdaError('Boom', 'first call');
        return (event as number) * 10;
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: [10, 20],
      check: (r) => {
        expect(r.calls.f).toEqual([1, 1, 2]);
        expect(byType(r, 'MapIterationStarted')).toHaveLength(2);
      },
    },
  },
  // ---- Catch -----------------------------------------------------------------------------------------------------------
  {
    name: 'Catch on a Map: MapIterationFailed, MapStateFailed, MapStateExited with the error output',
    source: `${SCENARIOS} test_map_state_catch`,
    definition: {
      StartAt: 'StartState',
      States: {
        StartState: { Type: 'Pass', Result: [1], ResultPath: '$.arr', Next: 'MapState' },
        MapState: {
          Type: 'Map',
          ResultPath: null,
          InputPath: '$.arr',
          MaxConcurrency: 1,
          ItemProcessor: failProcessor('HandleItemFailError', 'HandleItemFailCause'),
          Catch: [{ ErrorEquals: ['HandleItemFailError'], Next: 'FinalCaught' }],
          Next: 'Final',
        },
        FinalCaught: { Type: 'Pass', End: true },
        Final: { Type: 'Pass', End: true },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: { Error: 'HandleItemFailError', Cause: 'HandleItemFailCause' },
      entered: ['StartState', 'MapState', 'HandleItemFail', 'FinalCaught'],
      events: [
        'ExecutionStarted',
        ...PASS,
        'MapStateEntered',
        'MapStateStarted',
        'MapIterationStarted',
        'FailStateEntered',
        'MapIterationFailed',
        'MapStateFailed',
        'MapStateExited',
        ...PASS,
        'ExecutionSucceeded',
      ],
    },
  },
  {
    name: 'Catch on a Map with ResultPath keeps the input',
    source: `${DOC} (Catch); ${DOC_ERRORS} (Error output with ResultPath)`,
    definition: {
      StartAt: 'MapState',
      States: {
        MapState: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: failProcessor('ItemFailed', 'bad item'),
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', End: true },
      },
    },
    input: { items: [1], keep: true },
    expect: { status: 'SUCCEEDED', output: { items: [1], keep: true, error: { Error: 'ItemFailed', Cause: 'bad item' } } },
  },
  {
    name: 'a Map catcher for another error does not catch',
    source: `${DOC_ERRORS} (a catcher applies when the error name is in its ErrorEquals)`,
    definition: {
      StartAt: 'MapState',
      States: {
        MapState: {
          Type: 'Map',
          ItemProcessor: failProcessor('ItemFailed', 'bad item'),
          Catch: [{ ErrorEquals: ['Other'], Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', End: true },
      },
    },
    input: [1],
    expect: { status: 'FAILED', error: 'ItemFailed', cause: 'bad item' },
  },
  // ---- Retry -------------------------------------------------------------------------------------------------------------
  {
    name: 'Retry on a Map: MapStateStarted again for each attempt, no MapStateFailed between',
    source: `${SCENARIOS} test_map_state_retry`,
    definition: scenario([1], {
      ItemProcessor: failProcessor('HandleItemFailError', 'HandleItemFailCause'),
      Retry: [{ ErrorEquals: ['HandleItemFailError'], MaxAttempts: 2 }],
    }),
    expect: {
      status: 'FAILED',
      error: 'HandleItemFailError',
      cause: 'HandleItemFailCause',
      events: [
        'ExecutionStarted',
        ...PASS,
        'MapStateEntered',
        ...[1, 2, 3].flatMap(() => ['MapStateStarted', 'MapIterationStarted', 'FailStateEntered', 'MapIterationFailed']),
        'MapStateFailed',
        'ExecutionFailed',
      ],
    },
  },
  {
    name: 'several retriers on a Map: "State.ALL" matches nothing, the matching one allows 3 retries',
    source: `${SCENARIOS} test_map_state_retry_multiple_retriers`,
    definition: scenario([1], {
      ItemProcessor: failProcessor('HandleItemFailError', 'HandleItemFailCause'),
      Retry: [
        { ErrorEquals: ['NoSuchError'], MaxAttempts: 1 },
        { ErrorEquals: ['State.ALL'], MaxAttempts: 2 },
        { ErrorEquals: ['HandleItemFailError'], MaxAttempts: 3 },
      ],
    }),
    expect: {
      status: 'FAILED',
      error: 'HandleItemFailError',
      cause: 'HandleItemFailCause',
      events: [
        'ExecutionStarted',
        ...PASS,
        'MapStateEntered',
        ...[1, 2, 3, 4].flatMap(() => ['MapStateStarted', 'MapIterationStarted', 'FailStateEntered', 'MapIterationFailed']),
        'MapStateFailed',
        'ExecutionFailed',
      ],
    },
  },
  {
    name: 'a Map retry re-runs every iteration after IntervalSeconds',
    source: `${SCENARIOS} test_map_state_retry (the whole Map starts again); ${DOC_ERRORS} (IntervalSeconds)`,
    definition: mapOnly({
      MaxConcurrency: 1,
      ItemProcessor: processor('Call', { Type: 'Task', Resource: fn('f'), End: true }),
      Retry: [{ ErrorEquals: ['Boom'], IntervalSeconds: 2 }],
    }),
    input: [1, 2],
    functions: {
      f: (event, call) => {
        if (call.call === 1) throw lambdaError('Boom', 'second item, first run');
        return (event as number) * 10;
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: [10, 20],
      check: (r) => {
        expect(r.calls.f).toEqual([1, 2, 1, 2]);
        const starts = byType(r, 'MapStateStarted');
        expect(starts).toHaveLength(2);
        expect(starts[1].timestamp - only(r, 'MapIterationFailed').timestamp).toBe(2000);
        expect(byType(r, 'MapStateEntered')).toHaveLength(1);
      },
    },
  },
  {
    name: 'Retry then Catch on a Map',
    source: `${DOC_ERRORS} (retriers first, then catchers)`,
    definition: {
      StartAt: 'MapState',
      States: {
        MapState: {
          Type: 'Map',
          ItemProcessor: failProcessor('ItemFailed', 'bad item'),
          Retry: [{ ErrorEquals: ['ItemFailed'], MaxAttempts: 1 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }],
          End: true,
        },
        Handled: { Type: 'Pass', End: true },
      },
    },
    input: [1],
    expect: {
      status: 'SUCCEEDED',
      output: { Error: 'ItemFailed', Cause: 'bad item' },
      check: (r) => expect(byType(r, 'MapStateStarted')).toHaveLength(2),
    },
  },
  // ---- Nesting ---------------------------------------------------------------------------------------------------------------
  {
    name: 'nested Map: the inner Map\'s events sit inside the outer iteration',
    source: `${SCENARIOS} test_map_state_nested`,
    definition: {
      StartAt: 'MapL1',
      States: {
        MapL1: {
          Type: 'Map',
          MaxConcurrency: 1,
          ItemProcessor: processor('MapL2', {
            Type: 'Map',
            MaxConcurrency: 1,
            ItemProcessor: passProcessor('MapL2Pass'),
            End: true,
          }),
          End: true,
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
        [1, 2, 3],
        [4, 5, 6],
      ],
      events: [
        'ExecutionStarted',
        'MapStateEntered',
        'MapStateStarted',
        ...iterations(2, ['MapStateEntered', 'MapStateStarted', ...iterations(3, PASS), 'MapStateSucceeded', 'MapStateExited']),
        'MapStateSucceeded',
        'MapStateExited',
        'ExecutionSucceeded',
      ],
      check: (r) => {
        expect(byType(r, 'MapStateStarted').map((e) => e.mapStateStartedEventDetails)).toEqual([{ length: 2 }, { length: 3 }, { length: 3 }]);
        expect(iterationStarts(r)).toEqual([
          { name: 'MapL1', index: 0 },
          { name: 'MapL2', index: 0 },
          { name: 'MapL2', index: 1 },
          { name: 'MapL2', index: 2 },
          { name: 'MapL1', index: 1 },
          { name: 'MapL2', index: 0 },
          { name: 'MapL2', index: 1 },
          { name: 'MapL2', index: 2 },
        ]);
      },
    },
  },
  {
    name: 'in a nested Map, $$.Map.Item.Index is the inner index; the outer one is passed by ItemSelector',
    source: `${DOC_ITEMSELECTOR} ($$.Map.Item.Index and Value refer to the current Map's item)`,
    definition: mapOnly({
      ItemSelector: { 'row.$': '$$.Map.Item.Index', 'cells.$': '$$.Map.Item.Value' },
      ItemProcessor: processor('Inner', {
        Type: 'Map',
        ItemsPath: '$.cells',
        ItemSelector: { 'row.$': '$.row', 'col.$': '$$.Map.Item.Index', 'v.$': '$$.Map.Item.Value' },
        ItemProcessor: passProcessor('Cell'),
        End: true,
      }),
    }),
    input: [['a', 'b'], ['c']],
    expect: {
      status: 'SUCCEEDED',
      output: [
        [
          { row: 0, col: 0, v: 'a' },
          { row: 0, col: 1, v: 'b' },
        ],
        [{ row: 1, col: 0, v: 'c' }],
      ],
    },
  },
  {
    name: 'a failure in a nested Map fails the outer Map with the inner error',
    source: `${SCENARIOS} test_map_state_break_condition (an iteration failure fails its Map); ${SPEC}`,
    definition: mapOnly({
      MaxConcurrency: 1,
      ItemProcessor: processor('Inner', { Type: 'Map', ItemProcessor: failProcessor('DeepError', 'deep'), End: true }),
    }),
    input: [[1]],
    expect: {
      status: 'FAILED',
      error: 'DeepError',
      cause: 'deep',
      check: (r) => {
        expect(byType(r, 'MapIterationFailed')).toHaveLength(2);
        expect(byType(r, 'MapStateFailed')).toHaveLength(2);
      },
    },
  },
  // ---- Definitions AWS rejects --------------------------------------------------------------------------------------------------
  {
    name: 'a Map without ItemProcessor or Iterator is rejected',
    source: `${SPEC} (a Map state MUST contain an ItemProcessor (formerly Iterator))`,
    definition: mapOnly({ ItemsPath: '$' }),
    expect: { definitionError: { name: 'InvalidDefinition' } },
  },
  {
    name: 'an iteration state cannot transition to a state outside the ItemProcessor',
    source: `${SPEC} (states inside an ItemProcessor may transition only among themselves)`,
    definition: {
      StartAt: 'MapState',
      States: {
        MapState: { Type: 'Map', ItemProcessor: { StartAt: 'In', States: { In: { Type: 'Pass', Next: 'Out' } } }, Next: 'Out' },
        Out: { Type: 'Pass', End: true },
      },
    },
    expect: { definitionError: { name: 'InvalidDefinition' } },
  },
];
