/**
 * Choice state: every comparison operator, Is* tests, And/Or/Not, Default and failures.
 * https://states-language.net/spec.html#choice-state
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
 */
import type { ConformanceCase } from '../case';

const SPEC = 'https://states-language.net/spec.html#choice-state';
const DOC = 'https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html';
const REC = 'recorded AWS: localstack tests/aws/services/stepfunctions/v2/choice_operators';
const REC_STRING = `${REC}/test_string_operators.snapshot.json`;
const REC_NUMERIC = `${REC}/test_numeric.snapshot.json`;
const REC_BOOLEAN = `${REC}/test_boolean_equals.snapshot.json`;
const REC_TIMESTAMP = `${REC}/test_timestamp_operators.snapshot.json`;
const REC_IS = `${REC}/test_is_operators.snapshot.json`;
const REC_CTX = 'recorded AWS: localstack tests/aws/services/stepfunctions/v2/context_object/test_context_object.snapshot.json';

const T0 = '2012-10-09T19:00:55Z';
const T1 = '2012-10-09T19:00:56Z';

const CHOICE_OK = [
  'ExecutionStarted',
  'ChoiceStateEntered',
  'ChoiceStateExited',
  'PassStateEntered',
  'PassStateExited',
  'ExecutionSucceeded',
];

/** Choice `C` over `choices` (each given `Next: 'Yes'` unless set); `Yes` and `No` output their own name. */
function machine(
  choices: Record<string, unknown>[],
  choiceFields: Record<string, unknown> = { Default: 'No' },
): Record<string, unknown> {
  return {
    StartAt: 'C',
    States: {
      C: { Type: 'Choice', Choices: choices.map((c) => ({ Next: 'Yes', ...c })), ...choiceFields },
      Yes: { Type: 'Pass', Result: 'Yes', End: true },
      No: { Type: 'Pass', Result: 'No', End: true },
    },
  };
}

/** A one-rule case: `rule` on `input` either matches (→ "Yes") or falls to Default (→ "No"). */
function rule(
  name: string,
  source: string,
  r: Record<string, unknown>,
  input: unknown,
  matches: boolean,
  withEvents = false,
): ConformanceCase {
  const next = matches ? 'Yes' : 'No';
  return {
    name,
    source,
    definition: machine([r]),
    input,
    expect: { status: 'SUCCEEDED', output: next, entered: ['C', next], ...(withEvents ? { events: CHOICE_OK } : {}) },
  };
}

