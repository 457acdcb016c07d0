/**
 * Intrinsic functions in Pass (and Parallel/Map ResultSelector) states. Most expected values are AWS's
 * recorded answers from LocalStack's snapshot tests; the definitions are ours, shaped like the recorded
 * templates (tests/aws/services/stepfunctions/templates/intrinsicfunctions/statemachines/).
 *
 * Failures: no LocalStack snapshot records an intrinsic failure. Those cases take the rule from the AWS
 * docs and the execution error from what AWS was observed to return: error `States.Runtime`, cause
 * containing `Invalid arguments in States.<Function>` (an integration test run against AWS asserts
 * exactly this for States.MathAdd with a string argument).
 */
import type { ConformanceCase } from '../case';

const REC = 'recorded AWS: localstack tests/aws/services/stepfunctions/v2/intrinsic_functions/';
const DOCS = 'https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html';
const SPEC = 'https://states-language.net/spec.html#appendix-b';
const FAILS = `; execution error as observed on AWS for an intrinsic that gets invalid arguments (States.Runtime, "Invalid arguments in States.X"), not recorded by LocalStack`;

/** One Pass state whose Parameters are `params`. */
const pass = (params: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  StartAt: 'State_0',
  States: { State_0: { Type: 'Pass', Parameters: params, End: true, ...extra } },
});
/** `FunctionResult.$` = the intrinsic, as in the recorded templates. */
const fn = (intrinsic: string) => pass({ 'FunctionResult.$': intrinsic });
const failed = (fnName: string, withCause = true) => ({
  status: 'FAILED' as const,
  error: 'States.Runtime',
  ...(withCause ? { cause: new RegExp(`Invalid arguments in ${fnName.replace('.', '\\.')}`) } : {}),
});

