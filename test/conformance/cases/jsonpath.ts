/**
 * JSONPath input/output processing: InputPath → Parameters → task → ResultSelector → ResultPath →
 * OutputPath, path syntax, and Map ItemsPath / ItemSelector.
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html
 */
import type { ConformanceCase } from '../case';

const FN = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

const SPEC_PATHS = 'https://states-language.net/spec.html#path';
const SPEC_PAYLOAD = 'https://states-language.net/spec.html#payload-template';
const SPEC_RESULTPATH = 'https://states-language.net/spec.html#filters ("ResultPath")';
const DOC_FILTERING = 'https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html';
const DOC_INPUTPATH =
  'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html#input-output-inputpath';
const DOC_PARAMETERS =
  'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html#input-output-parameters';
const DOC_RESULTSELECTOR =
  'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html#input-output-resultselector';
const DOC_RESULTPATH = 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html';
const DOC_EXAMPLE = 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-example.html';
const DOC_ITEMSPATH = 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemspath.html';
const DOC_ITEMSELECTOR = 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemselector.html';
const REC = 'recorded AWS: localstack tests/aws/services/stepfunctions/v2';
const REC_BASE = `${REC}/base/test_base.snapshot.json`;
const REC_CTX = `${REC}/context_object/test_context_object.snapshot.json`;
const REC_SCENARIOS = `${REC}/scenarios/test_base_scenarios.snapshot.json`;

const PASS_OK = ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded'];
const PASS_FAILED = ['ExecutionStarted', 'PassStateEntered', 'ExecutionFailed'];

/** A machine of one Pass state `P`. */
function pass(fields: Record<string, unknown>): Record<string, unknown> {
  return { StartAt: 'P', States: { P: { Type: 'Pass', End: true, ...fields } } };
}

/** A machine of one Task state `T` calling the function double `f`. */
function task(fields: Record<string, unknown>): Record<string, unknown> {
  return { StartAt: 'T', States: { T: { Type: 'Task', Resource: FN('f'), End: true, ...fields } } };
}

/** A machine of one Map state `M` whose iterations are a plain Pass. */
function map(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    StartAt: 'M',
    States: {
      M: {
        Type: 'Map',
        ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Pass', End: true } } },
        End: true,
        ...fields,
      },
    },
  };
}

const ITEMS = { items: [{ id: 1, x: 5 }, { id: 2, x: 0 }, { id: 3, x: 2 }] };