const strings: ConformanceCase[] = [
  rule('StringEquals matches an equal string', `${REC_STRING} test_string_equals`, { Variable: '$.v', StringEquals: 'Hello' }, { v: 'Hello' }, true, true),
  rule('StringEquals does not trim whitespace', `${REC_STRING} test_string_equals`, { Variable: '$.v', StringEquals: '     ' }, { v: ' ' }, false, true),
  rule('StringEquals on a number does not match (no error)', `${DOC} ("Step Functions doesn't attempt to match a numeric field to a string value")`, { Variable: '$.v', StringEquals: '1' }, { v: 1 }, false),
  rule('StringEquals on null does not match', `${REC_STRING} test_string_equals`, { Variable: '$.v', StringEquals: 'HelloWorld' }, { v: null }, false),
  rule('StringEquals on an object does not match', `${REC_STRING} test_string_equals`, { Variable: '$.v', StringEquals: 'HelloWorld' }, { v: { A: 0 } }, false),
  rule('StringEqualsPath compares with another input field', `${REC_STRING} test_string_equals_path`, { Variable: '$.v', StringEqualsPath: '$.w' }, { v: 'Hello', w: 'Hello' }, true),
  rule('StringEqualsPath with different strings does not match', `${REC_STRING} test_string_equals_path`, { Variable: '$.v', StringEqualsPath: '$.w' }, { v: '\t\n', w: '\t\r\n' }, false),
  rule('StringLessThan: a prefix is less than the longer string', `${REC_STRING} test_string_less_than`, { Variable: '$.v', StringLessThan: 'AB' }, { v: 'A' }, true),
  rule('StringLessThan: a longer string is not less than its prefix', `${REC_STRING} test_string_less_than`, { Variable: '$.v', StringLessThan: 'A' }, { v: 'AB' }, false),
  rule('StringLessThan: equal strings are not less', `${REC_STRING} test_string_less_than`, { Variable: '$.v', StringLessThan: '' }, { v: '' }, false),
  rule('StringLessThan orders by code unit: "B" < "a"', `${DOC} (string comparison as Java String.compareTo)`, { Variable: '$.v', StringLessThan: 'a' }, { v: 'B' }, true),
  rule('StringLessThanPath compares with another input field', `${REC_STRING} test_string_less_than_path`, { Variable: '$.v', StringLessThanPath: '$.w' }, { v: 'A', w: 'AB' }, true),
  rule('StringGreaterThan: "AB" is not greater than "ABC"', `${REC_STRING} test_string_greater_than`, { Variable: '$.v', StringGreaterThan: 'ABC' }, { v: 'AB' }, false),
  rule('StringGreaterThan: "A" is not greater than "A " (trailing space counts)', `${REC_STRING} test_string_greater_than`, { Variable: '$.v', StringGreaterThan: 'A ' }, { v: 'A' }, false),
  rule('StringGreaterThan: "ABC" is greater than "AB"', `${DOC} (string comparison as Java String.compareTo)`, { Variable: '$.v', StringGreaterThan: 'AB' }, { v: 'ABC' }, true),
  rule('StringGreaterThanPath on equal empty strings does not match', `${REC_STRING} test_string_greater_than_path`, { Variable: '$.v', StringGreaterThanPath: '$.w' }, { v: '', w: '' }, false),
  rule('StringGreaterThanEquals matches equal strings', `${REC_STRING} test_string_greater_than_equals`, { Variable: '$.v', StringGreaterThanEquals: '' }, { v: '' }, true),
  rule('StringGreaterThanEquals: "A" is not >= "AB"', `${REC_STRING} test_string_greater_than_equals`, { Variable: '$.v', StringGreaterThanEquals: 'AB' }, { v: 'A' }, false),
  rule('StringGreaterThanEqualsPath: "AB" >= "A"', `${REC_STRING} test_string_greater_than_equals_path`, { Variable: '$.v', StringGreaterThanEqualsPath: '$.w' }, { v: 'AB', w: 'A' }, true),
  rule('StringLessThanEquals: "A" <= "AB"', `${REC_STRING} test_string_less_than_equals`, { Variable: '$.v', StringLessThanEquals: 'AB' }, { v: 'A' }, true),
  rule('StringLessThanEquals: "AB" is not <= "A"', `${REC_STRING} test_string_less_than_equals`, { Variable: '$.v', StringLessThanEquals: 'A' }, { v: 'AB' }, false),
  rule('StringLessThanEqualsPath matches equal strings', `${REC_STRING} test_string_less_than_equals_path`, { Variable: '$.v', StringLessThanEqualsPath: '$.w' }, { v: '', w: '' }, true),
];

