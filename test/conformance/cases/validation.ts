/**
 * Definition validation at CreateStateMachine: definitions AWS refuses with `InvalidDefinition`
 * (message `Invalid State Machine Definition: 'CODE: message at location, ...'`), and tricky
 * definitions AWS accepts.
 * Codes: https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html
 *
 * Where AWS's exact wording was recorded the regex pins it; where only the rule is documented the
 * regex pins the code and the location (each such case says so in `source`).
 */
import type { ConformanceCase } from '../case';

// --- Sources -------------------------------------------------------------------------------------
const LS = 'recorded AWS: localstack tests/aws/services/stepfunctions/v2';
const LS_VALIDATION = `${LS}/test_sfn_api_validation.snapshot.json`;
const LS_API = `${LS}/test_sfn_api.snapshot.json TestSnfApi::test_create_delete_invalid_sm`;
/** AWS answers measured with `aws stepfunctions validate-state-machine-definition` by the floci project. */
const FLOCI = 'AWS answer (validate-state-machine-definition, us-east-1) recorded in floci-io/floci src/test/java/io/github/hectorvent/floci/services/stepfunctions/StepFunctionsValidateStateMachineDefinitionIntegrationTest.java';
const FLOCI_2786 = 'https://github.com/floci-io/floci/pull/2786 (table of AWS answers)';
const CFN = (n: number) => `AWS answer (CloudFormation CREATE_FAILED) quoted in https://github.com/aws-cloudformation/cfn-lint/issues/${n}`;
const DOC = 'https://docs.aws.amazon.com/step-functions/latest/dg';
const SPEC = 'https://states-language.net/spec.html';
const WORDING_NOT_RECORDED = "AWS's wording for this rule is not recorded: only the code and the location are asserted";

// --- Helpers -------------------------------------------------------------------------------------
type States = Record<string, Record<string, unknown>>;
/** A machine starting at its first state. */
const m = (States: States, extra: Record<string, unknown> = {}) => ({ StartAt: Object.keys(States)[0], States, ...extra });
const done = { Done: { Type: 'Succeed' } };
const task = (extra: Record<string, unknown> = {}) => ({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: 'Done', ...extra });
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** One problem, exactly as AWS words it (code, message and location). */
const problem = (text: string) => new RegExp(`(?:'|, )${escape(text)}(?=, [A-Z_]+: |'$)`);
/** The whole message: exactly these problems, in this order. */
const only = (...problems: string[]) => new RegExp(`^Invalid State Machine Definition: '${escape(problems.join(', '))}'$`);
/** A problem of this code at exactly this location, whatever the wording. */
const at = (code: string, location: string) => new RegExp(`(?:'|, )${code}: (?:(?!, [A-Z_]+: ).)*? at ${escape(location)}(?=, [A-Z_]+: |'$)`);
const refused = (message: RegExp) => ({ definitionError: { name: 'InvalidDefinition' as const, message } });
const SVF = 'SCHEMA_VALIDATION_FAILED';
const MTT = 'MISSING_TRANSITION_TARGET';
const notSupported = (field: string, location: string) => problem(`${SVF}: Field '${field}' is not supported at ${location}`);
const jsonPathOnly = (field: string, location: string) =>
  problem(`${SVF}: The QueryLanguage is set to 'JSONata', but field '${field}' is only supported for the 'JSONPath' QueryLanguage at ${location}`);
const jsonataOnly = (field: string, location: string) =>
  problem(`${SVF}: The QueryLanguage is set to 'JSONPath', but field '${field}' is only supported for the 'JSONata' QueryLanguage at ${location}`);
const jsonata = (States: States) => m(States, { QueryLanguage: 'JSONata' });
const LONG_NAME = 'This is an exceptionally long state name that I know will fail when I try to deploy to AWS';

