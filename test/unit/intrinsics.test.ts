/**
 * evaluateIntrinsic on its own, with a resolvePath backed by small objects. Expected values come from
 * AWS's recorded answers in LocalStack's snapshot tests (named "recorded: <test>", all under
 * tests/aws/services/stepfunctions/v2/intrinsic_functions/), from the AWS developer guide page
 * https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html ("docs"), or from the
 * ASL spec appendix B https://states-language.net/spec.html#appendix-b ("spec").
 */
import { StatesError } from '../../local/interpreter/errors';
import { evaluateIntrinsic, isIntrinsic, parseIntrinsic } from '../../local/interpreter/intrinsics';

const context = {
  Execution: { Name: 'alpha-beta-gamma', Input: { input_field: { constant_input_field: 'constant_value' } } },
  StateMachine: { Id: 'arn:aws:states:us-east-1:123456789012:stateMachine:Machine', Name: 'Machine' },
};
const variables: Record<string, unknown> = { greeting: 'Hi', cfg: { n: 2 } };

/** `$`, `$.a.b`, `$$.a.b`, `$var.a.b`; a missing field throws as the JSONPath module does. */
function resolverFor(input: unknown) {
  return (path: string): unknown => {
    const [head, ...keys] = path.split('.');
    let v: unknown = head === '$' ? input : head === '$$' ? context : variables[head.slice(1)];
    for (const k of keys) {
      if (typeof v !== 'object' || v === null || !(k in v)) throw new StatesError('States.Runtime', `The JSONPath '${path}' could not be found`);
      v = (v as Record<string, unknown>)[k];
    }
    if (v === undefined) throw new StatesError('States.Runtime', `The JSONPath '${path}' could not be found`);
    return v;
  };
}

const ev = (text: string, input: unknown = {}) => evaluateIntrinsic(text, resolverFor(input));
/** Calls the function on `$.fst` / `$.snd` / `$.trd`, as the recorded templates do. */
const call = (fn: string, ...values: unknown[]) => {
  const keys = ['fst', 'snd', 'trd'].slice(0, values.length);
  return ev(`States.${fn}(${keys.map((k) => `$.${k}`).join(', ')})`, Object.fromEntries(keys.map((k, i) => [k, values[i]])));
};
function failure(fn: () => unknown): StatesError {
  try {
    fn();
  } catch (e) {
    return e as StatesError;
  }
  throw new Error('expected an error');
}
const invalid = (name: string) => ({ name: 'States.IntrinsicFailure', message: `Invalid arguments in ${name}` });

describe('isIntrinsic / parseIntrinsic', () => {
  test('an intrinsic is States.<name>( ... (docs: "Intrinsic functions")', () => {
    expect(isIntrinsic('States.Format(\'{}\', $.a)')).toBe(true);
    expect(isIntrinsic('States.UUID()')).toBe(true);
    expect(isIntrinsic('$.a')).toBe(false);
    expect(isIntrinsic('$$.Execution.Id')).toBe(false);
    expect(isIntrinsic('States.Format')).toBe(false);
  });

  test('parses without evaluating, once per text', () => {
    const ast = parseIntrinsic("States.Array(1, 'a', $.x)");
    expect(ast).toMatchObject({ kind: 'call', name: 'States.Array' });
    expect(parseIntrinsic("States.Array(1, 'a', $.x)")).toBe(ast);
  });

  test.each([
    ['States.Nope(1)', /unknown function States.Nope/],
    ["States.Format('unterminated)", /unterminated string/],
    // docs, "Reserved characters": only \' \{ \} \\ are escapes; "an open escape backslash" is an error
    ["States.Format('a\\nb')", /invalid escape/],
    ['States.Array(1,)', /unexpected argument/],
    ['States.Array(1', /expected ',' or '\)'/],
    ['States.Array(1) x', /unexpected 'x'/],
    ['States.Array(1 2)', /expected ',' or '\)'/],
    ['$.a', /expected a States/],
    ['States.Array(undefined)', /unexpected argument/],
  ])('rejects %s', (text, message) => {
    expect(() => parseIntrinsic(text)).toThrow(message);
  });

  test('a parse error met at run time is a States.IntrinsicFailure', () => {
    expect(failure(() => ev('States.Nope()'))).toMatchObject({ name: 'States.IntrinsicFailure' });
  });
});