const matches: ConformanceCase[] = [
  rule('StringMatches "foo*.log" matches "foo23.log"', `${SPEC} (StringMatches)`, { Variable: '$.v', StringMatches: 'foo*.log' }, { v: 'foo23.log' }, true),
  rule('StringMatches "*.log" matches "zebra.log"', `${SPEC} (StringMatches)`, { Variable: '$.v', StringMatches: '*.log' }, { v: 'zebra.log' }, true),
  rule('StringMatches "foo*.*" matches "foobar.zebra"', `${SPEC} (StringMatches)`, { Variable: '$.v', StringMatches: 'foo*.*' }, { v: 'foobar.zebra' }, true),
  rule('StringMatches "*" matches the empty string', `${SPEC} (StringMatches: "*" matches zero or more characters)`, { Variable: '$.v', StringMatches: '*' }, { v: '' }, true),
  rule('StringMatches "foo*.log" does not match "foo.txt"', `${SPEC} (StringMatches)`, { Variable: '$.v', StringMatches: 'foo*.log' }, { v: 'foo.txt' }, false),
  // In the definition JSON the pattern is `log-\\*.txt`, i.e. the characters `log-\*.txt`.
  rule('StringMatches with an escaped \\* matches a literal asterisk', `${SPEC} (StringMatches: "*" escaped with backslash)`, { Variable: '$.v', StringMatches: 'log-\\*.txt' }, { v: 'log-*.txt' }, true),
  rule('StringMatches with an escaped \\* does not act as a wildcard', `${SPEC} (StringMatches: "*" escaped with backslash)`, { Variable: '$.v', StringMatches: 'log-\\*.txt' }, { v: 'log-1.txt' }, false),
  rule('StringMatches: "?" has no special meaning', `${SPEC} ("No characters other than * have any special meaning")`, { Variable: '$.v', StringMatches: 'a?c' }, { v: 'abc' }, false),
  rule('StringMatches on a number does not match', `${DOC} (operators compare only values of their own type)`, { Variable: '$.v', StringMatches: '*' }, { v: 1 }, false),
];

const numerics: ConformanceCase[] = [
  rule('NumericEquals: integer 1 equals 1.0', `${REC_NUMERIC} test_numeric_equals`, { Variable: '$.v', NumericEquals: 1.0 }, { v: 1 }, true, true),
  rule('NumericEquals: 0.0 equals 0', `${REC_NUMERIC} test_numeric_equals`, { Variable: '$.v', NumericEquals: 0 }, { v: 0.0 }, true),
  rule('NumericEquals on a fractional value', `${REC_NUMERIC} test_numeric_equals`, { Variable: '$.v', NumericEquals: 2.22 }, { v: 2.22 }, true),
  rule('NumericEquals: 1.1 does not equal 1', `${REC_NUMERIC} test_numeric_equals`, { Variable: '$.v', NumericEquals: 1 }, { v: 1.1 }, false),
  rule('NumericEquals on an empty string does not match (no error)', `${REC_NUMERIC} test_numeric_equals`, { Variable: '$.v', NumericEquals: 0 }, { v: '' }, false),
  rule('NumericEquals on false does not match 0', `${REC_NUMERIC} test_numeric_equals`, { Variable: '$.v', NumericEquals: 0 }, { v: false }, false),
  rule('NumericEquals on an empty array does not match', `${REC_NUMERIC} test_numeric_equals`, { Variable: '$.v', NumericEquals: 0 }, { v: [] }, false),
  rule('NumericEqualsPath: 1 equals 1.0 from another field', `${REC_NUMERIC} test_numeric_equals_path`, { Variable: '$.v', NumericEqualsPath: '$.w' }, { v: 1, w: 1.0 }, true),
  rule('NumericEqualsPath on null does not match', `${REC_NUMERIC} test_numeric_equals_path`, { Variable: '$.v', NumericEqualsPath: '$.w' }, { v: null, w: 0 }, false),
  rule('NumericLessThan: 0 < 1', `${REC_NUMERIC} test_numeric_less_than`, { Variable: '$.v', NumericLessThan: 1 }, { v: 0 }, true),
  rule('NumericLessThan: 1 is not < 1', `${REC_NUMERIC} test_numeric_less_than`, { Variable: '$.v', NumericLessThan: 1 }, { v: 1 }, false),
  rule('NumericLessThanPath: 0 < 1', `${REC_NUMERIC} test_numeric_less_than_path`, { Variable: '$.v', NumericLessThanPath: '$.w' }, { v: 0, w: 1 }, true),
  rule('NumericGreaterThan: 1 > 0', `${REC_NUMERIC} test_numeric_greater_than`, { Variable: '$.v', NumericGreaterThan: 0 }, { v: 1 }, true),
  rule('NumericGreaterThan: 0.0 is not > 0', `${REC_NUMERIC} test_numeric_greater_than`, { Variable: '$.v', NumericGreaterThan: 0 }, { v: 0.0 }, false),
  rule('NumericGreaterThanPath: 0 is not > 1', `${REC_NUMERIC} test_numeric_greater_than_path`, { Variable: '$.v', NumericGreaterThanPath: '$.w' }, { v: 0, w: 1 }, false),
  rule('NumericGreaterThanEquals: 1 >= 1', `${REC_NUMERIC} test_numeric_greater_than_equals`, { Variable: '$.v', NumericGreaterThanEquals: 1 }, { v: 1 }, true),
  rule('NumericGreaterThanEqualsPath: 0 is not >= 1', `${REC_NUMERIC} test_numeric_greater_than_equals_path`, { Variable: '$.v', NumericGreaterThanEqualsPath: '$.w' }, { v: 0, w: 1 }, false),
  rule('NumericLessThanEquals: 1 is not <= 0', `${REC_NUMERIC} test_numeric_less_than_equals`, { Variable: '$.v', NumericLessThanEquals: 0 }, { v: 1 }, false),
  rule('NumericLessThanEqualsPath: 1 <= 1', `${REC_NUMERIC} test_numeric_less_than_equals_path`, { Variable: '$.v', NumericLessThanEqualsPath: '$.w' }, { v: 1, w: 1 }, true),
];