const refusedCases: ConformanceCase[] = [
  // --- Top level ---------------------------------------------------------------------------------
  {
    name: 'an empty definition lacks States and StartAt',
    source: `${LS_VALIDATION} test_validate_state_machine_definition_not_a_definition[EMPTY_DICT]`,
    definition: {},
    expect: refused(only(`${SVF}: These fields are required: [States, StartAt] at /`)),
  },
  {
    name: 'a definition without StartAt',
    source: `${LS_VALIDATION} test_validate_state_machine_definition_type_standard[INVALID_BASE_NO_STARTAT]`,
    definition: { States: { StartState: { Type: 'Pass', End: true } } },
    expect: refused(only(`${SVF}: These fields are required: [StartAt] at /`)),
  },
  {
    name: 'a definition without States',
    source: LS_API,
    definition: { Comment: 'no states', StartAt: 'State_1' },
    expect: refused(only(`${SVF}: These fields are required: [States] at /`)),
  },
  {
    name: 'StartAt naming no state: a missing Next target at /StartAt, and the states it leaves unreachable',
    source: CFN(4074),
    definition: { StartAt: 'Not sure', States: { 'Pass One': { Type: 'Pass', Next: 'Success' }, Success: { Type: 'Succeed' } } },
    expect: refused(only(`${MTT}: Missing 'Next' target: Not sure at /StartAt`, `${MTT}: State "Pass One" is not reachable. at /States/Pass One`)),
  },
  {
    name: 'an unknown top-level field is refused at /',
    source: `${FLOCI} (a field outside the object's set: "Field '<name>' is not supported", e.g. itemProcessorCannotDeclareQueryLanguage); ${WORDING_NOT_RECORDED} for the top level`,
    definition: m({ A: { Type: 'Pass', End: true } }, { Coment: 'typo' }),
    expect: refused(at(SVF, '/')),
  },
  {
    name: 'a top-level QueryLanguage outside the enum',
    source: `${FLOCI} topLevelQueryLanguageOutsideTheEnumIsReportedAtItsOwnField`,
    definition: m({ X: { Type: 'Pass', End: true } }, { QueryLanguage: 'jsonata' }),
    expect: refused(only(`${SVF}: Value should be one of the following: [JSONPath, JSONata] at /QueryLanguage`)),
  },
  {
    name: 'a top-level QueryLanguage that is not a string',
    source: `${FLOCI} nonStringTopLevelQueryLanguageIsReportedAsATypeError`,
    definition: m({ X: { Type: 'Pass', End: true } }, { QueryLanguage: 5 }),
    expect: refused(only(`${SVF}: Expected value of type [STRING] at /QueryLanguage`)),
  },
  {
    name: 'a JSONPath state inside a JSONata state machine',
    source: `${LS_VALIDATION} test_validate_state_machine_definition_type_standard[INVALID_DOWNGRADE_QUERY_LANGUAGE]`,
    definition: jsonata({ Pass: { Type: 'Pass', End: true, QueryLanguage: 'JSONPath' } }),
    expect: refused(only(`${SVF}: 'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine at /States/Pass`)),
  },
  {
    name: 'the downgrade is the only problem reported for that state (its JSONata Output is not)',
    source: `${FLOCI} downgradedStateReportsTheMixingDiagnosticAndNothingAboutItsOutput`,
    definition: jsonata({ X: { Type: 'Pass', QueryLanguage: 'JSONPath', Output: { v: '{% 1 %}' }, End: true } }),
    expect: refused(only(`${SVF}: 'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine at /States/X`)),
  },
  {
    name: 'a state QueryLanguage outside the enum is reported at the field',
    source: `${FLOCI} unrecognisedQueryLanguageOnAStateAcceptsOutput`,
    definition: m({ X: { Type: 'Pass', QueryLanguage: 'foo', Output: { v: '{% 1 %}' }, End: true } }),
    expect: refused(only(`${SVF}: Value should be one of the following: [JSONPath, JSONata] at /States/X/QueryLanguage`)),
  },

  // --- State type and fields ---------------------------------------------------------------------
  {
    name: 'an unknown state Type',
    source: 'AWS message quoted in localstack tests/aws/services/stepfunctions/v2/test_state/test_test_state_machine_scenarios.py test_state_name_invalid_state_definition (comment "expected:")',
    definition: m({ ExistingButInvalidState: { Type: 'TypeThatDoesNotExist', End: true } }),
    expect: refused(problem(`${SVF}: The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at /States/ExistingButInvalidState/Type`)),
  },
  {
    name: 'a state without Type',
    source: `${SPEC}#state-types ("States MUST have a Type"); ${WORDING_NOT_RECORDED}`,
    definition: m({ A: { End: true } }),
    expect: refused(at(SVF, '/States/A')),
  },
  {
    name: 'an unknown field on a state',
    source: `${FLOCI} (unsupported fields are reported as "Field '<name>' is not supported" at the state); wording assumed the same for a name outside ASL`,
    definition: m({ A: { Type: 'Pass', Foo: 1, End: true } }),
    expect: refused(at(SVF, '/States/A')),
  },
  {
    name: 'TimeoutSeconds on a Pass state',
    source: `${FLOCI} timeoutSecondsRejectedOnPass`,
    definition: m({ X: { Type: 'Pass', TimeoutSeconds: 5, End: true } }),
    expect: refused(only(`${SVF}: Field 'TimeoutSeconds' is not supported at /States/X`)),
  },
  {
    name: 'TimeoutSeconds on a Parallel state (CreateStateMachine wording)',
    source: `${FLOCI} createStateMachineRefusesTimeoutSecondsOnParallel; https://github.com/floci-io/floci/issues/2735`,
    definition: m({ P: { Type: 'Parallel', TimeoutSeconds: 5, Branches: [m({ W: { Type: 'Wait', Seconds: 25, End: true } })], End: true } }),
    expect: refused(only(`${SVF}: Field 'TimeoutSeconds' is not supported at /States/P`)),
  },
  {
    name: 'TimeoutSeconds on a Map state',
    source: `${FLOCI} timeoutSecondsOnMap_returnsFailWithSchemaError`,
    definition: m({ M: { Type: 'Map', TimeoutSeconds: 5, ItemsPath: '$.items', ItemProcessor: m({ W: { Type: 'Wait', Seconds: 25, End: true } }), End: true } }),
    expect: refused(only(`${SVF}: Field 'TimeoutSeconds' is not supported at /States/M`)),
  },
  {
    name: 'Catch on a Pass state',
    source: `${FLOCI} catchRejectedOnPass`,
    definition: m({ X: { Type: 'Pass', End: true, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'X' }] } }),
    expect: refused(only(`${SVF}: Field 'Catch' is not supported at /States/X`)),
  },
  {
    name: 'Catch on a JSONata Pass state is refused too',
    source: `${FLOCI} catchRejectedOnPassEvenWhenJsonata`,
    definition: jsonata({ X: { Type: 'Pass', End: true, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'X' }] } }),
    expect: refused(only(`${SVF}: Field 'Catch' is not supported at /States/X`)),
  },
  {
    name: 'Retry on a Wait state',
    source: `${FLOCI} retryRejectedOnWait`,
    definition: m({ X: { Type: 'Wait', Seconds: 1, End: true, Retry: [{ ErrorEquals: ['States.ALL'] }] } }),
    expect: refused(only(`${SVF}: Field 'Retry' is not supported at /States/X`)),
  },
  {
    name: 'ResultPath on a Wait state',
    source: 'AWS answer quoted in https://github.com/sam-goodwin/functionless/issues/308',
    definition: m({ W: { Type: 'Wait', Seconds: 1, ResultPath: null, End: true } }),
    expect: refused(notSupported('ResultPath', '/States/W')),
  },
  {
    name: 'Next on a Succeed state',
    source: `${SPEC}#succeed-state ("Succeed States ... have no Next field"); wording as for any unsupported field (${FLOCI})`,
    definition: m({ S: { Type: 'Succeed', Next: 'S' } }),
    expect: refused(notSupported('Next', '/States/S')),
  },
  {
    name: 'End on a Fail state',
    source: `${SPEC}#fail-state ("Fail States ... have no Next field and MUST NOT have an End field"); wording as for any unsupported field (${FLOCI})`,
    definition: m({ F: { Type: 'Fail', Error: 'E', End: true } }),
    expect: refused(notSupported('End', '/States/F')),
  },

  // --- Query language of fields ------------------------------------------------------------------
  {
    name: 'InputPath on a JSONata state',
    source: `${FLOCI} jsonataStateWithJsonpathField_returnsFailWithSchemaError, lowercaseJsonataOnAStateResolvesToJsonataAndIsStillReportedAgainstTheEnum`,
    definition: jsonata({ X: { Type: 'Pass', End: true, InputPath: '$.a' } }),
    expect: refused(only(`${SVF}: The QueryLanguage is set to 'JSONata', but field 'InputPath' is only supported for the 'JSONPath' QueryLanguage at /States/X`)),
  },
  {
    name: 'Parameters and ResultSelector on a JSONata Task',
    source: `${DOC}/transforming-data.html (JSONata states use Arguments and Output instead); message family as ${FLOCI}`,
    definition: jsonata({ T: task({ Parameters: { a: 1 }, ResultSelector: { b: 1 } }), ...done }),
    expect: refused(jsonPathOnly('ResultSelector', '/States/T')),
  },
  {
    name: 'MaxConcurrencyPath on a JSONata Map is reported at the state',
    source: `${FLOCI} jsonataMapRejectsMaxConcurrencyPath ("Measured on AWS: /States/M")`,
    definition: m({ M: { Type: 'Map', QueryLanguage: 'JSONata', MaxConcurrencyPath: '$.limit', ItemProcessor: m({ P: { Type: 'Pass', End: true } }), End: true } }),
    expect: refused(jsonPathOnly('MaxConcurrencyPath', '/States/M')),
  },
  {
    name: 'Output on a JSONPath state',
    source: `${FLOCI} twoJsonataOnlyFieldsOnAJsonPathStateEmitInTheOrderTheListDeclares; https://github.com/floci-io/floci/issues/2968`,
    definition: m({ X: { Type: 'Pass', Output: { v: 1 }, End: true } }),
    expect: refused(only(`${SVF}: The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage at /States/X`)),
  },
  {
    name: 'Arguments on a JSONPath Task',
    source: `${FLOCI} jsonPathStateRejectsArguments`,
    definition: m({ T: task({ Arguments: { payload: 'literal' } }), ...done }),
    expect: refused(jsonataOnly('Arguments', '/States/T')),
  },
  {
    name: 'Items on a JSONPath Map',
    source: `${FLOCI} jsonPathMapRejectsItems`,
    definition: m({ M: { Type: 'Map', Items: [{ n: 1 }], ItemProcessor: m({ P: { Type: 'Pass', End: true } }), End: true } }),
    expect: refused(only(`${SVF}: The QueryLanguage is set to 'JSONPath', but field 'Items' is only supported for the 'JSONata' QueryLanguage at /States/M`)),
  },
  {
    name: "a JSONata Map does not pass its language to its ItemProcessor's states",
    source: `${FLOCI} mapDeclaringJsonataLeavesItsItemProcessorStateOnTheMachinesJsonPath`,
    definition: m({
      M: { Type: 'Map', QueryLanguage: 'JSONata', ItemProcessor: m({ P: { Type: 'Pass', Output: { doubled: '{% $states.input.n * 2 %}' }, End: true } }), End: true },
    }, { QueryLanguage: 'JSONPath' }),
    expect: refused(only(`${SVF}: The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage at /States/M/ItemProcessor/States/P`)),
  },
  {
    name: "a JSONata Parallel does not pass its language to its branches' states",
    source: `${FLOCI} parallelDeclaringJsonataLeavesItsBranchStateOnTheMachinesJsonPath`,
    definition: m({
      PAR: { Type: 'Parallel', QueryLanguage: 'JSONata', Branches: [m({ P: { Type: 'Pass', Output: { doubled: '{% $states.input.n * 2 %}' }, End: true } })], End: true },
    }, { QueryLanguage: 'JSONPath' }),
    expect: refused(jsonataOnly('Output', '/States/PAR/Branches[0]/States/P')),
  },
  {
    name: 'an ItemProcessor cannot declare QueryLanguage',
    source: `${FLOCI} itemProcessorCannotDeclareQueryLanguage`,
    definition: m({ M: { Type: 'Map', ItemProcessor: { QueryLanguage: 'JSONata', ...m({ P: { Type: 'Pass', End: true } }) }, End: true } }),
    expect: refused(only(`${SVF}: Field 'QueryLanguage' is not supported at /States/M/ItemProcessor`)),
  },
  {
    name: 'a Parallel branch cannot declare QueryLanguage',
    source: `${FLOCI} parallelBranchCannotDeclareQueryLanguage`,
    definition: m({ PAR: { Type: 'Parallel', Branches: [{ QueryLanguage: 'JSONata', ...m({ P: { Type: 'Pass', End: true } }) }], End: true } }),
    expect: refused(only(`${SVF}: Field 'QueryLanguage' is not supported at /States/PAR/Branches[0]`)),
  },
  {
    name: 'a legacy Iterator cannot declare QueryLanguage',
    source: `${FLOCI} legacyIteratorCannotDeclareQueryLanguage`,
    definition: m({ M: { Type: 'Map', Iterator: { QueryLanguage: 'JSONata', ...m({ P: { Type: 'Pass', End: true } }) }, End: true } }),
    expect: refused(only(`${SVF}: Field 'QueryLanguage' is not supported at /States/M/Iterator`)),
  },

  // --- Transitions and reachability --------------------------------------------------------------
  {
    name: 'a Next naming no state, and a state nothing names',
    source: 'AWS answer quoted in https://github.com/localstack/localstack/issues/11978 and https://github.com/localstack/localstack/pull/12487',
    definition: m({ pass1: { Type: 'Pass', Next: 'pass3' }, pass2: { Type: 'Pass', End: true } }),
    expect: refused(only(`${MTT}: Missing 'Next' target: pass3 at /States/pass1/Next`, `${MTT}: State "pass2" is not reachable. at /States/pass2`)),
  },
  {
    name: 'an unreachable state (a state it names is not reported)',
    source: CFN(4073),
    definition: m({
      'Pass One': { Type: 'Pass', Next: 'Pass Two' }, 'Pass Two': { Type: 'Pass', Next: 'Success' },
      'Unreachable pass': { Type: 'Pass', Next: 'Success' }, Success: { Type: 'Succeed' },
    }),
    expect: refused(only(`${MTT}: State "Unreachable pass" is not reachable. at /States/Unreachable pass`)),
  },
  {
    name: "a Choice rule's Next naming no state",
    source: `${FLOCI} danglingChoiceNextTarget_returnsFailAtChoicesLocation`,
    definition: m({ C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'Ghost' }], Default: 'Z' }, Z: { Type: 'Pass', End: true } }),
    expect: refused(only(`${MTT}: Missing 'Next' target: Ghost at /States/C/Choices[0]/Next`)),
  },
  {
    name: "a Choice's Default naming no state (the message still says 'Next')",
    source: `${FLOCI} danglingChoiceDefaultTarget_returnsFailAtDefaultLocation`,
    definition: m({ A: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'Z' }], Default: 'Ghost' }, Z: { Type: 'Pass', End: true } }),
    expect: refused(only(`${MTT}: Missing 'Next' target: Ghost at /States/A/Default`)),
  },
  {
    name: "a Catch's Next naming no state",
    source: `${FLOCI} danglingCatchNextTarget_returnsFailAtCatchLocation`,
    definition: m({ T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Ghost' }], End: true } }),
    expect: refused(only(`${MTT}: Missing 'Next' target: Ghost at /States/T/Catch[0]/Next`)),
  },
  {
    name: 'a loop with no terminal state (CreateStateMachine wording, no location)',
    source: `${FLOCI} createStateMachineRefusesLoopWithNoTerminalState; ${FLOCI_2786}`,
    definition: m({ A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } }),
    expect: refused(only('MISSING_END_STATE: Workflow has no terminal state at null')),
  },
  {
    name: 'no terminal state suppresses the unreachable-state report',
    source: `${FLOCI} missingEndStateSuppressesUnreachableStateDiagnosticForOtherStates; ${FLOCI_2786}`,
    definition: m({ A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' }, Unused: { Type: 'Pass', Next: 'A' } }),
    expect: refused(only('MISSING_END_STATE: Workflow has no terminal state at null')),
  },
  {
    name: 'a missing target and no terminal state are both reported, target first',
    source: `${FLOCI} missingEndStateCoexistsWithADanglingTargetInAWSOrder; ${FLOCI_2786}`,
    definition: m({ A: { Type: 'Pass', Next: 'NOPE' } }),
    expect: refused(only(`${MTT}: Missing 'Next' target: NOPE at /States/A/Next`, 'MISSING_END_STATE: Workflow has no terminal state at null')),
  },
  {
    name: 'a loop plus an unreachable terminal state reports the unreachable state only',
    source: `${FLOCI} unreachableTerminalStateAddedToLoop_returnsFailWithMissingTransitionTarget; https://github.com/floci-io/floci/issues/2735`,
    definition: m({ A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' }, C: { Type: 'Pass', End: true } }),
    expect: refused(only(`${MTT}: State "C" is not reachable. at /States/C`)),
  },
  {
    name: 'an unreachable state inside an ItemProcessor',
    source: `${FLOCI} unreachableStateInsideItemProcessor_returnsFailAtStructuredPath`,
    definition: m({ M: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: m({ W: { Type: 'Pass', End: true }, Ghost: { Type: 'Pass', End: true } }), End: true } }),
    expect: refused(only(`${MTT}: State "Ghost" is not reachable. at /States/M/ItemProcessor/States/Ghost`)),
  },
  {
    name: 'an unreachable state inside a Parallel branch',
    source: `${FLOCI} unreachableStateInsideParallelBranch_returnsFailAtStructuredPath`,
    definition: m({ P: { Type: 'Parallel', Branches: [m({ W: { Type: 'Pass', End: true }, Ghost: { Type: 'Pass', End: true } })], End: true } }),
    expect: refused(only(`${MTT}: State "Ghost" is not reachable. at /States/P/Branches[0]/States/Ghost`)),
  },
  {
    name: "an ItemProcessor's StartAt naming no state",
    source: `${FLOCI} danglingStartAtInsideItemProcessor_returnsFailAtStructuredPaths`,
    definition: m({ M: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'Nope', States: { A: { Type: 'Pass', End: true } } }, End: true } }),
    expect: refused(only(`${MTT}: Missing 'Next' target: Nope at /States/M/ItemProcessor/StartAt`, `${MTT}: State "A" is not reachable. at /States/M/ItemProcessor/States/A`)),
  },
  {
    name: 'a branch state cannot transition to a state outside its branch',
    source: `${SPEC}#parallel-state ("states ... within a branch ... MUST NOT have transitions to states outside"); code and location as the recorded branch diagnostics (${FLOCI})`,
    definition: m({ P: { Type: 'Parallel', Branches: [m({ B: { Type: 'Pass', Next: 'Done' } })], Next: 'Done' }, ...done }),
    expect: refused(problem(`${MTT}: Missing 'Next' target: Done at /States/P/Branches[0]/States/B/Next`)),
  },
  {
    name: 'an ItemProcessor state cannot transition to a state outside the Map',
    source: `${DOC}/state-map.html (ItemProcessor is a separate set of states); code and location as the recorded ItemProcessor diagnostics (${FLOCI})`,
    definition: m({ M: { Type: 'Map', ItemProcessor: m({ P: { Type: 'Pass', Next: 'Done' } }), Next: 'Done' }, ...done }),
    expect: refused(problem(`${MTT}: Missing 'Next' target: Done at /States/M/ItemProcessor/States/P/Next`)),
  },
  {
    name: 'a state with both Next and End',
    source: `${SPEC}#transition ("a state MUST NOT have both"); ${WORDING_NOT_RECORDED}`,
    definition: m({ A: { Type: 'Pass', Next: 'Done', End: true }, ...done }),
    expect: refused(at(SVF, '/States/A')),
  },
  {
    name: 'a state with neither Next nor End',
    source: `${SPEC}#transition ("non-terminal states MUST have a Next field"); ${WORDING_NOT_RECORDED}`,
    definition: m({ A: { Type: 'Pass', Result: 1 }, B: { Type: 'Pass', End: true } }),
    expect: refused(at(SVF, '/States/A')),
  },
  {
    name: 'a state name longer than 80 characters',
    source: 'AWS answer quoted in https://github.com/ChristopheBougere/asl-validator/issues/69 and https://github.com/aws-cloudformation/cfn-lint/issues/4079',
    definition: { StartAt: 'Hello', States: { Hello: { Type: 'Pass', Next: LONG_NAME }, [LONG_NAME]: { Type: 'Pass', End: true } } },
    expect: refused(only(`INVALID_STATE_NAME: Invalid State name: State '${LONG_NAME}' exceeds the 80-character limit allowed by the service at /States/${LONG_NAME}`)),
  },

  // --- Choice ------------------------------------------------------------------------------------
  {
    name: 'a Choice without Choices (nested two Parallel levels deep)',
    source: 'AWS answer quoted in https://github.com/CloudSnorkel/cdk-github-runners/issues/434',
    definition: m({
      'Run Providers': {
        Type: 'Parallel', End: true, Branches: [m({
          'Error Handler': { Type: 'Parallel', End: true, Branches: [m({ 'Choose provider': { Type: 'Choice', Default: 'X' }, X: { Type: 'Succeed' } })] },
        })],
      },
    }),
    expect: refused(problem(`${SVF}: These fields are required: [Choices] at /States/Run Providers/Branches[0]/States/Error Handler/Branches[0]/States/Choose provider`)),
  },
  {
    name: 'a Choice rule without Next',
    source: CFN(4077),
    definition: m({ Pass: { Type: 'Pass', Next: 'Choice' }, Choice: { Type: 'Choice', Choices: [{ Variable: '$', StringMatches: 'Test' }], Default: 'Success' }, Success: { Type: 'Succeed' } }),
    expect: refused(problem(`${SVF}: These fields are required: [Next] at /States/Choice/Choices[0]`)),
  },
  {
    name: "a Choice Variable that does not start with '$'",
    source: `${CFN(4076)} (message truncated there after "didn't start with '$' a")`,
    definition: m({ Pass: { Type: 'Pass', Next: 'Choice' }, Choice: { Type: 'Choice', Choices: [{ Variable: 'Test', StringMatches: 'Test', Next: 'Success' }], Default: 'Success' }, Success: { Type: 'Succeed' } }),
    expect: refused(/SCHEMA_VALIDATION_FAILED: Value is not a Reference Path: Reference path didn't start with '\$' at \/States\/Choice\/Choices\[0\]\/Variable/),
  },
  {
    name: 'an empty Choices list',
    source: `${SPEC}#choice-state ("Choices ... MUST be a non-empty array"); ${WORDING_NOT_RECORDED}`,
    definition: m({ C: { Type: 'Choice', Choices: [], Default: 'Done' }, ...done }),
    expect: refused(at(SVF, '/States/C/Choices')),
  },
  {
    name: 'a misspelt comparison operator',
    source: `${SPEC}#choice-state (comparison operators); ${WORDING_NOT_RECORDED}`,
    definition: m({ C: { Type: 'Choice', Choices: [{ Variable: '$.a', StringEqual: 'x', Next: 'Done' }], Default: 'Done' }, ...done }),
    expect: refused(at(SVF, '/States/C/Choices[0]')),
  },
  {
    name: 'a comparison operand of the wrong type',
    source: `${SPEC}#choice-state ("NumericEquals ... a number"); ${WORDING_NOT_RECORDED}`,
    definition: m({ C: { Type: 'Choice', Choices: [{ Variable: '$.a', NumericEquals: '5', Next: 'Done' }], Default: 'Done' }, ...done }),
    expect: refused(at(SVF, '/States/C/Choices[0]/NumericEquals')),
  },
  {
    name: 'a nested rule inside And must not have Next',
    source: `${SPEC}#choice-state ("nested Choice Rules MUST NOT contain a Next field"); ${WORDING_NOT_RECORDED}`,
    definition: m({ C: { Type: 'Choice', Choices: [{ And: [{ Variable: '$.a', IsPresent: true, Next: 'Done' }], Next: 'Done' }], Default: 'Done' }, ...done }),
    expect: refused(at(SVF, '/States/C/Choices[0]/And[0]')),
  },
  {
    name: 'a JSONata Choice rule using Variable instead of Condition',
    source: `${DOC}/state-choice.html (JSONata rules use Condition); message family as ${FLOCI}; location not recorded for rules`,
    definition: jsonata({ C: { Type: 'Choice', Choices: [{ Variable: '$.a', IsPresent: true, Next: 'Done' }], Default: 'Done' }, ...done }),
    expect: refused(/SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONata', but field 'Variable' is only supported for the 'JSONPath' QueryLanguage at \/States\/C/),
  },
  {
    name: 'a JSONPath Choice rule using Condition',
    source: `${DOC}/state-choice.html (Condition is JSONata only); message family as ${FLOCI}; location not recorded for rules`,
    definition: m({ C: { Type: 'Choice', Choices: [{ Condition: '{% true %}', Next: 'Done' }], Default: 'Done' }, ...done }),
    expect: refused(/SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONPath', but field 'Condition' is only supported for the 'JSONata' QueryLanguage at \/States\/C/),
  },
  {
    name: 'a JSONata Condition that does not parse',
    source: `https://github.com/floci-io/floci/issues/2745 (every JSONata expression is parsed at definition time, parser message without its code); ${FLOCI} unparsableJsonataExpression_*`,
    definition: jsonata({ C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.n = %}', Next: 'Done' }], Default: 'Done' }, ...done }),
    expect: refused(only('INVALID_JSONATA_EXPRESSION: Unexpected end of expression at /States/C/Choices[0]/Condition')),
  },

  // --- Wait ----------------------------------------------------------------------------------------
  {
    name: 'a Wait with none of Seconds, Timestamp, SecondsPath, TimestampPath',
    source: `${DOC}/state-wait.html ("You must specify exactly one of"); ${WORDING_NOT_RECORDED}`,
    definition: m({ W: { Type: 'Wait', End: true } }),
    expect: refused(at(SVF, '/States/W')),
  },
  {
    name: 'a Wait with both Seconds and Timestamp',
    source: `${DOC}/state-wait.html ("You must specify exactly one of"); ${WORDING_NOT_RECORDED}`,
    definition: m({ W: { Type: 'Wait', Seconds: 1, Timestamp: '2016-03-14T01:59:00Z', End: true } }),
    expect: refused(at(SVF, '/States/W')),
  },
  {
    name: 'Wait Seconds above the maximum',
    source: CFN(4075),
    definition: m({ Wait: { Type: 'Wait', Seconds: 10000000000000000, Next: 'Success' }, Success: { Type: 'Succeed' } }),
    expect: refused(only(`${SVF}: Maximum value is 99999999 at /States/Wait/Seconds`)),
  },
  {
    name: 'negative Wait Seconds',
    source: `${DOC}/state-wait.html (Seconds is a non-negative integer); bound wording as ${CFN(4075)}; ${WORDING_NOT_RECORDED} for the minimum`,
    definition: m({ W: { Type: 'Wait', Seconds: -1, End: true } }),
    expect: refused(at(SVF, '/States/W/Seconds')),
  },
  {
    name: 'a Wait Timestamp that is not a timestamp',
    source: `${DOC}/state-wait.html ("Timestamps must conform to the RFC3339 profile of ISO 8601"); ${WORDING_NOT_RECORDED}`,
    definition: m({ W: { Type: 'Wait', Timestamp: 'tomorrow at noon', End: true } }),
    expect: refused(at(SVF, '/States/W/Timestamp')),
  },
  {
    name: "a Wait SecondsPath that does not start with '$'",
    source: `${SPEC}#wait-state (SecondsPath is a Reference Path); wording as ${CFN(4076)}`,
    definition: m({ W: { Type: 'Wait', SecondsPath: 'seconds', End: true } }),
    expect: refused(at(SVF, '/States/W/SecondsPath')),
  },
  {
    name: 'a JSONata Wait Seconds expression that does not parse',
    source: 'https://github.com/floci-io/floci/issues/2745 (INVALID_JSONATA_EXPRESSION, parser message, field location)',
    definition: jsonata({ W: { Type: 'Wait', Seconds: '{% 1 + %}', End: true } }),
    expect: refused(only('INVALID_JSONATA_EXPRESSION: Unexpected end of expression at /States/W/Seconds')),
  },

  // --- Fail and Task -------------------------------------------------------------------------------
  {
    name: 'a Fail with both Error and ErrorPath',
    source: `${DOC}/state-fail.html ("You can use either Error or ErrorPath, not both"); ${WORDING_NOT_RECORDED}`,
    definition: m({ F: { Type: 'Fail', Error: 'E', ErrorPath: '$.e' } }),
    expect: refused(at(SVF, '/States/F')),
  },
  {
    name: 'a Fail with both Cause and CausePath',
    source: `${DOC}/state-fail.html ("You can use either Cause or CausePath, not both"); ${WORDING_NOT_RECORDED}`,
    definition: m({ F: { Type: 'Fail', Cause: 'C', CausePath: '$.c' } }),
    expect: refused(at(SVF, '/States/F')),
  },
  {
    name: 'a Task with both TimeoutSeconds and TimeoutSecondsPath',
    source: `${SPEC}#task-state ("MUST NOT include both TimeoutSeconds and TimeoutSecondsPath"); ${WORDING_NOT_RECORDED}`,
    definition: m({ T: task({ TimeoutSeconds: 5, TimeoutSecondsPath: '$.t' }), ...done }),
    expect: refused(at(SVF, '/States/T')),
  },
  {
    name: 'a Task whose HeartbeatSeconds is not below TimeoutSeconds',
    source: `${SPEC}#task-state ("HeartbeatSeconds interval MUST be smaller than the TimeoutSeconds value"); ${WORDING_NOT_RECORDED}`,
    definition: m({ T: task({ TimeoutSeconds: 10, HeartbeatSeconds: 10 }), ...done }),
    expect: refused(at(SVF, '/States/T')),
  },
  {
    name: 'a Task TimeoutSeconds of 0',
    source: `${SPEC}#task-state ("TimeoutSeconds ... MUST be positive integers"); bound wording as ${CFN(4075)}`,
    definition: m({ T: task({ TimeoutSeconds: 0 }), ...done }),
    expect: refused(at(SVF, '/States/T/TimeoutSeconds')),
  },
  {
    name: 'a Task without Resource',
    source: `${SPEC}#task-state ("A Task State MUST include a Resource field"); wording as the recorded "These fields are required" family`,
    definition: m({ T: { Type: 'Task', End: true } }),
    expect: refused(at(SVF, '/States/T')),
  },

  // --- Retry and Catch -----------------------------------------------------------------------------
  {
    name: 'States.ALL together with another error name in a retrier',
    source: `${DOC}/concepts-error-handling.html ("States.ALL ... must appear alone"); wording as the AWS answer quoted in https://github.com/aws/aws-cdk/issues/10530`,
    definition: m({ T: task({ Retry: [{ ErrorEquals: ['States.ALL', 'States.Timeout'] }] }), ...done }),
    expect: refused(only(`${SVF}: States.ALL must appear alone and at end of list at /States/T/Retry[0]/ErrorEquals[0]`)),
  },
  {
    name: 'a States.ALL catcher that is not the last one',
    source: 'AWS answer quoted in https://github.com/aws/aws-cdk/issues/10530',
    definition: m({ lambdaInvoke: task({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Done' }, { ErrorEquals: ['Exception'], Next: 'Done' }] }), ...done }),
    expect: refused(only(`${SVF}: States.ALL must appear alone and at end of list at /States/lambdaInvoke/Catch[0]/ErrorEquals[0]`)),
  },
  {
    name: 'an empty ErrorEquals',
    source: `${SPEC}#error-handling ("ErrorEquals ... a non-empty array"); ${WORDING_NOT_RECORDED}`,
    definition: m({ T: task({ Retry: [{ ErrorEquals: [] }] }), ...done }),
    expect: refused(at(SVF, '/States/T/Retry[0]/ErrorEquals')),
  },
  {
    name: 'a retrier without ErrorEquals',
    source: `${SPEC}#retrying-after-error ("MUST contain a field named ErrorEquals"); wording as the recorded "These fields are required" family`,
    definition: m({ T: task({ Retry: [{ MaxAttempts: 2 }] }), ...done }),
    expect: refused(at(SVF, '/States/T/Retry[0]')),
  },
  {
    name: 'a catcher without Next',
    source: `${SPEC}#fallback-states ("MUST contain ... Next"); wording as the recorded "These fields are required" family (${CFN(4077)})`,
    definition: m({ T: task({ Catch: [{ ErrorEquals: ['States.ALL'] }] }), ...done }),
    expect: refused(at(SVF, '/States/T/Catch[0]')),
  },
  {
    name: 'a BackoffRate below 1.0',
    source: `${DOC}/concepts-error-handling.html ("BackoffRate ... must be greater than or equal to 1.0"); ${WORDING_NOT_RECORDED}`,
    definition: m({ T: task({ Retry: [{ ErrorEquals: ['States.ALL'], BackoffRate: 0.5 }] }), ...done }),
    expect: refused(at(SVF, '/States/T/Retry[0]/BackoffRate')),
  },
  {
    name: 'an IntervalSeconds of 0',
    source: `${SPEC}#retrying-after-error ("IntervalSeconds ... MUST be a positive integer"); ${WORDING_NOT_RECORDED}`,
    definition: m({ T: task({ Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 0 }] }), ...done }),
    expect: refused(at(SVF, '/States/T/Retry[0]/IntervalSeconds')),
  },
  {
    name: 'a negative MaxAttempts',
    source: `${SPEC}#retrying-after-error ("MaxAttempts ... MUST be a non-negative integer"); ${WORDING_NOT_RECORDED}`,
    definition: m({ T: task({ Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: -1 }] }), ...done }),
    expect: refused(at(SVF, '/States/T/Retry[0]/MaxAttempts')),
  },
  {
    name: 'an unknown JitterStrategy',
    source: `${DOC}/concepts-error-handling.html ("JitterStrategy ... FULL or NONE"); ${WORDING_NOT_RECORDED}`,
    definition: m({ T: task({ Retry: [{ ErrorEquals: ['States.ALL'], JitterStrategy: 'SOME' }] }), ...done }),
    expect: refused(at(SVF, '/States/T/Retry[0]/JitterStrategy')),
  },
  {
    name: 'a MaxDelaySeconds of 0',
    source: `${DOC}/concepts-error-handling.html ("MaxDelaySeconds ... greater than 0"); ${WORDING_NOT_RECORDED}`,
    definition: m({ T: task({ Retry: [{ ErrorEquals: ['States.ALL'], MaxDelaySeconds: 0 }] }), ...done }),
    expect: refused(at(SVF, '/States/T/Retry[0]/MaxDelaySeconds')),
  },

  // --- Parallel and Map ----------------------------------------------------------------------------
  {
    name: 'a Parallel without Branches',
    source: `${SPEC}#parallel-state ("MUST contain a field named Branches"); wording as the recorded "These fields are required" family`,
    definition: m({ P: { Type: 'Parallel', End: true } }),
    expect: refused(at(SVF, '/States/P')),
  },
  {
    name: 'a Parallel branch without StartAt',
    source: `${SPEC}#parallel-state (each branch has States and StartAt); wording as ${LS_VALIDATION} INVALID_BASE_NO_STARTAT`,
    definition: m({ P: { Type: 'Parallel', Branches: [{ States: { B: { Type: 'Pass', End: true } } }], End: true } }),
    expect: refused(only(`${SVF}: These fields are required: [StartAt] at /States/P/Branches[0]`)),
  },
  {
    name: 'a Map without ItemProcessor',
    source: `${DOC}/state-map.html (ItemProcessor is required); ${WORDING_NOT_RECORDED}`,
    definition: m({ M: { Type: 'Map', End: true } }),
    expect: refused(at(SVF, '/States/M')),
  },
  {
    name: 'an unknown ProcessorConfig Mode',
    source: `${DOC}/state-map.html (Mode: INLINE or DISTRIBUTED); ${WORDING_NOT_RECORDED}`,
    definition: m({ M: { Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'PARALLEL' }, ...m({ P: { Type: 'Pass', End: true } }) }, End: true } }),
    expect: refused(at(SVF, '/States/M/ItemProcessor/ProcessorConfig/Mode')),
  },
  {
    name: 'an unknown ProcessorConfig ExecutionType',
    source: `${DOC}/state-map-distributed.html (ExecutionType: STANDARD or EXPRESS); ${WORDING_NOT_RECORDED}`,
    definition: m({ M: { Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'FAST' }, ...m({ P: { Type: 'Pass', End: true } }) }, End: true } }),
    expect: refused(at(SVF, '/States/M/ItemProcessor/ProcessorConfig/ExecutionType')),
  },
  {
    name: 'a negative MaxConcurrency',
    source: `${FLOCI} mapMaxConcurrencyMustBeANonNegativeInteger, downgradedMapStillHasItsMaxConcurrencyValidated ("AWS words the range error Minimum value is 0")`,
    definition: m({ M: { Type: 'Map', MaxConcurrency: -1, ItemProcessor: m({ P: { Type: 'Pass', End: true } }), End: true } }),
    expect: refused(only(`${SVF}: Minimum value is 0 at /States/M/MaxConcurrency`)),
  },
  {
    name: 'a negative MaxConcurrency in a nested Map is located through the outer ItemProcessor',
    source: `${FLOCI} nestedMapMaxConcurrencyIsValidatedAtItsStructuredPath`,
    definition: m({ Outer: { Type: 'Map', ItemProcessor: m({ Inner: { Type: 'Map', MaxConcurrency: -1, ItemProcessor: m({ P: { Type: 'Pass', End: true } }), End: true } }), End: true } }),
    expect: refused(at(SVF, '/States/Outer/ItemProcessor/States/Inner/MaxConcurrency')),
  },
  {
    name: 'MaxConcurrency and MaxConcurrencyPath together',
    source: `${FLOCI} mapCannotSpecifyBothMaxConcurrencyFields (location); ${WORDING_NOT_RECORDED}`,
    definition: m({ M: { Type: 'Map', MaxConcurrency: 2, MaxConcurrencyPath: '$.limit', ItemProcessor: m({ P: { Type: 'Pass', End: true } }), End: true } }),
    expect: refused(at(SVF, '/States/M/MaxConcurrency')),
  },
  {
    name: 'a ToleratedFailurePercentage above 100',
    source: `${DOC}/state-map-distributed.html ("ToleratedFailurePercentage ... between 0 and 100"); bound wording as ${CFN(4075)}`,
    definition: m({ M: { Type: 'Map', ToleratedFailurePercentage: 150, ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, ...m({ P: { Type: 'Pass', End: true } }) }, End: true } }),
    expect: refused(at(SVF, '/States/M/ToleratedFailurePercentage')),
  },
  {
    name: 'a negative ToleratedFailureCount',
    source: `${DOC}/state-map-distributed.html (ToleratedFailureCount is a non-negative integer); ${WORDING_NOT_RECORDED}`,
    definition: m({ M: { Type: 'Map', ToleratedFailureCount: -1, ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, ...m({ P: { Type: 'Pass', End: true } }) }, End: true } }),
    expect: refused(at(SVF, '/States/M/ToleratedFailureCount')),
  },
  {
    name: 'an ItemReader Resource that is not an S3 read',
    source: `${DOC}/input-output-itemreader.html (s3:getObject or s3:listObjectsV2); location as ${FLOCI} unsupportedItemReaderResource_returnsFailWithSchemaError`,
    definition: m({ M: { Type: 'Map', ItemReader: { Resource: 'arn:aws:states:::s3:unknownOperation', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'b', Key: 'k' } }, ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, ...m({ P: { Type: 'Pass', End: true } }) }, End: true } }),
    expect: refused(at(SVF, '/States/M/ItemReader/Resource')),
  },
  {
    name: 'an unknown ItemReader InputType',
    source: `${DOC}/input-output-itemreader.html (InputType: CSV, JSON, JSONL, MANIFEST, PARQUET); location as ${FLOCI} unsupportedItemReaderInputType_returnsFailWithSchemaError`,
    definition: m({ M: { Type: 'Map', ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'UNSUPPORTED' }, Parameters: { Bucket: 'b', Key: 'k' } }, ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, ...m({ P: { Type: 'Pass', End: true } }) }, End: true } }),
    expect: refused(at(SVF, '/States/M/ItemReader/ReaderConfig/InputType')),
  },
  {
    name: 'a ResultWriter Resource that is not s3:putObject',
    source: `${DOC}/input-output-resultwriter.html (arn:aws:states:::s3:putObject); location as ${FLOCI} unsupportedResultWriterResource_returnsFailWithSchemaError`,
    definition: m({ M: { Type: 'Map', ResultWriter: { Resource: 'arn:aws:states:::s3:unknownOperation', Parameters: { Bucket: 'b' } }, ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, ...m({ P: { Type: 'Pass', End: true } }) }, End: true } }),
    expect: refused(at(SVF, '/States/M/ResultWriter/Resource')),
  },
  {
    name: 'an unknown ItemBatcher field',
    source: `${DOC}/input-output-itembatcher.html (MaxItemsPerBatch, MaxInputBytesPerBatch, BatchInput and their Path forms); wording as for any unsupported field (${FLOCI})`,
    definition: m({ M: { Type: 'Map', ItemBatcher: { MaxItems: 5 }, ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, ...m({ P: { Type: 'Pass', End: true } }) }, End: true } }),
    expect: refused(notSupported('MaxItems', '/States/M/ItemBatcher')),
  },

  // --- JSONPath fields and payload templates -------------------------------------------------------
  {
    name: "an OutputPath that does not start with '$'",
    source: CFN(4078),
    definition: m({ Pass: { Type: 'Pass', OutputPath: 'Test', Next: 'Success' }, Success: { Type: 'Succeed' } }),
    expect: refused(only(`${SVF}: Value must be a valid JSONPath. at /States/Pass/OutputPath`)),
  },
  {
    name: "an InputPath that does not start with '$'",
    source: `${CFN(4078)} (same rule for InputPath: https://github.com/aws-cloudformation/cfn-lint/pull/4419)`,
    definition: m({ P: { Type: 'Pass', InputPath: 'input', End: true } }),
    expect: refused(at(SVF, '/States/P/InputPath')),
  },
  {
    name: "a ResultPath that does not start with '$'",
    source: `https://github.com/aws-cloudformation/cfn-lint/pull/4419 (ResultPath must start with '$'); ${WORDING_NOT_RECORDED}`,
    definition: m({ P: { Type: 'Pass', ResultPath: 'result', End: true } }),
    expect: refused(at(SVF, '/States/P/ResultPath')),
  },
  {
    name: "an Assign '.$' key whose value is neither a path nor an intrinsic",
    source: `${CFN(4085)} (message truncated there after "must be a v"; location not shown)`,
    definition: m({ Pass: { Type: 'Pass', Assign: { 'Variable.$': 'Test' }, Next: 'Success' }, Success: { Type: 'Succeed' } }),
    expect: refused(/SCHEMA_VALIDATION_FAILED: The value for the field 'Variable\.\$' must be a v[^,]* at \/States\/Pass/),
  },
  {
    name: "a Parameters '.$' key whose value is not a path",
    source: `${CFN(4085)} (same rule, Parameters)`,
    definition: m({ P: { Type: 'Pass', Parameters: { nested: { 'x.$': 'not a path' } }, End: true } }),
    expect: refused(/SCHEMA_VALIDATION_FAILED: The value for the field 'x\.\$' must be a v[^,]* at \/States\/P/),
  },
  {
    name: "a ResultSelector '.$' key with a malformed intrinsic call",
    source: `${CFN(4085)} (a '.$' value must be a valid intrinsic function call); ${DOC}/intrinsic-functions.html`,
    definition: m({ T: task({ ResultSelector: { 'y.$': "States.Format('unterminated {}', $.a" } }), ...done }),
    expect: refused(/SCHEMA_VALIDATION_FAILED: The value for the field 'y\.\$' must be a v[^,]* at \/States\/T/),
  },

  // --- JSONata expressions -------------------------------------------------------------------------
  {
    name: 'a JSONata Output that does not parse (CreateStateMachine wording)',
    source: 'AWS answer quoted in https://github.com/floci-io/floci/issues/2745',
    definition: jsonata({ Main: { Type: 'Pass', Output: '{% 1 + %}', End: true } }),
    expect: refused(only('INVALID_JSONATA_EXPRESSION: Unexpected end of expression at /States/Main/Output')),
  },
  {
    name: 'a JSONata expression nested in Output is located at its key',
    source: `${FLOCI} invalidJsonataExpressions (a[1,2) -> Expected "]", got ","); nested location as https://github.com/floci-io/floci/issues/2670`,
    definition: jsonata({ Main: { Type: 'Pass', Output: { v: '{% a[1,2) %}' }, End: true } }),
    expect: refused(only('INVALID_JSONATA_EXPRESSION: Expected "]", got "," at /States/Main/Output/v')),
  },
  {
    name: 'an unterminated string in a JSONata Assign',
    source: `${FLOCI} invalidJsonataExpressions ("unterminated -> String literal must be terminated by a matching quote")`,
    definition: jsonata({ P: { Type: 'Pass', Assign: { x: '{% "unterminated %}' }, End: true } }),
    expect: refused(only('INVALID_JSONATA_EXPRESSION: String literal must be terminated by a matching quote at /States/P/Assign/x')),
  },
  {
    name: 'a JSONata path from a bare name (there is no context item)',
    source: 'AWS answer quoted in https://github.com/floci-io/floci/issues/2670 and https://github.com/floci-io/floci/pull/2699',
    definition: jsonata({ E: { Type: 'Pass', Output: { v: '{% phone %}' }, End: true } }),
    expect: refused(only("UNSUPPORTED_JSONATA_EXPRESSION: Reference to 'phone' at the top level is not supported. at /States/E/Output/v")),
  },
  {
    name: "'$$' in a JSONata expression",
    source: `${FLOCI} doubleDollarReference_returnsFailWithUnsupportedJsonataExpression`,
    definition: jsonata({ Main: { Type: 'Pass', Output: '{% $$ %}', End: true } }),
    expect: refused(only("UNSUPPORTED_JSONATA_EXPRESSION: Reference to '$$' is not supported. at /States/Main/Output")),
  },
  {
    name: '$states.errorOutput outside a Catch',
    source: `${FLOCI} statesErrorOutputOutsideCatch_returnsFailWithUnsupportedJsonataExpression`,
    definition: jsonata({ Main: { Type: 'Pass', Output: '{% $states.errorOutput %}', End: true } }),
    expect: refused(only("UNSUPPORTED_JSONATA_EXPRESSION: Field '$states.errorOutput' does not exist. at /States/Main/Output")),
  },

  // --- Variables -----------------------------------------------------------------------------------
  {
    name: "assigning the reserved variable 'states'",
    source: `${DOC}/workflow-variables.html ("Reserved variable: $states"); ${WORDING_NOT_RECORDED}`,
    definition: m({ P: { Type: 'Pass', Assign: { states: 1 }, End: true } }),
    expect: refused(at(SVF, '/States/P/Assign')),
  },
  {
    name: 'a variable name that is not an identifier',
    source: `${DOC}/workflow-variables.html (variable names follow the Unicode identifier rules); ${WORDING_NOT_RECORDED}`,
    definition: m({ P: { Type: 'Pass', Assign: { 'my-var': 1 }, End: true } }),
    expect: refused(at(SVF, '/States/P/Assign')),
  },
  {
    name: 'a variable name starting with a digit',
    source: `${DOC}/workflow-variables.html (variable names follow the Unicode identifier rules); ${WORDING_NOT_RECORDED}`,
    definition: jsonata({ P: { Type: 'Pass', Assign: { '1abc': 1 }, End: true } }),
    expect: refused(at(SVF, '/States/P/Assign')),
  },
];