describe('arguments', () => {
  test('literals: strings, numbers, booleans, null (spec: States.Array example)', () => {
    expect(ev("States.Array('Foo', 2020, $.someJson, null)", { someJson: { random: 'abcdefg' } }))
      .toEqual(['Foo', 2020, { random: 'abcdefg' }, null]);
    expect(ev('States.Array(-1, 1.5, 2e3, true, false)')).toEqual([-1, 1.5, 2000, true, false]);
  });

  test('paths are passed to resolvePath exactly as written', () => {
    const seen: string[] = [];
    const resolve = (p: string) => { seen.push(p); return 1; };
    evaluateIntrinsic("States.Array($, $.a, $$.Execution.Id, $v, $v.f, $.l[0], $.l[?(@.b > 1)], $['x,y'])", resolve);
    expect(seen).toEqual(['$', '$.a', '$$.Execution.Id', '$v', '$v.f', '$.l[0]', '$.l[?(@.b > 1)]', "$['x,y']"]);
  });

  test('variables: $var and $var.field', () => {
    expect(ev('States.Format(\'{} {}\', $greeting, $cfg.n)')).toBe('Hi 2');
  });

  test('whitespace around arguments is ignored', () => {
    expect(ev('States.Array(  1 ,\n 2  )')).toEqual([1, 2]);
  });

  test("a path that resolvePath rejects fails with resolvePath's error", () => {
    expect(failure(() => ev('States.Array($.missing)'))).toMatchObject({ name: 'States.Runtime' });
  });

  test('escapes in string literals (docs: "Reserved characters in intrinsic functions")', () => {
    expect(ev("States.Array('it\\'s', 'a\\\\b', '\\{\\}')")).toEqual(["it's", 'a\\b', '{}']);
  });

  test('braces need no escape outside States.Format (recorded: test_json_manipulation.py::test_json_merge_escaped_argument)', () => {
    expect(ev('States.StringToJson(\'{"constant_in_literal": "false"}\')')).toEqual({ constant_in_literal: 'false' });
  });
});

describe('States.Format', () => {
  test.each([
    ['', 'Formatting argument .'],
    [' ', 'Formatting argument  .'],
    ['HelloWorld', 'Formatting argument HelloWorld.'],
    [null, 'Formatting argument null.'],
    [1, 'Formatting argument 1.'],
    [1.1, 'Formatting argument 1.1.'],
    ['{"Arg1": 1, "Arg2": []}', 'Formatting argument {"Arg1": 1, "Arg2": []}.'],
  ])('recorded: test_generic.py::test_format_1 with %j', (value, expected) => {
    expect(ev("States.Format('Formatting argument {}.', $.FunctionInput)", { FunctionInput: value })).toBe(expected);
  });

  test('objects and arrays render as {k=v, ...} (recorded: test_generic.py::test_format_2 exec 7)', () => {
    const v = { Arg1: 1, Arg2: [] };
    expect(ev("States.Format('Formatting arguments fst={} and snd={}.', $.fst, $.snd)", { fst: v, snd: v }))
      .toBe('Formatting arguments fst={Arg1=1, Arg2=[]} and snd={Arg1=1, Arg2=[]}.');
    expect(ev("States.Format('{}', $.a)", { a: ['x', 1, null, { k: [true] }] })).toBe('[x, 1, null, {k=[true]}]');
  });

  test('context paths (recorded: test_generic.py::test_context_json_path)', () => {
    expect(ev("States.Format('Formatting arguments fst={} and snd={}.', $$.Execution.Name, $$.StateMachine)"))
      .toBe('Formatting arguments fst=alpha-beta-gamma and snd={Id=arn:aws:states:us-east-1:123456789012:stateMachine:Machine, Name=Machine}.');
  });

  test('spec and docs examples', () => {
    expect(ev("States.Format('Your name is {}, we are in the year {}', $.name, 2020)", { name: 'Foo' })).toBe('Your name is Foo, we are in the year 2020');
    expect(ev('States.Format($.template, $.name)', { name: 'Arnav', template: 'Hello, my name is {}.' })).toBe('Hello, my name is Arnav.');
    expect(ev("States.Format('no placeholders')")).toBe('no placeholders');
  });

  test('\\{ and \\} are literal braces (docs: "Reserved characters"; spec: "can be escaped")', () => {
    expect(ev("States.Format('\\{\\} marks {}', $.a)", { a: 'x' })).toBe('{} marks x');
    expect(ev("States.Format('It\\'s {}\\\\', $.a)", { a: 'me' })).toBe("It's me\\");
  });

  test('nested calls as arguments', () => {
    expect(ev("States.Format('{}', States.JsonToString($.o))", { o: { k: 1 } })).toBe('{"k":1}');
  });

  test.each([
    ["States.Format('{} {}', $.a)", 'fewer arguments than {} (docs: "as many remaining arguments")'],
    ["States.Format('{}', $.a, $.a)", 'more arguments than {}'],
    ["States.Format('Hello {', $.a)", 'a lone {'],
    ["States.Format('}')", 'a lone }'],
    ['States.Format($.n)', 'a template that is not a string (docs: "must be a string")'],
    ['States.Format()', 'no template'],
  ])('%s fails: %s', (text) => {
    expect(failure(() => ev(text, { a: 'x', n: 1 }))).toMatchObject(invalid('States.Format'));
  });
});