const booleans: ConformanceCase[] = [
  rule('BooleanEquals true matches true', `${REC_BOOLEAN} test_boolean_equals`, { Variable: '$.v', BooleanEquals: true }, { v: true }, true, true),
  rule('BooleanEquals false matches false', `${REC_BOOLEAN} test_boolean_equals`, { Variable: '$.v', BooleanEquals: false }, { v: false }, true),
  rule('BooleanEquals false does not match 0', `${REC_BOOLEAN} test_boolean_equals`, { Variable: '$.v', BooleanEquals: false }, { v: 0 }, false),
  rule('BooleanEquals false does not match null', `${REC_BOOLEAN} test_boolean_equals`, { Variable: '$.v', BooleanEquals: false }, { v: null }, false),
  rule('BooleanEqualsPath compares with another boolean field', `${REC_BOOLEAN} test_boolean_equals_path`, { Variable: '$.v', BooleanEqualsPath: '$.w' }, { v: true, w: true }, true),
  rule('BooleanEqualsPath: a string does not equal false', `${REC_BOOLEAN} test_boolean_equals_path`, { Variable: '$.v', BooleanEqualsPath: '$.w' }, { v: '', w: false }, false),
];

const timestamps: ConformanceCase[] = [
  rule('TimestampEquals matches the same timestamp', `${REC_TIMESTAMP} test_timestamp_equals`, { Variable: '$.v', TimestampEquals: T0 }, { v: T0 }, true, true),
  rule('TimestampEquals does not match a later timestamp', `${REC_TIMESTAMP} test_timestamp_equals`, { Variable: '$.v', TimestampEquals: T1 }, { v: T0 }, false),
  rule('TimestampEquals on a non-RFC3339 string does not match (no error)', `${REC_TIMESTAMP} test_timestamp_equals`, { Variable: '$.v', TimestampEquals: T0 }, { v: '2023-02-24 12:15:56.832957' }, false),
  rule('TimestampEquals on a number does not match', `${REC_TIMESTAMP} test_timestamp_equals`, { Variable: '$.v', TimestampEquals: T0 }, { v: 1 }, false),
  rule('TimestampEqualsPath compares with another field', `${REC_TIMESTAMP} test_timestamp_equals_path`, { Variable: '$.v', TimestampEqualsPath: '$.w' }, { v: T0, w: T0 }, true),
  rule('TimestampLessThan: earlier < later', `${REC_TIMESTAMP} test_timestamp_less_than`, { Variable: '$.v', TimestampLessThan: T1 }, { v: T0 }, true),
  rule('TimestampLessThanPath: later is not < earlier', `${REC_TIMESTAMP} test_timestamp_less_than_path`, { Variable: '$.v', TimestampLessThanPath: '$.w' }, { v: T1, w: T0 }, false),
  rule('TimestampGreaterThan: later > earlier', `${REC_TIMESTAMP} test_timestamp_greater_than`, { Variable: '$.v', TimestampGreaterThan: T0 }, { v: T1 }, true),
  rule('TimestampGreaterThanPath: earlier is not > later', `${REC_TIMESTAMP} test_timestamp_greater_than_path`, { Variable: '$.v', TimestampGreaterThanPath: '$.w' }, { v: T0, w: T1 }, false),
  rule('TimestampGreaterThanEquals matches the same timestamp', `${REC_TIMESTAMP} test_timestamp_greater_than_equals`, { Variable: '$.v', TimestampGreaterThanEquals: T0 }, { v: T0 }, true),
  rule('TimestampGreaterThanEqualsPath: earlier is not >= later', `${REC_TIMESTAMP} test_timestamp_greater_than_equals_path`, { Variable: '$.v', TimestampGreaterThanEqualsPath: '$.w' }, { v: T0, w: T1 }, false),
  rule('TimestampLessThanEquals: later is not <= earlier', `${REC_TIMESTAMP} test_timestamp_less_than_equals`, { Variable: '$.v', TimestampLessThanEquals: T0 }, { v: T1 }, false),
  rule('TimestampLessThanEqualsPath: later is not <= earlier', `${REC_TIMESTAMP} test_timestamp_less_than_equals_path`, { Variable: '$.v', TimestampLessThanEqualsPath: '$.w' }, { v: T1, w: T0 }, false),
  rule('TimestampEquals: fractional seconds .000 denote the same instant (unverified)', `${SPEC} (Timestamps: RFC3339); ${DOC}`, { Variable: '$.v', TimestampEquals: T0 }, { v: '2012-10-09T19:00:55.000Z' }, true),
  rule('TimestampEquals: a numeric offset denotes the same instant (unverified)', `${SPEC} (Timestamps: RFC3339 with numeric offset)`, { Variable: '$.v', TimestampEquals: T0 }, { v: '2012-10-09T20:00:55+01:00' }, true),
];

