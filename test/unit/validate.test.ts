/**
 * validateDefinition on every case of test/conformance/cases/validation.ts (refused ones must throw
 * InvalidDefinition with a matching message, accepted ones must not throw), plus definitions AWS is
 * recorded to accept that exercise the rules' edges (each cites where it was accepted).
 */
import { cases } from '../conformance/cases/validation';
import { validateDefinition } from '../../local/interpreter/validate';
import { InvalidDefinitionError } from '../../local/interpreter/errors';

function refusal(definition: unknown): InvalidDefinitionError | undefined {
  try {
    validateDefinition(definition);
    return undefined;
  } catch (err) {
    if (!(err instanceof InvalidDefinitionError)) throw err;
    return err;
  }
}

describe('conformance cases (cases/validation.ts)', () => {
  for (const c of cases) {
    test(c.name, () => {
      const err = refusal(c.definition);
      if (c.expect.definitionError) {
        expect(err?.name).toBe('InvalidDefinition');
        if (c.expect.definitionError.message) expect(err?.message).toMatch(c.expect.definitionError.message);
      } else {
        expect(err?.message).toBeUndefined();
      }
    });
  }
});

describe('the message format', () => {
  test("problems are joined as 'CODE: message at location, CODE: ...' inside one pair of quotes", () => {
    // AWS answer quoted in https://github.com/localstack/localstack/issues/11978
    const err = refusal({ StartAt: 'pass1', States: { pass1: { Type: 'Pass', Next: 'pass3' }, pass2: { Type: 'Pass', End: true } } });
    expect(err?.message).toBe(
      "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, MISSING_TRANSITION_TARGET: State \"pass2\" is not reachable. at /States/pass2'",
    );
    expect(err?.problems).toHaveLength(2);
  });

  test('a definition given as a JSON string is parsed first', () => {
    expect(refusal(JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }))).toBeUndefined();
    expect(refusal('not a definition')?.message).toMatch(/^Invalid State Machine Definition: 'INVALID_JSON_DESCRIPTION: /);
  });

  test('a definition that is not an object', () => {
    // recorded AWS: localstack test_sfn_api_validation.snapshot.json [EMPTY_STRING]
    expect(refusal([])?.message).toMatch(/SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object/);
  });
});

