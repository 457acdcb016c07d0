/**
 * Conformance cases for JSONata states (`QueryLanguage: "JSONata"`): `{% %}` expressions in every
 * field that takes them, `$states`, the Output default per state type, evaluation failures, and the
 * JSONata functions Step Functions adds.
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 */
import { lambdaError, type CaseResult, type ConformanceCase } from '../case';

const DOC = 'https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html';
const VARS_DOC = 'https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html';
const CONTEXT_DOC = 'https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html';
const JSONATA_DOC = 'https://docs.jsonata.org';
const LS = 'recorded AWS: localstack tests/aws/services/stepfunctions/v2/';

const ACCOUNT_ARN = 'arn:aws:states:us-east-1:123456789012';
const ECHO_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:echo';
const INVOKE = 'arn:aws:states:::lambda:invoke';

/** The invoke result shape of `arn:aws:states:::lambda:invoke` (recorded, see the TIMEOUT_SECONDS case). */
const INVOKE_RESULT_KEYS = ['ExecutedVersion', 'Payload', 'SdkHttpMetadata', 'SdkResponseMetadata', 'StatusCode'];

const echo = { echo: (event: unknown) => event };
const raise = {
  raise: () => {
    throw lambdaError('Exception', 'Some exception was raised.');
  },
};

/** A JSONata machine with one state `S` (ending it unless it is a terminal Succeed or Fail). */
function single(state: Record<string, unknown>): Record<string, unknown> {
  const terminal = state.Type === 'Succeed' || state.Type === 'Fail';
  return { QueryLanguage: 'JSONata', StartAt: 'S', States: { S: terminal ? state : { ...state, End: true } } };
}

/** A JSONata machine with one Pass state `S` whose Output is `output`. */
function passOutput(output: unknown): Record<string, unknown> {
  return single({ Type: 'Pass', Output: output });
}

/** An inline Map ItemProcessor whose only state is a JSONata Pass with the given fields. */
function processor(pass: Record<string, unknown> = {}): Record<string, unknown> {
  return { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'P', States: { P: { Type: 'Pass', ...pass, End: true } } };
}

