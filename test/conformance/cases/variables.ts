/**
 * Conformance cases for workflow variables (`Assign`), in JSONPath and JSONata states: where Assign
 * is allowed, what it sees, when its values take effect, scope in Map and Parallel, references from
 * every field that takes them, and the `assignedVariables` AWS records on `*StateExited` events.
 * https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html
 */
import { lambdaError, type CaseResult, type ConformanceCase } from '../case';

const DOC = 'https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html';
const LS = 'recorded AWS: localstack tests/aws/services/stepfunctions/v2/';
const BASE = `${LS}assign/test_assign_base.snapshot.json`;
const REF = `${LS}assign/test_assign_reference_variables.snapshot.json`;
const MIXED = `${LS}query_language/test_mixed_query_language.snapshot.json`;
const ERROR_OUTPUT = `${LS}states_variables/test_error_output.snapshot.json`;

const ACCOUNT_ARN = 'arn:aws:states:us-east-1:123456789012';
const ECHO_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:echo';
const INVOKE = 'arn:aws:states:::lambda:invoke';
const INVOKE_RESULT_KEYS = ['ExecutedVersion', 'Payload', 'SdkHttpMetadata', 'SdkResponseMetadata', 'StatusCode'];

const echo = { echo: (event: unknown) => event };
const raise = {
  raise: () => {
    throw lambdaError('Exception', 'Some exception was raised.');
  },
};