const inputPath: ConformanceCase[] = [
  {
    name: 'InputPath selects a field as the state input',
    source: DOC_INPUTPATH,
    definition: pass({ InputPath: '$.a' }),
    input: { a: { b: 1 }, c: 2 },
    expect: { status: 'SUCCEEDED', output: { b: 1 }, events: PASS_OK },
  },
  {
    name: 'InputPath "$" passes the whole input',
    source: DOC_INPUTPATH,
    definition: pass({ InputPath: '$' }),
    input: { a: 1 },
    expect: { status: 'SUCCEEDED', output: { a: 1 } },
  },
  {
    name: 'InputPath selecting a scalar makes the state input that scalar',
    source: DOC_INPUTPATH,
    definition: pass({ InputPath: '$.n' }),
    input: { n: 5 },
    expect: { status: 'SUCCEEDED', output: 5 },
  },
  {
    name: 'InputPath can select an array element',
    source: SPEC_PATHS,
    definition: pass({ InputPath: '$.list[1]' }),
    input: { list: ['a', 'b', 'c'] },
    expect: { status: 'SUCCEEDED', output: 'b' },
  },
  {
    name: 'InputPath null gives Parameters an empty object as input',
    source: `${REC_BASE} test_state_pass_result_null_input_output_paths`,
    definition: pass({ InputPath: null, Parameters: { Arg2: 'argument2', 'FromInput.$': '$' } }),
    input: { InputValue: 0 },
    expect: { status: 'SUCCEEDED', output: { Arg2: 'argument2', FromInput: {} } },
  },
  {
    name: 'InputPath null on a Pass without Result outputs {}',
    source: `${DOC_FILTERING} (InputPath null: input is {}); ${REC_BASE} test_state_pass_result_null_input_output_paths`,
    definition: pass({ InputPath: null }),
    input: { InputValue: 0 },
    expect: { status: 'SUCCEEDED', output: {} },
  },
  {
    name: 'InputPath that matches nothing fails the execution with States.Runtime',
    source: `${REC_SCENARIOS} test_invalid_jsonpath[ST.INVALID_JSONPATH_IN_INPUTPATH]`,
    definition: pass({ InputPath: '$.nope' }),
    input: { 'int-literal': 0 },
    expect: {
      status: 'FAILED',
      error: 'States.Runtime',
      cause:
        "An error occurred while executing the state 'P' (entered at the event id #2). Invalid path '$.nope' : No results for path: $['nope']",
      events: PASS_FAILED,
    },
  },
  {
    name: 'InputPath "$$" makes the context object the state input',
    source: `${REC_CTX} test_input_path[$$]`,
    definition: pass({ InputPath: '$$' }),
    input: { 'input-value': 0 },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const out = r.output as Record<string, Record<string, unknown>>;
        expect(Object.keys(out).sort()).toEqual(['Execution', 'State', 'StateMachine']);
        expect(out.Execution.Input).toEqual({ 'input-value': 0 });
        expect(out.State.Name).toBe('P');
      },
    },
  },
  {
    name: 'InputPath "$$.Execution.Input" selects the execution input',
    source: `${REC_CTX} test_input_path[$$.Execution.Input]`,
    definition: {
      StartAt: 'First',
      States: {
        First: { Type: 'Pass', Result: { replaced: true }, Next: 'P' },
        P: { Type: 'Pass', InputPath: '$$.Execution.Input', End: true },
      },
    },
    input: { 'input-value': 0 },
    expect: { status: 'SUCCEEDED', output: { 'input-value': 0 } },
  },
  {
    name: 'InputPath on a Task limits what the function receives',
    source: `${DOC_EXAMPLE} ("The Lambda function receives only the JSON object {"who": "AWS Step Functions"}")`,
    definition: task({ InputPath: '$.lambda' }),
    input: { comment: 'c', lambda: { who: 'AWS Step Functions' } },
    functions: { f: (event) => `Hello, ${(event as { who: string }).who}!` },
    expect: {
      status: 'SUCCEEDED',
      output: 'Hello, AWS Step Functions!',
      check: (r) => expect(r.calls.f).toEqual([{ who: 'AWS Step Functions' }]),
    },
  },
];