export const cases: ConformanceCase[] = [
  // ---- States.Format
  {
    name: 'States.Format puts a string argument in place of {}',
    source: `${REC}test_generic.snapshot.json test_format_1 (exec_hist_resp_2)`,
    definition: fn("States.Format('Formatting argument {}.', $.FunctionInput)"),
    input: { FunctionInput: 'HelloWorld' },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: 'Formatting argument HelloWorld.' } },
  },
  {
    name: 'States.Format with an empty string argument',
    source: `${REC}test_generic.snapshot.json test_format_1 (exec_hist_resp_0)`,
    definition: fn("States.Format('Formatting argument {}.', $.FunctionInput)"),
    input: { FunctionInput: '' },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: 'Formatting argument .' } },
  },
  {
    name: 'States.Format renders null as null',
    source: `${REC}test_generic.snapshot.json test_format_1 (exec_hist_resp_3)`,
    definition: fn("States.Format('Formatting argument {}.', $.FunctionInput)"),
    input: { FunctionInput: null },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: 'Formatting argument null.' } },
  },
  {
    name: 'States.Format renders a decimal number as written',
    source: `${REC}test_generic.snapshot.json test_format_1 (exec_hist_resp_5)`,
    definition: fn("States.Format('Formatting argument {}.', $.FunctionInput)"),
    input: { FunctionInput: 1.1 },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: 'Formatting argument 1.1.' } },
  },
  {
    name: 'States.Format leaves a JSON-text string argument as it is',
    source: `${REC}test_generic.snapshot.json test_format_1 (exec_hist_resp_6)`,
    definition: fn("States.Format('Formatting argument {}.', $.FunctionInput)"),
    input: { FunctionInput: '{"Arg1": 1, "Arg2": []}' },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: 'Formatting argument {"Arg1": 1, "Arg2": []}.' } },
  },
  {
    name: 'States.Format renders objects as {k=v, ...} and arrays as [..]',
    source: `${REC}test_generic.snapshot.json test_format_2 (exec_hist_resp_7); recorded AWS contradicts the spec's "MUST NOT be a JSON array or object"`,
    definition: fn("States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)"),
    input: { FunctionInput: { fst: { Arg1: 1, Arg2: [] }, snd: { Arg1: 1, Arg2: [] } } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: 'Formatting arguments fst={Arg1=1, Arg2=[]} and snd={Arg1=1, Arg2=[]}.' } },
  },
  {
    name: 'States.Format with context paths ($$.Execution.Name, $$.StateMachine)',
    source: `${REC}test_generic.snapshot.json test_context_json_path`,
    definition: fn("States.Format('Formatting arguments fst={} and snd={}.', $$.Execution.Name, $$.StateMachine)"),
    executionName: 'format-context',
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        expect((r.output as { FunctionResult: string }).FunctionResult)
          .toMatch(/^Formatting arguments fst=format-context and snd=\{Id=arn:aws:states:[a-z0-9-]+:\d{12}:stateMachine:([^,]+), Name=\1\}\.$/);
      },
    },
  },
  {
    name: 'States.Format with a literal number argument',
    source: `${SPEC} (States.Format example)`,
    definition: pass({ 'foo.$': "States.Format('Your name is {}, we are in the year {}', $.name, 2020)" }),
    input: { name: 'Foo', zebra: 'stripe' },
    expect: { status: 'SUCCEEDED', output: { foo: 'Your name is Foo, we are in the year 2020' } },
  },
  {
    name: 'States.Format takes its template from a path',
    source: `${DOCS} (States.Format)`,
    definition: pass({ 'greeting.$': 'States.Format($.template, $.name)' }),
    input: { name: 'Arnav', template: 'Hello, my name is {}.' },
    expect: { status: 'SUCCEEDED', output: { greeting: 'Hello, my name is Arnav.' } },
  },
  {
    name: 'States.Format: \\{ and \\} are literal braces',
    source: `${DOCS} ("Reserved characters in intrinsic functions"); ${SPEC} ("the { and } characters can be escaped")`,
    definition: pass({ 'r.$': "States.Format('\\{\\} marks {}', $.a)" }),
    input: { a: 'the spot' },
    expect: { status: 'SUCCEEDED', output: { r: '{} marks the spot' } },
  },
  {
    name: "States.Format: \\' is a quote inside a string literal",
    source: `${DOCS} ("Reserved characters in intrinsic functions")`,
    definition: pass({ 'r.$': "States.Format('It\\'s {}', $.who)" }),
    input: { who: 'Ann' },
    expect: { status: 'SUCCEEDED', output: { r: "It's Ann" } },
  },
  {
    name: 'States.Format fails when the arguments do not match the {} count',
    source: `${DOCS} (States.Format: "There must be as many remaining arguments ... as there are occurrences of {}")${FAILS}`,
    definition: pass({ 'r.$': "States.Format('{} and {}', $.a)" }),
    input: { a: 'x' },
    expect: failed('States.Format', false),
  },

  // ---- States.StringToJson / States.JsonToString
  {
    name: 'States.StringToJson of an empty string is null',
    source: `${REC}test_json_manipulation.snapshot.json test_string_to_json (exec_hist_resp_0)`,
    definition: fn('States.StringToJson($.FunctionInput)'),
    input: { FunctionInput: '' },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: null } },
  },
  {
    name: 'States.StringToJson of a blank string is null',
    source: `${REC}test_json_manipulation.snapshot.json test_string_to_json (exec_hist_resp_1)`,
    definition: fn('States.StringToJson($.FunctionInput)'),
    input: { FunctionInput: ' ' },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: null } },
  },
  {
    name: 'States.StringToJson of "-0" is 0',
    source: `${REC}test_json_manipulation.snapshot.json test_string_to_json (exec_hist_resp_3)`,
    definition: fn('States.StringToJson($.FunctionInput)'),
    input: { FunctionInput: '-0' },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: 0 } },
  },
  {
    name: 'States.StringToJson parses an object',
    source: `${REC}test_json_manipulation.snapshot.json test_string_to_json (exec_hist_resp_9)`,
    definition: fn('States.StringToJson($.FunctionInput)'),
    input: { FunctionInput: '{"Arg1": 1, "Arg2": []}' },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: { Arg1: 1, Arg2: [] } } },
  },
  {
    name: 'States.StringToJson parses a JSON string',
    source: `${REC}test_json_manipulation.snapshot.json test_string_to_json (exec_hist_resp_7)`,
    definition: fn('States.StringToJson($.FunctionInput)'),
    input: { FunctionInput: '"HelloWorld"' },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: 'HelloWorld' } },
  },
  {
    name: 'States.JsonToString writes compact JSON',
    source: `${REC}test_json_manipulation.snapshot.json test_json_to_string (exec_hist_resp_7)`,
    definition: fn('States.JsonToString($.FunctionInput)'),
    input: { FunctionInput: { Arg1: 1, Arg2: [] } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: '{"Arg1":1,"Arg2":[]}' } },
  },
  {
    name: 'States.JsonToString of a string quotes it',
    source: `${REC}test_json_manipulation.snapshot.json test_json_to_string (exec_hist_resp_5)`,
    definition: fn('States.JsonToString($.FunctionInput)'),
    input: { FunctionInput: 'HelloWorld' },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: '"HelloWorld"' } },
  },
  {
    name: 'States.JsonToString of null is "null"',
    source: `${REC}test_json_manipulation.snapshot.json test_json_to_string (exec_hist_resp_0)`,
    definition: fn('States.JsonToString($.FunctionInput)'),
    input: { FunctionInput: null },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: 'null' } },
  },

  // ---- Arrays
  {
    name: 'States.Array() is []',
    source: `${REC}test_array.snapshot.json test_array_0`,
    definition: fn('States.Array()'),
    input: { FunctionInput: 'HelloWorld' },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: [] } },
  },
  {
    name: 'States.Array of two paths',
    source: `${REC}test_array.snapshot.json test_array_2 (exec_hist_resp_0)`,
    definition: fn('States.Array($.FunctionInput.fst, $.FunctionInput.snd)'),
    input: { FunctionInput: { fst: '', snd: '' } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: ['', ''] } },
  },
  {
    name: 'States.Array of literals and a path',
    source: `${SPEC} (States.Array example)`,
    definition: pass({ 'foo.$': "States.Array('Foo', 2020, $.someJson, null)" }),
    input: { someJson: { random: 'abcdefg' }, zebra: 'stripe' },
    expect: { status: 'SUCCEEDED', output: { foo: ['Foo', 2020, { random: 'abcdefg' }, null] } },
  },
  {
    name: 'States.ArrayPartition splits into chunks, the last one shorter',
    source: `${DOCS} (States.ArrayPartition example)`,
    definition: pass({ 'inputArray.$': 'States.ArrayPartition($.inputArray,4)' }),
    input: { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] },
    expect: { status: 'SUCCEEDED', output: { inputArray: [[1, 2, 3, 4], [5, 6, 7, 8], [9]] } },
  },
  {
    name: 'States.ArrayPartition of an empty array is []',
    source: `${REC}test_array.snapshot.json test_array_partition (exec_hist_resp_2)`,
    definition: fn('States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)'),
    input: { FunctionInput: { fst: [], snd: 3 } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: [] } },
  },
  {
    name: 'States.ArrayPartition with a chunk larger than the array',
    source: `${REC}test_array.snapshot.json test_array_partition (exec_hist_resp_24)`,
    definition: fn('States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)'),
    input: { FunctionInput: { fst: [0, 1, 2, 3], snd: 5 } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: [[0, 1, 2, 3]] } },
  },
  {
    name: 'States.ArrayPartition fails on a chunk size of 0',
    source: `${DOCS} (States.ArrayPartition, "a non-zero, positive integer for the second argument")${FAILS}`,
    definition: fn('States.ArrayPartition($.a, 0)'),
    input: { a: [1, 2, 3] },
    expect: failed('States.ArrayPartition'),
  },
  {
    name: 'States.ArrayContains finds a nested array',
    source: `${REC}test_array.snapshot.json test_array_contains (exec_hist_resp_4)`,
    definition: fn('States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)'),
    input: { FunctionInput: { fst: [[1, 2, 3], 2], snd: [1, 2, 3] } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: true } },
  },
  {
    name: 'States.ArrayContains finds an equal object',
    source: `${REC}test_array.snapshot.json test_array_contains (exec_hist_resp_6)`,
    definition: fn('States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)'),
    input: { FunctionInput: { fst: [{ 1: 2, 2: [] }], snd: { 1: 2, 2: [] } } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: true } },
  },
  {
    name: 'States.ArrayContains: an empty array contains nothing',
    source: `${REC}test_array.snapshot.json test_array_contains (exec_hist_resp_0)`,
    definition: fn('States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)'),
    input: { FunctionInput: { fst: [], snd: null } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: false } },
  },
  {
    name: 'States.ArrayContains finds false',
    source: `${REC}test_array.snapshot.json test_array_contains (exec_hist_resp_8)`,
    definition: fn('States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)'),
    input: { FunctionInput: { fst: [true, false], snd: false } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: true } },
  },
  {
    name: 'States.ArrayRange includes the end when the step lands on it',
    source: `${REC}test_array.snapshot.json test_array_range (exec_hist_resp_0)`,
    definition: fn('States.ArrayRange($.FunctionInput.fst, $.FunctionInput.snd, $.FunctionInput.trd)'),
    input: { FunctionInput: { fst: 0, snd: 9, trd: 3 } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: [0, 3, 6, 9] } },
  },
  {
    name: 'States.ArrayRange stops before an end the step passes over',
    source: `${REC}test_array.snapshot.json test_array_range (exec_hist_resp_1)`,
    definition: fn('States.ArrayRange($.FunctionInput.fst, $.FunctionInput.snd, $.FunctionInput.trd)'),
    input: { FunctionInput: { fst: 0, snd: 10, trd: 3 } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: [0, 3, 6, 9] } },
  },
  {
    name: 'States.ArrayRange with a step larger than the range',
    source: `${REC}test_array.snapshot.json test_array_range (exec_hist_resp_2)`,
    definition: fn('States.ArrayRange($.FunctionInput.fst, $.FunctionInput.snd, $.FunctionInput.trd)'),
    input: { FunctionInput: { fst: 1, snd: 9, trd: 9 } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: [1] } },
  },
  {
    name: 'States.ArrayRange with literal arguments',
    source: `${DOCS} (States.ArrayRange example)`,
    definition: pass({ 'array.$': 'States.ArrayRange(1, 9, 2)' }),
    expect: { status: 'SUCCEEDED', output: { array: [1, 3, 5, 7, 9] } },
  },
  {
    name: 'States.ArrayRange fails on a step of 0',
    source: `${DOCS} (States.ArrayRange, "You must specify a non-zero value for the third argument")${FAILS}`,
    definition: fn('States.ArrayRange(1, 10, 0)'),
    expect: failed('States.ArrayRange'),
  },
  {
    name: 'States.ArrayRange fails beyond 1000 items',
    source: `${DOCS} (States.ArrayRange, "can't contain more than 1000 items")${FAILS}`,
    definition: fn('States.ArrayRange(1, 1001, 1)'),
    expect: failed('States.ArrayRange'),
  },
  {
    name: 'States.ArrayGetItem returns the item at an index',
    source: `${REC}test_array.snapshot.json test_array_get_item`,
    definition: fn('States.ArrayGetItem($.FunctionInput.fst, $.FunctionInput.snd)'),
    input: { FunctionInput: { fst: [1, 2, 3, 4, 5, 6, 7, 8, 9], snd: 5 } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: 6 } },
  },
  {
    name: 'States.ArrayLength counts the items',
    source: `${REC}test_array.snapshot.json test_array_length`,
    definition: fn('States.ArrayLength($.FunctionInput)'),
    input: { FunctionInput: [1, 2, 3, 4, 5, 6, 7, 8, 9] },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: 9 } },
  },
  {
    name: 'States.ArrayLength counts duplicates too',
    source: `${REC}test_array.snapshot.json test_array_unique (that recorded test runs the ArrayLength template)`,
    definition: fn('States.ArrayLength($.FunctionInput)'),
    input: { FunctionInput: [null, null, true, true, false, false, 1, 1, 1.1, 0, 0, 'HelloWorld', 'HelloWorld', [], [], [null], [null], { a: 1, b: 2 }, { a: 1, b: 2 }, { a: 1, b: 1 }] },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: 20 } },
  },
  {
    name: 'States.ArrayUnique removes duplicates',
    source: `${DOCS} (States.ArrayUnique example; no recorded answer: LocalStack's test_array_unique runs ArrayLength)`,
    definition: pass({ 'array.$': 'States.ArrayUnique($.inputArray)' }),
    input: { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] },
    expect: { status: 'SUCCEEDED', output: { array: [1, 2, 3, 4] } },
  },

  // ---- Encoding, hashing
  {
    name: 'States.Base64Encode',
    source: `${REC}test_encode_decode.snapshot.json test_base_64_encode (exec_hist_resp_1)`,
    definition: fn('States.Base64Encode($.FunctionInput)'),
    input: { FunctionInput: 'Data to encode' },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: 'RGF0YSB0byBlbmNvZGU=' } },
  },
  {
    name: 'States.Base64Encode of an empty string',
    source: `${REC}test_encode_decode.snapshot.json test_base_64_encode (exec_hist_resp_0)`,
    definition: fn('States.Base64Encode($.FunctionInput)'),
    input: { FunctionInput: '' },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: '' } },
  },
  {
    name: 'States.Base64Decode',
    source: `${REC}test_encode_decode.snapshot.json test_base_64_decode (exec_hist_resp_1)`,
    definition: fn('States.Base64Decode($.FunctionInput)'),
    input: { FunctionInput: 'RGF0YSB0byBlbmNvZGU=' },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: 'Data to encode' } },
  },
  {
    name: 'States.Base64Encode fails beyond 10,000 characters',
    source: `${DOCS} (States.Base64Encode, "a data string of up to 10,000 characters")${FAILS}`,
    definition: fn('States.Base64Encode($.s)'),
    input: { s: 'a'.repeat(10001) },
    expect: failed('States.Base64Encode'),
  },
  ...([
    ['MD5', '812f45842bc6d66ee14572ce20db8e86', 0],
    ['SHA-1', 'aaff4a450a104cd177d28d18d74485e8cae074b7', 1],
    ['SHA-256', 'b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3', 2],
    ['SHA-384', 'd28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562', 3],
    ['SHA-512', '6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4', 4],
  ] as const).map(([algorithm, digest, i]): ConformanceCase => ({
    name: `States.Hash with ${algorithm}`,
    source: `${REC}test_hash_calculations.snapshot.json test_hash (exec_hist_resp_${i})${algorithm === 'SHA-1' ? "; the docs' SHA-1 example digest is missing a digit" : ''}`,
    definition: fn('States.Hash($.FunctionInput.fst, $.FunctionInput.snd)'),
    input: { FunctionInput: { fst: 'input data', snd: algorithm } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: digest } },
  })),
  {
    name: 'States.Hash fails on an algorithm outside the five',
    source: `${DOCS} (States.Hash: MD5, SHA-1, SHA-256, SHA-384, SHA-512)${FAILS}`,
    definition: fn("States.Hash($.s, 'SHA-3')"),
    input: { s: 'input data' },
    expect: failed('States.Hash'),
  },
  {
    name: 'States.Hash fails beyond 10,000 characters',
    source: `${DOCS} (States.Hash, "10,000 characters or less")${FAILS}`,
    definition: fn("States.Hash($.s, 'MD5')"),
    input: { s: 'a'.repeat(10001) },
    expect: failed('States.Hash'),
  },

  // ---- States.JsonMerge
  {
    name: 'States.JsonMerge is shallow: the second object wins a key, nested objects are not merged',
    source: `${REC}test_json_manipulation.snapshot.json test_json_merge`,
    definition: fn('States.JsonMerge($.FunctionInput.fst, $.FunctionInput.snd, false)'),
    input: { FunctionInput: { fst: { a: { a1: 1, a2: 2 }, b: 2, d: 3 }, snd: { a: { a3: 1, a4: 2 }, c: 3, d: 4 } } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: { a: { a3: 1, a4: 2 }, b: 2, c: 3, d: 4 } } },
  },
  {
    name: 'States.JsonMerge of a StringToJson literal (unescaped braces) and a context path',
    source: `${REC}test_json_manipulation.snapshot.json test_json_merge_escaped_argument`,
    definition: pass(
      { 'merged.$': 'States.JsonMerge(States.StringToJson(\'{"constant_in_literal": "false"}\'), $$.Execution.Input.input_field, false)' },
      { ResultPath: '$.result_path', OutputPath: '$.result_path.merged' },
    ),
    input: { input_field: { constant_input_field: 'constant_value' } },
    expect: { status: 'SUCCEEDED', output: { constant_input_field: 'constant_value', constant_in_literal: 'false' } },
  },
  {
    name: 'States.JsonMerge fails in deep mode',
    source: `${DOCS} (States.JsonMerge, "Step Functions only supports the shallow merging mode; therefore, you must specify the boolean value as false")${FAILS}`,
    definition: fn('States.JsonMerge($.a, $.b, true)'),
    input: { a: { x: 1 }, b: { y: 2 } },
    expect: failed('States.JsonMerge', false),
  },

  // ---- Math
  {
    name: 'States.MathAdd adds integers',
    source: `${REC}test_math_operations.snapshot.json test_math_add (exec_hist_resp_0)`,
    definition: fn('States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)'),
    input: { FunctionInput: { fst: -9, snd: 3 } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: -6 } },
  },
  {
    name: 'States.MathAdd rounds each argument before adding (1.49 + 1.5 = 3)',
    source: `${REC}test_math_operations.snapshot.json test_math_add (exec_hist_resp_1)`,
    definition: fn('States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)'),
    input: { FunctionInput: { fst: 1.49, snd: 1.5 } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: 3 } },
  },
  {
    name: 'States.MathAdd rounds negative halves up (-1.5 + -1.51 = -3)',
    source: `${REC}test_math_operations.snapshot.json test_math_add (exec_hist_resp_4)`,
    definition: fn('States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)'),
    input: { FunctionInput: { fst: -1.5, snd: -1.51 } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: -3 } },
  },
  {
    name: 'States.MathAdd rounds halves toward positive infinity, not to even',
    source: `${REC}test_math_operations.snapshot.json test_math_add (exec_hist_resp_12, _14, _16, _17, _19)`,
    definition: pass({
      'a.$': 'States.MathAdd(0.5, 0)', 'b.$': 'States.MathAdd(2.5, 0)', 'c.$': 'States.MathAdd(-0.5, 0.5)',
      'd.$': 'States.MathAdd(-0.5, 0)', 'e.$': 'States.MathAdd(-2.5, 0)',
    }),
    expect: { status: 'SUCCEEDED', output: { a: 1, b: 3, c: 1, d: 0, e: -2 } },
  },
  {
    name: 'States.MathAdd with a negative step',
    source: `${DOCS} (States.MathAdd example)`,
    definition: pass({ 'value1.$': 'States.MathAdd($.value1, $.step)' }),
    input: { value1: 111, step: -1 },
    expect: { status: 'SUCCEEDED', output: { value1: 110 } },
  },
  {
    name: 'States.MathAdd fails on a string',
    source: `${DOCS} (States.MathAdd, "You must specify integer values")${FAILS}`,
    definition: pass({ 'sum.$': 'States.MathAdd($.firstNumber, $.secondNumber)' }),
    input: { firstNumber: 1, secondNumber: 'NOT A NUMBER' },
    expect: failed('States.MathAdd'),
  },
  {
    name: 'States.MathRandom returns an integer between start and end',
    source: `${DOCS} (States.MathRandom, "a random number between the specified start and end number"); ${REC}test_math_operations.snapshot.json test_math_random (value not recorded)`,
    definition: pass({ 'random.$': 'States.MathRandom($.start, $.end)' }),
    input: { start: 1, end: 999 },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const v = (r.output as { random: number }).random;
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(1);
        expect(v).toBeLessThanOrEqual(999);
      },
    },
  },
  {
    name: 'States.MathRandom with a seed returns the same number every time',
    source: `${DOCS} (States.MathRandom, "If you use this function with the same seed value, it returns an identical number"); ${REC}test_math_operations.snapshot.json test_math_random_seeded (value not recorded)`,
    definition: pass({ 'first.$': 'States.MathRandom(0, 999, 3)', 'second.$': 'States.MathRandom($.start, $.end, $.seed)' }),
    input: { start: 0, end: 999, seed: 3 },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const { first, second } = r.output as { first: number; second: number };
        expect(Number.isInteger(first)).toBe(true);
        expect(second).toBe(first);
      },
    },
  },

  // ---- States.StringSplit, States.UUID
  {
    name: 'States.StringSplit on a comma',
    source: `${REC}test_string_operations.snapshot.json test_string_split (exec_hist_resp_4)`,
    definition: fn('States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)'),
    input: { FunctionInput: { fst: '1,2,3,4,5', snd: ',' } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: ['1', '2', '3', '4', '5'] } },
  },
  {
    name: 'States.StringSplit splits on each character of the delimiter string',
    source: `${REC}test_string_operations.snapshot.json test_string_split (exec_hist_resp_5)`,
    definition: fn('States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)'),
    input: { FunctionInput: { fst: 'This.is+a,test=string', snd: '.+,=' } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: ['This', 'is', 'a', 'test', 'string'] } },
  },
  {
    name: 'States.StringSplit drops empty strings',
    source: `${REC}test_string_operations.snapshot.json test_string_split (exec_hist_resp_3)`,
    definition: fn('States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)'),
    input: { FunctionInput: { fst: ',,,,', snd: ',' } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: [] } },
  },
  {
    name: 'States.StringSplit keeps blank pieces',
    source: `${REC}test_string_operations.snapshot.json test_string_split (exec_hist_resp_2)`,
    definition: fn('States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)'),
    input: { FunctionInput: { fst: ', , ,', snd: ',' } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: [' ', ' '] } },
  },
  {
    name: 'States.StringSplit on a letter and a newline',
    source: `${REC}test_string_operations.snapshot.json test_string_split (exec_hist_resp_6)`,
    definition: fn('States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)'),
    input: { FunctionInput: { fst: 'split on T and \nnew line', snd: 'T\n' } },
    expect: { status: 'SUCCEEDED', output: { FunctionResult: ['split on ', ' and ', 'new line'] } },
  },
  {
    name: 'States.StringSplit with literals holding a newline',
    source: `${REC}test_generic.snapshot.json test_escape_sequence`,
    definition: fn("States.StringSplit('Hello\nWorld', '\n')"),
    expect: { status: 'SUCCEEDED', output: { FunctionResult: ['Hello', 'World'] } },
  },
  {
    name: 'States.StringSplit of $$.Execution.Input',
    source: `${REC}test_string_operations.snapshot.json test_string_split_context_object`,
    definition: fn("States.StringSplit($$.Execution.Input.FunctionInput, ',')"),
    input: { FunctionInput: "Value1,Value2,Value3\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n" },
    expect: {
      status: 'SUCCEEDED',
      output: { FunctionResult: ['Value1', 'Value2', 'Value3\nValue4', 'Value5', 'Value6\n', '\ntrue', '1', "'HelloWorld'\nNull", 'None', '\n   \n'] },
    },
  },
  {
    name: 'States.UUID returns a version 4 UUID',
    source: `${DOCS} (States.UUID, "a version 4 universally unique identifier")`,
    definition: pass({ 'uuid.$': 'States.UUID()', 'other.$': 'States.UUID()' }),
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const { uuid, other } = r.output as { uuid: string; other: string };
        expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(other).not.toBe(uuid);
      },
    },
  },

  // ---- Nesting, variables, ResultSelector
  {
    name: 'nested calls: the first piece of a split',
    source: `${REC}test_generic.snapshot.json test_nested_calls_1 (same calls on $$.Execution.Name instead of $$.StateMachine.Name)`,
    definition: fn("States.ArrayGetItem(States.StringSplit($$.Execution.Name, '-'), 0)"),
    executionName: 'alpha-beta-gamma',
    expect: { status: 'SUCCEEDED', output: { FunctionResult: 'alpha' } },
  },
  {
    name: 'nested calls: the last piece of a split, through ArrayLength and MathAdd',
    source: `${REC}test_generic.snapshot.json test_nested_calls_2 (same calls on $$.Execution.Name instead of $$.StateMachine.Name)`,
    definition: fn("States.ArrayGetItem(States.StringSplit($$.Execution.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.Execution.Name, '-')), -1))"),
    executionName: 'alpha-beta-gamma',
    expect: { status: 'SUCCEEDED', output: { FunctionResult: 'gamma' } },
  },
  {
    name: 'an intrinsic reads a variable set by Assign',
    source: 'https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html (JSONPath states reference variables as $name, in paths and intrinsic function arguments)',
    definition: {
      StartAt: 'Remember',
      States: {
        Remember: { Type: 'Pass', Assign: { greeting: 'Hello', 'who.$': '$.name' }, Next: 'Greet' },
        Greet: { Type: 'Pass', Parameters: { 'text.$': "States.Format('{}, {}!', $greeting, $who)" }, End: true },
      },
    },
    input: { name: 'Ann' },
    expect: { status: 'SUCCEEDED', output: { text: 'Hello, Ann!' } },
  },
  {
    name: 'an intrinsic in a Parallel ResultSelector',
    source: `${DOCS} ("Fields that support intrinsic functions": Parallel state: Parameters, ResultSelector)`,
    definition: {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'X', States: { X: { Type: 'Pass', Result: { a: 'x' }, End: true } } },
            { StartAt: 'Y', States: { Y: { Type: 'Pass', Result: { a: 'y' }, End: true } } },
          ],
          ResultSelector: { 'joined.$': "States.Format('{}-{}', $[0].a, $[1].a)" },
          End: true,
        },
      },
    },
    expect: { status: 'SUCCEEDED', output: { joined: 'x-y' } },
  },
  {
    name: 'an intrinsic in a Map ResultSelector',
    source: `${DOCS} ("Fields that support intrinsic functions": Map state: Parameters, ResultSelector)`,
    definition: {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: { StartAt: 'Item', States: { Item: { Type: 'Pass', End: true } } },
          ResultSelector: { 'count.$': 'States.ArrayLength($)', 'unique.$': 'States.ArrayUnique($)' },
          End: true,
        },
      },
    },
    input: { items: [1, 2, 2, 3] },
    expect: { status: 'SUCCEEDED', output: { count: 4, unique: [1, 2, 3] } },
  },
];