// --- Definitions AWS accepts ---------------------------------------------------------------------
const NAME_80 = 'A state name of exactly eighty characters, which is the limit AWS allows here...';

const acceptedCases: ConformanceCase[] = [
  {
    name: 'a state name of exactly 80 characters is accepted',
    source: `https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html (names: 1-80 characters); the AWS refusal in https://github.com/ChristopheBougere/asl-validator/issues/69 names the 80-character limit; ${SPEC}#pass-state (Result is the output)`,
    definition: m({ [NAME_80]: { Type: 'Pass', Result: { ok: true }, End: true } }),
    expect: { status: 'SUCCEEDED', output: { ok: true } },
  },
  {
    name: 'a state name with spaces is accepted',
    source: `${SPEC}#example (the "Hello World" state); ${SPEC}#pass-state`,
    definition: m({ 'Hello World': { Type: 'Pass', Result: 'Hello World!', End: true } }),
    expect: { status: 'SUCCEEDED', output: 'Hello World!' },
  },
  {
    name: 'JSONPath machine, JSONata Map, JSONPath state inside it',
    source: `${LS_VALIDATION} test_validate_state_machine_definition_type_standard[VALID_QUERY_LANGUAGE_PASS] (result OK, diagnostics []); output: ${DOC}/state-map.html (JSONata Items default to the state input)`,
    definition: m({
      Map: { Type: 'Map', QueryLanguage: 'JSONata', ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, ...m({ Pass: { QueryLanguage: 'JSONPath', Type: 'Pass', End: true } }) }, End: true },
    }, { QueryLanguage: 'JSONPath' }),
    input: [1, 2],
    expect: { status: 'SUCCEEDED', output: [1, 2] },
  },
  {
    name: 'a JSONata machine: a bare ItemProcessor state inherits JSONata and may use Output',
    source: `${FLOCI} jsonataMachineAcceptsOutputOnABareItemProcessorPass; output: ${DOC}/state-map.html, ${DOC}/transforming-data.html`,
    definition: jsonata({ M: { Type: 'Map', ItemProcessor: m({ P: { Type: 'Pass', Output: { doubled: '{% $states.input.n * 2 %}' }, End: true } }), End: true } }),
    input: [{ n: 1 }, { n: 2 }],
    expect: { status: 'SUCCEEDED', output: [{ doubled: 2 }, { doubled: 4 }] },
  },
  {
    name: "a Parameters value '$result' without '.$' is a literal; a '.$' one reads the variable",
    source: `validity: ${LS}/test_sfn_api_variable_references.snapshot.json [BASE_REFERENCE_IN_PARAMETERS] (describe_response after CreateStateMachine); output: ${DOC}/input-output-inputpath-params.html, ${DOC}/workflow-variables.html`,
    definition: m({
      State0: { Type: 'Pass', Parameters: { result: '$result' }, Assign: { result: 'foobar' }, Next: 'State1' },
      State1: { Type: 'Pass', ResultPath: '$.result', Parameters: { 'result.$': '$result' }, End: true },
    }),
    expect: { status: 'SUCCEEDED', output: { result: { result: 'foobar' } } },
  },
  {
    name: "a Choice on Variable '$' with a state-level Assign",
    source: `https://github.com/aws-cloudformation/cfn-lint/issues/4049 ("It works to deploy this CloudFormation template"); ${DOC}/state-choice.html`,
    definition: m({ C: { Type: 'Choice', Choices: [{ Next: 'Done', Variable: '$', IsPresent: true }], Default: 'Done', Assign: { Key: 'Value' } }, ...done }),
    input: { a: 1 },
    expect: { status: 'SUCCEEDED', output: { a: 1 } },
  },
  {
    name: 'a newline inside an intrinsic string literal',
    source: `https://github.com/aws/aws-toolkit-vscode/issues/3068 ("The step function is able to be deployed as defined above"); ${DOC}/intrinsic-functions.html (States.Format)`,
    definition: m({ Format: { Type: 'Pass', Parameters: { 'message.$': "States.Format('This is a test {}\nWith a {}',$.Input1,'newline')" }, End: true } }),
    input: { Input1: 'X' },
    expect: { status: 'SUCCEEDED', output: { message: 'This is a test X\nWith a newline' } },
  },
  {
    name: 'ResultPath null keeps the input',
    source: `${SPEC}#filters ("If the value of ResultPath is null, ... the state's output is its input")`,
    definition: m({ P: { Type: 'Pass', Result: { x: 1 }, ResultPath: null, End: true } }),
    input: { keep: true },
    expect: { status: 'SUCCEEDED', output: { keep: true } },
  },
  {
    name: 'Wait Seconds 0 is accepted',
    source: `${DOC}/state-wait.html (Seconds: a non-negative integer; the maximum is 99999999: ${CFN(4075)})`,
    definition: m({ W: { Type: 'Wait', Seconds: 0, End: true } }),
    input: { a: 1 },
    expect: { status: 'SUCCEEDED', output: { a: 1 } },
  },
  {
    name: 'a Wait Timestamp with nanoseconds (in the past: no wait)',
    source: `https://github.com/localstack/localstack/issues/11997 (AWS accepts "2024-12-05T21:29:29.243167252Z"); ${LS}/base/test_wait.snapshot.json test_timestamp_in_past (a past timestamp proceeds)`,
    definition: m({ W: { Type: 'Wait', Timestamp: '2024-12-05T21:29:29.243167252Z', End: true } }),
    input: { a: 1 },
    expect: { status: 'SUCCEEDED', output: { a: 1 } },
  },
  {
    name: 'a legacy Iterator without ProcessorConfig',
    source: `${FLOCI} legacyIteratorWithoutQueryLanguageIsAccepted; ${DOC}/state-map-inline.html (Iterator is the deprecated name of ItemProcessor)`,
    definition: m({ M: { Type: 'Map', Iterator: m({ P: { Type: 'Pass', End: true } }), End: true } }),
    input: [1],
    expect: { status: 'SUCCEEDED', output: [1] },
  },
  {
    name: 'a Parallel with MaxAttempts 0, jitter, and States.ALL as the last catcher',
    source: `${DOC}/concepts-error-handling.html (MaxAttempts 0 never retries; JitterStrategy, MaxDelaySeconds; States.ALL last); https://github.com/getmoto/moto/issues/7823 (MaxAttempts 0 accepted by AWS); ${DOC}/state-parallel.html (output is the array of branch outputs)`,
    definition: m({
      P: {
        Type: 'Parallel', Branches: [m({ B: { Type: 'Pass', End: true } })], Next: 'Done',
        Retry: [{ ErrorEquals: ['States.Timeout'], MaxAttempts: 0 }, { ErrorEquals: ['States.ALL'], IntervalSeconds: 1, BackoffRate: 1, MaxDelaySeconds: 1, JitterStrategy: 'FULL' }],
        Catch: [{ ErrorEquals: ['States.BranchFailed'], Next: 'Recover' }, { ErrorEquals: ['States.ALL'], Next: 'Recover' }],
      },
      Recover: { Type: 'Pass', End: true },
      ...done,
    }),
    input: { a: 1 },
    expect: { status: 'SUCCEEDED', output: [{ a: 1 }] },
  },
  {
    name: 'a JSONata Choice rule with its own Assign',
    source: `https://github.com/aws-cloudformation/cfn-lint/issues/4128 (accepted by AWS, cfn-lint false positive); ${DOC}/state-choice.html`,
    definition: jsonata({ C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.n = 1 %}', Assign: { seen: '{% $states.input.n %}' }, Next: 'Done' }], Default: 'Done' }, ...done }),
    input: { n: 1 },
    expect: { status: 'SUCCEEDED', output: { n: 1 } },
  },
  {
    name: 'a JSONata state in a JSONPath machine',
    source: `${FLOCI} itemProcessorStateDeclaringJsonataAcceptsOutput ("An explicit declaration on the state itself still wins"); ${DOC}/transforming-data.html`,
    definition: m({ P: { Type: 'Pass', QueryLanguage: 'JSONata', Output: { answer: '{% 6 * 7 %}' }, End: true } }, { QueryLanguage: 'JSONPath' }),
    expect: { status: 'SUCCEEDED', output: { answer: 42 } },
  },
  {
    name: "a '.$' key inside a Pass Result is static, not a path",
    source: 'https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html (PASS_RESULT_IS_STATIC is a warning, not an error); https://states-language.net/spec.html#pass-state',
    definition: m({ P: { Type: 'Pass', Result: { 'a.$': '$.x' }, End: true } }),
    input: { x: 1 },
    expect: { status: 'SUCCEEDED', output: { 'a.$': '$.x' } },
  },
  {
    name: 'bare names inside a JSONata filter and a variable read are accepted',
    source: `https://github.com/floci-io/floci/issues/2670 (only a path from a bare name at the top level is refused); ${DOC}/workflow-variables.html; https://docs.jsonata.org/predicate`,
    definition: jsonata({
      Set: { Type: 'Pass', Assign: { counter: 1 }, Next: 'Use' },
      Use: { Type: 'Pass', Output: { next: '{% $counter + 1 %}', expensive: '{% $states.input.items[price > 5].name %}' }, End: true },
    }),
    input: { items: [{ name: 'a', price: 10 }, { name: 'b', price: 1 }] },
    expect: { status: 'SUCCEEDED', output: { next: 2, expensive: 'a' } },
  },
  {
    name: 'Comment on a nested Choice rule, and a state reached only through Default',
    source: `${LS.replace('/v2', '')}/templates/comment/statemachines/comments_as_per_docs.json5 (created on AWS by test_comments.py); ${SPEC}#choice-state`,
    definition: m({
      C: { Type: 'Choice', Comment: 'c', Choices: [{ And: [{ Variable: '$.status', StringEquals: 'complete', Comment: 'nested' }], Comment: 'rule', Next: 'Done' }], Default: 'Other' },
      Other: { Type: 'Pass', Result: 'other', End: true },
      ...done,
    }),
    input: { status: 'complete' },
    expect: { status: 'SUCCEEDED', output: { status: 'complete' } },
  },
];

export const cases: ConformanceCase[] = [...refusedCases, ...acceptedCases];