describe('States.StringToJson (recorded: test_json_manipulation.py::test_string_to_json)', () => {
  test.each([
    ['', null], [' ', null], ['null', null], ['-0', 0], ['1', 1], ['1.1', 1.1], ['true', true],
    ['"HelloWorld"', 'HelloWorld'], ['[1, 2, "HelloWorld"]', [1, 2, 'HelloWorld']], ['{"Arg1": 1, "Arg2": []}', { Arg1: 1, Arg2: [] }],
  ])('%j', (text, expected) => {
    expect(call('StringToJson', text)).toEqual(expected);
  });

  test('not JSON, or not a string, fails (spec: "whose Value MUST be a string")', () => {
    expect(failure(() => call('StringToJson', '{nope'))).toMatchObject(invalid('States.StringToJson'));
    expect(failure(() => call('StringToJson', 1))).toMatchObject(invalid('States.StringToJson'));
  });
});

describe('States.JsonToString (recorded: test_json_manipulation.py::test_json_to_string)', () => {
  test.each([
    [null, 'null'], [0, '0'], [1, '1'], [1.1, '1.1'], [true, 'true'], ['HelloWorld', '"HelloWorld"'],
    [[1, 2, 'HelloWorld'], '[1,2,"HelloWorld"]'], [{ Arg1: 1, Arg2: [] }, '{"Arg1":1,"Arg2":[]}'],
  ])('%j', (value, expected) => {
    expect(call('JsonToString', value)).toBe(expected);
  });
});

describe('States.Array', () => {
  test('no arguments (recorded: test_array.py::test_array_0)', () => {
    expect(ev('States.Array()')).toEqual([]);
  });
  test('two paths (recorded: test_array.py::test_array_2)', () => {
    expect(call('Array', '', '')).toEqual(['', '']);
    expect(call('Array', ' ', ' ')).toEqual([' ', ' ']);
  });
});