const parameters: ConformanceCase[] = [
  {
    name: 'Parameters keeps static values of every JSON type',
    source: DOC_PARAMETERS,
    definition: pass({ Parameters: { s: 'x', n: 1.5, t: true, f: false, z: null, o: { k: [1, 'two'] } } }),
    input: { ignored: 1 },
    expect: { status: 'SUCCEEDED', output: { s: 'x', n: 1.5, t: true, f: false, z: null, o: { k: [1, 'two'] } } },
  },
  {
    name: 'a Parameters key ending in ".$" takes the path value and loses the suffix',
    source: SPEC_PAYLOAD,
    definition: pass({ Parameters: { 'who.$': '$.name', greeting: 'hi' } }),
    input: { name: 'Ana' },
    expect: { status: 'SUCCEEDED', output: { who: 'Ana', greeting: 'hi' }, events: PASS_OK },
  },
  {
    name: 'Parameters "key.$": "$" copies the whole effective input',
    source: `${REC_BASE} test_state_pass_result_null_input_output_paths`,
    definition: pass({ Parameters: { Arg1: 'argument1', 'FromInput.$': '$' } }),
    input: { InputValue: 0 },
    expect: { status: 'SUCCEEDED', output: { Arg1: 'argument1', FromInput: { InputValue: 0 } } },
  },
  {
    name: 'Parameters resolves ".$" keys inside nested objects',
    source: `${SPEC_PAYLOAD} ("however deeply nested")`,
    definition: pass({ Parameters: { outer: { inner: { 'v.$': '$.a.b' }, s: 1 } } }),
    input: { a: { b: 'deep' } },
    expect: { status: 'SUCCEEDED', output: { outer: { inner: { v: 'deep' }, s: 1 } } },
  },
  {
    name: 'Parameters resolves ".$" keys inside objects within arrays',
    source: `${SPEC_PAYLOAD} ("however deeply nested")`,
    definition: pass({ Parameters: { list: [{ 'v.$': '$.a' }, { w: 'static' }] } }),
    input: { a: 7 },
    expect: { status: 'SUCCEEDED', output: { list: [{ v: 7 }, { w: 'static' }] } },
  },
  {
    name: 'a ".$" value can point into an array',
    source: SPEC_PATHS,
    definition: pass({ Parameters: { 'first.$': '$.list[0]', 'name.$': '$.list[1].name' } }),
    input: { list: [10, { name: 'n' }] },
    expect: { status: 'SUCCEEDED', output: { first: 10, name: 'n' } },
  },
  {
    name: 'a ".$" path to a field whose value is null yields null, not an error',
    source: SPEC_PAYLOAD,
    definition: pass({ Parameters: { 'v.$': '$.a' } }),
    input: { a: null },
    expect: { status: 'SUCCEEDED', output: { v: null } },
  },
  {
    name: 'a ".$" path selecting an object copies the object',
    source: SPEC_PAYLOAD,
    definition: pass({ Parameters: { 'copy.$': '$.obj' } }),
    input: { obj: { k: [1, 2] }, other: 1 },
    expect: { status: 'SUCCEEDED', output: { copy: { k: [1, 2] } } },
  },
  {
    name: 'Parameters reads the context object with "$$." paths',
    source: `${REC_BASE} test_query_context_object_values`,
    definition: pass({ Parameters: { 'input.$': '$$.Execution.Input', 'state.$': '$$.State.Name' } }),
    input: { message: 'TestMessage' },
    expect: { status: 'SUCCEEDED', output: { input: { message: 'TestMessage' }, state: 'P' } },
  },
  {
    name: 'InputPath is applied before Parameters',
    source: `${DOC_INPUTPATH} ("Step Functions applies the InputPath field first, and then the Parameters field")`,
    definition: pass({ InputPath: '$.a', Parameters: { 'x.$': '$.b' } }),
    input: { a: { b: 1 }, b: 2 },
    expect: { status: 'SUCCEEDED', output: { x: 1 } },
  },
  {
    name: 'Parameters can call an intrinsic function',
    source: 'https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-generic',
    definition: pass({ Parameters: { 'msg.$': "States.Format('Hello, {}!', $.name)" } }),
    input: { name: 'Ana' },
    expect: { status: 'SUCCEEDED', output: { msg: 'Hello, Ana!' } },
  },
  {
    name: 'Parameters on a Task is the event the function receives',
    source: DOC_PARAMETERS,
    definition: task({ Parameters: { 'id.$': '$.order.id', kind: 'order' } }),
    input: { order: { id: 'o-1', total: 3 } },
    functions: { f: (event) => event },
    expect: {
      status: 'SUCCEEDED',
      output: { id: 'o-1', kind: 'order' },
      check: (r) => expect(r.calls.f).toEqual([{ id: 'o-1', kind: 'order' }]),
    },
  },
  {
    name: 'a Parameters path that matches nothing fails with States.Runtime',
    source: `${REC_SCENARIOS} test_invalid_jsonpath[INVALID_JSONPATH_IN_STRING_EXPR_JSONPATH] (input rendered as in AWS CLI output '{}')`,
    definition: pass({ Parameters: { 'v.$': '$.nope' } }),
    input: {},
    expect: {
      status: 'FAILED',
      error: 'States.Runtime',
      cause:
        "An error occurred while executing the state 'P' (entered at the event id #2). The JSONPath '$.nope' specified for the field 'v.$' could not be found in the input '{}'",
      events: PASS_FAILED,
    },
  },
  {
    name: 'a Parameters context path that matches nothing fails with States.Runtime',
    source: `${REC_SCENARIOS} test_invalid_jsonpath[INVALID_JSONPATH_IN_STRING_EXPR_CONTEXTPATH]`,
    definition: pass({ Parameters: { 'v.$': '$$.Execution.Input.nope' } }),
    input: { 'int-literal': 0 },
    expect: {
      status: 'FAILED',
      error: 'States.Runtime',
      cause:
        /^An error occurred while executing the state 'P' \(entered at the event id #2\)\. The JSONPath '\$\$\.Execution\.Input\.nope' specified for the field 'v\.\$' could not be found in the input '.*'$/,
    },
  },
  {
    name: 'a Pass Result is static: ".$" keys inside it are not evaluated',
    source: `${REC_BASE} test_state_pass_result_jsonpaths`,
    definition: pass({ Result: { 'unsupported1.$': '$.jsonpath', 'unsupported2.$': '$$' } }),
    expect: {
      status: 'SUCCEEDED',
      output: { 'unsupported1.$': '$.jsonpath', 'unsupported2.$': '$$' },
      events: PASS_OK,
    },
  },
];

const resultSelector: ConformanceCase[] = [
  {
    name: 'ResultSelector reshapes a Task result',
    source: DOC_RESULTSELECTOR,
    definition: task({ ResultSelector: { 'a.$': '$.a', 'c.$': '$.b.c', k: 'static' } }),
    functions: { f: () => ({ a: 1, b: { c: 2 }, noise: 3 }) },
    expect: { status: 'SUCCEEDED', output: { a: 1, c: 2, k: 'static' } },
  },
  {
    name: 'ResultSelector runs before ResultPath',
    source: DOC_RESULTSELECTOR,
    definition: task({ ResultSelector: { 'v.$': '$.value' }, ResultPath: '$.r' }),
    input: { keep: true },
    functions: { f: () => ({ value: 42, extra: 'x' }) },
    expect: { status: 'SUCCEEDED', output: { keep: true, r: { v: 42 } } },
  },
  {
    name: 'ResultSelector "$" is the task result, not the state input',
    source: DOC_RESULTSELECTOR,
    definition: task({ ResultSelector: { 'all.$': '$' } }),
    input: { in: 1 },
    functions: { f: () => ({ out: 2 }) },
    expect: { status: 'SUCCEEDED', output: { all: { out: 2 } } },
  },
  {
    name: 'ResultSelector can read the context object',
    source: `${REC_CTX} test_result_selector`,
    definition: task({ ResultSelector: { 'ContextObjectValue.$': '$$.Execution.Input', 'LambdaOutput.$': '$' } }),
    input: { 'input-value': 0 },
    functions: { f: () => 'done' },
    expect: { status: 'SUCCEEDED', output: { ContextObjectValue: { 'input-value': 0 }, LambdaOutput: 'done' } },
  },
  {
    name: 'a ResultSelector path that matches nothing fails with States.Runtime (unverified)',
    source: `${REC_SCENARIOS} test_invalid_jsonpath (Parameters wording; ResultSelector not recorded)`,
    definition: task({ ResultSelector: { 'x.$': '$.nope' } }),
    functions: { f: () => ({ a: 1 }) },
    expect: { status: 'FAILED', error: 'States.Runtime', cause: /The JSONPath '\$\.nope' specified for the field 'x\.\$' could not be found/ },
  },
];

const resultPath: ConformanceCase[] = [
  {
    name: 'ResultPath "$" replaces the input with the Pass Result',
    source: `${REC_BASE} test_state_pass_result; ${DOC_RESULTPATH}#input-output-resultpath-default`,
    definition: pass({ Result: { Arg1: 'argument1' }, ResultPath: '$' }),
    input: { old: 1 },
    expect: { status: 'SUCCEEDED', output: { Arg1: 'argument1' } },
  },
  {
    name: 'omitting ResultPath replaces the input with the task result',
    source: `${DOC_RESULTPATH}#input-output-resultpath-default`,
    definition: task({}),
    input: { who: 'AWS Step Functions' },
    functions: { f: () => 'Hello, AWS Step Functions!' },
    expect: { status: 'SUCCEEDED', output: 'Hello, AWS Step Functions!' },
  },
  {
    name: 'ResultPath "$.taskresult" adds the result to the input',
    source: `${DOC_RESULTPATH}#input-output-resultpath-append`,
    definition: task({ ResultPath: '$.taskresult' }),
    input: { comment: 'c', who: 'AWS Step Functions' },
    functions: { f: () => 'Hello, AWS Step Functions!' },
    expect: {
      status: 'SUCCEEDED',
      output: { comment: 'c', who: 'AWS Step Functions', taskresult: 'Hello, AWS Step Functions!' },
    },
  },
  {
    name: 'ResultPath can insert into an existing child object',
    source: `${DOC_RESULTPATH}#input-output-resultpath-append ("$.strings.lambdaresult")`,
    definition: pass({ Result: 'Hello!', ResultPath: '$.strings.lambdaresult' }),
    input: { strings: { string1: 'foo', string2: 'bar' }, who: 'w' },
    expect: {
      status: 'SUCCEEDED',
      output: { strings: { string1: 'foo', string2: 'bar', lambdaresult: 'Hello!' }, who: 'w' },
    },
  },
  {
    name: 'ResultPath to an existing field overwrites it',
    source: `${DOC_RESULTPATH}#input-output-resultpath-amend`,
    definition: pass({ Result: 'Hello!', ResultPath: '$.comment' }),
    input: { comment: 'old', details: 'd' },
    expect: { status: 'SUCCEEDED', output: { comment: 'Hello!', details: 'd' } },
  },
  {
    name: 'ResultPath "$.a.b" creates the missing intervening objects',
    source: `${SPEC_RESULTPATH} ("a new field is created ... with intervening fields constructed as necessary")`,
    definition: pass({ Result: 1, ResultPath: '$.a.b' }),
    input: { x: 0 },
    expect: { status: 'SUCCEEDED', output: { x: 0, a: { b: 1 } } },
  },
  {
    name: 'ResultPath null discards the Task result and keeps the input',
    source: `${DOC_RESULTPATH}#input-output-resultpath-null`,
    definition: task({ ResultPath: null }),
    input: { comment: 'keep me' },
    functions: { f: () => 'discarded' },
    expect: {
      status: 'SUCCEEDED',
      output: { comment: 'keep me' },
      check: (r) => expect(r.calls.f).toEqual([{ comment: 'keep me' }]),
    },
  },
  {
    name: 'ResultPath null on a Pass with Result keeps the input',
    source: `${DOC_RESULTPATH}#input-output-resultpath-null`,
    definition: pass({ Result: { ignored: true }, ResultPath: null }),
    input: { a: 1 },
    expect: { status: 'SUCCEEDED', output: { a: 1 } },
  },
  {
    name: 'ResultPath merges into the raw input, not the InputPath-filtered one',
    source: `${DOC_EXAMPLE} ("inserts the result ... in the original input")`,
    definition: pass({ InputPath: '$.a', Result: 'R', ResultPath: '$.r' }),
    input: { a: 1, b: 2 },
    expect: { status: 'SUCCEEDED', output: { a: 1, b: 2, r: 'R' } },
  },
  {
    name: 'a Pass without Result places its effective input at ResultPath',
    source: 'https://docs.aws.amazon.com/step-functions/latest/dg/state-pass.html (no Result: input passed as result)',
    definition: pass({ InputPath: '$.a', ResultPath: '$.copy' }),
    input: { a: { v: 1 } },
    expect: { status: 'SUCCEEDED', output: { a: { v: 1 }, copy: { v: 1 } } },
  },
  {
    name: 'a Pass Parameters result is placed at ResultPath',
    source: `${DOC_PARAMETERS}; ${DOC_RESULTPATH}`,
    definition: pass({ Parameters: { 'v.$': '$.a' }, ResultPath: '$.p' }),
    input: { a: 3 },
    expect: { status: 'SUCCEEDED', output: { a: 3, p: { v: 3 } } },
  },
  {
    name: 'ResultPath on a non-object input fails with States.ResultPathMatchFailure (unverified)',
    source: 'https://states-language.net/spec.html#error-names (States.ResultPathMatchFailure: ResultPath cannot be applied to the input)',
    definition: pass({ Result: 'R', ResultPath: '$.r' }),
    input: 'just-a-string',
    expect: { status: 'FAILED', error: 'States.ResultPathMatchFailure' },
  },
];

const outputPath: ConformanceCase[] = [
  {
    name: 'OutputPath selects part of the state output',
    source: DOC_EXAMPLE,
    definition: pass({ OutputPath: '$.keep' }),
    input: { keep: { a: 1 }, drop: 2 },
    expect: { status: 'SUCCEEDED', output: { a: 1 }, events: PASS_OK },
  },
  {
    name: 'OutputPath can select a scalar',
    source: DOC_EXAMPLE,
    definition: pass({ OutputPath: '$.n' }),
    input: { n: 3 },
    expect: { status: 'SUCCEEDED', output: 3 },
  },
  {
    name: 'OutputPath null outputs {}',
    source: `${REC_BASE} test_state_pass_result_null_input_output_paths`,
    definition: pass({ OutputPath: null }),
    input: { Arg2: 'argument2', FromInput: {} },
    expect: { status: 'SUCCEEDED', output: {} },
  },
  {
    name: 'OutputPath is applied after ResultPath',
    source: DOC_EXAMPLE,
    definition: pass({ Result: 'R', ResultPath: '$.data.r', OutputPath: '$.data' }),
    input: { data: { v: 1 }, extra: 'x' },
    expect: { status: 'SUCCEEDED', output: { v: 1, r: 'R' } },
  },
  {
    name: 'OutputPath "$$.Execution.Input" outputs the execution input',
    source: `${REC_CTX} test_output_path[$$.Execution.Input]`,
    definition: pass({ Result: { replaced: true }, OutputPath: '$$.Execution.Input' }),
    input: { 'input-value': 0 },
    expect: { status: 'SUCCEEDED', output: { 'input-value': 0 } },
  },
  {
    name: 'OutputPath that matches nothing fails with States.Runtime and no PassStateExited',
    source: `${REC_SCENARIOS} test_invalid_jsonpath[ST.INVALID_JSONPATH_IN_OUTPUTPATH]`,
    definition: pass({ OutputPath: '$.nope' }),
    input: { 'int-literal': 0 },
    expect: {
      status: 'FAILED',
      error: 'States.Runtime',
      cause:
        "An error occurred while executing the state 'P' (entered at the event id #2). Invalid path '$.nope' : No results for path: $['nope']",
      events: PASS_FAILED,
    },
  },
];

const fullOrder: ConformanceCase[] = [
  {
    name: 'InputPath, ResultPath and OutputPath on a Task (AWS example)',
    source: DOC_EXAMPLE,
    definition: task({ InputPath: '$.lambda', ResultPath: '$.data.lambdaresult', OutputPath: '$.data' }),
    input: { comment: 'An input comment.', data: { val1: 23, val2: 17 }, extra: 'foo', lambda: { who: 'AWS Step Functions' } },
    functions: { f: (event) => `Hello, ${(event as { who: string }).who}!` },
    expect: {
      status: 'SUCCEEDED',
      output: { val1: 23, val2: 17, lambdaresult: 'Hello, AWS Step Functions!' },
      events: [
        'ExecutionStarted',
        'TaskStateEntered',
        'LambdaFunctionScheduled',
        'LambdaFunctionStarted',
        'LambdaFunctionSucceeded',
        'TaskStateExited',
        'ExecutionSucceeded',
      ],
      check: (r) => expect(r.calls.f).toEqual([{ who: 'AWS Step Functions' }]),
    },
  },
  {
    name: 'all six steps run in order: InputPath, Parameters, task, ResultSelector, ResultPath, OutputPath',
    source: `${DOC_FILTERING} (processing order diagram)`,
    definition: task({
      InputPath: '$.req',
      Parameters: { 'n.$': '$.n', tag: 'p' },
      ResultSelector: { 'doubled.$': '$.doubled' },
      ResultPath: '$.res',
      OutputPath: '$.res',
    }),
    input: { req: { n: 21, unused: true }, other: 'x' },
    functions: { f: (event) => ({ doubled: (event as { n: number }).n * 2, noise: 1 }) },
    expect: {
      status: 'SUCCEEDED',
      output: { doubled: 42 },
      check: (r) => expect(r.calls.f).toEqual([{ n: 21, tag: 'p' }]),
    },
  },
];

const syntax: ConformanceCase[] = [
  {
    name: 'a wildcard that matches nothing yields []',
    source: 'recorded AWS (lead-verified): wildcard matching nothing yields []',
    definition: pass({ Parameters: { 'v.$': '$.items[*]' } }),
    input: { items: [] },
    expect: { status: 'SUCCEEDED', output: { v: [] } },
  },
  {
    name: 'a slice that matches nothing yields []',
    source: 'recorded AWS (lead-verified): slice matching nothing yields []',
    definition: pass({ Parameters: { 'v.$': '$.items[5:9]' } }),
    input: ITEMS,
    expect: { status: 'SUCCEEDED', output: { v: [] } },
  },
  {
    name: 'a wildcard collects a field from every element',
    source: SPEC_PATHS,
    definition: pass({ Parameters: { 'ids.$': '$.items[*].id' } }),
    input: ITEMS,
    expect: { status: 'SUCCEEDED', output: { ids: [1, 2, 3] } },
  },
  {
    name: 'slice [1:3] selects the second and third elements',
    source: SPEC_PATHS,
    definition: pass({ Parameters: { 'v.$': '$.items[1:3]' } }),
    input: ITEMS,
    expect: { status: 'SUCCEEDED', output: { v: [{ id: 2, x: 0 }, { id: 3, x: 2 }] } },
  },
  {
    name: 'slice [:2] selects the first two elements',
    source: SPEC_PATHS,
    definition: pass({ Parameters: { 'v.$': '$.items[:2].id' } }),
    input: ITEMS,
    expect: { status: 'SUCCEEDED', output: { v: [1, 2] } },
  },
  {
    name: 'slice [-1:] selects the last element as a one-element array',
    source: SPEC_PATHS,
    definition: pass({ Parameters: { 'v.$': '$.items[-1:]' } }),
    input: ITEMS,
    expect: { status: 'SUCCEEDED', output: { v: [{ id: 3, x: 2 }] } },
  },
  {
    name: 'negative index [-1] selects the last element (unverified)',
    source: `${SPEC_PATHS} (Jayway JsonPath negative index; not recorded)`,
    definition: pass({ Parameters: { 'v.$': '$.items[-1].id' } }),
    input: ITEMS,
    expect: { status: 'SUCCEEDED', output: { v: 3 } },
  },
  {
    name: 'an index list [0,2] selects those elements as an array',
    source: SPEC_PATHS,
    definition: pass({ Parameters: { 'v.$': '$.items[0,2].id' } }),
    input: ITEMS,
    expect: { status: 'SUCCEEDED', output: { v: [1, 3] } },
  },
  {
    name: 'a filter [?(@.status == 0)] selects the matching objects',
    source: `${REC_BASE} test_state_pass_regex_json_path_base`,
    definition: pass({ Parameters: { 'FromInput.$': '$.users[?(@.status == 0)]' } }),
    input: { users: [{ year: 1997, status: 0 }, { year: 1998, status: 1 }] },
    expect: { status: 'SUCCEEDED', output: { FromInput: [{ year: 1997, status: 0 }] }, events: PASS_OK },
  },
  {
    name: 'a filter [?(@.x > 1)] followed by a field selects from the matches',
    source: SPEC_PATHS,
    definition: pass({ Parameters: { 'ids.$': '$.items[?(@.x > 1)].id' } }),
    input: ITEMS,
    expect: { status: 'SUCCEEDED', output: { ids: [1, 3] } },
  },
  {
    name: 'a filter that matches nothing yields [] (unverified)',
    source: `${SPEC_PATHS} (by analogy with the recorded wildcard/slice behaviour)`,
    definition: pass({ Parameters: { 'v.$': '$.items[?(@.x > 100)]' } }),
    input: ITEMS,
    expect: { status: 'SUCCEEDED', output: { v: [] } },
  },
  {
    name: 'recursive descent $..id collects the field at every depth',
    source: SPEC_PATHS,
    definition: pass({ Parameters: { 'ids.$': '$..id' } }),
    input: { a: { id: 1 }, b: { c: { id: 2 } } },
    expect: {
      status: 'SUCCEEDED',
      // Order of a deep scan is left unasserted; the set of values is the point.
      check: (r) => expect([...((r.output as { ids: number[] }).ids)].sort()).toEqual([1, 2]),
    },
  },
  {
    name: "bracket notation $.a['b c'] selects a key with a space",
    source: SPEC_PATHS,
    definition: pass({ Parameters: { 'v.$': "$.a['b c']" } }),
    input: { a: { 'b c': 'spaced' } },
    expect: { status: 'SUCCEEDED', output: { v: 'spaced' } },
  },
  {
    name: "bracket notation at the root $['with-dash'] selects a key with a dash",
    source: SPEC_PATHS,
    definition: pass({ Parameters: { 'v.$': "$['with-dash']" } }),
    input: { 'with-dash': 1 },
    expect: { status: 'SUCCEEDED', output: { v: 1 } },
  },
  {
    name: 'a deep dotted path selects a nested value',
    source: SPEC_PATHS,
    definition: pass({ InputPath: '$.a.b.c' }),
    input: { a: { b: { c: [true] } } },
    expect: { status: 'SUCCEEDED', output: [true] },
  },
];

const mapPaths: ConformanceCase[] = [
  {
    name: 'Map ItemsPath selects the array to iterate over',
    source: DOC_ITEMSPATH,
    definition: map({ ItemsPath: '$.list' }),
    input: { list: ['a', 'b'], other: 1 },
    expect: { status: 'SUCCEEDED', output: ['a', 'b'] },
  },
  {
    name: 'Map over one item has the recorded event shape',
    source: `${REC_CTX} test_items_path`,
    definition: map({ ItemsPath: '$.list', MaxConcurrency: 1 }),
    input: { list: ['item-0'] },
    expect: {
      status: 'SUCCEEDED',
      output: ['item-0'],
      events: [
        'ExecutionStarted',
        'MapStateEntered',
        'MapStateStarted',
        'MapIterationStarted',
        'PassStateEntered',
        'PassStateExited',
        'MapIterationSucceeded',
        'MapStateSucceeded',
        'MapStateExited',
        'ExecutionSucceeded',
      ],
    },
  },
  {
    name: 'Map ItemsPath can read the context object',
    source: `${REC_CTX} test_items_path`,
    definition: map({ ItemsPath: '$$.Execution.Input.input-values' }),
    input: { 'input-values': ['item-0'] },
    expect: { status: 'SUCCEEDED', output: ['item-0'] },
  },
  {
    name: 'Map ItemSelector reads $$.Map.Item.Index and $$.Map.Item.Value',
    source: DOC_ITEMSELECTOR,
    definition: map({ ItemSelector: { 'ContextIndex.$': '$$.Map.Item.Index', 'ContextValue.$': '$$.Map.Item.Value' } }),
    input: [{ who: 'bob' }, { who: 'meg' }],
    expect: {
      status: 'SUCCEEDED',
      output: [
        { ContextIndex: 0, ContextValue: { who: 'bob' } },
        { ContextIndex: 1, ContextValue: { who: 'meg' } },
      ],
    },
  },
  {
    name: 'Map ItemSelector "$" refers to the Map state input',
    source: DOC_ITEMSELECTOR,
    definition: map({ ItemsPath: '$.items', ItemSelector: { 'partner.$': '$.partner', 'item.$': '$$.Map.Item.Value' } }),
    input: { partner: 'UQS', items: [1, 2] },
    expect: { status: 'SUCCEEDED', output: [{ partner: 'UQS', item: 1 }, { partner: 'UQS', item: 2 }] },
  },
  {
    name: 'Map ResultPath places the results array into the input',
    source: `${DOC_RESULTPATH}; ${DOC_ITEMSPATH}`,
    definition: map({ ItemsPath: '$.list', ResultPath: '$.results' }),
    input: { list: [1, 2] },
    expect: { status: 'SUCCEEDED', output: { list: [1, 2], results: [1, 2] } },
  },
  {
    name: 'Map over an empty array outputs []',
    source: DOC_ITEMSPATH,
    definition: map({ ItemsPath: '$.list' }),
    input: { list: [] },
    expect: { status: 'SUCCEEDED', output: [] },
  },
];

export const cases: ConformanceCase[] = [
  ...inputPath,
  ...parameters,
  ...resultSelector,
  ...resultPath,
  ...outputPath,
  ...fullOrder,
  ...syntax,
  ...mapPaths,
];