describe('definitions AWS accepts (no false rejections)', () => {
  const accepted: [string, unknown][] = [
    // recorded AWS: localstack templates/assign/statemachines/base_assign_in_catch.json5 (test_assign_base.py, validated)
    ['a JSONata Task in a JSONPath machine, $states.errorOutput in its catcher\'s Assign', {
      StartAt: 'Task',
      States: {
        Task: {
          QueryLanguage: 'JSONata', Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Assign: { result: 'SUCCESS' },
          Arguments: { FunctionName: '{% $states.input.fn %}', Payload: { foo: 'oof' } },
          Catch: [{ ErrorEquals: ['States.ALL'], Assign: { result: '{% $states.errorOutput %}' }, Output: '{% $states.errorOutput %}', Next: 'fallback' }],
          End: true,
        },
        fallback: { Type: 'Pass', End: true },
      },
    }],
    // recorded AWS: localstack templates/assign/statemachines/base_paths.json5 and base_evaluation_order_pass_state.json5
    ['paths from the input, the context object, variables and an intrinsic', {
      StartAt: 'S0',
      States: {
        S0: { Type: 'Pass', Assign: { 'root.$': '$', 'ctx.$': '$$', 'id.$': '$$.Execution.Id', 'f.$': "States.Format('Format Func {}', $.v)", answer: 42 }, Next: 'S1' },
        S1: { Type: 'Pass', InputPath: '$answer', ResultPath: '$.theAnswer', OutputPath: '$answer', End: true },
      },
    }],
    // recorded AWS: localstack templates/comment/statemachines/comments_as_per_docs.json5 (test_comments.py)
    ['Comment in retriers, catchers and nested rules', {
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:111111111111:function:f', Comment: 'c', Next: 'C',
          Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'F', Comment: 'c' }],
          Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 3, MaxAttempts: 1, BackoffRate: 1.0, Comment: 'c' }],
        },
        C: { Type: 'Choice', Choices: [{ And: [{ Variable: '$.status', StringEquals: 'complete', Comment: 'c' }], Comment: 'c', Next: 'S' }], Default: 'W' },
        W: { Type: 'Wait', Seconds: 5, Next: 'T' },
        S: { Type: 'Succeed' },
        F: { Type: 'Fail', Error: 'TaskFailed', Cause: 'c' },
      },
    }],
    // recorded AWS: localstack templates/base/statemachines/raise_failure_path_intrinsic.json5
    ['Fail ErrorPath and CausePath as intrinsic calls', {
      StartAt: 'F', States: { F: { Type: 'Fail', ErrorPath: "States.Format('{}', $.Error)", CausePath: "States.Format('For {}, caused by {}.', $.Error, $.Cause)" } },
    }],
    // recorded AWS: localstack templates/scenarios/statemachines/map_item_batcher_base_max_per_batch_jsonata.json5
    ['a JSONata Distributed Map with ItemReader Arguments and ItemBatcher expressions', {
      QueryLanguage: 'JSONata', StartAt: 'B',
      States: {
        B: {
          Type: 'Map',
          ItemReader: { ReaderConfig: { InputType: 'JSON', MaxItems: 2 }, Resource: 'arn:aws:states:::s3:getObject', Arguments: { Bucket: '{% $states.input.Bucket %}', Key: '{% $states.input.Key %}' } },
          ItemBatcher: { MaxItemsPerBatch: '{% $states.input.n %}', MaxInputBytesPerBatch: '{% $states.input.bytes %}', BatchInput: { At: '{% $states.context.State.EnteredTime %}' } },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    }],
    // recorded AWS: localstack templates/scenarios/statemachines/map_state_result_writer.json5, map_state_tolerated_failure_percentage_path.json5
    ['a Distributed Map with ResultWriter, Label, MaxConcurrency and ToleratedFailurePercentagePath', {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map', ItemsPath: '$.Items', MaxConcurrency: 1, ToleratedFailurePercentagePath: '$.pct', Label: 'TestMap',
          ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'result-bucket', Prefix: 'mapJobs' } },
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    }],
    // recorded AWS: localstack templates/scenarios/statemachines/map_state_items_variable.json5, choice_condition_jsonata.json5
    ['JSONata Map Items from a variable; a Choice-level and a rule-level Assign', {
      QueryLanguage: 'JSONata', StartAt: 'Start',
      States: {
        Start: { Type: 'Pass', Assign: { ItemsVar: [1, 2] }, Next: 'C' },
        C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.go %}', Next: 'M', Assign: { a: 'rule' } }], Default: 'F', Assign: { a: 'default' } },
        M: { Type: 'Map', MaxConcurrency: 1, Items: '{% $ItemsVar %}', ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true },
        F: { Type: 'Fail', Cause: 'Condition is false' },
      },
    }],
    // recorded AWS: localstack templates/scenarios/statemachines/escape_sequences_jsonata_comparison_assign.json5
    ['a JSONata string literal holding a double quote', {
      QueryLanguage: 'JSONata', StartAt: 'Pass',
      States: { Pass: { Type: 'Pass', Assign: { var: '"' }, Next: 'Check' }, Check: { Type: 'Pass', Output: "{% $var = '\"' %}", End: true } },
    }],
    // https://github.com/floci-io/floci/pull/2786: MISSING_END_STATE is checked for the top level only (measured)
    ['a loop without a terminal state inside an ItemProcessor', {
      StartAt: 'M', States: { M: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } } }, End: true } },
    }],
    // floci StepFunctionsValidateStateMachineDefinitionIntegrationTest: maxConcurrencyLargerThanIntegerRangeIsAcceptedAndRuntimeCapped,
    // jsonataMapAcceptsMaxConcurrencyExpression, itemReaderWithoutDistributedMode_isAcceptedAtDefinitionTime (measured)
    ['a huge MaxConcurrency, a JSONata MaxConcurrency expression, an ItemReader on an inline Map', {
      StartAt: 'A',
      States: {
        A: { Type: 'Map', MaxConcurrency: 9223372036854775807, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, Next: 'B' },
        B: { Type: 'Map', QueryLanguage: 'JSONata', MaxConcurrency: '{% $states.input.limit %}', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, Next: 'C' },
        C: {
          Type: 'Map', ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'JSON' }, Parameters: { Bucket: 'b', Key: 'k' } },
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true,
        },
      },
    }],
    // https://states-language.net/spec.html#paths (Reference Paths and JSONPath forms AWS documents)
    ['InputPath and OutputPath null; JSONPath filters and bracket notation', {
      StartAt: 'P',
      States: { P: { Type: 'Pass', InputPath: null, OutputPath: "$['a b'][0]", Parameters: { 'x.$': '$.items[?(@.price > 5)].name', 'y.$': '$..id' }, End: true } },
    }],
  ];
  for (const [name, definition] of accepted) test(name, () => expect(refusal(definition)?.message).toBeUndefined());
});

describe('several problems in one definition are all listed', () => {
  test('Retry bounds and the States.ALL rule together', () => {
    const err = refusal({
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true, Retry: [{ ErrorEquals: ['States.ALL', 'X'], IntervalSeconds: 0, MaxAttempts: -1 }] },
      },
    });
    expect(err?.problems).toEqual([
      'SCHEMA_VALIDATION_FAILED: States.ALL must appear alone and at end of list at /States/T/Retry[0]/ErrorEquals[0]',
      'SCHEMA_VALIDATION_FAILED: Minimum value is 1 at /States/T/Retry[0]/IntervalSeconds',
      'SCHEMA_VALIDATION_FAILED: Minimum value is 0 at /States/T/Retry[0]/MaxAttempts',
    ]);
  });

  test('three JSONPath-only fields on a JSONata state, in field order', () => {
    // floci StepFunctionsValidateStateMachineDefinitionIntegrationTest threeJsonPathOnlyFieldsOnAJsonataStateEmitInTheOrderTheListDeclares (measured count: 3)
    const err = refusal({ QueryLanguage: 'JSONata', StartAt: 'X', States: { X: { Type: 'Pass', InputPath: '$.a', OutputPath: '$.b', ResultPath: '$.c', End: true } } });
    expect(err?.problems.map((p) => /field '(\w+)'/.exec(p)?.[1])).toEqual(['InputPath', 'OutputPath', 'ResultPath']);
  });
});