describe('States.ArrayPartition', () => {
  test('recorded: test_array.py::test_array_partition', () => {
    expect(call('ArrayPartition', [], 3)).toEqual([]);
    expect(call('ArrayPartition', [0], 2)).toEqual([[0]]);
    expect(call('ArrayPartition', [0, 1, 2, 3], 4)).toEqual([[0, 1, 2, 3]]);
    expect(call('ArrayPartition', [0, 1, 2, 3], 5)).toEqual([[0, 1, 2, 3]]);
  });
  test('docs example', () => {
    expect(ev('States.ArrayPartition($.inputArray,4)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toEqual([[1, 2, 3, 4], [5, 6, 7, 8], [9]]);
  });
  test('a fractional size is truncated (AWS observed; the docs say "rounded")', () => {
    expect(call('ArrayPartition', [1, 2, 3, 4, 5], 2.6)).toEqual([[1, 2], [3, 4], [5]]);
  });
  test.each([[[1], 0], [[1], -1], [[1], 0.5], ['x', 1], [[1], '2']])('docs: "an array" and "a non-zero, positive integer": %j, %j fails', (a, n) => {
    expect(failure(() => call('ArrayPartition', a, n))).toMatchObject(invalid('States.ArrayPartition'));
  });
});

describe('States.ArrayContains (recorded: test_array.py::test_array_contains)', () => {
  test.each([
    [[], null, false], [[], [], false], [[], 1, false], [[[1, 2, 3], 2], null, false], [[[1, 2, 3], 2], [1, 2, 3], true],
    [[{ 1: 2, 2: [] }], [], false], [[{ 1: 2, 2: [] }], { 1: 2, 2: [] }, true], [[true, false], true, true], [[true, false], false, true],
  ])('%j contains %j: %j', (array, value, expected) => {
    expect(call('ArrayContains', array, value)).toBe(expected);
  });
  test('the first argument must be an array (docs: "Input validation")', () => {
    expect(failure(() => call('ArrayContains', 'abc', 'a'))).toMatchObject(invalid('States.ArrayContains'));
  });
});

describe('States.ArrayRange', () => {
  test.each([
    [0, 9, 3, [0, 3, 6, 9]], [0, 10, 3, [0, 3, 6, 9]], [1, 9, 9, [1]],
  ])('recorded: test_array.py::test_array_range (%d, %d, %d)', (a, b, c, expected) => {
    expect(call('ArrayRange', a, b, c)).toEqual(expected);
  });
  test('docs example, and the other directions', () => {
    expect(ev('States.ArrayRange(1, 9, 2)')).toEqual([1, 3, 5, 7, 9]);
    expect(ev('States.ArrayRange(5, 1, -2)')).toEqual([5, 3, 1]);
    expect(ev('States.ArrayRange(5, 1, 1)')).toEqual([]);
    expect(ev('States.ArrayRange(3, 3, -1)')).toEqual([3]);
  });
  test('1000 items is the most (docs: "can\'t contain more than 1000 items")', () => {
    expect(ev('States.ArrayRange(1, 1000, 1)')).toHaveLength(1000);
    expect(failure(() => ev('States.ArrayRange(1, 1001, 1)'))).toMatchObject(invalid('States.ArrayRange'));
  });
  test.each(['States.ArrayRange(1, 10, 0)', "States.ArrayRange('a', 5, 1)", 'States.ArrayRange(1, 5)'])(
    '%s fails (docs: integers, a non-zero third argument)', (text) => {
      expect(failure(() => ev(text))).toMatchObject(invalid('States.ArrayRange'));
    });
});

describe('States.ArrayGetItem', () => {
  test('recorded: test_array.py::test_array_get_item', () => {
    expect(call('ArrayGetItem', [1, 2, 3, 4, 5, 6, 7, 8, 9], 5)).toBe(6);
  });
  test.each([[[1, 2, 3], 3], [[1, 2, 3], -1], [[1], '0'], ['abc', 0]])('%j at %j fails', (a, i) => {
    expect(failure(() => call('ArrayGetItem', a, i))).toMatchObject(invalid('States.ArrayGetItem'));
  });
});

describe('States.ArrayLength', () => {
  test('recorded: test_array.py::test_array_length', () => {
    expect(call('ArrayLength', [1, 2, 3, 4, 5, 6, 7, 8, 9])).toBe(9);
  });
  test('recorded: test_array.py::test_array_unique (that test runs the ArrayLength template)', () => {
    const items = [null, null, true, true, false, false, 1, 1, 1.1, 0, 0, 'HelloWorld', 'HelloWorld', [], [], [null], [null], { a: 1, b: 2 }, { a: 1, b: 2 }, { a: 1, b: 1 }];
    expect(call('ArrayLength', items)).toBe(20);
  });
  test('a non-array fails', () => {
    expect(failure(() => call('ArrayLength', 'abc'))).toMatchObject(invalid('States.ArrayLength'));
  });
});

describe('States.ArrayUnique', () => {
  test('docs example', () => {
    expect(ev('States.ArrayUnique($.inputArray)', { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] })).toEqual([1, 2, 3, 4]);
  });
  test('JSON equality, first occurrence kept', () => {
    expect(call('ArrayUnique', [{ a: 1, b: 2 }, null, { b: 2, a: 1 }, [null], [null], null, 'x'])).toEqual([{ a: 1, b: 2 }, null, [null], 'x']);
  });
  test('a non-array fails', () => {
    expect(failure(() => call('ArrayUnique', {}))).toMatchObject(invalid('States.ArrayUnique'));
  });
});

describe('States.Base64Encode / Base64Decode (recorded: test_encode_decode.py)', () => {
  test('recorded values', () => {
    expect(call('Base64Encode', '')).toBe('');
    expect(call('Base64Encode', 'Data to encode')).toBe('RGF0YSB0byBlbmNvZGU=');
    expect(call('Base64Decode', '')).toBe('');
    expect(call('Base64Decode', 'RGF0YSB0byBlbmNvZGU=')).toBe('Data to encode');
  });
  test('UTF-8 round trip', () => {
    expect(ev('States.Base64Decode(States.Base64Encode($.s))', { s: 'こんにちは ✓' })).toBe('こんにちは ✓');
  });
  test('up to 10,000 characters (docs)', () => {
    expect(call('Base64Encode', 'a'.repeat(10000))).toHaveLength(13336);
    expect(failure(() => call('Base64Encode', 'a'.repeat(10001)))).toMatchObject(invalid('States.Base64Encode'));
    expect(failure(() => call('Base64Decode', 'A'.repeat(10001)))).toMatchObject(invalid('States.Base64Decode'));
  });
  test('a non-string fails', () => {
    expect(failure(() => call('Base64Encode', 1))).toMatchObject(invalid('States.Base64Encode'));
    expect(failure(() => call('Base64Decode', null))).toMatchObject(invalid('States.Base64Decode'));
  });
});

describe('States.Hash', () => {
  test.each([
    ['MD5', '812f45842bc6d66ee14572ce20db8e86'],
    ['SHA-1', 'aaff4a450a104cd177d28d18d74485e8cae074b7'],
    ['SHA-256', 'b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3'],
    ['SHA-384', 'd28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562'],
    ['SHA-512', '6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4'],
  ])('recorded: test_hash_calculations.py::test_hash with %s', (algorithm, digest) => {
    expect(call('Hash', 'input data', algorithm)).toBe(digest);
  });
  test.each(['SHA-3', 'sha-256', 'SHA256', ''])('algorithm %j is not one of the five (docs)', (algorithm) => {
    expect(failure(() => call('Hash', 'x', algorithm))).toMatchObject(invalid('States.Hash'));
  });
  test('data of up to 10,000 characters (docs)', () => {
    expect(call('Hash', 'a'.repeat(10000), 'MD5')).toMatch(/^[0-9a-f]{32}$/);
    expect(failure(() => call('Hash', 'a'.repeat(10001), 'MD5'))).toMatchObject(invalid('States.Hash'));
  });
});

describe('States.JsonMerge', () => {
  test('shallow merge (recorded: test_json_manipulation.py::test_json_merge)', () => {
    expect(call('JsonMerge', { a: { a1: 1, a2: 2 }, b: 2, d: 3 }, { a: { a3: 1, a4: 2 }, c: 3, d: 4 }, false))
      .toEqual({ a: { a3: 1, a4: 2 }, b: 2, c: 3, d: 4 });
  });
  test('with a nested StringToJson and a context path (recorded: test_json_merge_escaped_argument)', () => {
    expect(ev('States.JsonMerge(States.StringToJson(\'{"constant_in_literal": "false"}\'), $$.Execution.Input.input_field, false)'))
      .toEqual({ constant_input_field: 'constant_value', constant_in_literal: 'false' });
  });
  test.each([[{}, {}, true], [[], {}, false], [{}, null, false]])('%j, %j, %j fails (docs: objects; "must specify ... false")', (a, b, deep) => {
    expect(failure(() => call('JsonMerge', a, b, deep))).toMatchObject(invalid('States.JsonMerge'));
  });
});

describe('States.MathRandom', () => {
  test('an integer from start (inclusive) to end (exclusive)', () => {
    for (let i = 0; i < 50; i++) {
      const v = ev('States.MathRandom(1, 3)') as number;
      expect([1, 2]).toContain(v);
    }
  });
  test('the same seed gives the same number (docs: "returns an identical number")', () => {
    const a = ev('States.MathRandom(0, 999, 3)');
    expect(ev('States.MathRandom(0, 999, 3)')).toBe(a);
    expect(Number.isInteger(a)).toBe(true);
    expect(ev('States.MathRandom(1, 10, -10)')).toBe(ev('States.MathRandom(1, 10, -10)'));
  });
  test.each(['States.MathRandom(1, 1)', 'States.MathRandom(10, 5)', "States.MathRandom('a', 10)", 'States.MathRandom(1, 10, null)', 'States.MathRandom(1)'])(
    '%s fails', (text) => {
      expect(failure(() => ev(text))).toMatchObject(invalid('States.MathRandom'));
    });
});

describe('States.MathAdd (recorded: test_math_operations.py::test_math_add)', () => {
  test.each([
    [-9, 3, -6], [1.49, 1.5, 3], [1.5, 1.51, 4], [-1.49, -1.5, -2], [-1.5, -1.51, -3], [1.49, 0, 1], [1.49, -1.49, 0],
    [1.5, 0, 2], [1.51, 0, 2], [-1.49, 0, -1], [-1.5, 0, -1], [-1.51, 0, -2], [0.5, 0, 1], [2.5, 0, 3], [3.5, 0, 4],
    [-0.5, 0.5, 1], [-0.5, 0, 0], [-2.5, 0, -2], [-3.5, 0, -3],
  ])('%d + %d = %d (each argument rounded half up)', (a, b, sum) => {
    expect(call('MathAdd', a, b)).toBe(sum);
  });
  test('docs example', () => {
    expect(ev('States.MathAdd($.value1, $.step)', { value1: 111, step: -1 })).toBe(110);
  });
  test('a non-number fails', () => {
    expect(failure(() => call('MathAdd', 1, 'NOT A NUMBER'))).toMatchObject(invalid('States.MathAdd'));
  });
});

describe('States.StringSplit', () => {
  test.each([
    [' ', ',', [' ']], [' , ', ',', [' ', ' ']], [', , ,', ',', [' ', ' ']], [',,,,', ',', []], ['1,2,3,4,5', ',', ['1', '2', '3', '4', '5']],
    ['This.is+a,test=string', '.+,=', ['This', 'is', 'a', 'test', 'string']], ['split on T and \nnew line', 'T\n', ['split on ', ' and ', 'new line']],
  ])('recorded: test_string_operations.py::test_string_split %j on %j', (s, d, expected) => {
    expect(call('StringSplit', s, d)).toEqual(expected);
  });
  test('recorded: test_string_split_context_object', () => {
    const csv = "Value1,Value2,Value3\nValue4,Value5,Value6\n,,,\ntrue,1,'HelloWorld'\nNull,None,\n   \n";
    expect(evaluateIntrinsic("States.StringSplit($$.Execution.Input.FunctionInput, ',')", () => csv))
      .toEqual(['Value1', 'Value2', 'Value3\nValue4', 'Value5', 'Value6\n', '\ntrue', '1', "'HelloWorld'\nNull", 'None', '\n   \n']);
  });
  test('a real newline in a literal (recorded: test_generic.py::test_escape_sequence)', () => {
    expect(ev("States.StringSplit('Hello\nWorld', '\n')")).toEqual(['Hello', 'World']);
  });
  test('non-strings fail', () => {
    expect(failure(() => call('StringSplit', 123, ','))).toMatchObject(invalid('States.StringSplit'));
    expect(failure(() => call('StringSplit', 'a,b', null))).toMatchObject(invalid('States.StringSplit'));
  });
});

describe('States.UUID', () => {
  test('a version 4 UUID each call (docs)', () => {
    const a = ev('States.UUID()');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ev('States.UUID()')).not.toBe(a);
  });
  test('takes no arguments', () => {
    expect(failure(() => ev('States.UUID(1)'))).toMatchObject(invalid('States.UUID'));
  });
});