const isOperators: ConformanceCase[] = [
  rule('IsNull true matches null', `${REC_IS} test_is_null`, { Variable: '$.v', IsNull: true }, { v: null }, true),
  rule('IsNull true does not match 0', `${REC_IS} test_is_null`, { Variable: '$.v', IsNull: true }, { v: 0 }, false),
  rule('IsNull false matches an empty string', `${REC_IS} test_is_null`, { Variable: '$.v', IsNull: false }, { v: '' }, true),
  rule('IsPresent true matches a field whose value is null', `${REC_IS} test_is_present`, { Variable: '$.v', IsPresent: true }, { v: null }, true),
  rule('IsPresent false matches a missing field (no error)', `${SPEC} (IsPresent: a Variable path that matches nothing does not raise)`, { Variable: '$.v', IsPresent: false }, { other: 1 }, true),
  rule('IsPresent true does not match a missing field', `${SPEC} (IsPresent)`, { Variable: '$.v', IsPresent: true }, {}, false),
  rule('IsNumeric true matches 1.1', `${REC_IS} test_is_numeric`, { Variable: '$.v', IsNumeric: true }, { v: 1.1 }, true),
  rule('IsNumeric true does not match a string', `${REC_IS} test_is_numeric`, { Variable: '$.v', IsNumeric: true }, { v: ' ' }, false),
  rule('IsString true matches the empty string', `${REC_IS} test_is_string`, { Variable: '$.v', IsString: true }, { v: '' }, true),
  rule('IsString true does not match a number', `${REC_IS} test_is_string`, { Variable: '$.v', IsString: true }, { v: 0 }, false),
  rule('IsBoolean true matches false', `${REC_IS} test_is_boolean`, { Variable: '$.v', IsBoolean: true }, { v: false }, true),
  rule('IsBoolean false matches 0', `${REC_IS} test_is_boolean`, { Variable: '$.v', IsBoolean: false }, { v: 0 }, true),
  rule('IsTimestamp true matches an RFC3339 timestamp', `${SPEC} (IsTimestamp)`, { Variable: '$.v', IsTimestamp: true }, { v: '2016-08-18T17:33:00Z' }, true),
  rule('IsTimestamp true does not match a plain string', `${SPEC} (IsTimestamp)`, { Variable: '$.v', IsTimestamp: true }, { v: 'HelloWorld' }, false),
];