/** History details are JSON text on AWS; accept either text or an already-parsed value. */
function json(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** The details object of the first event of `type`. */
function details(r: CaseResult, type: string): Record<string, unknown> {
  const event = r.history.find((e) => e.type === type);
  expect(event).toBeDefined();
  const key = Object.keys(event!).find((k) => k.endsWith('EventDetails'));
  return (key ? event![key] : {}) as Record<string, unknown>;
}

/** The evaluation failure AWS reports for an expression that yields nothing (recorded, see uses). */
function undefinedCause(state: string, enteredAt: number, expr: string, field: string): string {
  return (
    `An error occurred while executing the state '${state}' (entered at the event id #${enteredAt}). ` +
    `The JSONata expression '${expr}' specified for the field '${field}' returned nothing (undefined).`
  );
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

export const cases: ConformanceCase[] = [
  // ---- QueryLanguage: top level and per state ----
  {
    name: 'a JSONata Pass without Output outputs its input',
    source: `${LS}query_language/test_mixed_query_language.snapshot.json test_output_to_state[JSONPATH_OUTPUT_TO_JSONATA]`,
    definition: single({ Type: 'Pass' }),
    input: { a: 1 },
    expect: { status: 'SUCCEEDED', output: { a: 1 } },
  },
  {
    name: 'a JSONata state in a JSONPath machine evaluates its Output and the JSONPath state after it passes it on',
    source: `${LS}query_language/test_mixed_query_language.snapshot.json test_output_to_state[JSONATA_OUTPUT_TO_JSONPATH]`,
    definition: {
      StartAt: 'JSONataState',
      States: {
        JSONataState: {
          QueryLanguage: 'JSONata',
          Type: 'Pass',
          Output: { foo: 'foobar', bar: '{% $states.input %}' },
          Next: 'JSONPathState',
        },
        JSONPathState: { QueryLanguage: 'JSONPath', Type: 'Pass', End: true },
      },
    },
    input: { input_data: 'test' },
    expect: {
      status: 'SUCCEEDED',
      output: { foo: 'foobar', bar: { input_data: 'test' } },
      entered: ['JSONataState', 'JSONPathState'],
    },
  },
  {
    name: 'a state-level QueryLanguage JSONata works with no top-level QueryLanguage',
    source: `${LS}query_language/test_base_query_language.snapshot.json test_query_language_field_override[JSONATA_OVERRIDE_DEFAULT]; ${DOC}`,
    definition: {
      StartAt: 'S',
      States: { S: { QueryLanguage: 'JSONata', Type: 'Pass', Output: '{% $states.input.x * 2 %}', End: true } },
    },
    input: { x: 21 },
    expect: { status: 'SUCCEEDED', output: 42 },
  },
  {
    name: 'a state-level QueryLanguage JSONata overrides a top-level JSONPath',
    source: `${LS}query_language/test_base_query_language.snapshot.json test_query_language_field_override[JSONATA_OVERRIDE]; ${DOC}`,
    definition: {
      QueryLanguage: 'JSONPath',
      StartAt: 'S',
      States: { S: { QueryLanguage: 'JSONata', Type: 'Pass', Output: { y: '{% $states.input.x %}' }, End: true } },
    },
    input: { x: 'v' },
    expect: { status: 'SUCCEEDED', output: { y: 'v' } },
  },
  {
    name: 'a JSONPath state reads the output of the JSONata state before it with a path',
    source: `${DOC} (JSONata and JSONPath states can be mixed; each reads its input with its own language)`,
    definition: {
      StartAt: 'A',
      States: {
        A: { QueryLanguage: 'JSONata', Type: 'Pass', Output: { v: '{% $states.input.n + 1 %}' }, Next: 'B' },
        B: { Type: 'Pass', Parameters: { 'w.$': '$.v' }, End: true },
      },
    },
    input: { n: 1 },
    expect: { status: 'SUCCEEDED', output: { w: 2 } },
  },
  {
    name: 'a JSONata state cannot use the JSONPath field Parameters',
    source: `${DOC} (JSONata states use Arguments and Output in place of InputPath, Parameters, ResultSelector, ResultPath, OutputPath)`,
    definition: single({ Type: 'Pass', Parameters: { a: 1 } }),
    expect: { definitionError: { name: 'InvalidDefinition' } },
  },
  {
    name: 'a JSONPath state cannot use the JSONata field Output (third-party report)',
    source:
      "AWS diagnostic quoted verbatim in github.com/floci-io/floci/issues/2968 (measured with validate-state-machine-definition); not in LocalStack's recordings",
    definition: { StartAt: 'S', States: { S: { Type: 'Pass', Output: { a: 1 }, End: true } } },
    expect: {
      definitionError: {
        name: 'InvalidDefinition',
        message: /The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage/,
      },
    },
  },
  {
    name: 'a state in a JSONata machine cannot switch back to JSONPath (third-party report)',
    source:
      "AWS diagnostic quoted verbatim in github.com/floci-io/floci/issues/2968; LocalStack's own test for this is skipped (test_jsonata_query_language_field_downgrade_exception)",
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'S',
      States: { S: { QueryLanguage: 'JSONPath', Type: 'Pass', End: true } },
    },
    expect: {
      definitionError: {
        name: 'InvalidDefinition',
        message: /'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine/,
      },
    },
  },
  {
    name: 'a bare field name at the top level of an expression is rejected at creation (third-party report)',
    source:
      `${DOC} (expressions must start from $states or a variable, not an unqualified field name); message as quoted in github.com/floci-io/floci/issues/2670`,
    definition: passOutput({ v: '{% phone %}' }),
    expect: {
      definitionError: { name: 'InvalidDefinition', message: /Reference to 'phone' at the top level is not supported/ },
    },
  },

  // ---- Output: literals, expressions, nesting ----
  {
    name: 'Output {} makes the output an empty object',
    source: `${LS}outputdecl/test_output.snapshot.json test_base_cases[BASE_EMPTY]`,
    definition: passOutput({}),
    input: { input_value: 'string literal' },
    expect: { status: 'SUCCEEDED', output: {} },
  },
  {
    name: 'a string that is not entirely {% %} is a literal, and so are path-like and intrinsic-like strings',
    source: `${LS}outputdecl/test_output.snapshot.json test_base_cases[BASE_LITERALS]`,
    definition: passOutput({
      constant_null: null,
      constant_int: 0,
      constant_float: 0.1,
      constant_bool: true,
      constant_str: 'constant string',
      constant_not_jsonata: ' {% states.input %} ',
      constant_varpath_states: '$states.input',
      constant_varpath: '$no.such.var.path',
      constant_jp_input: '$',
      'constant_jp_input.$': '$',
      constant_jp_input_path: '$.input_value',
      constant_jp_context: '$$',
      constant_if: "States.Format('Format:{}', 101)",
      constant_lst: [null, 0, 0.1, true, [], { constant: 0 }, ' {% states.input %} ', '$states.input'],
      constant_obj: { in_obj_constant_not_jsonata: ' {% states.input %} ', in_obj_constant_obj_empty: {} },
    }),
    input: { input_value: 'string literal' },
    expect: {
      status: 'SUCCEEDED',
      output: {
        constant_null: null,
        constant_int: 0,
        constant_float: 0.1,
        constant_bool: true,
        constant_str: 'constant string',
        constant_not_jsonata: ' {% states.input %} ',
        constant_varpath_states: '$states.input',
        constant_varpath: '$no.such.var.path',
        constant_jp_input: '$',
        'constant_jp_input.$': '$',
        constant_jp_input_path: '$.input_value',
        constant_jp_context: '$$',
        constant_if: "States.Format('Format:{}', 101)",
        constant_lst: [null, 0, 0.1, true, [], { constant: 0 }, ' {% states.input %} ', '$states.input'],
        constant_obj: { in_obj_constant_not_jsonata: ' {% states.input %} ', in_obj_constant_obj_empty: {} },
      },
    },
  },
  {
    name: 'Output fields evaluate $states.input, a variable and an arithmetic expression',
    source: `${LS}outputdecl/test_output.snapshot.json test_base_cases[BASE_EXPR]`,
    definition: {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { 'var_input_value.$': '$.input_value', var_constant_1: 1 }, Next: 'State0' },
        State0: {
          QueryLanguage: 'JSONata',
          Type: 'Pass',
          Output: {
            ja_states_input: '{% $states.input %}',
            ja_var_access: '{% $var_input_value %}',
            ja_expr: '{% $sum($states.input.input_values) + $var_constant_1 %}',
          },
          End: true,
        },
      },
    },
    input: { input_value: 'string literal', input_values: [1, 2, 3] },
    expect: {
      status: 'SUCCEEDED',
      output: {
        ja_states_input: { input_value: 'string literal', input_values: [1, 2, 3] },
        ja_var_access: 'string literal',
        ja_expr: 7,
      },
    },
  },
  {
    name: 'Output can be one whole expression that yields a number',
    source: `${LS}outputdecl/test_output.snapshot.json test_base_cases[BASE_DIRECT_EXPR]`,
    definition: {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { var_constant_1: 1 }, Next: 'State0' },
        State0: {
          QueryLanguage: 'JSONata',
          Type: 'Pass',
          Output: '{% $sum($states.input.input_values) + $var_constant_1 %}',
          End: true,
        },
      },
    },
    input: { input_values: [1, 2, 3] },
    expect: { status: 'SUCCEEDED', output: 7 },
  },
  {
    name: 'Output null makes the output null',
    source: `${LS}outputdecl/test_output.snapshot.json test_base_output_any_non_dict[NULL]`,
    definition: passOutput(null),
    input: { input_value: 'stringliteral' },
    expect: { status: 'SUCCEEDED', output: null },
  },
  {
    name: 'Output can be a plain string',
    source: `${LS}outputdecl/test_output.snapshot.json test_base_output_any_non_dict[STR_LIT]`,
    definition: passOutput('string literal'),
    input: { input_value: 'stringliteral' },
    expect: { status: 'SUCCEEDED', output: 'string literal' },
  },
  {
    name: 'Output can be an array whose elements are literals and expressions',
    source: `${LS}outputdecl/test_output.snapshot.json test_base_output_any_non_dict[LIST_RICH]`,
    definition: passOutput([
      null,
      0,
      0.1,
      true,
      'string',
      [],
      '$nosuchvar',
      '$.no.such.path',
      '{% $states.input %}',
      { key: '{% true %}' },
    ]),
    input: { input_value: 'stringliteral' },
    expect: {
      status: 'SUCCEEDED',
      output: [null, 0, 0.1, true, 'string', [], '$nosuchvar', '$.no.such.path', { input_value: 'stringliteral' }, { key: true }],
    },
  },
  {
    name: 'expressions are evaluated at any depth inside objects and arrays',
    source: `${DOC} (JSONata expressions can appear in string values within objects and arrays at any depth)`,
    definition: passOutput({ a: { b: ['{% $states.input.x %}', { c: '{% $states.input.x + 1 %}' }, 'plain'] } }),
    input: { x: 1 },
    expect: { status: 'SUCCEEDED', output: { a: { b: [1, { c: 2 }, 'plain'] } } },
  },
  {
    name: 'an expression can build an object with a JSONata object constructor',
    source: `${JSONATA_DOC}/construction; ${DOC}`,
    definition: passOutput("{% {'name': $states.input.first & ' ' & $states.input.last, 'n': $count($states.input.tags)} %}"),
    input: { first: 'Ada', last: 'Lovelace', tags: ['a', 'b'] },
    expect: { status: 'SUCCEEDED', output: { name: 'Ada Lovelace', n: 2 } },
  },
  {
    name: 'a block with a local variable binding evaluates to its last expression',
    source: `${JSONATA_DOC}/programming (blocks and := binding)`,
    definition: passOutput('{% ($x := $states.input.n; $x * 3) %}'),
    input: { n: 2 },
    expect: { status: 'SUCCEEDED', output: 6 },
  },
  {
    name: 'a JSONata regular expression can match a literal dollar sign',
    source: `${LS}evaluate_jsonata/test_base_evaluate_expressions.snapshot.json test_base_jsonata_regular_expressions[BASE]`,
    definition: passOutput('{% $contains("hello$world", /^hello\\$/) %}'),
    expect: { status: 'SUCCEEDED', output: true },
  },

  // ---- expressions that yield nothing, or throw ----
  {
    name: 'an Output expression that yields nothing fails with States.QueryEvaluationError',
    source: `${LS}assign/test_assign_reference_variables.snapshot.json test_undefined_reference[BASE_UNDEFINED_OUTPUT]`,
    definition: passOutput('{% $doesNotExist %}'),
    expect: {
      status: 'FAILED',
      error: 'States.QueryEvaluationError',
      cause: undefinedCause('S', 2, '$doesNotExist', 'Output'),
      events: ['ExecutionStarted', 'PassStateEntered', 'EvaluationFailed', 'ExecutionFailed'],
      check: (r) => {
        expect(details(r, 'EvaluationFailed')).toMatchObject({
          error: 'States.QueryEvaluationError',
          location: 'Output',
          state: 'S',
          cause: undefinedCause('S', 2, '$doesNotExist', 'Output'),
        });
      },
    },
  },
  {
    name: 'an object field whose expression yields nothing fails the state; AWS does not drop the field',
    source: `${LS}assign/test_assign_reference_variables.snapshot.json test_undefined_reference[BASE_UNDEFINED_OUTPUT_FIELD]`,
    definition: passOutput({ result: '{% $states.input.missing %}' }),
    expect: {
      status: 'FAILED',
      error: 'States.QueryEvaluationError',
      cause: undefinedCause('S', 2, '$states.input.missing', 'Output/result'),
      check: (r) => {
        expect(details(r, 'EvaluationFailed')).toMatchObject({ location: 'Output/result', state: 'S' });
      },
    },
  },
  {
    name: 'the evaluation-failure cause names the event id at which the failing state was entered',
    source: `${LS}assign/test_assign_reference_variables.snapshot.json test_undefined_reference[BASE_UNDEFINED_OUTPUT_MULTIPLE_STATES]`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'State0',
      States: {
        State0: { Type: 'Pass', Next: 'State1' },
        State1: { Type: 'Pass', Next: 'State2' },
        State2: { Type: 'Pass', Output: { result: '{% $doesNotExist %}' }, End: true },
      },
    },
    expect: {
      status: 'FAILED',
      error: 'States.QueryEvaluationError',
      cause: undefinedCause('State2', 6, '$doesNotExist', 'Output/result'),
      entered: ['State0', 'State1', 'State2'],
    },
  },
  {
    name: 'an Arguments expression that yields nothing fails before the task is scheduled',
    source: `${LS}assign/test_assign_reference_variables.snapshot.json test_undefined_reference[BASE_UNDEFINED_ARGUMENTS]`,
    definition: single({ Type: 'Task', Resource: INVOKE, Arguments: '{% $doesNotExist %}' }),
    functions: echo,
    expect: {
      status: 'FAILED',
      error: 'States.QueryEvaluationError',
      cause: undefinedCause('S', 2, '$doesNotExist', 'Arguments'),
      events: ['ExecutionStarted', 'TaskStateEntered', 'EvaluationFailed', 'ExecutionFailed'],
    },
  },
  {
    name: 'an Arguments field that yields nothing names the field path in the cause',
    source: `${LS}assign/test_assign_reference_variables.snapshot.json test_undefined_reference[BASE_UNDEFINED_ARGUMENTS_FIELD]`,
    definition: single({ Type: 'Task', Resource: INVOKE, Arguments: { FunctionName: '{% $doesNotExist %}' } }),
    functions: echo,
    expect: {
      status: 'FAILED',
      error: 'States.QueryEvaluationError',
      cause: undefinedCause('S', 2, '$doesNotExist', 'Arguments/FunctionName'),
      check: (r) => {
        expect(r.calls.echo ?? []).toHaveLength(0);
      },
    },
  },
  {
    name: 'an expression that throws fails with States.QueryEvaluationError (cause text unverified)',
    source:
      `https://docs.aws.amazon.com/step-functions/latest/apireference/API_EvaluationFailedEventDetails.html (a JSONata expression that throws); cause wording from github.com/floci-io/floci tests said to be captured from AWS, not in LocalStack's recordings`,
    definition: passOutput('{% $sqrt(-1) %}'),
    expect: {
      status: 'FAILED',
      error: 'States.QueryEvaluationError',
      cause: /^An error occurred while executing the state 'S' \(entered at the event id #2\)\. The JSONata expression '\$sqrt\(-1\)' specified for the field 'Output' threw an error during evaluation\./,
      events: ['ExecutionStarted', 'PassStateEntered', 'EvaluationFailed', 'ExecutionFailed'],
    },
  },

  // ---- Task ----
  {
    name: 'a JSONata lambda:invoke Task without Output outputs the whole invoke result',
    source: `${LS}evaluate_jsonata/test_base_evaluate_expressions.snapshot.json test_base_task[TIMEOUT_SECONDS]`,
    definition: single({ Type: 'Task', Resource: INVOKE, Arguments: { FunctionName: 'echo', Payload: '{% $states.input %}' } }),
    functions: echo,
    input: { a: 1 },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const out = r.output as Record<string, unknown>;
        expect(Object.keys(out).sort()).toEqual(INVOKE_RESULT_KEYS);
        expect(out.Payload).toEqual({ a: 1 });
        expect(out.StatusCode).toBe(200);
        expect(out.ExecutedVersion).toBe('$LATEST');
      },
    },
  },
  {
    name: 'Task Output reads $states.input and $states.result',
    source: `${LS}outputdecl/test_output.snapshot.json test_base_task_lambda[BASE_TASK_LAMBDA]`,
    definition: single({
      Type: 'Task',
      Resource: INVOKE,
      Arguments: { FunctionName: '{% $states.input.FunctionName %}', Payload: '{% $states.input.Payload %}' },
      Output: {
        ja_states_input: '{% $states.input %}',
        ja_states_result_payload: '{% $states.result.Payload %}',
        ja_states_result_status: '{% $states.result.StatusCode %}',
      },
    }),
    functions: echo,
    input: { FunctionName: 'echo', Payload: { input_value: 'string literal', input_values: [1, 2, 3] } },
    expect: {
      status: 'SUCCEEDED',
      output: {
        ja_states_input: { FunctionName: 'echo', Payload: { input_value: 'string literal', input_values: [1, 2, 3] } },
        ja_states_result_payload: { input_value: 'string literal', input_values: [1, 2, 3] },
        ja_states_result_status: 200,
      },
    },
  },
  {
    name: 'a Lambda ARN Task in JSONata sends Arguments as the event and $states.result is the function value',
    source: `${LS}outputdecl/test_output.snapshot.json test_base_lambda[BASE_LAMBDA]`,
    definition: {
      StartAt: 'Init',
      States: {
        Init: { Type: 'Pass', Assign: { 'var_input_value.$': '$.input_value', var_constant_1: 1 }, Next: 'State0' },
        State0: {
          QueryLanguage: 'JSONata',
          Type: 'Task',
          Resource: ECHO_ARN,
          Arguments: {
            ja_states_input: '{% $states.input %}',
            ja_var_access: '{% $var_input_value %}',
            ja_expr: '{% $sum($states.input.input_values) + $var_constant_1 %}',
          },
          Output: {
            ja_var_access: '{% $var_input_value %}',
            ja_states_result: '{% $states.result %}',
            ja_states_result_access: '{% $states.result.ja_expr %}',
          },
          End: true,
        },
      },
    },
    functions: echo,
    input: { input_value: 'string literal', input_values: [1, 2, 3] },
    expect: {
      status: 'SUCCEEDED',
      output: {
        ja_var_access: 'string literal',
        ja_states_result: {
          ja_states_input: { input_value: 'string literal', input_values: [1, 2, 3] },
          ja_var_access: 'string literal',
          ja_expr: 7,
        },
        ja_states_result_access: 7,
      },
      check: (r) => {
        expect(r.calls.echo).toEqual([
          { ja_states_input: { input_value: 'string literal', input_values: [1, 2, 3] }, ja_var_access: 'string literal', ja_expr: 7 },
        ]);
      },
    },
  },
  {
    name: 'Arguments literals reach the function unchanged',
    source: `${LS}arguments/test_arguments.snapshot.json test_base_cases[BASE_LAMBDA_LITERALS]`,
    definition: single({
      Type: 'Task',
      Resource: ECHO_ARN,
      Arguments: {
        constant_null: null,
        constant_float: 0.1,
        constant_not_jsonata: ' {% states.input %} ',
        constant_varpath_states: '$states.input',
        constant_lst: [null, 0, [], { constant: 0 }, '$no.such.var.path'],
        constant_obj_empty: {},
      },
    }),
    functions: echo,
    input: { input_value: 'string literal' },
    expect: {
      status: 'SUCCEEDED',
      output: {
        constant_null: null,
        constant_float: 0.1,
        constant_not_jsonata: ' {% states.input %} ',
        constant_varpath_states: '$states.input',
        constant_lst: [null, 0, [], { constant: 0 }, '$no.such.var.path'],
        constant_obj_empty: {},
      },
      check: (r) => {
        expect(r.calls.echo).toHaveLength(1);
        expect(r.calls.echo[0]).toEqual(r.output);
      },
    },
  },
  {
    name: 'Arguments {} invokes the function with an empty object',
    source: `${LS}arguments/test_arguments.snapshot.json test_base_cases[BASE_LAMBDA_EMPTY]`,
    definition: single({ Type: 'Task', Resource: ECHO_ARN, Arguments: {} }),
    functions: echo,
    input: { input_value: 'string literal' },
    expect: {
      status: 'SUCCEEDED',
      output: {},
      check: (r) => expect(r.calls.echo).toEqual([{}]),
    },
  },
  {
    name: 'TimeoutSeconds can be an expression (TaskScheduled shows the evaluated value)',
    source: `${LS}evaluate_jsonata/test_base_evaluate_expressions.snapshot.json test_base_task[TIMEOUT_SECONDS]`,
    definition: single({
      Type: 'Task',
      Resource: INVOKE,
      Arguments: { FunctionName: 'echo', Payload: {} },
      TimeoutSeconds: '{% $variable := 1 %}',
    }),
    functions: echo,
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        expect(details(r, 'TaskScheduled').timeoutInSeconds).toBe(1);
      },
    },
  },
  {
    name: 'HeartbeatSeconds can be an expression over the state input',
    source: `${LS}evaluate_jsonata/test_base_evaluate_expressions.snapshot.json test_base_task_from_input[HEARTBEAT_SECONDS]`,
    definition: single({
      Type: 'Task',
      Resource: INVOKE,
      Arguments: { FunctionName: 'echo', Payload: {} },
      HeartbeatSeconds: '{% $states.input.input_value %}',
    }),
    functions: echo,
    input: { input_value: 1 },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        expect(details(r, 'TaskScheduled').heartbeatInSeconds).toBe(1);
      },
    },
  },
  {
    name: 'a TimeoutSeconds expression is enforced: a slower task times out',
    source: 'https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html (TimeoutSeconds, JSONata expression allowed); States.Timeout per https://states-language.net/spec.html#error-names',
    definition: single({
      Type: 'Task',
      Resource: INVOKE,
      Arguments: { FunctionName: 'slow', Payload: {} },
      TimeoutSeconds: '{% $states.input.timeout %}',
    }),
    functions: {
      slow: async (_event, call) => {
        await call.sleep(5000);
        return 'late';
      },
    },
    input: { timeout: 1 },
    expect: { status: 'FAILED', error: 'States.Timeout' },
  },

  // ---- Choice ----
  {
    name: 'a Choice Condition that is true takes its rule',
    source: `${LS}assign/test_assign_base.snapshot.json test_assign_in_choice[CONDITION_TRUE]`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'ChoiceState',
      States: {
        ChoiceState: {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.condition %}', Next: 'ConditionTrue' }],
          Default: 'DefaultState',
        },
        ConditionTrue: { Type: 'Pass', End: true },
        DefaultState: { Type: 'Fail', Cause: 'Condition is false' },
      },
    },
    input: { condition: true },
    expect: { status: 'SUCCEEDED', output: { condition: true }, entered: ['ChoiceState', 'ConditionTrue'] },
  },
  {
    name: 'a Choice Condition that is false goes to Default; a Fail with only Cause has no error',
    source: `${LS}assign/test_assign_base.snapshot.json test_assign_in_choice[CONDITION_FALSE] (executionFailedEventDetails holds only cause)`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'ChoiceState',
      States: {
        ChoiceState: {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.condition %}', Next: 'ConditionTrue' }],
          Default: 'DefaultState',
        },
        ConditionTrue: { Type: 'Pass', End: true },
        DefaultState: { Type: 'Fail', Cause: 'Condition is false' },
      },
    },
    input: { condition: false },
    expect: {
      status: 'FAILED',
      cause: 'Condition is false',
      entered: ['ChoiceState', 'DefaultState'],
      events: ['ExecutionStarted', 'ChoiceStateEntered', 'ChoiceStateExited', 'FailStateEntered', 'ExecutionFailed'],
      check: (r) => expect(r.error).toBeUndefined(),
    },
  },
  {
    name: 'a Choice Condition may be a JSON boolean literal',
    source: 'recorded AWS: localstack tests/aws/services/stepfunctions/templates/scenarios/statemachines/choice_state_condition_constant_jsonata.json5 (accepted by CreateStateMachine in test_sfn_api_variable_references)',
    definition: {
      StartAt: 'ChoiceState',
      States: {
        ChoiceState: {
          Type: 'Choice',
          QueryLanguage: 'JSONata',
          Choices: [{ Condition: true, Next: 'ConditionTrue' }],
          Default: 'DefaultState',
        },
        ConditionTrue: { Type: 'Pass', End: true },
        DefaultState: { Type: 'Fail', Cause: 'Condition is false' },
      },
    },
    input: { a: 1 },
    expect: { status: 'SUCCEEDED', output: { a: 1 }, entered: ['ChoiceState', 'ConditionTrue'] },
  },
  {
    name: 'a Choice rule Output becomes the Choice output',
    source: `${LS}outputdecl/test_output.snapshot.json test_output_in_choice[CONDITION_TRUE]`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'ChoiceState',
      States: {
        ChoiceState: {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.condition %}', Next: 'ConditionTrue', Output: 'Condition Output block' }],
          Default: 'DefaultState',
          Output: 'Default Output block',
        },
        ConditionTrue: { Type: 'Pass', End: true },
        DefaultState: { Type: 'Fail', Cause: 'Condition is false' },
      },
    },
    input: { condition: true },
    expect: { status: 'SUCCEEDED', output: 'Condition Output block' },
  },
  {
    name: 'the Choice-level Output applies when Default is taken',
    source: `${LS}outputdecl/test_output.snapshot.json test_output_in_choice[CONDITION_FALSE]`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'ChoiceState',
      States: {
        ChoiceState: {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.condition %}', Next: 'ConditionTrue', Output: 'Condition Output block' }],
          Default: 'DefaultState',
          Output: 'Default Output block',
        },
        ConditionTrue: { Type: 'Pass', End: true },
        DefaultState: { Type: 'Fail', Cause: 'Condition is false' },
      },
    },
    input: { condition: false },
    expect: {
      status: 'FAILED',
      cause: 'Condition is false',
      check: (r) => {
        expect(json(details(r, 'FailStateEntered').input)).toBe('Default Output block');
      },
    },
  },
  {
    name: 'a Condition may compare against a double-quoted JSONata string',
    source: 'recorded AWS: localstack tests/aws/services/stepfunctions/templates/scenarios/statemachines/choice_state_singleton_composite_literal_string_jsonata.json5',
    definition: {
      StartAt: 'Pass',
      QueryLanguage: 'JSONata',
      States: {
        Pass: { Type: 'Pass', Output: { str_value: 'string literal' }, Next: 'Choice' },
        Choice: {
          Type: 'Choice',
          Choices: [{ Next: 'Success', Condition: '{% $states.input.str_value = "string literal" %}' }],
          Default: 'Fail',
        },
        Success: { Type: 'Succeed' },
        Fail: { Type: 'Fail' },
      },
    },
    expect: { status: 'SUCCEEDED', output: { str_value: 'string literal' }, entered: ['Pass', 'Choice', 'Success'] },
  },
  {
    name: 'a Choice Condition that is not a boolean fails with States.QueryEvaluationError (unverified)',
    source: `${DOC} (Condition must evaluate to a boolean); error name by the EvaluationFailed rule for JSONata states; not recorded`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.n %}', Next: 'Done' }], Default: 'Done' },
        Done: { Type: 'Succeed' },
      },
    },
    input: { n: 1 },
    expect: { status: 'FAILED', error: 'States.QueryEvaluationError' },
  },

  // ---- Map ----
  {
    name: 'Map Items can be an expression over a variable',
    source: 'recorded AWS: localstack tests/aws/services/stepfunctions/templates/scenarios/statemachines/map_state_items_variable.json5; ' + DOC,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'Start',
      States: {
        Start: { Type: 'Pass', Assign: { ItemsVar: ['a', 'b'] }, Next: 'MapIterateState' },
        MapIterateState: { Type: 'Map', MaxConcurrency: 1, Items: '{% $ItemsVar %}', ItemProcessor: processor(), End: true },
      },
    },
    expect: { status: 'SUCCEEDED', output: ['a', 'b'] },
  },
  {
    name: 'Map Items can be an array literal with an expression element',
    source: `${LS}evaluate_jsonata/test_base_evaluate_expressions.snapshot.json test_base_map[ITEMS]`,
    definition: single({ Type: 'Map', MaxConcurrency: 1, Items: [1, "{% $number('2') %}", 3], ItemProcessor: processor() }),
    expect: {
      status: 'SUCCEEDED',
      output: [1, 2, 3],
      events: [
        'ExecutionStarted',
        'MapStateEntered',
        'MapStateStarted',
        'MapIterationStarted',
        'PassStateEntered',
        'PassStateExited',
        'MapIterationSucceeded',
        'MapIterationStarted',
        'PassStateEntered',
        'PassStateExited',
        'MapIterationSucceeded',
        'MapIterationStarted',
        'PassStateEntered',
        'PassStateExited',
        'MapIterationSucceeded',
        'MapStateSucceeded',
        'MapStateExited',
        'ExecutionSucceeded',
      ],
      check: (r) => expect(details(r, 'MapStateStarted').length).toBe(3),
    },
  },
  {
    name: 'Map Items taken from the state input by expression',
    source: `${LS}evaluate_jsonata/test_base_evaluate_expressions.snapshot.json test_base_map_from_input[ITEMS]`,
    definition: single({ Type: 'Map', MaxConcurrency: 1, Items: '{% $states.input.input_value %}', ItemProcessor: processor() }),
    input: { input_value: [1, 2, 3] },
    expect: { status: 'SUCCEEDED', output: [1, 2, 3] },
  },
  {
    name: 'a JSONata Map without Items iterates over its input array',
    source: `${DOC} (Map Items defaults to $states.input); template localstack tests/aws/services/stepfunctions/templates/scenarios/statemachines/map_state_items.json5`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'Start',
      States: {
        Start: { Type: 'Pass', Output: '{% $states.input.items %}', Next: 'MapIterateState' },
        MapIterateState: { Type: 'Map', MaxConcurrency: 1, ItemProcessor: processor(), End: true },
      },
    },
    input: { items: ['x', 'y'] },
    expect: { status: 'SUCCEEDED', output: ['x', 'y'] },
  },
  {
    name: 'ItemSelector reads $states.context.Map.Item.Value and Index, a variable and a literal',
    source: `recorded AWS: localstack tests/aws/services/stepfunctions/templates/scenarios/statemachines/map_state_item_selector_jsonata.json5; ${CONTEXT_DOC} (Map.Item.Index, Map.Item.Value)`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'Start',
      States: {
        Start: { Type: 'Pass', Assign: { ItemsVar: ['Item1', 'Item2'] }, Next: 'MapIterateState' },
        MapIterateState: {
          Type: 'Map',
          MaxConcurrency: 1,
          Items: '{% $ItemsVar %}',
          ItemSelector: {
            map_item_value: '{% $states.context.Map.Item.Value %}',
            map_item_index: '{% $states.context.Map.Item.Index %}',
            var_sample: '{% $ItemsVar %}',
            string_literal: 'string literal',
          },
          ItemProcessor: processor(),
          End: true,
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: [
        { map_item_value: 'Item1', map_item_index: 0, var_sample: ['Item1', 'Item2'], string_literal: 'string literal' },
        { map_item_value: 'Item2', map_item_index: 1, var_sample: ['Item1', 'Item2'], string_literal: 'string literal' },
      ],
    },
  },
  {
    name: 'states inside a Map ItemProcessor inherit JSONata from the machine',
    source: `${DOC} (the top-level QueryLanguage applies to every state unless a state overrides it)`,
    definition: single({
      Type: 'Map',
      MaxConcurrency: 1,
      Items: '{% $states.input %}',
      ItemProcessor: processor({ Output: '{% $states.input + 1 %}' }),
    }),
    input: [1, 2, 3],
    expect: { status: 'SUCCEEDED', output: [2, 3, 4] },
  },
  {
    name: 'Map Output transforms $states.result, the array of iteration outputs',
    source: `${DOC} ($states.result of a Map is its result array); ${VARS_DOC}`,
    definition: single({
      Type: 'Map',
      MaxConcurrency: 1,
      Items: [1, 2, 3],
      ItemProcessor: processor({ Output: '{% $states.input * 10 %}' }),
      Output: { total: '{% $sum($states.result) %}', all: '{% $states.result %}' },
    }),
    expect: { status: 'SUCCEEDED', output: { total: 60, all: [10, 20, 30] } },
  },
  {
    name: 'Map MaxConcurrency can be an expression',
    source: `${LS}evaluate_jsonata/test_base_evaluate_expressions.snapshot.json test_base_map[MAX_CONCURRENCY]`,
    definition: single({ Type: 'Map', Items: [1, 2, 3], MaxConcurrency: '{% $variable := 1 %}', ItemProcessor: processor() }),
    expect: { status: 'SUCCEEDED', output: [1, 2, 3] },
  },
  {
    name: 'Map MaxConcurrency from the state input',
    source: `${LS}evaluate_jsonata/test_base_evaluate_expressions.snapshot.json test_base_map_from_input[MAX_CONCURRENCY]`,
    definition: single({ Type: 'Map', Items: [1], MaxConcurrency: '{% $states.input.input_value %}', ItemProcessor: processor() }),
    input: { input_value: 1 },
    expect: { status: 'SUCCEEDED', output: [1] },
  },
  {
    name: 'Map ToleratedFailurePercentage can be an expression',
    source: `${LS}evaluate_jsonata/test_base_evaluate_expressions.snapshot.json test_base_map_from_input[TOLERATED_FAILURE_PERCENTAGE] (inline Map)`,
    definition: single({
      Type: 'Map',
      Items: [1],
      MaxConcurrency: 1,
      ToleratedFailurePercentage: '{% $states.input.input_value %}',
      ItemProcessor: { StartAt: 'Process', States: { Process: { Type: 'Pass', End: true } } },
    }),
    input: { input_value: 100 },
    expect: { status: 'SUCCEEDED', output: [1] },
  },
  {
    name: 'Map ToleratedFailureCount can be an expression',
    source: `${LS}evaluate_jsonata/test_base_evaluate_expressions.snapshot.json test_base_map_from_input[TOLERATED_FAILURE_COUNT] (inline Map)`,
    definition: single({
      Type: 'Map',
      Items: [1],
      MaxConcurrency: 1,
      ToleratedFailureCount: '{% $states.input.input_value %}',
      ItemProcessor: { StartAt: 'Process', States: { Process: { Type: 'Pass', End: true } } },
    }),
    input: { input_value: 1 },
    expect: { status: 'SUCCEEDED', output: [1] },
  },

  // ---- Parallel ----
  {
    name: 'a JSONata Parallel outputs the array of branch outputs',
    source: 'https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html (result is an array of branch outputs); ' + DOC,
    definition: single({
      Type: 'Parallel',
      Branches: [
        { StartAt: 'A', States: { A: { Type: 'Pass', Output: '{% $states.input.a + 1 %}', End: true } } },
        { StartAt: 'B', States: { B: { Type: 'Pass', Output: "{% 'b' %}", End: true } } },
      ],
    }),
    input: { a: 1 },
    expect: { status: 'SUCCEEDED', output: [2, 'b'] },
  },
  {
    name: 'Parallel Arguments becomes the input of every branch',
    source: 'https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html (Arguments, JSONata only)',
    definition: single({
      Type: 'Parallel',
      Arguments: { x: '{% $states.input.a %}' },
      Branches: [
        { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
        { StartAt: 'B', States: { B: { Type: 'Pass', Output: '{% $states.input.x * 2 %}', End: true } } },
      ],
    }),
    input: { a: 5 },
    expect: { status: 'SUCCEEDED', output: [{ x: 5 }, 10] },
  },
  {
    name: 'Parallel Output transforms $states.result',
    source: `${DOC}; ${LS}evaluate_jsonata/test_base_evaluate_expressions.snapshot.json test_merge_with_dynamic_args ($merge)`,
    definition: single({
      Type: 'Parallel',
      Branches: [
        { StartAt: 'A', States: { A: { Type: 'Pass', Output: { hello: 'world' }, End: true } } },
        { StartAt: 'B', States: { B: { Type: 'Pass', Output: { foo: 'bar' }, End: true } } },
      ],
      Output: '{% $merge($states.result) %}',
    }),
    expect: { status: 'SUCCEEDED', output: { hello: 'world', foo: 'bar' } },
  },

  // ---- Fail, Succeed, Wait ----
  {
    name: 'Fail Error and Cause can be expressions',
    source: 'recorded AWS: localstack tests/aws/services/stepfunctions/templates/scenarios/statemachines/fail_error_jsonata.json5 and fail_cause_jsonata.json5; ' + DOC,
    definition: single({ Type: 'Fail', Error: '{% $states.input.error %}', Cause: "{% 'because ' & $states.input.why %}" }),
    input: { error: 'MyError', why: 'reasons' },
    expect: {
      status: 'FAILED',
      error: 'MyError',
      cause: 'because reasons',
      events: ['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed'],
    },
  },
  {
    name: 'a Fail with only an Error expression has no cause',
    source: 'recorded AWS: localstack tests/aws/services/stepfunctions/templates/scenarios/statemachines/fail_error_jsonata.json5',
    definition: single({ Type: 'Fail', Error: '{% $states.input.error %}' }),
    input: { error: 'OnlyError' },
    expect: { status: 'FAILED', error: 'OnlyError', check: (r) => expect(r.cause).toBeUndefined() },
  },
  {
    name: 'Succeed Output sets the execution output',
    source: 'https://docs.aws.amazon.com/step-functions/latest/dg/state-succeed.html (Output, JSONata only)',
    definition: single({ Type: 'Succeed', Output: { done: '{% $states.input.x %}' } }),
    input: { x: 'yes' },
    expect: { status: 'SUCCEEDED', output: { done: 'yes' } },
  },
  {
    name: 'Wait Seconds can be an expression; the Wait outputs its input',
    source: 'https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html (Seconds accepts a JSONata expression)',
    definition: single({ Type: 'Wait', Seconds: '{% $states.input.delay %}' }),
    input: { delay: 5 },
    expect: {
      status: 'SUCCEEDED',
      output: { delay: 5 },
      events: ['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'ExecutionSucceeded'],
      check: (r) => {
        const entered = r.history.find((e) => e.type === 'WaitStateEntered')!;
        const exited = r.history.find((e) => e.type === 'WaitStateExited')!;
        expect(exited.timestamp - entered.timestamp).toBeGreaterThanOrEqual(5000);
      },
    },
  },
  {
    name: 'Wait Timestamp can be an expression',
    source: 'https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html (Timestamp accepts a JSONata expression)',
    definition: single({ Type: 'Wait', Timestamp: '{% $states.input.until %}' }),
    input: { until: '2025-01-01T00:00:10Z' },
    expect: {
      status: 'SUCCEEDED',
      output: { until: '2025-01-01T00:00:10Z' },
      check: (r) => {
        const exited = r.history.find((e) => e.type === 'WaitStateExited')!;
        expect(exited.timestamp).toBeGreaterThanOrEqual(Date.parse('2025-01-01T00:00:10Z'));
      },
    },
  },
  {
    name: 'Wait Output replaces its output',
    source: 'https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html (Output, JSONata only)',
    definition: single({ Type: 'Wait', Seconds: 1, Output: { waited: '{% $states.input.s %}' } }),
    input: { s: 1 },
    expect: { status: 'SUCCEEDED', output: { waited: 1 } },
  },

  // ---- Catch ----
  {
    name: 'a Catch Output reads $states.input and $states.errorOutput',
    source: `${LS}states_variables/test_error_output.snapshot.json test_task_catch_error_output[TASK_CATCH_ERROR_OUTPUT]`,
    definition: {
      StartAt: 'Task',
      States: {
        Task: {
          Type: 'Task',
          QueryLanguage: 'JSONata',
          Resource: INVOKE,
          Arguments: { FunctionName: 'raise', Payload: { foo: 'foobar' } },
          Catch: [
            {
              ErrorEquals: ['States.ALL'],
              Output: { stateInput: '{% $states.input %}', stateError: '{% $states.errorOutput %}' },
              Next: 'Fallback',
            },
          ],
          Output: { stateInput: '{% $states.input %}', stateResult: '{% $states.result %}' },
          Next: 'Finish',
        },
        Fallback: { Type: 'Pass', QueryLanguage: 'JSONata', Output: { error: '{% $states.input %}' }, End: true },
        Finish: { Type: 'Pass', QueryLanguage: 'JSONata', Output: { result: '{% $states.input %}' }, End: true },
      },
    },
    functions: raise,
    input: { inputData: 'dummy' },
    expect: {
      status: 'SUCCEEDED',
      entered: ['Task', 'Fallback'],
      check: (r) => {
        const out = r.output as { error: { stateInput: unknown; stateError: { Error: string; Cause: string } } };
        expect(out.error.stateInput).toEqual({ inputData: 'dummy' });
        expect(Object.keys(out.error.stateError).sort()).toEqual(['Cause', 'Error']);
        expect(out.error.stateError.Error).toBe('Exception');
        expect(JSON.parse(out.error.stateError.Cause)).toMatchObject({
          errorMessage: 'Some exception was raised.',
          errorType: 'Exception',
        });
      },
    },
  },
  {
    name: 'a JSONata Catch without Output makes the error output the state output',
    source: `${LS}assign/test_assign_reference_variables.snapshot.json test_assign_in_catch_state (TaskStateExited output is {Error, Cause})`,
    definition: {
      StartAt: 'Task',
      States: {
        Task: {
          QueryLanguage: 'JSONata',
          Type: 'Task',
          Resource: INVOKE,
          Arguments: { FunctionName: 'raise', Payload: { foo: 'oof' } },
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'fallback' }],
          End: true,
        },
        fallback: { Type: 'Pass', End: true },
      },
    },
    functions: raise,
    input: { input_value: 'x' },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const out = r.output as { Error: string; Cause: string };
        expect(Object.keys(out).sort()).toEqual(['Cause', 'Error']);
        expect(out.Error).toBe('Exception');
        expect(JSON.parse(out.Cause).errorMessage).toBe('Some exception was raised.');
      },
    },
  },
  {
    name: 'a Catch Output can pick a field of $states.errorOutput',
    source: `${DOC} ($states.errorOutput is available in Catch Output and Assign)`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'Task',
      States: {
        Task: {
          Type: 'Task',
          Resource: INVOKE,
          Arguments: { FunctionName: 'raise', Payload: {} },
          Catch: [{ ErrorEquals: ['States.ALL'], Output: '{% $states.errorOutput.Error %}', Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    },
    functions: raise,
    expect: { status: 'SUCCEEDED', output: 'Exception', entered: ['Task', 'Caught'] },
  },
  {
    name: '$states.context.State.RetryCount counts the attempts of a retried Task',
    source: `${CONTEXT_DOC} (State.RetryCount); ${DOC} ($states.context)`,
    definition: single({
      Type: 'Task',
      Resource: INVOKE,
      Arguments: { FunctionName: 'flaky', Payload: { retry: '{% $states.context.State.RetryCount %}' } },
      Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 2, BackoffRate: 1 }],
      Output: '{% $states.result.Payload %}',
    }),
    functions: {
      flaky: (event, call) => {
        if (call.call < 2) throw lambdaError('Exception', 'not yet');
        return event;
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: { retry: 2 },
      check: (r) => expect(r.calls.flaky).toEqual([{ retry: 0 }, { retry: 1 }, { retry: 2 }]),
    },
  },

  // ---- $states.context ----
  {
    name: '$states.context holds the execution, state machine and state',
    source: `${LS}outputdecl/test_output.snapshot.json test_base_cases[BASE_EXPR] (ja_states_context: Execution {Id, Input, StartTime, Name, RoleArn, RedriveCount}, StateMachine {Id, Name}, State {Name, EnteredTime})`,
    definition: passOutput({
      executionId: '{% $states.context.Execution.Id %}',
      executionName: '{% $states.context.Execution.Name %}',
      executionInput: '{% $states.context.Execution.Input %}',
      startTime: '{% $states.context.Execution.StartTime %}',
      redriveCount: '{% $states.context.Execution.RedriveCount %}',
      stateMachineId: '{% $states.context.StateMachine.Id %}',
      stateMachineName: '{% $states.context.StateMachine.Name %}',
      stateName: '{% $states.context.State.Name %}',
      enteredTime: '{% $states.context.State.EnteredTime %}',
    }),
    input: { k: 'v' },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const out = r.output as Record<string, unknown>;
        expect(out).toMatchObject({
          executionId: `${ACCOUNT_ARN}:execution:conformance:conformance`,
          executionName: 'conformance',
          executionInput: { k: 'v' },
          startTime: '2025-01-01T00:00:00.000Z',
          redriveCount: 0,
          stateMachineId: `${ACCOUNT_ARN}:stateMachine:conformance`,
          stateMachineName: 'conformance',
          stateName: 'S',
        });
        expect(out.enteredTime).toMatch(ISO_TIME);
      },
    },
  },
  {
    name: '$states.context.Execution reflects the execution name',
    source: CONTEXT_DOC,
    executionName: 'run-42',
    definition: passOutput({ id: '{% $states.context.Execution.Id %}', name: '{% $states.context.Execution.Name %}' }),
    expect: {
      status: 'SUCCEEDED',
      output: { id: `${ACCOUNT_ARN}:execution:conformance:run-42`, name: 'run-42' },
    },
  },
  {
    name: 'in a later state $states.input is that state input, while Execution.Input stays the execution input',
    source: `${VARS_DOC} ($states.input always refers to the state's own input); ${CONTEXT_DOC}`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'First',
      States: {
        First: { Type: 'Pass', Output: { step: 1 }, Next: 'Second' },
        Second: {
          Type: 'Pass',
          Output: {
            input: '{% $states.input %}',
            original: '{% $states.context.Execution.Input %}',
            state: '{% $states.context.State.Name %}',
          },
          End: true,
        },
      },
    },
    input: { step: 0 },
    expect: { status: 'SUCCEEDED', output: { input: { step: 1 }, original: { step: 0 }, state: 'Second' } },
  },

  // ---- functions Step Functions adds ----
  {
    name: '$partition splits an array into chunks',
    source: `${LS}intrinsic_functions/test_array_jsonata.snapshot.json test_array_partition; ${DOC} (JSONata functions provided by Step Functions)`,
    definition: passOutput({
      ones: '{% $partition([0, 1], 1) %}',
      whole: '{% $partition([0, 1, 2, 3], 4) %}',
      bigger: '{% $partition([0, 1, 2, 3], 5) %}',
      pairs: '{% $partition([0, 1, 2], 2) %}',
    }),
    expect: {
      status: 'SUCCEEDED',
      output: { ones: [[0], [1]], whole: [[0, 1, 2, 3]], bigger: [[0, 1, 2, 3]], pairs: [[0, 1], [2]] },
    },
  },
  {
    name: '$range counts from start to end by step, end included when reached',
    source: `${LS}intrinsic_functions/test_array_jsonata.snapshot.json test_array_range`,
    definition: passOutput({
      a: '{% $range(0, 9, 3) %}',
      b: '{% $range(0, 10, 3) %}',
      c: '{% $range(1, 9, 2) %}',
    }),
    expect: { status: 'SUCCEEDED', output: { a: [0, 3, 6, 9], b: [0, 3, 6, 9], c: [1, 3, 5, 7, 9] } },
  },
  {
    name: '$range with a single element yields that number, not an array',
    source: `${LS}intrinsic_functions/test_array_jsonata.snapshot.json test_array_range (exec_hist_resp_2: $range(1, 9, 9) output is 1)`,
    definition: passOutput('{% $range($states.input.fst, $states.input.snd, $states.input.trd) %}'),
    input: { fst: 1, snd: 9, trd: 9 },
    expect: { status: 'SUCCEEDED', output: 1 },
  },
  {
    name: '$hash computes hex digests with the named algorithm',
    source: `${DOC} ($hash: MD5, SHA-1, SHA-256, SHA-384, SHA-512); SHA-256 value matches ${LS}assign/test_assign_reference_variables.snapshot.json BASE_REFERENCE_IN_INTRINSIC_FUNCTION (States.Hash of the same string)`,
    definition: passOutput({
      md5: "{% $hash($states.input.s, 'MD5') %}",
      sha1: "{% $hash($states.input.s, 'SHA-1') %}",
      sha256: "{% $hash($states.input.s, 'SHA-256') %}",
      sha384: "{% $hash($states.input.s, 'SHA-384') %}",
      sha512: "{% $hash($states.input.s, 'SHA-512') %}",
    }),
    input: { s: 'Hash this string' },
    expect: {
      status: 'SUCCEEDED',
      output: {
        md5: '376630459092d7682c2a2e745d74aa6b',
        sha1: '85d05c0c660ea39fd0e24d83a235553f500db375',
        sha256: '1cac63f39fd68d8c531f27b807610fb3d50f0fc3f186995767fb6316e7200a3e',
        sha384:
          '111207910797492c1705b8b70a2a1524d0a69787bff8f32876becc8119ab7b5a70ebb51d71867b8f324c82c0bacdd9ed',
        sha512:
          '876cd6463eece0fb7841979ee32d2e01f15fca63308f931adcb82837597327fd7d002e19bb3ffe088e4e333ff8dce5cda5a181ad5883ec33fa9838c3834bd881',
      },
    },
  },
  {
    name: '$random() returns a number from 0 up to 1',
    source: `${DOC} ($random)`,
    definition: passOutput('{% $random() %}'),
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        expect(typeof r.output).toBe('number');
        expect(r.output as number).toBeGreaterThanOrEqual(0);
        expect(r.output as number).toBeLessThan(1);
      },
    },
  },
  {
    name: '$random(seed) returns the same number for the same seed',
    source: `${DOC} ($random accepts an optional seed, unlike standard JSONata); dev.classmethod.jp/articles/aws-step-functions-jsonata-unsupported-function (same seed, same number)`,
    definition: passOutput({ a: '{% $random(7) %}', b: '{% $random(7) %}' }),
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const out = r.output as { a: number; b: number };
        expect(typeof out.a).toBe('number');
        expect(out.a).toBe(out.b);
        expect(out.a).toBeGreaterThanOrEqual(0);
        expect(out.a).toBeLessThan(1);
      },
    },
  },
  {
    name: '$uuid() returns a version 4 UUID',
    source: `${DOC} ($uuid)`,
    definition: passOutput('{% $uuid() %}'),
    expect: {
      status: 'SUCCEEDED',
      check: (r) => expect(r.output).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
    },
  },
  {
    name: '$parse turns JSON text into a value',
    source: `${LS}intrinsic_functions/test_json_manipulation_jsonata.snapshot.json test_parse`,
    definition: passOutput({
      obj: '{% $parse($states.input.obj) %}',
      arr: '{% $parse($states.input.arr) %}',
      str: '{% $parse($states.input.str) %}',
      num: '{% $parse($states.input.num) %}',
      negZero: '{% $parse($states.input.negZero) %}',
      bool: '{% $parse($states.input.bool) %}',
    }),
    input: {
      obj: '{"Arg1": 1, "Arg2": []}',
      arr: '[1, 2, "HelloWorld"]',
      str: '"HelloWorld"',
      num: '1.1',
      negZero: '-0',
      bool: 'true',
    },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        // Compared through JSON text: AWS prints -0 as 0, and jest's toEqual tells 0 and -0 apart.
        expect(JSON.parse(JSON.stringify(r.output))).toEqual({
          obj: { Arg1: 1, Arg2: [] },
          arr: [1, 2, 'HelloWorld'],
          str: 'HelloWorld',
          num: 1.1,
          negZero: 0,
          bool: true,
        });
      },
    },
  },

  // ---- standard JSONata functions ----
  {
    name: 'standard JSONata functions: $sum, $count, $map, $filter, $join, $uppercase, $string, $number, $merge',
    source: `${JSONATA_DOC}/function-library; ${DOC} (Step Functions supports the JSONata function library)`,
    definition: passOutput({
      sum: '{% $sum($states.input.n) %}',
      count: '{% $count($states.input.n) %}',
      doubled: '{% $map($states.input.n, function($v) { $v * 2 }) %}',
      even: '{% $filter($states.input.n, function($v) { $v % 2 = 0 }) %}',
      joined: "{% $join($states.input.s, '-') %}",
      upper: '{% $uppercase($states.input.s[0]) %}',
      text: '{% $string($states.input.n[0]) %}',
      number: "{% $number('5.5') %}",
      merged: "{% $merge([{'a': 1}, {'b': 2}]) %}",
      filtered: '{% $states.input.n[$ > 2] %}',
    }),
    input: { n: [1, 2, 3, 4], s: ['a', 'b'] },
    expect: {
      status: 'SUCCEEDED',
      output: {
        sum: 10,
        count: 4,
        doubled: [2, 4, 6, 8],
        even: [2, 4],
        joined: 'a-b',
        upper: 'A',
        text: '1',
        number: 5.5,
        merged: { a: 1, b: 2 },
        filtered: [3, 4],
      },
    },
  },
  {
    name: '$now() returns an ISO 8601 timestamp and $millis() a number of milliseconds',
    source: `${JSONATA_DOC}/date-time-functions ($now, $millis); values not asserted, only their form`,
    definition: passOutput({ now: '{% $now() %}', millis: '{% $millis() %}' }),
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const out = r.output as { now: unknown; millis: unknown };
        expect(out.now).toMatch(ISO_TIME);
        expect(typeof out.millis).toBe('number');
      },
    },
  },
  {
    name: '$millis() and $now() are the time of evaluation: after a one-hour Wait they are an hour past the start',
    source: 'https://docs.jsonata.org/date-time-functions ($millis: milliseconds since the epoch at the time of evaluation; $now: the same instant as an ISO 8601 string); https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html',
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'Hold',
      States: {
        Hold: { Type: 'Wait', Seconds: 3600, Next: 'Stamp' },
        Stamp: { Type: 'Pass', Output: { millis: '{% $millis() %}', now: '{% $now() %}', start: '{% $states.context.Execution.StartTime %}' }, End: true },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const out = r.output as { millis: number; now: string; start: string };
        expect(out.millis - Date.parse(out.start)).toBe(3_600_000);
        expect(Date.parse(out.now)).toBe(out.millis);
      },
    },
  },
];