describe('nested calls', () => {
  test('recorded: test_generic.py::test_nested_calls_1 shape', () => {
    expect(ev("States.ArrayGetItem(States.StringSplit($$.Execution.Name, '-'), 0)")).toBe('alpha');
  });
  test('recorded: test_generic.py::test_nested_calls_2 shape (the last piece)', () => {
    expect(ev("States.ArrayGetItem(States.StringSplit($$.Execution.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.Execution.Name, '-')), -1))"))
      .toBe('gamma');
  });
  test('docs example with nine nested functions', () => {
    // As printed, the example has three {} for two arguments, which the docs' own rule ("as many
    // remaining arguments ... as there are occurrences of {}") rejects; with two {} it works.
    const nine = (template: string) => `States.Format('${template}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))`;
    const input = { ImageRecipe: { Arn: 'arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/my-recipe/1.0.0' } };
    expect(ev(nine('{}.{}'), input)).toBe('1.0');
    expect(failure(() => ev(nine('{}.{}.{}'), input))).toMatchObject(invalid('States.Format'));
  });
});

describe('argument counts (docs: each function\'s signature)', () => {
  test.each([
    'States.StringToJson()', "States.JsonToString($.a, $.a)", 'States.ArrayPartition($.l)', 'States.ArrayContains($.l)',
    'States.ArrayGetItem($.l)', 'States.ArrayLength()', 'States.ArrayUnique($.l, $.l)', 'States.Base64Encode()',
    'States.Base64Decode($.a, $.a)', "States.Hash('x')", 'States.JsonMerge($.o, $.o)', 'States.MathRandom(1, 2, 3, 4)',
    'States.MathAdd(1)', "States.StringSplit('a')",
  ])('%s fails', (text) => {
    const name = text.slice(0, text.indexOf('('));
    expect(failure(() => ev(text, { a: 'x', l: [1], o: {} }))).toMatchObject(invalid(name));
  });
});
