/**
 * Second review: JSONata, variables, intrinsics, credentials and validation checked against
 * LocalStack's recorded AWS answers (and the AWS developer guide where nothing is recorded).
 * Cases marked FAILS in their comment failed on the interpreter when written; the others pin down
 * behaviour that is easy to break.
 */
import type { CaseResult, ConformanceCase, FunctionDouble } from '../case';
import { lambdaError } from '../case';
import type { HistoryEvent } from '../../../local/interpreter/history';

const REC = 'recorded AWS: localstack tests/aws/services/stepfunctions/v2';
const REF = `${REC}/assign/test_assign_reference_variables.snapshot.json`;
const ERR_OUT = `${REC}/states_variables/test_error_output.snapshot.json`;
const CREDS = `${REC}/credentials/test_credentials_base.snapshot.json`;
const OUTPUT = `${REC}/outputdecl/test_output.snapshot.json`;
const API_VALIDATION = `${REC}/test_sfn_api_validation.snapshot.json`;
const DG = 'https://docs.aws.amazon.com/step-functions/latest/dg';

const INVOKE = 'arn:aws:states:::lambda:invoke';
const FN_ARN = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const TRUSTED_ROLE = 'arn:aws:iam::123456789012:role/trusted';

const byType = (r: CaseResult, type: string): HistoryEvent[] => r.history.filter((e) => e.type === type);
const chain = (r: CaseResult): [number, number][] => r.history.map((e) => [e.id, e.previousEventId]);
const exitedText = (r: CaseResult, name: string): string | undefined =>
  (r.history.find((e) => e.type.endsWith('StateExited') && (e.stateExitedEventDetails as { name: string }).name === name)?.stateExitedEventDetails as { output?: string } | undefined)?.output;

/** The recorded tests' Lambda: `raise Exception("Some exception was raised.")`. */
const raises: FunctionDouble = () => { throw lambdaError('Exception', 'Some exception was raised.'); };
const identity: FunctionDouble = (event) => event;

/** Recorded AWS (test_undefined_reference, test_math_random_seeded): the EvaluationFailed event does
 * not follow the state's Entered event; its previousEventId is the one the Entered event has. */
const evaluationFailedFollows = (r: CaseResult): number => byType(r, 'EvaluationFailed')[0].previousEventId;