/** History details are JSON text on AWS; accept either text or an already-parsed value. */
function json(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

/** The `stateExitedEventDetails` of every `*StateExited` event of state `name`, in order. */
function exits(r: CaseResult, name: string): Record<string, unknown>[] {
  return r.history
    .filter((e) => e.type.endsWith('StateExited'))
    .map((e) => e.stateExitedEventDetails as Record<string, unknown>)
    .filter((d) => d?.name === name);
}

/**
 * The `assignedVariables` of the nth exit of state `name`: variable name -> the value as JSON text.
 * AWS sends them with `assignedVariablesDetails: {truncated: false}`.
 */
function assigned(r: CaseResult, name: string, nth = 0): Record<string, string> {
  const d = exits(r, name)[nth];
  expect(d).toBeDefined();
  expect(d.assignedVariablesDetails).toEqual({ truncated: false });
  return d.assignedVariables as Record<string, string>;
}

/** The same, each value parsed (for objects, whose exact JSON spacing LocalStack's recordings hide). */
function assignedValues(r: CaseResult, name: string, nth = 0): Record<string, unknown> {
  return Object.fromEntries(Object.entries(assigned(r, name, nth)).map(([k, v]) => [k, JSON.parse(v)]));
}

/** The details object of the first event of `type`. */
function details(r: CaseResult, type: string): Record<string, unknown> {
  const event = r.history.find((e) => e.type === type);
  expect(event).toBeDefined();
  const key = Object.keys(event!).find((k) => k.endsWith('EventDetails'));
  return (key ? event![key] : {}) as Record<string, unknown>;
}

const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

/** A JSONata Choice on `$states.input.condition` with an Assign on the rule and one on the state. */
const choiceWithAssigns = {
  QueryLanguage: 'JSONata',
  StartAt: 'ChoiceState',
  States: {
    ChoiceState: {
      Type: 'Choice',
      Choices: [
        { Condition: '{% $states.input.condition %}', Next: 'ConditionTrue', Assign: { Assignment: 'Condition assignment' } },
      ],
      Default: 'DefaultState',
      Assign: { Assignment: 'Default Assignment' },
    },
    ConditionTrue: { Type: 'Pass', End: true },
    DefaultState: { Type: 'Fail', Cause: 'Condition is false' },
  },
};

/** The JSONPath Choice of LocalStack's BASE_ASSIGN_IN_CHOICE template. */
const jsonPathChoiceWithAssigns = {
  StartAt: 'CheckInputState',
  States: {
    CheckInputState: {
      Type: 'Choice',
      Choices: [
        { Variable: '$.input_value', IsPresent: false, Assign: { status: 'UNKNOWN' }, Next: 'FinalState' },
        { Variable: '$.input_value', NumericEquals: 42, Assign: { status: 'CORRECT' }, Next: 'FinalState' },
      ],
      Assign: { status: 'INCORRECT', 'guess.$': '$.input_value' },
      Default: 'FinalState',
    },
    FinalState: { Type: 'Pass', Parameters: { 'result.$': '$status' }, End: true },
  },
};

/** A JSONata Task on a failing function, with Assign on the state and on its Catch. */
function catchSampling(fallback: Record<string, unknown>, finish: Record<string, unknown>, fn: string) {
  return {
    StartAt: 'Task',
    States: {
      Task: {
        Type: 'Task',
        QueryLanguage: 'JSONata',
        Resource: INVOKE,
        Arguments: { FunctionName: fn, Payload: { foo: 'foobar' } },
        Catch: [
          {
            ErrorEquals: ['States.ALL'],
            Assign: { inputVar: '{% $states.input %}', errorVar: '{% $states.errorOutput %}' },
            Next: 'Fallback',
          },
        ],
        Assign: { inputVar: '{% $states.input %}', resultVar: '{% $states.result %}' },
        Next: 'Finish',
      },
      Fallback: { Type: 'Pass', ...fallback, End: true },
      Finish: { Type: 'Pass', ...finish, End: true },
    },
  };
}

/** Checks an error output `{Error, Cause}` produced by the `raise` double. */
function expectRaisedErrorOutput(value: unknown): void {
  const out = value as { Error: string; Cause: string };
  expect(Object.keys(out).sort()).toEqual(['Cause', 'Error']);
  expect(out.Error).toBe('Exception');
  expect(JSON.parse(out.Cause)).toMatchObject({ errorMessage: 'Some exception was raised.', errorType: 'Exception' });
}

export const cases: ConformanceCase[] = [
  // ---- Assign values and how AWS records them ----
  {
    name: 'Assign constants are recorded in assignedVariables as JSON text',
    source: `${BASE} test_base_cases[BASE_CONSTANT_LITERALS]`,
    definition: {
      StartAt: 'State0',
      States: {
        State0: {
          Type: 'Pass',
          Assign: {
            constant_null: null,
            constant_int: 0,
            constant_float: 0.1,
            constant_bool: true,
            constant_str: 'constant string',
            constant_lst_empty: [],
            constant_lst: [null, 0, 0.1, true, '$.no.such.path', '$varname', '{% $varname %}', '$$', "States.Format('{}', $varname)", [], { constant: 0 }],
            constant_obj_empty: {},
            constant_obj: { in_obj_constant_str_path: '$.no.such.path', in_obj_constant_obj: { constant: 0 } },
          },
          End: true,
        },
      },
    },
    input: { input_value: 'input_value_literal' },
    expect: {
      status: 'SUCCEEDED',
      output: { input_value: 'input_value_literal' },
      events: ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded'],
      check: (r) => {
        const vars = assigned(r, 'State0');
        expect(vars).toMatchObject({
          constant_null: 'null',
          constant_int: '0',
          constant_float: '0.1',
          constant_bool: 'true',
          constant_str: '"constant string"',
          constant_lst_empty: '[]',
          constant_lst: '[null,0,0.1,true,"$.no.such.path","$varname","{% $varname %}","$$","States.Format(\'{}\', $varname)",[],{"constant":0}]',
        });
        expect(JSON.parse(vars.constant_obj_empty)).toEqual({});
        expect(JSON.parse(vars.constant_obj)).toEqual({
          in_obj_constant_str_path: '$.no.such.path',
          in_obj_constant_obj: { constant: 0 },
        });
      },
    },
  },
  {
    name: 'in JSONPath, an Assign string without .$ is a literal even when it looks like a path, intrinsic or JSONata',
    source: `${BASE} test_base_cases[BASE_CONSTANT_LITERALS]`,
    definition: {
      StartAt: 'State0',
      States: {
        State0: {
          Type: 'Pass',
          Assign: {
            root: '$',
            path: '$.no.such.path',
            ctx: '$$.Execution.Id',
            ctxRoot: '$$',
            variable: '$noSuchVar',
            variableExpr: '$noSuchVar.noSuchMember',
            intrinsic: "States.Format('Format Func {}', $varname)",
            jsonata: '{% $varname.varfield %}',
          },
          End: true,
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        expect(assigned(r, 'State0')).toEqual({
          root: '"$"',
          path: '"$.no.such.path"',
          ctx: '"$$.Execution.Id"',
          ctxRoot: '"$$"',
          variable: '"$noSuchVar"',
          variableExpr: '"$noSuchVar.noSuchMember"',
          intrinsic: '"States.Format(\'Format Func {}\', $varname)"',
          jsonata: '"{% $varname.varfield %}"',
        });
      },
    },
  },
  {
    name: 'in JSONPath, Assign .$ values take paths, context paths and intrinsics',
    source: `${BASE} test_base_cases[BASE_PATHS]`,
    definition: {
      StartAt: 'State0',
      States: {
        State0: {
          Type: 'Pass',
          Assign: {
            'str_path_root.$': '$',
            'str_path.$': '$.input_value',
            'str_contextpath.$': '$$.Execution.Id',
            'str_intrinsic_func.$': "States.Format('Format Func {}', $.input_value)",
          },
          End: true,
        },
      },
    },
    input: { input_value: 'input_value_literal' },
    expect: {
      status: 'SUCCEEDED',
      output: { input_value: 'input_value_literal' },
      check: (r) => {
        const vars = assigned(r, 'State0');
        expect(vars.str_path).toBe('"input_value_literal"');
        expect(vars.str_contextpath).toBe(`"${ACCOUNT_ARN}:execution:conformance:conformance"`);
        expect(vars.str_intrinsic_func).toBe('"Format Func input_value_literal"');
        expect(JSON.parse(vars.str_path_root)).toEqual({ input_value: 'input_value_literal' });
      },
    },
  },
  {
    name: 'in JSONPath, Assign "$$" is the context object of the assigning state',
    source: `${BASE} test_base_cases[BASE_PATHS] (str_contextpath_root)`,
    definition: { StartAt: 'State0', States: { State0: { Type: 'Pass', Assign: { 'ctx.$': '$$' }, End: true } } },
    input: { input_value: 'input_value_literal' },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const ctx = JSON.parse(assigned(r, 'State0').ctx) as { State: { EnteredTime: string } };
        expect(ctx).toMatchObject({
          Execution: {
            Id: `${ACCOUNT_ARN}:execution:conformance:conformance`,
            Input: { input_value: 'input_value_literal' },
            StartTime: '2025-01-01T00:00:00.000Z',
            Name: 'conformance',
            RedriveCount: 0,
          },
          StateMachine: { Id: `${ACCOUNT_ARN}:stateMachine:conformance`, Name: 'conformance' },
          State: { Name: 'State0' },
        });
        expect(ctx.State.EnteredTime).toMatch(ISO_TIME);
      },
    },
  },
  {
    name: 'a later state reads variables with "key.$": "$var" and "$var.field"; assignedVariables lists only its own',
    source: `${BASE} test_base_cases[BASE_VAR]`,
    definition: {
      StartAt: 'State0',
      States: {
        State0: {
          Type: 'Pass',
          Assign: {
            'varname.$': '$.input_value',
            constant_str: 'constant string',
            constant_obj: { in_obj_constant_lst: [null, 0, '$varname'] },
          },
          Next: 'State1',
        },
        State1: {
          Type: 'Pass',
          Assign: {
            varname2: 'varname2',
            'copy.$': '$varname',
            'varnameconstant_str.$': '$constant_str',
            'varnameconstant_obj_access.$': '$constant_obj.in_obj_constant_lst',
          },
          End: true,
        },
      },
    },
    input: { input_value: 'input_value_literal' },
    expect: {
      status: 'SUCCEEDED',
      output: { input_value: 'input_value_literal' },
      check: (r) => {
        expect(assigned(r, 'State1')).toEqual({
          varname2: '"varname2"',
          copy: '"input_value_literal"',
          varnameconstant_str: '"constant string"',
          varnameconstant_obj_access: '[null,0,"$varname"]',
        });
      },
    },
  },
  {
    name: 'Parameters read a variable and a path into it',
    source: `${BASE} test_base_cases[BASE_VAR] ($constant_obj.in_obj_constant_lst); ${DOC}`,
    definition: {
      StartAt: 'Set',
      States: {
        Set: { Type: 'Pass', Assign: { user: { name: 'Ada', tags: ['x', 'y'] } }, Next: 'Read' },
        Read: { Type: 'Pass', Parameters: { 'name.$': '$user.name', 'tags.$': '$user.tags', 'all.$': '$user' }, End: true },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: { name: 'Ada', tags: ['x', 'y'], all: { name: 'Ada', tags: ['x', 'y'] } },
    },
  },
  {
    name: 'a Parameters value "$var" without .$ stays a literal, and "key.$": "$var" reads the variable',
    source: `${REF} test_reference_assign[BASE_REFERENCE_IN_PARAMETERS]`,
    definition: {
      StartAt: 'State0',
      States: {
        State0: { Type: 'Pass', Parameters: { result: '$result' }, Assign: { result: 'foobar' }, Next: 'State1' },
        State1: { Type: 'Pass', ResultPath: '$.result', Parameters: { 'result.$': '$result' }, End: true },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: { result: { result: 'foobar' } },
      check: (r) => {
        expect(json(exits(r, 'State0')[0].output)).toEqual({ result: '$result' });
        expect(assigned(r, 'State0')).toEqual({ result: '"foobar"' });
      },
    },
  },

  // ---- what Assign sees, and when its values take effect ----
  {
    name: 'in JSONPath, Assign "$" is the Parameters result of a Pass',
    source: `${REF} test_assign_from_value[BASE_ASSIGN_FROM_PARAMETERS]`,
    definition: {
      StartAt: 'State0',
      States: {
        State0: { Type: 'Pass', Parameters: { input: 'PENDING' }, Assign: { 'result.$': '$.input' }, Next: 'State1' },
        State1: { Type: 'Pass', Assign: { result: 'SUCCESS', 'originalResult.$': '$.input' }, End: true },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: { input: 'PENDING' },
      check: (r) => {
        expect(assigned(r, 'State0')).toEqual({ result: '"PENDING"' });
        expect(assigned(r, 'State1')).toEqual({ result: '"SUCCESS"', originalResult: '"PENDING"' });
      },
    },
  },
  {
    name: 'in JSONPath, Assign "$" is the Result of a Pass',
    source: `${REF} test_assign_from_value[BASE_ASSIGN_FROM_RESULT]`,
    definition: {
      StartAt: 'State0',
      States: { State0: { Type: 'Pass', Result: { answer: 42 }, Assign: { 'theAnswer.$': '$.answer' }, End: true } },
    },
    expect: {
      status: 'SUCCEEDED',
      output: { answer: 42 },
      check: (r) => expect(assigned(r, 'State0')).toEqual({ theAnswer: '42' }),
    },
  },
  {
    name: 'in JSONPath, Assign sees the state result before ResultPath merges it into the input',
    source: `${MIXED} test_task_dataflow_to_state (StateJsonPath: inputData is the Result, the output is the merged input)`,
    definition: {
      StartAt: 'StateJsonPath',
      States: {
        StateJsonPath: {
          Type: 'Pass',
          Result: { riddle: 'What is the answer to life, the universe, and everything?' },
          Assign: { answer: 42, 'inputData.$': '$' },
          OutputPath: '$',
          ResultPath: '$.enigma.mystery',
          End: true,
        },
      },
    },
    input: { functionName: 'f' },
    expect: {
      status: 'SUCCEEDED',
      output: { functionName: 'f', enigma: { mystery: { riddle: 'What is the answer to life, the universe, and everything?' } } },
      check: (r) => {
        expect(assignedValues(r, 'StateJsonPath')).toEqual({
          answer: 42,
          inputData: { riddle: 'What is the answer to life, the universe, and everything?' },
        });
      },
    },
  },
  {
    name: 'in JSONPath, the values of one Assign do not see each other',
    source: `${MIXED} test_variable_sampling[JSONATA_ASSIGN_JSONPATH_REF]`,
    definition: {
      StartAt: 'First',
      States: {
        First: { Type: 'Pass', Assign: { theAnswerVar: 42 }, Next: 'Second' },
        Second: { Type: 'Pass', Assign: { theAnswerVar: 18, 'oldAnswerVar.$': '$theAnswerVar' }, End: true },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: {},
      check: (r) => expect(assigned(r, 'Second')).toEqual({ theAnswerVar: '18', oldAnswerVar: '42' }),
    },
  },
  {
    name: 'in JSONata, the values of one Assign do not see each other',
    source: `${MIXED} test_variable_sampling[JSONPATH_ASSIGN_JSONATA_REF]`,
    definition: {
      StartAt: 'JSONPathState',
      States: {
        JSONPathState: { Type: 'Pass', Assign: { theAnswer: 42 }, Next: 'JSONataState' },
        JSONataState: {
          QueryLanguage: 'JSONata',
          Type: 'Pass',
          Assign: { theAnswer: 18, oldAnswer: '{% $theAnswer %}' },
          End: true,
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: {},
      check: (r) => expect(assigned(r, 'JSONataState')).toEqual({ theAnswer: '18', oldAnswer: '42' }),
    },
  },
  {
    name: "OutputPath sees the variable values from before the same state's Assign",
    source: `${REF} test_state_assign_evaluation_order[BASE_EVALUATION_ORDER_PASS_STATE] (output 42, not "<omitted>")`,
    definition: {
      StartAt: 'State0',
      States: {
        State0: {
          Type: 'Pass',
          Result: { theQuestion: 'What is the answer to life the universe and everything?' },
          Assign: { 'question.$': '$.theQuestion', answer: 42 },
          Next: 'State1',
        },
        State1: {
          Type: 'Pass',
          InputPath: '$answer',
          ResultPath: '$.theAnswer',
          OutputPath: '$answer',
          Assign: { answer: '<omitted>' },
          End: true,
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: 42,
      check: (r) => {
        expect(assigned(r, 'State0')).toEqual({
          answer: '42',
          question: '"What is the answer to life the universe and everything?"',
        });
        expect(assigned(r, 'State1')).toEqual({ answer: '"<omitted>"' });
      },
    },
  },
  {
    name: "a JSONata Output sees the variable values from before the same state's Assign (unverified for JSONata)",
    source: `${DOC} (Assign and Output are evaluated from the same state-entry values; new values apply from the next state), as recalled, page text not retrievable here; the JSONPath form is recorded in ${REF} BASE_EVALUATION_ORDER_PASS_STATE`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { x: 1 }, Next: 'B' },
        B: { Type: 'Pass', Assign: { x: '{% $x + 1 %}' }, Output: { seen: '{% $x %}' }, Next: 'C' },
        C: { Type: 'Pass', Output: { seen: '{% $x %}', before: '{% $states.input.seen %}' }, End: true },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: { seen: 2, before: 1 },
      check: (r) => expect(assigned(r, 'B')).toEqual({ x: '2' }),
    },
  },
  {
    name: 'InputPath can be a variable',
    source: `${REF} test_reference_assign[BASE_REFERENCE_IN_INPUTPATH]`,
    definition: {
      StartAt: 'State0',
      States: {
        State0: { Type: 'Pass', Assign: { theAnswer: 42 }, Next: 'State1' },
        State1: { Type: 'Pass', InputPath: '$theAnswer', End: true },
      },
    },
    expect: { status: 'SUCCEEDED', output: 42 },
  },
  {
    name: 'OutputPath can be a variable',
    source: `${REF} test_reference_assign[BASE_REFERENCE_IN_OUTPUTPATH]`,
    definition: {
      StartAt: 'State0',
      States: {
        State0: { Type: 'Pass', Result: { answer: 42 }, Assign: { 'theAnswer.$': '$.answer' }, Next: 'State1' },
        State1: { Type: 'Pass', OutputPath: '$theAnswer', End: true },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: 42,
      check: (r) => expect(json(exits(r, 'State0')[0].output)).toEqual({ answer: 42 }),
    },
  },
  {
    name: 'a variable keeps its value across states until a later Assign replaces it',
    source: DOC,
    definition: {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { n: 1 }, Next: 'B' },
        B: { Type: 'Pass', Parameters: { 'b.$': '$n' }, Next: 'C' },
        C: { Type: 'Pass', Assign: { n: 2 }, ResultPath: null, Next: 'D' },
        D: { Type: 'Pass', Parameters: { 'b.$': '$.b', 'd.$': '$n' }, End: true },
      },
    },
    expect: { status: 'SUCCEEDED', output: { b: 1, d: 2 }, entered: ['A', 'B', 'C', 'D'] },
  },
  {
    name: 'in JSONata, Assign values can be objects and arrays built by expressions',
    source: DOC,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: {
        A: {
          Type: 'Pass',
          Assign: { obj: "{% {'x': $states.input.x, 'sq': $states.input.x * $states.input.x} %}", arr: '{% [1, $states.input.x] %}' },
          Next: 'B',
        },
        B: { Type: 'Pass', Output: { obj: '{% $obj %}', arr: '{% $arr %}' }, End: true },
      },
    },
    input: { x: 3 },
    expect: {
      status: 'SUCCEEDED',
      output: { obj: { x: 3, sq: 9 }, arr: [1, 3] },
      check: (r) => expect(assignedValues(r, 'A')).toEqual({ obj: { x: 3, sq: 9 }, arr: [1, 3] }),
    },
  },
  {
    name: 'a JSONata Assign can read $states.context',
    source: `${DOC} ($states is available in Assign); https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { who: '{% $states.context.State.Name %}', run: '{% $states.context.Execution.Name %}' }, Next: 'B' },
        B: { Type: 'Pass', Output: { who: '{% $who %}', run: '{% $run %}' }, End: true },
      },
    },
    expect: { status: 'SUCCEEDED', output: { who: 'A', run: 'conformance' } },
  },
  {
    name: 'a variable may hold null, and reading it yields null',
    source: `${BASE} BASE_CONSTANT_LITERALS (constant_null: "null"); ${DOC}`,
    definition: {
      StartAt: 'A',
      States: {
        A: { Type: 'Pass', Assign: { n: null }, Next: 'B' },
        B: { Type: 'Pass', Parameters: { 'fromPath.$': '$n' }, Next: 'C' },
        C: { QueryLanguage: 'JSONata', Type: 'Pass', Output: { fromPath: '{% $states.input.fromPath %}', fromJsonata: '{% $n %}' }, End: true },
      },
    },
    expect: { status: 'SUCCEEDED', output: { fromPath: null, fromJsonata: null } },
  },
  {
    name: 'assignedVariables renders floats, booleans and nested values as JSON',
    source: `${REF} test_reference_assign[BASE_REFERENCE_IN_ITERATOR_OUTER_SCOPE] ("bias": "4.3"); ${BASE} BASE_CONSTANT_LITERALS`,
    definition: {
      StartAt: 'A',
      States: { A: { Type: 'Pass', Assign: { bias: 4.3, flag: false, nested: { a: [1, { b: null }] } }, End: true } },
    },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const vars = assigned(r, 'A');
        expect(vars.bias).toBe('4.3');
        expect(vars.flag).toBe('false');
        expect(JSON.parse(vars.nested)).toEqual({ a: [1, { b: null }] });
      },
    },
  },
  {
    name: 'an Assign expression that yields nothing fails with States.QueryEvaluationError',
    source: `${REF} test_undefined_reference[BASE_UNDEFINED_ASSIGN]`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'State0',
      States: { State0: { Type: 'Pass', Assign: { result: '{% $doesNotExist %}' }, End: true } },
    },
    expect: {
      status: 'FAILED',
      error: 'States.QueryEvaluationError',
      cause:
        "An error occurred while executing the state 'State0' (entered at the event id #2). " +
        "The JSONata expression '$doesNotExist' specified for the field 'Assign/result' returned nothing (undefined).",
      events: ['ExecutionStarted', 'PassStateEntered', 'EvaluationFailed', 'ExecutionFailed'],
      check: (r) => expect(details(r, 'EvaluationFailed')).toMatchObject({ location: 'Assign/result', state: 'State0' }),
    },
  },

  // ---- Task ----
  {
    name: 'a JSONata Task reads variables in Arguments and assigns from $states.result',
    source: `${MIXED} test_task_dataflow_to_state`,
    definition: {
      StartAt: 'StateJsonPath',
      States: {
        StateJsonPath: {
          Type: 'Pass',
          Result: { riddle: 'What is the answer to life, the universe, and everything?' },
          Assign: { answer: 42, 'inputData.$': '$' },
          ResultPath: '$.enigma.mystery',
          Next: 'StateJsonata',
        },
        StateJsonata: {
          QueryLanguage: 'JSONata',
          Type: 'Task',
          Resource: INVOKE,
          Arguments: {
            FunctionName: '{% $states.input.functionName %}',
            Payload: { theQuestion: '{% $states.input.enigma.mystery.riddle %}', theAnswer: '{% $answer %}' },
          },
          Assign: { answer: '<omitted>', message: '{% $states.result %}' },
          Output: { result: '{% $states.result.Payload %}' },
          End: true,
        },
      },
    },
    functions: echo,
    input: { functionName: 'echo' },
    expect: {
      status: 'SUCCEEDED',
      output: { result: { theQuestion: 'What is the answer to life, the universe, and everything?', theAnswer: 42 } },
      check: (r) => {
        expect(r.calls.echo).toEqual([{ theQuestion: 'What is the answer to life, the universe, and everything?', theAnswer: 42 }]);
        const vars = assigned(r, 'StateJsonata');
        expect(vars.answer).toBe('"<omitted>"');
        const message = JSON.parse(vars.message) as Record<string, unknown>;
        expect(Object.keys(message).sort()).toEqual(INVOKE_RESULT_KEYS);
        expect(message.Payload).toEqual({ theQuestion: 'What is the answer to life, the universe, and everything?', theAnswer: 42 });
      },
    },
  },
  {
    name: 'a JSONata Task on a Lambda ARN reads variables in Arguments and Assign',
    source: `${LS}arguments/test_arguments.snapshot.json test_base_cases[BASE_LAMBDA_EXPRESSION]`,
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
          Assign: {
            ja_var_access: '{% $var_input_value %}',
            ja_expr: '{% $sum($states.input.input_values) + $var_constant_1 %}',
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
        ja_states_input: { input_value: 'string literal', input_values: [1, 2, 3] },
        ja_var_access: 'string literal',
        ja_expr: 7,
      },
      check: (r) => {
        expect(assigned(r, 'Init')).toEqual({ var_constant_1: '1', var_input_value: '"string literal"' });
        expect(assigned(r, 'State0')).toEqual({ ja_expr: '7', ja_var_access: '"string literal"' });
      },
    },
  },
  {
    name: 'a JSONPath Task reads variables in Parameters and TimeoutSecondsPath and assigns from its result',
    source: `${REF} test_variables_in_lambda_task[BASE_ASSIGN_FROM_LAMBDA_TASK_RESULT]`,
    definition: {
      StartAt: 'Pass',
      States: {
        Pass: {
          Type: 'Pass',
          Assign: { 'functionName.$': '$.FunctionName', inputData: { foo: 'oof', bar: 'rab' }, timeout: 300 },
          Next: 'Task',
        },
        Task: {
          Type: 'Task',
          Resource: INVOKE,
          TimeoutSecondsPath: '$timeout',
          Parameters: { 'Payload.$': '$inputData', 'FunctionName.$': '$functionName' },
          Assign: { 'result.$': '$.Payload' },
          OutputPath: '$.Payload',
          Next: 'End',
        },
        End: { Type: 'Pass', Assign: { 'previousResult.$': '$result', timeout: 150 }, End: true },
      },
    },
    functions: { hello: () => 'HelloWorld!' },
    input: { FunctionName: 'hello' },
    expect: {
      status: 'SUCCEEDED',
      output: 'HelloWorld!',
      check: (r) => {
        const scheduled = details(r, 'TaskScheduled');
        expect(scheduled.timeoutInSeconds).toBe(300);
        expect(json(scheduled.parameters)).toEqual({ FunctionName: 'hello', Payload: { foo: 'oof', bar: 'rab' } });
        expect(r.calls.hello).toEqual([{ foo: 'oof', bar: 'rab' }]);
        expect(assigned(r, 'Task')).toEqual({ result: '"HelloWorld!"' });
        expect(assigned(r, 'End')).toEqual({ previousResult: '"HelloWorld!"', timeout: '150' });
      },
    },
  },
  {
    name: 'a JSONata Task on a Lambda ARN assigns the function value from $states.result',
    source: `${MIXED} test_lambda_task_resource_data_flow[TASK_LAMBDA_LEGACY_RESOURCE_JSONATA_TO_JSONPATH]`,
    definition: {
      StartAt: 'JsonataState',
      States: {
        JsonataState: {
          QueryLanguage: 'JSONata',
          Type: 'Task',
          Resource: ECHO_ARN,
          Arguments: { Payload: { foo: 'foo-1' } },
          Assign: { resultsVar: '{% $states.result %}' },
          Output: { results: '{% $states.result %}' },
          Next: 'JsonPathState',
        },
        JsonPathState: { QueryLanguage: 'JSONPath', Type: 'Pass', End: true },
      },
    },
    functions: echo,
    expect: {
      status: 'SUCCEEDED',
      output: { results: { Payload: { foo: 'foo-1' } } },
      check: (r) => expect(assignedValues(r, 'JsonataState')).toEqual({ resultsVar: { Payload: { foo: 'foo-1' } } }),
    },
  },
  {
    name: 'a JSONPath Task on a Lambda ARN assigns the function value from "$"',
    source: `${MIXED} test_lambda_task_resource_data_flow[TASK_LAMBDA_LEGACY_RESOURCE_JSONPATH_TO_JSONATA]`,
    definition: {
      StartAt: 'JsonPathState',
      States: {
        JsonPathState: {
          Type: 'Task',
          Resource: ECHO_ARN,
          Parameters: { Payload: { foo: 'foo-1' } },
          Assign: { 'resultsVar.$': '$' },
          OutputPath: '$',
          Next: 'JsonataState',
        },
        JsonataState: { QueryLanguage: 'JSONata', Type: 'Pass', End: true },
      },
    },
    functions: echo,
    expect: {
      status: 'SUCCEEDED',
      output: { Payload: { foo: 'foo-1' } },
      check: (r) => expect(assignedValues(r, 'JsonPathState')).toEqual({ resultsVar: { Payload: { foo: 'foo-1' } } }),
    },
  },
  {
    name: 'a JSONPath lambda:invoke Task assigns the whole invoke result from "$"',
    source: `${MIXED} test_lambda_task_resource_data_flow[TASK_LAMBDA_SDK_RESOURCE_JSONPATH_TO_JSONATA]`,
    definition: {
      StartAt: 'JsonPathState',
      States: {
        JsonPathState: {
          Type: 'Task',
          Resource: INVOKE,
          Parameters: { Payload: { foo: 'foo-1' }, FunctionName: 'echo' },
          Assign: { 'resultsVar.$': '$' },
          OutputPath: '$',
          Next: 'JsonataState',
        },
        JsonataState: { QueryLanguage: 'JSONata', Type: 'Pass', Output: '{% $resultsVar.Payload %}', End: true },
      },
    },
    functions: echo,
    expect: {
      status: 'SUCCEEDED',
      output: { foo: 'foo-1' },
      check: (r) => {
        const result = assignedValues(r, 'JsonPathState').resultsVar as Record<string, unknown>;
        expect(Object.keys(result).sort()).toEqual(INVOKE_RESULT_KEYS);
      },
    },
  },

  // ---- Choice ----
  {
    name: "a Choice rule's Assign applies when the rule matches, and the Choice-level Assign does not",
    source: `${BASE} test_assign_in_choice[CONDITION_TRUE]`,
    definition: choiceWithAssigns,
    input: { condition: true },
    expect: {
      status: 'SUCCEEDED',
      output: { condition: true },
      events: ['ExecutionStarted', 'ChoiceStateEntered', 'ChoiceStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded'],
      check: (r) => {
        expect(assigned(r, 'ChoiceState')).toEqual({ Assignment: '"Condition assignment"' });
        // A state without Assign records no assignedVariables at all.
        const passExit = exits(r, 'ConditionTrue')[0];
        expect(passExit.assignedVariables).toBeUndefined();
        expect(passExit.assignedVariablesDetails).toBeUndefined();
      },
    },
  },
  {
    name: 'the Choice-level Assign applies when Default is taken',
    source: `${BASE} test_assign_in_choice[CONDITION_FALSE]`,
    definition: choiceWithAssigns,
    input: { condition: false },
    expect: {
      status: 'FAILED',
      cause: 'Condition is false',
      entered: ['ChoiceState', 'DefaultState'],
      check: (r) => expect(assigned(r, 'ChoiceState')).toEqual({ Assignment: '"Default Assignment"' }),
    },
  },
  {
    name: 'in JSONPath, a string "42" does not match NumericEquals 42, so the Choice-level Assign applies',
    source: `${REF} test_assign_in_choice_state[CORRECT] (input_value "42")`,
    definition: jsonPathChoiceWithAssigns,
    input: { input_value: '42' },
    expect: {
      status: 'SUCCEEDED',
      output: { result: 'INCORRECT' },
      check: (r) => expect(assigned(r, 'CheckInputState')).toEqual({ guess: '"42"', status: '"INCORRECT"' }),
    },
  },
  {
    name: 'in JSONPath, the Choice-level Assign can read the input with .$',
    source: `${REF} test_assign_in_choice_state[INCORRECT] (input_value "0")`,
    definition: jsonPathChoiceWithAssigns,
    input: { input_value: '0' },
    expect: {
      status: 'SUCCEEDED',
      output: { result: 'INCORRECT' },
      check: (r) => expect(assigned(r, 'CheckInputState')).toEqual({ guess: '"0"', status: '"INCORRECT"' }),
    },
  },
  {
    name: "in JSONPath, a matching Choice rule's Assign applies",
    source: `${DOC} (Assign on a Choice rule); same template as ${REF} test_assign_in_choice_state, with a numeric input; JSONata analogue recorded in ${BASE} CONDITION_TRUE`,
    definition: jsonPathChoiceWithAssigns,
    input: { input_value: 42 },
    expect: {
      status: 'SUCCEEDED',
      output: { result: 'CORRECT' },
      check: (r) => expect(assigned(r, 'CheckInputState')).toEqual({ status: '"CORRECT"' }),
    },
  },
  {
    name: 'a Choice compares two variables and a loop reassigns one of them',
    source: `${REF} test_reference_assign[BASE_REFERENCE_IN_CHOICE]`,
    definition: {
      StartAt: 'Setup',
      States: {
        Setup: { Type: 'Pass', Assign: { guess: 'the_guess', answer: 'the_answer' }, Next: 'CheckAnswer' },
        CheckAnswer: {
          Type: 'Choice',
          Choices: [{ Variable: '$guess', StringEqualsPath: '$answer', Next: 'CorrectAnswer' }],
          Default: 'WrongAnswer',
        },
        CorrectAnswer: { Type: 'Pass', Result: { state: 'CORRECT' }, End: true },
        WrongAnswer: { Type: 'Pass', Assign: { 'guess.$': '$answer' }, Result: { state: 'WRONG' }, Next: 'CheckAnswer' },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: { state: 'CORRECT' },
      entered: ['Setup', 'CheckAnswer', 'WrongAnswer', 'CheckAnswer', 'CorrectAnswer'],
      check: (r) => {
        expect(assigned(r, 'Setup')).toEqual({ guess: '"the_guess"', answer: '"the_answer"' });
        expect(assigned(r, 'WrongAnswer')).toEqual({ guess: '"the_answer"' });
        expect(exits(r, 'CheckAnswer')[0].assignedVariables).toBeUndefined();
      },
    },
  },
  {
    name: "a JSONata Choice rule's Assign can read $states.input",
    source: `${DOC} (Assign on a Choice rule); ${BASE} test_assign_in_choice[CONDITION_TRUE]`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'C',
      States: {
        C: {
          Type: 'Choice',
          Choices: [{ Condition: '{% $states.input.v > 0 %}', Assign: { picked: '{% $states.input.v %}' }, Next: 'Read' }],
          Default: 'Read',
        },
        Read: { Type: 'Pass', Output: '{% $picked %}', End: true },
      },
    },
    input: { v: 7 },
    expect: {
      status: 'SUCCEEDED',
      output: 7,
      check: (r) => expect(assigned(r, 'C')).toEqual({ picked: '7' }),
    },
  },
  {
    name: 'a JSONata Choice Condition reads a variable',
    source: `${DOC}; https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html (Condition)`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'Set',
      States: {
        Set: { Type: 'Pass', Assign: { n: 3 }, Next: 'C' },
        C: { Type: 'Choice', Choices: [{ Condition: '{% $n > 2 %}', Next: 'Big' }], Default: 'Small' },
        Big: { Type: 'Pass', Output: 'big', End: true },
        Small: { Type: 'Pass', Output: 'small', End: true },
      },
    },
    expect: { status: 'SUCCEEDED', output: 'big', entered: ['Set', 'C', 'Big'] },
  },

  // ---- Wait and Fail ----
  {
    name: 'a Wait state can Assign',
    source: `${REF} test_assign_in_wait_state`,
    definition: { StartAt: 'WaitState', States: { WaitState: { Type: 'Wait', Seconds: 0, Assign: { foo: 'oof' }, End: true } } },
    expect: {
      status: 'SUCCEEDED',
      output: {},
      events: ['ExecutionStarted', 'WaitStateEntered', 'WaitStateExited', 'ExecutionSucceeded'],
      check: (r) => expect(assigned(r, 'WaitState')).toEqual({ foo: '"oof"' }),
    },
  },
  {
    name: 'a JSONata Wait can Assign from its input and replace its Output',
    source: `${REF} test_assign_in_wait_state (Assign on Wait); https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'W',
      States: {
        W: { Type: 'Wait', Seconds: 0, Assign: { waited: '{% $states.input.s %}' }, Output: { ok: true }, Next: 'Read' },
        Read: { Type: 'Pass', Output: { waited: '{% $waited %}', input: '{% $states.input %}' }, End: true },
      },
    },
    input: { s: 0 },
    expect: {
      status: 'SUCCEEDED',
      output: { waited: 0, input: { ok: true } },
      check: (r) => expect(assigned(r, 'W')).toEqual({ waited: '0' }),
    },
  },
  {
    name: 'SecondsPath and TimestampPath can be variables',
    source: `${REF} test_reference_assign[BASE_REFERENCE_IN_WAIT]`,
    definition: {
      StartAt: 'Start',
      States: {
        Start: { Type: 'Pass', Assign: { waitTime: 0, startAt: '2024-11-06T09:42:03Z' }, Next: 'WaitSecondsState' },
        WaitSecondsState: { Type: 'Wait', SecondsPath: '$waitTime', Next: 'WaitUntilState' },
        WaitUntilState: { Type: 'Wait', TimestampPath: '$startAt', End: true },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: {},
      entered: ['Start', 'WaitSecondsState', 'WaitUntilState'],
      check: (r) => expect(assigned(r, 'Start')).toEqual({ waitTime: '0', startAt: '"2024-11-06T09:42:03Z"' }),
    },
  },
  {
    name: 'a JSONata Wait Seconds can be a variable',
    source: `${DOC}; https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'Set',
      States: {
        Set: { Type: 'Pass', Assign: { delay: 3 }, Next: 'W' },
        W: { Type: 'Wait', Seconds: '{% $delay %}', End: true },
      },
    },
    input: { k: 1 },
    expect: {
      status: 'SUCCEEDED',
      output: { k: 1 },
      check: (r) => {
        const entered = r.history.find((e) => e.type === 'WaitStateEntered')!;
        const exited = r.history.find((e) => e.type === 'WaitStateExited')!;
        expect(exited.timestamp - entered.timestamp).toBeGreaterThanOrEqual(3000);
      },
    },
  },
  {
    name: 'Fail ErrorPath and CausePath can be variables',
    source: `${REF} test_reference_assign[BASE_REFERENCE_IN_FAIL]`,
    definition: {
      StartAt: 'Pass',
      States: {
        Pass: { Type: 'Pass', Assign: { errorVar: 'Exception', causeVar: 'An Exception was encountered' }, Next: 'Fail' },
        Fail: { Type: 'Fail', CausePath: '$causeVar', ErrorPath: '$errorVar' },
      },
    },
    expect: {
      status: 'FAILED',
      error: 'Exception',
      cause: 'An Exception was encountered',
      events: ['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'FailStateEntered', 'ExecutionFailed'],
    },
  },
  {
    name: 'a JSONata Fail reads variables in Error and Cause',
    source: `${DOC}; https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html (Error and Cause accept JSONata)`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'Pass',
      States: {
        Pass: { Type: 'Pass', Assign: { err: 'E1', why: 'because' }, Next: 'Fail' },
        Fail: { Type: 'Fail', Error: '{% $err %}', Cause: "{% $why & '!' %}" },
      },
    },
    expect: { status: 'FAILED', error: 'E1', cause: 'because!' },
  },

  // ---- intrinsic functions over variables ----
  {
    name: 'intrinsic functions in Parameters take variables as arguments',
    source: `${REF} test_reference_assign[BASE_REFERENCE_IN_INTRINSIC_FUNCTION]`,
    definition: {
      StartAt: 'State0',
      States: {
        State0: {
          Type: 'Pass',
          Assign: {
            rawString: 'Hello World',
            encodedString: 'SGVsbG8gV29ybGQ=',
            inputString: 'Hash this string',
            json1: { a: 1, b: 2 },
            json2: { c: 3, d: 4 },
            jsonString: '{"key":"value"}',
            jsonObject: { test: 'object' },
            value1: 5,
            value2: 3,
            csvString: 'a,b,c,d,e',
            name: 'John',
            place: 'LocalStack',
          },
          Next: 'State1',
        },
        State1: {
          Type: 'Pass',
          Parameters: {
            encodingOps: { 'encoded.$': 'States.Base64Encode($rawString)', 'decoded.$': 'States.Base64Decode($encodedString)' },
            hashOps: { 'hashValue.$': "States.Hash($inputString, 'SHA-256')" },
            jsonOps: {
              'mergedJson.$': 'States.JsonMerge($json1, $json2, false)',
              'parsedJson.$': 'States.StringToJson($jsonString)',
              'stringifiedJson.$': 'States.JsonToString($jsonObject)',
            },
            mathOps: { 'sum.$': 'States.MathAdd($value1, $value2)' },
            stringOps: {
              'splitString.$': "States.StringSplit($csvString, ',')",
              'formattedString.$': "States.Format('Hello {}, welcome to {}!', $name, $place)",
            },
            uuidOp: { 'uniqueId.$': 'States.UUID()' },
          },
          End: true,
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const out = r.output as Record<string, Record<string, unknown>>;
        expect(out).toMatchObject({
          encodingOps: { encoded: 'SGVsbG8gV29ybGQ=', decoded: 'Hello World' },
          hashOps: { hashValue: '1cac63f39fd68d8c531f27b807610fb3d50f0fc3f186995767fb6316e7200a3e' },
          jsonOps: { mergedJson: { a: 1, b: 2, c: 3, d: 4 }, parsedJson: { key: 'value' }, stringifiedJson: '{"test":"object"}' },
          mathOps: { sum: 8 },
          stringOps: { splitString: ['a', 'b', 'c', 'd', 'e'], formattedString: 'Hello John, welcome to LocalStack!' },
        });
        expect(out.uuidOp.uniqueId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      },
    },
  },
  {
    name: 'Assign values can be intrinsic functions, nested inside objects',
    source: `${REF} test_assign_from_value[BASE_ASSIGN_FROM_INTRINSIC_FUNCTION]`,
    definition: {
      StartAt: 'State0',
      States: {
        State0: {
          Type: 'Pass',
          Result: { inputArray: [1, 2, 3, 4, 5, 6], duplicateArray: [1, 2, 2, 3, 3, 4], json1: { a: 1 }, json2: { b: 2 } },
          Assign: {
            arrayOps: {
              'simpleArray.$': "States.Array('a', 'b', 'c')",
              'partitionedArray.$': 'States.ArrayPartition($.inputArray, 2)',
              'containsElement.$': 'States.ArrayContains($.inputArray, 5)',
              'numberRange.$': 'States.ArrayRange(1, 10, 2)',
              'thirdElement.$': 'States.ArrayGetItem($.inputArray, 2)',
              'arraySize.$': 'States.ArrayLength($.inputArray)',
              'uniqueValues.$': 'States.ArrayUnique($.duplicateArray)',
            },
            jsonOps: { 'mergedJson.$': 'States.JsonMerge($.json1, $.json2, false)' },
          },
          End: true,
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: { inputArray: [1, 2, 3, 4, 5, 6], duplicateArray: [1, 2, 2, 3, 3, 4], json1: { a: 1 }, json2: { b: 2 } },
      check: (r) => {
        expect(assignedValues(r, 'State0')).toEqual({
          arrayOps: {
            simpleArray: ['a', 'b', 'c'],
            partitionedArray: [
              [1, 2],
              [3, 4],
              [5, 6],
            ],
            containsElement: true,
            numberRange: [1, 3, 5, 7, 9],
            thirdElement: 3,
            arraySize: 6,
            uniqueValues: [1, 2, 3, 4],
          },
          jsonOps: { mergedJson: { a: 1, b: 2 } },
        });
      },
    },
  },

  // ---- scope: Map and Parallel ----
  {
    name: 'Map iterations read outer variables, ItemsPath can be a variable, and the outer value is unchanged after the Map',
    source: `${BASE} test_base_cases[BASE_SCOPE_MAP]`,
    definition: {
      StartAt: 'State0',
      States: {
        State0: { Type: 'Pass', Assign: { x: 42, items: [1, 2, 3] }, Next: 'State1' },
        State1: {
          Type: 'Map',
          ItemsPath: '$items',
          MaxConcurrency: 1,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Inner',
            States: { Inner: { Type: 'Pass', Assign: { 'innerX.$': '$x' }, End: true } },
          },
          Next: 'State2',
        },
        State2: { Type: 'Pass', Assign: { 'final.$': '$x' }, End: true },
      },
    },
    input: { input_value: 'input_value_literal' },
    expect: {
      status: 'SUCCEEDED',
      output: [1, 2, 3],
      check: (r) => {
        expect(details(r, 'MapStateStarted').length).toBe(3);
        expect([0, 1, 2].map((i) => assigned(r, 'Inner', i))).toEqual([{ innerX: '42' }, { innerX: '42' }, { innerX: '42' }]);
        expect(exits(r, 'State1')[0].assignedVariables).toBeUndefined();
        expect(assigned(r, 'State2')).toEqual({ final: '42' });
      },
    },
  },
  {
    name: 'Parallel branches read outer variables and "$" is the branch input',
    source: `${BASE} test_base_parallel_cases[BASE_SCOPE_PARALLEL]`,
    definition: {
      StartAt: 'State0',
      States: {
        State0: { Type: 'Pass', Assign: { x: 42 }, Next: 'State1' },
        State1: {
          Type: 'Parallel',
          End: true,
          Branches: ['Branch1', 'Branch21', 'Branch31'].map((name) => ({
            StartAt: name,
            States: { [name]: { Type: 'Pass', Assign: { 'innerX.$': '$x', 'value.$': '$' }, End: true } },
          })),
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: [{}, {}, {}],
      check: (r) => {
        for (const name of ['Branch1', 'Branch21', 'Branch31']) {
          expect(assignedValues(r, name)).toEqual({ innerX: 42, value: {} });
        }
      },
    },
  },
  {
    name: 'MathAdd over variables from two enclosing Maps rounds the float argument',
    source: `${REF} test_reference_assign[BASE_REFERENCE_IN_ITERATOR_OUTER_SCOPE] (Sum 63, 187, 66 with bias 4.3)`,
    definition: {
      StartAt: 'Input',
      States: {
        Input: {
          Type: 'Pass',
          Result: [
            [9, 44, 6],
            [82, 25, 76],
            [18, 42, 2],
          ],
          Assign: { bias: 4.3 },
          Next: 'IterateLevels',
        },
        IterateLevels: {
          Type: 'Map',
          MaxConcurrency: 1,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'AssignCurrentVector',
            States: {
              AssignCurrentVector: {
                Type: 'Pass',
                Assign: { 'xCurrent.$': '$[0]', 'yCurrent.$': '$[1]', 'zCurrent.$': '$[2]' },
                Next: 'Calculate',
              },
              Calculate: {
                Type: 'Map',
                MaxConcurrency: 1,
                ItemProcessor: {
                  ProcessorConfig: { Mode: 'INLINE' },
                  StartAt: 'Summate',
                  States: {
                    Summate: {
                      Type: 'Pass',
                      Assign: { 'Sum.$': 'States.MathAdd(States.MathAdd(States.MathAdd($yCurrent, $xCurrent), $zCurrent), $bias)' },
                      End: true,
                    },
                  },
                },
                End: true,
              },
            },
          },
          End: true,
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: [
        [9, 44, 6],
        [82, 25, 76],
        [18, 42, 2],
      ],
      check: (r) => {
        expect(assigned(r, 'Input')).toEqual({ bias: '4.3' });
        expect(exits(r, 'Summate').map((d) => (d.assignedVariables as Record<string, string>).Sum)).toEqual([
          '63', '63', '63', '187', '187', '187', '66', '66', '66',
        ]);
        expect(assigned(r, 'AssignCurrentVector', 1)).toEqual({ xCurrent: '82', yCurrent: '25', zCurrent: '76' });
      },
    },
  },
  {
    name: 'ItemSelector formats with a variable template and inner states read outer variables',
    source: `${REF} test_reference_in_map_state[MAP_STATE_REFERENCE_IN_INTRINSIC_FUNCTION]`,
    definition: {
      StartAt: 'Start',
      States: {
        Start: {
          Type: 'Pass',
          Assign: { AnswerTemplate: "It's {}!", Question: "Who's that Pokemon?" },
          Result: ['Charizard', 'Pikachu', 'Squirtle'],
          Next: 'MapIterateState',
        },
        MapIterateState: {
          Type: 'Map',
          MaxConcurrency: 1,
          ItemSelector: { 'AnnouncePokemon.$': 'States.Format($AnswerTemplate, $$.Map.Item.Value)' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Pass',
            States: {
              Pass: { Type: 'Pass', Parameters: { 'Question.$': '$Question', 'Answer.$': '$.AnnouncePokemon' }, End: true },
            },
          },
          End: true,
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: [
        { Answer: "It's Charizard!", Question: "Who's that Pokemon?" },
        { Answer: "It's Pikachu!", Question: "Who's that Pokemon?" },
        { Answer: "It's Squirtle!", Question: "Who's that Pokemon?" },
      ],
    },
  },
  {
    name: 'Map ItemsPath can be a variable while ItemSelector reads the state input',
    source: `${REF} test_reference_in_map_state[MAP_STATE_REFERENCE_IN_ITEMS_PATH]`,
    definition: {
      StartAt: 'Start',
      States: {
        Start: {
          Type: 'Pass',
          Assign: { Question: "Who's that Pokemon?", PokemonList: ['Charizard', 'Pikachu', 'Squirtle'] },
          Result: { AnswerTemplate: "It's {}!" },
          Next: 'MapIterateState',
        },
        MapIterateState: {
          Type: 'Map',
          MaxConcurrency: 1,
          ItemsPath: '$PokemonList',
          ItemSelector: { 'AnnouncePokemon.$': 'States.Format($.AnswerTemplate, $$.Map.Item.Value)' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Pass',
            States: {
              Pass: { Type: 'Pass', Parameters: { 'Question.$': '$Question', 'Answer.$': '$.AnnouncePokemon' }, End: true },
            },
          },
          End: true,
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: [
        { Answer: "It's Charizard!", Question: "Who's that Pokemon?" },
        { Answer: "It's Pikachu!", Question: "Who's that Pokemon?" },
        { Answer: "It's Squirtle!", Question: "Who's that Pokemon?" },
      ],
      check: (r) => expect(details(r, 'MapStateStarted').length).toBe(3),
    },
  },
  {
    name: 'MaxConcurrencyPath can be a variable holding the string "1"',
    source: `${REF} test_reference_in_map_state[MAP_STATE_REFERENCE_IN_MAX_CONCURRENCY_PATH] (maxConcurrency assigned as "1")`,
    definition: {
      StartAt: 'Start',
      States: {
        Start: { Type: 'Pass', Assign: { maxConcurrency: '1' }, Result: { Values: [1, 2, 3] }, Next: 'MapState' },
        MapState: {
          Type: 'Map',
          ItemsPath: '$.Values',
          MaxConcurrencyPath: '$maxConcurrency',
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'HandleItem',
            States: { HandleItem: { Type: 'Pass', End: true } },
          },
          End: true,
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: [1, 2, 3],
      check: (r) => expect(assigned(r, 'Start')).toEqual({ maxConcurrency: '"1"' }),
    },
  },
  {
    name: 'an ItemSelector value "$var" without .$ stays a literal',
    source: `${REF} test_reference_in_map_state[MAP_STATE_REFERENCE_IN_ITEM_SELECTOR] (recorded with a DISTRIBUTED processor; ItemSelector is the same for INLINE)`,
    definition: {
      StartAt: 'Start',
      States: {
        Start: { Type: 'Pass', Assign: { bucket: 'test-name' }, Result: { Values: [1, 2, 3] }, Next: 'MapState' },
        MapState: {
          Type: 'Map',
          MaxConcurrency: 1,
          ItemsPath: '$.Values',
          ItemSelector: { 'value.$': '$$.Map.Item.Value', bucketName: '$bucket' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'MapPass',
            States: { MapPass: { Type: 'Pass', End: true } },
          },
          End: true,
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: [
        { bucketName: '$bucket', value: 1 },
        { bucketName: '$bucket', value: 2 },
        { bucketName: '$bucket', value: 3 },
      ],
    },
  },
  {
    name: 'a variable assigned in a Map iteration is seen by the later states of that iteration only',
    source: `${DOC} (each Map iteration has its own scope); ${BASE} BASE_SCOPE_MAP`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          MaxConcurrency: 1,
          Items: [1, 2, 3],
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'P1',
            States: {
              P1: { Type: 'Pass', Assign: { v: '{% $states.input * 2 %}' }, Next: 'P2' },
              P2: { Type: 'Pass', Output: '{% $v %}', End: true },
            },
          },
          End: true,
        },
      },
    },
    expect: { status: 'SUCCEEDED', output: [2, 4, 6] },
  },
  {
    name: 'JSONata states inside a Map read outer variables',
    source: `${DOC} (inner scopes can read outer variables); recorded JSONPath analogue ${BASE} BASE_SCOPE_MAP`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'Set',
      States: {
        Set: { Type: 'Pass', Assign: { prefix: 'item-' }, Next: 'M' },
        M: {
          Type: 'Map',
          MaxConcurrency: 1,
          Items: [1, 2],
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'P',
            States: { P: { Type: 'Pass', Output: '{% $prefix & $string($states.input) %}', End: true } },
          },
          End: true,
        },
      },
    },
    expect: { status: 'SUCCEEDED', output: ['item-1', 'item-2'] },
  },
  {
    name: 'JSONata Parallel branches read outer variables',
    source: `${DOC}; recorded JSONPath analogue ${BASE} BASE_SCOPE_PARALLEL`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'Set',
      States: {
        Set: { Type: 'Pass', Assign: { x: 42 }, Next: 'Par' },
        Par: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', Output: '{% $x %}', End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Pass', Output: '{% $x + 1 %}', End: true } } },
          ],
          End: true,
        },
      },
    },
    expect: { status: 'SUCCEEDED', output: [42, 43] },
  },
  {
    name: 'a JSONata Map assigns from $states.result, the array of iteration outputs',
    source: `${DOC} (Assign on Map; $states.result is the Map result)`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          MaxConcurrency: 1,
          Items: [1, 2, 3],
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'P',
            States: { P: { Type: 'Pass', End: true } },
          },
          Assign: { total: '{% $sum($states.result) %}' },
          Next: 'Read',
        },
        Read: { Type: 'Pass', Output: { total: '{% $total %}', input: '{% $states.input %}' }, End: true },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: { total: 6, input: [1, 2, 3] },
      check: (r) => expect(assigned(r, 'M')).toEqual({ total: '6' }),
    },
  },
  {
    name: 'a JSONata Parallel assigns from $states.result, the array of branch outputs',
    source: `${DOC} (Assign on Parallel; $states.result is the Parallel result)`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'Par',
      States: {
        Par: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', Output: 'a', End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Pass', Output: 'b', End: true } } },
          ],
          Assign: { both: '{% $join($states.result, "+") %}' },
          Next: 'Read',
        },
        Read: { Type: 'Pass', Output: '{% $both %}', End: true },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: 'a+b',
      check: (r) => expect(assigned(r, 'Par')).toEqual({ both: '"a+b"' }),
    },
  },

  // ---- Catch ----
  {
    name: "a Catch Assign reads $states.errorOutput, and the failed state's own Assign is not applied",
    source: `${REF} test_assign_in_catch_state`,
    definition: {
      StartAt: 'Task',
      States: {
        Task: {
          QueryLanguage: 'JSONata',
          Type: 'Task',
          Assign: { result: 'SUCCESS' },
          Resource: INVOKE,
          Arguments: { FunctionName: '{% $states.input.input_value %}', Payload: { foo: 'oof' } },
          Catch: [{ ErrorEquals: ['States.ALL'], Assign: { result: '{% $states.errorOutput %}' }, Next: 'fallback' }],
          End: true,
        },
        fallback: { Type: 'Pass', End: true },
      },
    },
    functions: raise,
    input: { input_value: 'raise' },
    expect: {
      status: 'SUCCEEDED',
      entered: ['Task', 'fallback'],
      check: (r) => {
        const vars = assignedValues(r, 'Task');
        expect(Object.keys(vars)).toEqual(['result']);
        expectRaisedErrorOutput(vars.result);
        expectRaisedErrorOutput(r.output);
      },
    },
  },
  {
    name: 'variables assigned by a Catch are read by the fallback state',
    source: `${ERROR_OUTPUT} test_catch_error_variable_sampling[TASK_CATCH_ERROR_VARIABLE_SAMPLING]`,
    definition: {
      QueryLanguage: 'JSONata',
      ...catchSampling({ Output: { error: '{% $errorVar %}' } }, { Output: { result: '{% $resultVar %}' } }, 'raise'),
    },
    functions: raise,
    input: { inputData: 'dummy' },
    expect: {
      status: 'SUCCEEDED',
      entered: ['Task', 'Fallback'],
      check: (r) => {
        expectRaisedErrorOutput((r.output as { error: unknown }).error);
        const vars = assignedValues(r, 'Task');
        expect(Object.keys(vars).sort()).toEqual(['errorVar', 'inputVar']);
        expect(vars.inputVar).toEqual({ inputData: 'dummy' });
        expectRaisedErrorOutput(vars.errorVar);
        // Without a Catch Output, the state output is the error output.
        expectRaisedErrorOutput(json(exits(r, 'Task')[0].output));
      },
    },
  },
  {
    name: "when the Task succeeds, its own Assign applies and the Catch's does not",
    source: `${ERROR_OUTPUT} TASK_CATCH_ERROR_VARIABLE_SAMPLING template, success path; ${DOC}`,
    definition: {
      QueryLanguage: 'JSONata',
      ...catchSampling({ Output: { error: '{% $errorVar %}' } }, { Output: { result: '{% $resultVar.Payload %}' } }, 'echo'),
    },
    functions: echo,
    input: { inputData: 'dummy' },
    expect: {
      status: 'SUCCEEDED',
      output: { result: { foo: 'foobar' } },
      entered: ['Task', 'Finish'],
      check: (r) => {
        const vars = assignedValues(r, 'Task');
        expect(Object.keys(vars).sort()).toEqual(['inputVar', 'resultVar']);
        expect(vars.inputVar).toEqual({ inputData: 'dummy' });
        expect(Object.keys(vars.resultVar as object).sort()).toEqual(INVOKE_RESULT_KEYS);
      },
    },
  },
  {
    name: 'a JSONPath fallback reads a variable assigned by a JSONata Catch with OutputPath',
    source: `${ERROR_OUTPUT} test_catch_error_variable_sampling[TASK_CATCH_ERROR_VARIABLE_SAMPLING_TO_JSONPATH]`,
    definition: catchSampling({ OutputPath: '$errorVar' }, { OutputPath: '$resultVar' }, 'raise'),
    functions: raise,
    input: { inputData: 'dummy' },
    expect: {
      status: 'SUCCEEDED',
      entered: ['Task', 'Fallback'],
      check: (r) => expectRaisedErrorOutput(r.output),
    },
  },
];