const compound: ConformanceCase[] = [
  rule('And matches when every rule matches', `${SPEC} (Boolean expressions)`, { And: [{ Variable: '$.n', NumericGreaterThanEquals: 20 }, { Variable: '$.n', NumericLessThan: 30 }] }, { n: 22 }, true, true),
  rule('And does not match when one rule fails', `${SPEC} (Boolean expressions)`, { And: [{ Variable: '$.n', NumericGreaterThanEquals: 20 }, { Variable: '$.n', NumericLessThan: 30 }] }, { n: 30 }, false),
  rule('Or matches when one rule matches', `${SPEC} (Boolean expressions)`, { Or: [{ Variable: '$.s', StringEquals: 'a' }, { Variable: '$.s', StringEquals: 'b' }] }, { s: 'b' }, true),
  rule('Or does not match when no rule matches', `${SPEC} (Boolean expressions)`, { Or: [{ Variable: '$.s', StringEquals: 'a' }, { Variable: '$.s', StringEquals: 'b' }] }, { s: 'c' }, false),
  rule('Not inverts a match', `${SPEC} (Boolean expressions)`, { Not: { Variable: '$.type', StringEquals: 'Private' } }, { type: 'Public' }, true),
  rule('Not inverts a non-match', `${SPEC} (Boolean expressions)`, { Not: { Variable: '$.type', StringEquals: 'Private' } }, { type: 'Private' }, false),
  rule(
    'nested Or of And and Not',
    `${SPEC} (Boolean expressions may nest)`,
    { Or: [{ And: [{ Variable: '$.a', BooleanEquals: true }, { Variable: '$.b', BooleanEquals: true }] }, { Not: { Variable: '$.c', IsPresent: true } }] },
    { a: true, b: false, c: 1 },
    false,
  ),
  {
    name: 'the AWS example routes {"type":"Private","value":22} to ValueInTwenties',
    source: `${DOC} (Choice state example)`,
    definition: {
      StartAt: 'ChoiceStateX',
      States: {
        ChoiceStateX: {
          Type: 'Choice',
          Choices: [
            { Not: { Variable: '$.type', StringEquals: 'Private' }, Next: 'Public' },
            { Variable: '$.value', NumericEquals: 0, Next: 'ValueIsZero' },
            {
              And: [
                { Variable: '$.value', NumericGreaterThanEquals: 20 },
                { Variable: '$.value', NumericLessThan: 30 },
              ],
              Next: 'ValueInTwenties',
            },
          ],
          Default: 'DefaultState',
        },
        Public: { Type: 'Pass', Result: 'Public', End: true },
        ValueIsZero: { Type: 'Pass', Result: 'ValueIsZero', End: true },
        ValueInTwenties: { Type: 'Pass', Result: 'ValueInTwenties', End: true },
        DefaultState: { Type: 'Fail', Cause: 'No Matches!' },
      },
    },
    input: { type: 'Private', value: 22 },
    expect: { status: 'SUCCEEDED', output: 'ValueInTwenties', entered: ['ChoiceStateX', 'ValueInTwenties'] },
  },
  {
    name: 'the first matching rule wins',
    source: `${DOC} ("transitions to the state specified in the Next field of the first Choice Rule in which the variable matches")`,
    definition: {
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [
            { Variable: '$.n', NumericGreaterThan: 0, Next: 'First' },
            { Variable: '$.n', NumericGreaterThan: 1, Next: 'Second' },
          ],
        },
        First: { Type: 'Pass', Result: 'First', End: true },
        Second: { Type: 'Pass', Result: 'Second', End: true },
      },
    },
    input: { n: 5 },
    expect: { status: 'SUCCEEDED', output: 'First', entered: ['C', 'First'] },
  },
];