export const cases: ConformanceCase[] = [
  // ---- EvaluationFailed -------------------------------------------------------------------------
  // FAILS: EvaluationFailed has previousEventId 2 (the PassStateEntered event).
  {
    name: 'EvaluationFailed of the first state links to event 0, as its PassStateEntered does',
    source: `${REF} test_undefined_reference[BASE_UNDEFINED_OUTPUT] (EvaluationFailed id 3, previousEventId 0; ExecutionFailed previousEventId 3)`,
    definition: { QueryLanguage: 'JSONata', StartAt: 'State0', States: { State0: { Type: 'Pass', Output: '{% $doesNotExist %}', End: true } } },
    expect: {
      status: 'FAILED',
      error: 'States.QueryEvaluationError',
      check: (r) => {
        expect(chain(r)).toEqual([[1, 0], [2, 0], [3, 0], [4, 3]]);
      },
    },
  },
  // FAILS: EvaluationFailed has previousEventId 6 (the PassStateEntered event).
  {
    name: 'EvaluationFailed of a later state links to the event its Entered event follows (the previous state\'s exit)',
    source: `${REF} test_undefined_reference[BASE_UNDEFINED_OUTPUT_MULTIPLE_STATES] (EvaluationFailed id 7, previousEventId 5)`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'State0',
      States: {
        State0: { Type: 'Pass', Next: 'State1' },
        State1: { Type: 'Pass', Next: 'State2' },
        State2: { Type: 'Pass', Output: { result: '{% $doesNotExist %}' }, End: true },
      },
    },
    expect: { status: 'FAILED', error: 'States.QueryEvaluationError', check: (r) => expect(evaluationFailedFollows(r)).toBe(5) },
  },
  // FAILS: EvaluationFailed has previousEventId 2 (the TaskStateEntered event).
  {
    name: 'EvaluationFailed of a Task whose Arguments yield nothing links to event 0 too',
    source: `${REF} test_undefined_reference[BASE_UNDEFINED_ARGUMENTS_FIELD] (EvaluationFailed id 3, previousEventId 0)`,
    definition: { QueryLanguage: 'JSONata', StartAt: 'State0', States: { State0: { Type: 'Task', Resource: INVOKE, Arguments: { FunctionName: '{% $doesNotExist %}' }, End: true } } },
    functions: { echo: identity },
    expect: { status: 'FAILED', error: 'States.QueryEvaluationError', check: (r) => expect(evaluationFailedFollows(r)).toBe(0) },
  },

  // ---- JSONata error texts and the functions Step Functions offers --------------------------------
  // FAILS: the cause ends "... threw an error during evaluation. Attempted to invoke a non-function" (no "T1006: ").
  {
    name: 'a JSONata error names its JSONata error code: calling an unknown function is "T1006: Attempted to invoke a non-function"',
    source: `${REC}/intrinsic_functions/test_math_operations_jsonata.snapshot.json test_math_random_seeded`,
    definition: { QueryLanguage: 'JSONata', StartAt: 'State_0', States: { State_0: { Type: 'Pass', Output: { FunctionResult: '{% $randomSeeded($states.input.FunctionInput.fst) %}' }, End: true } } },
    input: { FunctionInput: 'fst' },
    expect: {
      status: 'FAILED',
      error: 'States.QueryEvaluationError',
      cause: "An error occurred while executing the state 'State_0' (entered at the event id #2). The JSONata expression '$randomSeeded($states.input.FunctionInput.fst)' specified for the field 'Output/FunctionResult' threw an error during evaluation. T1006: Attempted to invoke a non-function",
      check: (r) => expect(byType(r, 'EvaluationFailed')[0].evaluationFailedEventDetails).toMatchObject({ location: 'Output/FunctionResult', state: 'State_0' }),
    },
  },
  // FAILS: $eval is the JSONata library's, and evaluates to 2.
  {
    name: '$eval is not available in Step Functions JSONata: calling it fails the state',
    source: `${DG}/transforming-data.html ("Supported JSONata version": all 2.0.6 functions "with one exception: $eval is not available—use $parse instead"); error name as for any unknown function (${REC}/intrinsic_functions/test_math_operations_jsonata.snapshot.json test_math_random_seeded)`,
    definition: { QueryLanguage: 'JSONata', StartAt: 'S', States: { S: { Type: 'Pass', Output: '{% $eval("1 + 1") %}', End: true } } },
    expect: { status: 'FAILED', error: 'States.QueryEvaluationError' },
  },
  // FAILS: the definition is accepted (jsonata 2.2 parses `??`) and the execution outputs 1.
  {
    name: 'the coalescing operator ?? (JSONata 2.1) is not JSONata 2.0.6: the definition is refused',
    source: `${DG}/transforming-data.html ("Step Functions implements JSONata based on the 2.0.6 specification"); https://repost.aws/questions/QUjbMZmvsUSP-L54CZCpycFg ("elvis & coalescing operators ... weren't supported"); refusal at creation as for any expression that does not parse (validation.ts, INVALID_JSONATA_EXPRESSION)`,
    definition: { QueryLanguage: 'JSONata', StartAt: 'S', States: { S: { Type: 'Pass', Output: '{% $states.input.a ?? 1 %}', End: true } } },
    expect: { definitionError: { name: 'InvalidDefinition', message: /INVALID_JSONATA_EXPRESSION/ } },
  },

  // ---- Inline Map event links ---------------------------------------------------------------------
  // FAILS: MapIterationStarted of iterations 1 and 2 link to MapStateStarted (5), MapStateExited to MapStateSucceeded.
  {
    name: 'Map with MaxConcurrency 1: each MapIterationStarted follows the previous iteration\'s last state event, and MapStateExited follows the last MapIterationSucceeded',
    source: `${REF} test_reference_in_map_state[MAP_STATE_REFERENCE_IN_MAX_CONCURRENCY_PATH] (the whole id/previousEventId chain)`,
    definition: {
      StartAt: 'Start',
      States: {
        Start: { Type: 'Pass', Assign: { maxConcurrency: '1' }, Result: { Values: [1, 2, 3] }, Next: 'MapState' },
        MapState: {
          Type: 'Map', ItemsPath: '$.Values', MaxConcurrencyPath: '$maxConcurrency',
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'HandleItem', States: { HandleItem: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: [1, 2, 3],
      check: (r) => {
        expect(chain(r)).toEqual([
          [1, 0], [2, 0], [3, 2], [4, 3], [5, 4],
          [6, 5], [7, 6], [8, 7], [9, 8], // iteration 0: started, entered, exited, succeeded
          [10, 8], [11, 10], [12, 11], [13, 12], // iteration 1 starts after iteration 0's PassStateExited
          [14, 12], [15, 14], [16, 15], [17, 16],
          [18, 17], [19, 17], [20, 19], // MapStateSucceeded, MapStateExited (after the last iteration), ExecutionSucceeded
        ]);
      },
    },
  },
  // FAILS: same links as above, inside and outside the nested Map.
  {
    name: 'nested Maps with MaxConcurrency 1: the recorded id/previousEventId chain, 68 events',
    source: `${REF} test_reference_assign[BASE_REFERENCE_IN_ITERATOR_OUTER_SCOPE]`,
    definition: {
      StartAt: 'Input',
      States: {
        Input: { Type: 'Pass', Result: [[9, 44, 6], [82, 25, 76], [18, 42, 2]], Assign: { bias: 4.3 }, Next: 'IterateLevels' },
        IterateLevels: {
          Type: 'Map', MaxConcurrency: 1, End: true,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'AssignCurrentVector',
            States: {
              AssignCurrentVector: { Type: 'Pass', Assign: { 'xCurrent.$': '$[0]', 'yCurrent.$': '$[1]', 'zCurrent.$': '$[2]' }, Next: 'Calculate' },
              Calculate: {
                Type: 'Map', MaxConcurrency: 1, End: true,
                ItemProcessor: {
                  ProcessorConfig: { Mode: 'INLINE' },
                  StartAt: 'Summate',
                  States: { Summate: { Type: 'Pass', Assign: { 'Sum.$': 'States.MathAdd(States.MathAdd(States.MathAdd($yCurrent, $xCurrent), $zCurrent), $bias)' }, End: true } },
                },
              },
            },
          },
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: [[9, 44, 6], [82, 25, 76], [18, 42, 2]],
      check: (r) => {
        // Recorded previousEventId of events 1..68, in order.
        const previous = [
          0, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 13, 15, 16, 17, 17, 19, 20, 21, 22, 22, 24, 24, 26, 27, 28, 29, 30, 31, 32, 33,
          33, 35, 36, 37, 37, 39, 40, 41, 42, 42, 44, 44, 46, 47, 48, 49, 50, 51, 52, 53, 53, 55, 56, 57, 57, 59, 60, 61, 62, 62, 64, 65, 65, 67,
        ];
        expect(chain(r)).toEqual(previous.map((p, i) => [i + 1, p]));
      },
    },
  },
  // FAILS: MapStateExited has previousEventId 31 (MapStateSucceeded), not 30.
  {
    name: 'a JSONata Map whose iterations each catch a Lambda error: every iteration succeeds through its Fallback state',
    source: `${ERR_OUT} test_map_catch_error[MAP_CATCH_ERROR_OUTPUT] (the ItemProcessor's states inherit the machine's JSONata)`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'ProcessItems',
      States: {
        ProcessItems: {
          Type: 'Map', Items: '{% $states.input.items %}', MaxConcurrency: 1, End: true,
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'ProcessItem',
            States: {
              ProcessItem: {
                Type: 'Task', Resource: INVOKE, Arguments: { FunctionName: 'raises', Payload: { foo: 'foobar' } },
                Catch: [{ ErrorEquals: ['States.ALL'], Output: { stateInput: '{% $states.input %}', stateError: '{% $states.errorOutput %}' }, Next: 'Fallback' }],
                Output: { stateInput: '{% $states.input %}', stateResult: '{% $states.result %}' },
                Next: 'Finish',
              },
              Fallback: { Type: 'Pass', Output: { result: '{% $states.input %}' }, End: true },
              Finish: { Type: 'Pass', Output: { result: '{% $states.input %}' }, End: true },
            },
          },
        },
      },
    },
    input: { items: [1, 2, 3] },
    functions: { raises },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const out = r.output as { result: { stateInput: number; stateError: { Error: string; Cause: string } } }[];
        expect(out.map((o) => o.result.stateInput)).toEqual([1, 2, 3]);
        expect(out.every((o) => o.result.stateError.Error === 'Exception' && typeof o.result.stateError.Cause === 'string')).toBe(true);
        const iteration = ['MapIterationStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskFailed', 'TaskStateExited', 'PassStateEntered', 'PassStateExited', 'MapIterationSucceeded'];
        expect(r.history.map((e) => e.type)).toEqual([
          'ExecutionStarted', 'MapStateEntered', 'MapStateStarted', ...iteration, ...iteration, ...iteration, 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded',
        ]);
        // Recorded: iteration 2 starts after iteration 1's PassStateExited (20); MapStateExited follows MapIterationSucceeded (30).
        expect(chain(r).filter(([id]) => [21, 22, 30, 31, 32, 33].includes(id))).toEqual([[21, 20], [22, 20], [30, 29], [31, 30], [32, 30], [33, 32]]);
      },
    },
  },
  // Passes: a retried Parallel starts again (ParallelStateStarted following the branch's TaskFailed).
  {
    name: 'a JSONata Parallel retried once and then caught: the retry records a new ParallelStateStarted after the failed branch task',
    source: `${ERR_OUT} test_parallel_catch_error[PARALLEL_CATCH_ERROR_OUTPUT_WITH_RETRY] (ParallelStateStarted id 9 previousEventId 7; ParallelStateExited id 16 previousEventId 15)`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'ParallelState',
      States: {
        ParallelState: {
          Type: 'Parallel', Next: 'Finish',
          Branches: [{
            StartAt: 'ExecuteLambdaTask',
            States: { ExecuteLambdaTask: { Type: 'Task', Resource: INVOKE, Arguments: { FunctionName: 'raises', Payload: { foo: 'foobar' } }, Output: { InnerStateInput: '{% $states.input %}', InnerStateResult: '{% $states.result %}' }, End: true } },
          }],
          Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 1 }],
          Catch: [{ ErrorEquals: ['States.ALL'], Output: { stateInput: '{% $states.input %}', stateError: '{% $states.errorOutput %}' }, Next: 'Fallback' }],
        },
        Fallback: { Type: 'Pass', Output: { result: '{% $states.input %}' }, End: true },
        Finish: { Type: 'Pass', Output: { result: '{% $states.input %}' }, End: true },
      },
    },
    input: { inputData: 'dummy' },
    functions: { raises },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        expect(byType(r, 'ParallelStateStarted').map((e) => [e.id, e.previousEventId])).toEqual([[3, 2], [9, 7]]);
        expect(byType(r, 'ParallelStateExited').map((e) => [e.id, e.previousEventId])).toEqual([[16, 15]]);
        expect(byType(r, 'TaskScheduled')).toHaveLength(2);
        expect((r.output as { result: { stateInput: unknown; stateError: { Error: string } } }).result).toMatchObject({ stateInput: { inputData: 'dummy' }, stateError: { Error: 'Exception' } });
      },
    },
  },

  // ---- Map inputs ------------------------------------------------------------------------------------
  // FAILS: States.Runtime "The ToleratedFailureCountPath '$toleratedFailureCount' must resolve to a non-negative integer, but was \"1\"".
  {
    name: 'ToleratedFailureCountPath and ToleratedFailurePercentagePath may read numeric strings ("1")',
    source: `${REF} test_reference_in_map_state[MAP_STATE_REFERENCE_IN_TOLERATED_FAILURE_PATH] (both variables assigned "1"; the Map Run succeeds with output [1,2,3])`,
    definition: {
      StartAt: 'Start',
      States: {
        Start: { Type: 'Pass', Assign: { toleratedFailurePercentage: '1', toleratedFailureCount: '1' }, Result: { Values: [1, 2, 3] }, Next: 'MapState' },
        MapState: {
          Type: 'Map', ItemsPath: '$.Values', MaxConcurrency: 1,
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'HandleItem', States: { HandleItem: { Type: 'Pass', End: true } } },
          ToleratedFailurePercentagePath: '$toleratedFailurePercentage',
          ToleratedFailureCountPath: '$toleratedFailureCount',
          End: true,
        },
      },
    },
    expect: {
      status: 'SUCCEEDED',
      output: [1, 2, 3],
      check: (r) => expect(r.history.map((e) => e.type).slice(-5)).toEqual(['MapRunStarted', 'MapRunSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ExecutionSucceeded']),
    },
  },
  // Not a case: the developer guide says a Map over a JSON object runs one iteration per key-value
  // pair, without saying what a pair looks like; the runtime refuses it by name (README, Limitations).

  // ---- Credentials ---------------------------------------------------------------------------------
  // FAILS: TaskScheduled has no taskCredentials (and the Credentials expression is never evaluated).
  {
    name: 'JSONata Credentials: the evaluated RoleArn appears in TaskScheduled as taskCredentials.roleArn',
    source: `${CREDS} test_cross_account_service_lambda_invoke`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'InvokeLambda',
      States: {
        InvokeLambda: {
          Type: 'Task', Resource: INVOKE,
          Arguments: { FunctionName: '{% $states.input.FunctionName %}', Payload: '{% $states.input.Payload %}' },
          Credentials: { RoleArn: '{% $states.input.CredentialsRoleArn %}' },
          End: true,
        },
      },
    },
    input: { FunctionName: 'identity', Payload: { p: 1 }, CredentialsRoleArn: TRUSTED_ROLE },
    functions: { identity },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        const scheduled = byType(r, 'TaskScheduled')[0].taskScheduledEventDetails as Record<string, unknown>;
        expect(scheduled.taskCredentials).toEqual({ roleArn: TRUSTED_ROLE });
        expect(JSON.parse(scheduled.parameters as string)).toEqual({ FunctionName: 'identity', Payload: { p: 1 } });
      },
    },
  },
  // FAILS: LambdaFunctionScheduled has no taskCredentials.
  {
    name: 'Credentials on a Lambda function ARN resource: LambdaFunctionScheduled carries taskCredentials.roleArn',
    source: `${CREDS} test_cross_account_lambda_task`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'LambdaTask',
      States: { LambdaTask: { Type: 'Task', Resource: FN_ARN('identity'), Credentials: { RoleArn: '{% $states.input.CredentialsRoleArn %}' }, End: true } },
    },
    input: { Payload: 'p', CredentialsRoleArn: TRUSTED_ROLE },
    functions: { identity },
    expect: {
      status: 'SUCCEEDED',
      output: { Payload: 'p', CredentialsRoleArn: TRUSTED_ROLE },
      check: (r) => expect(byType(r, 'LambdaFunctionScheduled')[0].lambdaFunctionScheduledEventDetails).toMatchObject({ taskCredentials: { roleArn: TRUSTED_ROLE } }),
    },
  },
  // FAILS: TaskScheduled has no taskCredentials (the intrinsic is never evaluated).
  {
    name: 'JSONPath Credentials with an intrinsic RoleArn.$: the evaluated role appears in every TaskScheduled, retries included',
    source: `${CREDS} test_cross_account_states_start_sync_execution[SFN_START_EXECUTION_SYNC_ROLE_ARN_INTRINSIC] ("RoleArn.$": "States.Format('{}', $.CredentialsRoleArn)" gives taskCredentials.roleArn) and test_cross_account_service_lambda_invoke_retry (each retry's TaskScheduled repeats taskCredentials); here on lambda:invoke`,
    definition: {
      StartAt: 'InvokeLambda',
      States: {
        InvokeLambda: {
          Type: 'Task', Resource: INVOKE,
          Parameters: { FunctionName: 'raises', 'Payload.$': '$.Payload' },
          Credentials: { 'RoleArn.$': "States.Format('{}', $.CredentialsRoleArn)" },
          Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 1 }],
          End: true,
        },
      },
    },
    input: { Payload: 'p', CredentialsRoleArn: TRUSTED_ROLE },
    functions: { raises },
    expect: {
      status: 'FAILED',
      error: 'Exception',
      check: (r) => {
        const scheduled = byType(r, 'TaskScheduled').map((e) => (e.taskScheduledEventDetails as Record<string, unknown>).taskCredentials);
        expect(scheduled).toEqual([{ roleArn: TRUSTED_ROLE }, { roleArn: TRUSTED_ROLE }]);
      },
    },
  },
  // Passes: without Credentials there is no taskCredentials key at all.
  {
    name: 'without Credentials, TaskScheduled has no taskCredentials field',
    source: `${ERR_OUT} test_task_catch_error_output[TASK_CATCH_ERROR_OUTPUT] (taskScheduledEventDetails: parameters, region, resource, resourceType only)`,
    definition: { QueryLanguage: 'JSONata', StartAt: 'T', States: { T: { Type: 'Task', Resource: INVOKE, Arguments: { FunctionName: 'identity', Payload: { foo: 'foobar' } }, End: true } } },
    functions: { identity },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => expect(Object.keys(byType(r, 'TaskScheduled')[0].taskScheduledEventDetails as object).sort()).toEqual(['parameters', 'region', 'resource', 'resourceType']),
    },
  },

  // ---- lambda:invoke Payload -------------------------------------------------------------------------
  // FAILS: the function receives the string with its quotes ("\"PayloadFromTrustedAccount\"") and returns it.
  {
    name: 'a string Payload is handed to the function as JSON text: "\\"x\\"" arrives as the string x',
    source: `${CREDS} test_cross_account_service_lambda_invoke (input Payload "\\"PayloadFromTrustedAccount\\"", identity function, result Payload "PayloadFromTrustedAccount")`,
    definition: {
      QueryLanguage: 'JSONata',
      StartAt: 'InvokeLambda',
      States: { InvokeLambda: { Type: 'Task', Resource: INVOKE, Arguments: { FunctionName: '{% $states.input.FunctionName %}', Payload: '{% $states.input.Payload %}' }, End: true } },
    },
    input: { FunctionName: 'identity', Payload: JSON.stringify('PayloadFromTrustedAccount') },
    functions: { identity },
    expect: {
      status: 'SUCCEEDED',
      check: (r) => {
        expect(r.calls.identity).toEqual(['PayloadFromTrustedAccount']);
        expect((r.output as { Payload: unknown }).Payload).toBe('PayloadFromTrustedAccount');
      },
    },
  },

  // ---- Variables ------------------------------------------------------------------------------------
  // FAILS: PassStateExited carries assignedVariables {} and assignedVariablesDetails.
  {
    name: 'an empty Assign assigns nothing: PassStateExited has no assignedVariables field',
    source: `${REC}/assign/test_assign_base.snapshot.json test_base_cases[BASE_EMPTY] (stateExitedEventDetails: name, output, outputDetails only)`,
    definition: { StartAt: 'State0', States: { State0: { Type: 'Pass', Assign: {}, End: true } } },
    input: { input_value: 'input_value_literal' },
    expect: {
      status: 'SUCCEEDED',
      output: { input_value: 'input_value_literal' },
      check: (r) => expect(Object.keys(byType(r, 'PassStateExited')[0].stateExitedEventDetails as object).sort()).toEqual(['name', 'output', 'outputDetails']),
    },
  },
  // FAILS: States.Runtime "Invalid path '$größe'" (the JSONPath parser reads only ASCII variable names).
  {
    name: 'a variable whose name has non-ASCII letters can be read from JSONPath ($größe)',
    source: `${DG}/workflow-variables.html (variable names are Unicode identifiers: ID_Start, then ID_Continue); the validator accepts the name (validate.ts VARIABLE_NAME) and JSONata reads it`,
    definition: {
      StartAt: 'A',
      States: { A: { Type: 'Pass', Assign: { größe: 3 }, Next: 'B' }, B: { Type: 'Pass', Parameters: { 'v.$': '$größe' }, End: true } },
    },
    expect: { status: 'SUCCEEDED', output: { v: 3 } },
  },

  // ---- ValidateStateMachineDefinition ---------------------------------------------------------------
  // FAILS: INVALID_JSON_DESCRIPTION "Unexpected end of JSON input".
  {
    name: 'an empty definition string is "Definition must be a valid JSON object" (SCHEMA_VALIDATION_FAILED), not a JSON parse error',
    source: `${API_VALIDATION} test_validate_state_machine_definition_not_a_definition[EMPTY_STRING] (no location)`,
    definition: '' as unknown as Record<string, unknown>,
    expect: { definitionError: { name: 'InvalidDefinition', message: /SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object/ } },
  },
  // FAILS: INVALID_JSON_DESCRIPTION carries Node's message ("Unexpected token 'o', ... is not valid JSON").
  {
    name: 'a definition that is not JSON: INVALID_JSON_DESCRIPTION with the Jackson parser message',
    source: `${API_VALIDATION} test_validate_state_machine_definition_not_a_definition[NOT_A_DEF] (message "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\\n at [Source: (String)\\"not a definition\\"; line: 1, column: 4]", location "[Source: (String)\\"not a definition\\"; line: 1, column: 4]")`,
    definition: 'not a definition' as unknown as Record<string, unknown>,
    expect: {
      definitionError: {
        name: 'InvalidDefinition',
        message: /INVALID_JSON_DESCRIPTION: Unrecognized token 'not': was expecting \(JSON String, Number, Array, Object or token 'null', 'true' or 'false'\)/,
      },
    },
  },

  // ---- Comments ---------------------------------------------------------------------------------------
  // Passes.
  {
    name: 'Comment on the machine, every state, a retrier, a catcher, a Choice rule and a nested rule: the documented example runs',
    source: `${REC}/comments/test_comments.snapshot.json test_comments_as_per_docs (the whole event list)`,
    definition: {
      Comment: 'A state machine that initially fails a condition and then succeeds upon retry.',
      StartAt: 'SetupInitialCondition',
      States: {
        SetupInitialCondition: { Type: 'Pass', Comment: 'c', Result: { status: 'incomplete' }, ResultPath: '$', Next: 'TaskStateCatchRetry' },
        TaskStateCatchRetry: {
          Type: 'Task', Resource: FN_ARN('identity'), Comment: 'c', Next: 'IsComplete',
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'FailState', Comment: 'c' }],
          Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 3, MaxAttempts: 1, BackoffRate: 1.0, Comment: 'c' }],
        },
        IsComplete: {
          Type: 'Choice', Comment: 'c',
          Choices: [{ And: [{ Variable: '$.status', StringEquals: 'complete', Comment: 'c' }], Comment: 'c', Next: 'SuccessState' }],
          Default: 'WaitState',
        },
        WaitState: { Type: 'Wait', Seconds: 5, Comment: 'c', Next: 'CorrectCondition' },
        CorrectCondition: { Type: 'Pass', Comment: 'c', Result: { status: 'complete' }, ResultPath: '$', Next: 'TaskStateCatchRetry' },
        SuccessState: { Type: 'Succeed', Comment: 'c' },
        FailState: { Type: 'Fail', Error: 'TaskFailed', Cause: 'The Lambda function task failed.', Comment: 'c' },
      },
    },
    functions: { identity },
    expect: {
      status: 'SUCCEEDED',
      output: { status: 'complete' },
      events: [
        'ExecutionStarted', 'PassStateEntered', 'PassStateExited',
        'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited',
        'ChoiceStateEntered', 'ChoiceStateExited', 'WaitStateEntered', 'WaitStateExited', 'PassStateEntered', 'PassStateExited',
        'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited',
        'ChoiceStateEntered', 'ChoiceStateExited', 'SucceedStateEntered', 'SucceedStateExited', 'ExecutionSucceeded',
      ],
    },
  },
  // Passes.
  {
    name: '"Comment" and "comment" keys inside Parameters are data, not comments',
    source: `${REC}/comments/test_comments.snapshot.json test_comment_in_parameters`,
    definition: { Comment: 'COMMENTS_IN_PARAMETERS', StartAt: 'StartState', States: { StartState: { Type: 'Pass', Parameters: { Comment: 'Comment text', comment: 'comment text', constant: 'constant text' }, End: true } } },
    expect: { status: 'SUCCEEDED', output: { Comment: 'Comment text', comment: 'comment text', constant: 'constant text' } },
  },

  // ---- Output values: the JSON text AWS records ---------------------------------------------------------
  // Passes (all four): the state's output text is exactly the recorded one.
  ...([['INT', 0, '0'], ['FLOAT', 0.1, '0.1'], ['BOOL', true, 'true'], ['LIST_EMPY', [], '[]']] as const).map(([id, value, text]): ConformanceCase => ({
    name: `an Output of ${text} is the JSON text ${text}`,
    source: `${OUTPUT} test_base_output_any_non_dict[${id}]`,
    definition: { QueryLanguage: 'JSONata', StartAt: 'State0', States: { State0: { Type: 'Pass', Output: value, End: true } } },
    input: { input_value: 'stringliteral' },
    expect: { status: 'SUCCEEDED', output: value, check: (r) => expect(exitedText(r, 'State0')).toBe(text) },
  })),
  // Passes.
  {
    name: 'an Output that is one expression string is evaluated: "{% $states.input %}" outputs the input',
    source: `${OUTPUT} test_base_output_any_non_dict[JSONATA_EXPR]`,
    definition: { QueryLanguage: 'JSONata', StartAt: 'State0', States: { State0: { Type: 'Pass', Output: '{% $states.input %}', End: true } } },
    input: { input_value: 'stringliteral' },
    expect: { status: 'SUCCEEDED', output: { input_value: 'stringliteral' } },
  },

  // ---- Catch Output into a JSONPath state ----------------------------------------------------------------
  // Passes.
  {
    name: "a JSONata Task's Catch Output is the next (JSONPath) state's input, passed through unchanged",
    source: `${ERR_OUT} test_task_catch_error_output[TASK_CATCH_ERROR_OUTPUT_TO_JSONPATH]`,
    definition: {
      StartAt: 'Task',
      States: {
        Task: {
          Type: 'Task', QueryLanguage: 'JSONata', Resource: INVOKE, Arguments: { FunctionName: 'raises', Payload: { foo: 'foobar' } },
          Catch: [{ ErrorEquals: ['States.ALL'], Output: { stateInput: '{% $states.input %}', stateError: '{% $states.errorOutput %}' }, Next: 'Fallback' }],
          Output: { stateInput: '{% $states.input %}', stateResult: '{% $states.result %}' },
          Next: 'Finish',
        },
        Fallback: { Type: 'Pass', End: true },
        Finish: { Type: 'Pass', End: true },
      },
    },
    input: { inputData: 'dummy' },
    functions: { raises },
    expect: {
      status: 'SUCCEEDED',
      entered: ['Task', 'Fallback'],
      check: (r) => expect(r.output).toMatchObject({ stateInput: { inputData: 'dummy' }, stateError: { Error: 'Exception', Cause: expect.any(String) } }),
    },
  },
];