const control: ConformanceCase[] = [
  rule('no matching rule goes to Default', `${DOC} ("the state provided in the Default field runs instead")`, { Variable: '$.n', NumericEquals: 1 }, { n: 2 }, false, true),
  {
    name: 'no matching rule and no Default fails with States.NoChoiceMatched',
    source: `${SPEC} (States.NoChoiceMatched); ${DOC} ("If the Default state isn't specified, the execution fails")`,
    // Without a Default, "No" would be unreachable, which AWS rejects at creation: it is left out.
    definition: { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: 1, Next: 'Yes' }] }, Yes: { Type: 'Pass', Result: 'Yes', End: true } } },
    input: { n: 2 },
    // AWS's cause text for this error was not found in a recorded history; only the name is asserted.
    expect: { status: 'FAILED', error: 'States.NoChoiceMatched', entered: ['C'] },
  },
  {
    name: 'a comparison on a missing Variable path fails with States.Runtime even with a Default',
    source: `${DOC} note ("If the state input doesn't contain the $.type field, the execution fails"); cause as quoted from AWS executions in public reports`,
    definition: machine([{ Variable: '$.missing', NumericEquals: 1 }]),
    input: { n: 1 },
    expect: {
      status: 'FAILED',
      error: 'States.Runtime',
      cause: /Invalid path '\$\.missing': The choice state's condition path references an invalid value\./,
      entered: ['C'],
    },
  },
  {
    name: 'a comparison whose *Path operand is missing fails with States.Runtime (unverified)',
    source: `${SPEC} (Paths that match nothing raise States.Runtime); not recorded`,
    definition: machine([{ Variable: '$.n', NumericEqualsPath: '$.missing' }]),
    input: { n: 1 },
    expect: { status: 'FAILED', error: 'States.Runtime' },
  },
  {
    name: 'IsNull on a missing path fails with States.Runtime (unverified)',
    source: `${SPEC} (only IsPresent tolerates a Variable path that matches nothing)`,
    definition: machine([{ Variable: '$.missing', IsNull: true }]),
    input: {},
    expect: { status: 'FAILED', error: 'States.Runtime' },
  },
  {
    name: 'a Choice passes its input unchanged to the next state',
    source: `${REC_CTX} test_variable`,
    definition: {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.input-value', NumericLessThanEquals: 0, Next: 'Matched' }], Default: 'Other' },
        Matched: { Type: 'Pass', End: true },
        Other: { Type: 'Pass', End: true },
      },
    },
    input: { 'input-value': 0 },
    expect: { status: 'SUCCEEDED', output: { 'input-value': 0 }, entered: ['C', 'Matched'], events: CHOICE_OK },
  },
  rule('a Choice Variable can read the context object', `${REC_CTX} test_variable`, { Variable: '$$.Execution.Input.input-value', NumericLessThanEquals: 0 }, { 'input-value': 0 }, true),
  {
    name: 'Choice InputPath filters what the rules and the next state see',
    source: 'https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html (Choice supports InputPath and OutputPath)',
    definition: {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', InputPath: '$.inner', Choices: [{ Variable: '$.v', NumericEquals: 1, Next: 'Done' }], Default: 'Other' },
        Done: { Type: 'Pass', End: true },
        Other: { Type: 'Pass', Result: 'Other', End: true },
      },
    },
    input: { inner: { v: 1 }, v: 2 },
    expect: { status: 'SUCCEEDED', output: { v: 1 }, entered: ['C', 'Done'] },
  },
  {
    name: 'Choice OutputPath filters the output passed to the next state',
    source: 'https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html (Choice supports InputPath and OutputPath)',
    definition: {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', OutputPath: '$.keep', Choices: [{ Variable: '$.v', NumericEquals: 1, Next: 'Done' }] },
        Done: { Type: 'Pass', End: true },
      },
    },
    input: { v: 1, keep: { k: true } },
    expect: { status: 'SUCCEEDED', output: { k: true }, entered: ['C', 'Done'] },
  },
];

export const cases: ConformanceCase[] = [
  ...strings,
  ...matches,
  ...numerics,
  ...booleans,
  ...timestamps,
  ...isOperators,
  ...compound,
  ...control,
];
