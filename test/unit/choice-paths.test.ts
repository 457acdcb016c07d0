/**
 * checkChoicePaths on hand-written ASL. Each expectation comes from the Amazon States Language
 * specification (https://states-language.net/spec.html, section named in each describe) or from
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html where cited.
 * Every fixture reads one path that must be reported next to one that must not, so no test passes
 * by reporting nothing (or everything).
 */
import { checkChoicePaths, ChoicePathFinding, describeChoicePathFinding } from '../../local/choice-paths';

type States = Record<string, Record<string, unknown>>;
const machine = (States: States, extra: Record<string, unknown> = {}) => ({ StartAt: Object.keys(States)[0], States, ...extra });
/** A Choice that reads each path with IsNumeric (a type test reads its Variable like a comparison does). */
const reads = (...paths: string[]) => ({
  Type: 'Choice', Choices: paths.map((Variable) => ({ Variable, IsNumeric: true, Next: 'Done' })), Default: 'Done',
});
const done = { Done: { Type: 'Succeed' } };
const pass = (props: Record<string, unknown>, Next = 'Check') => ({ Type: 'Pass', ...props, Next });
/** `<choice> <path> <reason>` per finding. */
const found = (definition: object) => checkChoicePaths(definition).map((f) => `${f.choice} ${f.path} ${f.reason}`);

describe('ResultPath (spec: Input and Output Processing, "ResultPath")', () => {
  /**
   * The circuit breaker's shape: the check writes `$.circuits.P = { found, now, probe: { granted: false } }`;
   * the probe acquisition either overwrites `probe` with `{ value }` (the bug) or writes beside it.
   * On the way Acquire -> IsGranted (circuitState CLOSED) -> Call -> Use -> WasProbe, `probe.granted` is gone.
   */
  const circuitBreaker = (acquirePath: string) => machine({
    CheckCircuit: {
      Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Next: 'RouteCall',
      ResultSelector: { 'found.$': '$', 'now.$': '$$.State.EnteredTime', probe: { granted: false } }, ResultPath: '$.circuits.P',
    },
    RouteCall: {
      Type: 'Choice', Default: 'AcquireProbe', Choices: [
        { Variable: '$.circuits.P.found.Item', IsPresent: false, Next: 'CallP' },
        { Variable: '$.circuits.P.found.Item.circuitState.S', StringEquals: 'CLOSED', Next: 'CallP' },
      ],
    },
    AcquireProbe: {
      Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: 'IsProbeGranted',
      ResultSelector: { 'value.$': '$.Payload' }, ResultPath: `$.circuits.P.${acquirePath}`,
    },
    IsProbeGranted: {
      Type: 'Choice', Default: 'CircuitOpen', Choices: [
        { Variable: `$.circuits.P.${acquirePath}.value.granted`, BooleanEquals: true, Next: 'MarkProbe' },
        { Variable: `$.circuits.P.${acquirePath}.value.circuitState`, StringEquals: 'CLOSED', Next: 'CallP' },
      ],
    },
    CircuitOpen: { Type: 'Fail', Error: 'CircuitOpen' },
    MarkProbe: { Type: 'Pass', Result: true, ResultPath: '$.circuits.P.probe.granted', Next: 'CallP' },
    CallP: {
      Type: 'Parallel', Next: 'UseResult', ResultSelector: { 'value.$': '$[0]' }, ResultPath: '$.circuits.P.result',
      Branches: [{ StartAt: 'Charge', States: { Charge: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:1:function:f', End: true } } }],
    },
    UseResult: { Type: 'Pass', InputPath: '$.circuits.P.result.value', ResultPath: '$.charge', Next: 'WasProbe' },
    WasProbe: { Type: 'Choice', Choices: [{ Variable: '$.circuits.P.probe.granted', BooleanEquals: true, Next: 'Done' }], Default: 'Done' },
    ...done,
  });

  test('a ResultPath that replaces the subtree holding a field is found, with the way in from the replacing state', () => {
    expect(checkChoicePaths(circuitBreaker('probe'))).toEqual<ChoicePathFinding[]>([{
      choice: 'WasProbe', within: [], path: '$.circuits.P.probe.granted', reason: 'maybe-absent',
      via: ['AcquireProbe', 'IsProbeGranted', 'CallP', 'UseResult', 'WasProbe'],
    }]);
  });
  test('the same machine writing the probe answer beside probe.granted is clean', () => {
    expect(checkChoicePaths(circuitBreaker('probeAnswer'))).toEqual([]);
  });
  test('null discards the result and keeps the input (AWS: "Discard the result and keep the original input")', () => {
    expect(found(machine({
      Init: pass({ Result: { a: 1 } }, 'Work'),
      Work: pass({ Result: { b: 2 }, ResultPath: null }),
      Check: reads('$.a', '$.b'), ...done,
    }))).toEqual(['Check $.b absent']);
  });
  test('$ (the default) replaces the whole input with the result', () => {
    expect(found(machine({
      Init: pass({ Result: { a: 1 } }, 'Replace'),
      Replace: pass({ Result: { b: 2 } }),
      Check: reads('$.a', '$.b'), ...done,
    }))).toEqual(['Check $.a absent']);
    // A task's result is opaque: after it, any field may exist.
    expect(found(machine({
      Init: pass({ Result: { a: 1 } }, 'Work'),
      Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:1:function:f', Next: 'Check' },
      Check: reads('$.a', '$.anything'), ...done,
    }))).toEqual([]);
  });
  test('a path below $ sets that field and keeps its siblings; an exact object gains no others', () => {
    const def = machine({
      Init: pass({ Result: { x: { z: 1 } } }, 'Set'),
      Set: pass({ Result: 5, ResultPath: '$.x.y' }),
      Check: reads('$.x.z', '$.x.y', '$.x.w'), ...done,
    });
    expect(checkChoicePaths(def)).toEqual([{ choice: 'Check', within: [], path: '$.x.w', reason: 'absent', via: ['Init', 'Set', 'Check'] }]);
  });
  test('a scalar read as an object is found', () => {
    expect(found(machine({ Init: pass({ Result: 'text', ResultPath: '$.s' }), Check: reads('$.s', '$.s.t'), ...done })))
      .toEqual(['Check $.s.t not-an-object']);
  });
});

describe('InputPath and OutputPath (spec: Input and Output Processing, "InputPath, Parameters, OutputPath")', () => {
  test('OutputPath narrows the output to the selected node', () => {
    expect(found(machine({
      Init: pass({ Result: { a: { b: 1 }, c: 2 } }, 'Narrow'),
      Narrow: pass({ OutputPath: '$.a' }),
      Check: reads('$.b', '$.c'), ...done,
    }))).toEqual(['Check $.c absent']);
  });
  test('InputPath selects what a Pass copies to its ResultPath; the raw input is kept around it', () => {
    expect(found(machine({
      Init: pass({ Result: { a: { b: 1 }, c: 2 } }, 'Copy'),
      Copy: pass({ InputPath: '$.a', ResultPath: '$.copy' }),
      Check: reads('$.c', '$.copy.b', '$.copy.c'), ...done,
    }))).toEqual(['Check $.copy.c absent']);
  });
  test('a Choice applies its InputPath before the rules and its OutputPath to what it passes on', () => {
    expect(found(machine({
      Init: pass({ Result: { a: { b: 1 }, c: 2 } }, 'Route'),
      Route: { Type: 'Choice', InputPath: '$.a', Choices: [{ Variable: '$.b', NumericEquals: 1, Next: 'Check' }], Default: 'Check' },
      Check: reads('$.b', '$.c'), ...done,
    }))).toEqual(['Check $.c absent']);
  });
});

describe('Parameters and ResultSelector (spec: "Payload Template")', () => {
  test('Parameters builds an exact object: its fields exist (`.$` ones with an unknown value), no others', () => {
    expect(found(machine({
      Shape: pass({ Parameters: { 'id.$': '$.request.id', fixed: { n: 1 } } }),
      Check: reads('$.id', '$.id.deep', '$.fixed.n', '$.request.id', '$.fixed.m'), ...done,
    }))).toEqual(['Check $.request.id absent', 'Check $.fixed.m absent']);
  });
  test('a task\'s Parameters shape its request, not its output; its ResultSelector shapes the output', () => {
    expect(found(machine({
      Call: {
        Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: 'Check', Parameters: { only: 1 },
        ResultSelector: { 'value.$': '$.Payload', at: 'now' }, ResultPath: '$.call',
      },
      Check: reads('$.request', '$.call.value.x', '$.call.at', '$.call.Payload'), ...done,
    }))).toEqual(['Check $.call.Payload absent']);
  });
  test('a `.$` path into a known part of the input copies what is known there', () => {
    expect(found(machine({
      Init: pass({ Result: { a: { b: 1 } } }, 'Copy'),
      Copy: pass({ Parameters: { 'kept.$': '$.a', 'now.$': '$$.State.EnteredTime', 'text.$': "States.Format('{}', $.a.b)" } }),
      Check: reads('$.kept.b', '$.now', '$.text', '$.kept.c'), ...done,
    }))).toEqual(['Check $.kept.c absent']);
  });
});

describe('Catch (spec: Errors, "Fallback States"; a Catcher\'s ResultPath applies to the state\'s raw input)', () => {
  const withCatch = (catcher: Record<string, unknown>) => machine({
    Init: pass({ Result: { request: { id: 1 } } }, 'Work'),
    Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:1:function:f', ResultPath: '$.work', Next: 'Done', Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handle', ...catcher }] },
    Handle: reads('$.request.id', '$.error.Error', '$.Error', '$.Cause'), ...done,
  });
  test('ResultPath $.error keeps the input and adds { Error, Cause }', () => {
    expect(found(withCatch({ ResultPath: '$.error' }))).toEqual(['Handle $.Error absent', 'Handle $.Cause absent']);
  });
  test('the default ResultPath ($) replaces the input with { Error, Cause }', () => {
    expect(checkChoicePaths(withCatch({}))).toEqual([
      { choice: 'Handle', within: [], path: '$.request.id', reason: 'absent', via: ['Work', 'Handle'] },
      // `error` was never set: the way in starts where the exact input was built.
      { choice: 'Handle', within: [], path: '$.error.Error', reason: 'absent', via: ['Init', 'Work', 'Handle'] },
    ]);
  });
});

describe('Parallel and Map (spec: "Parallel State", "Map State"): branches are machines of their own', () => {
  test('a branch starts from the Parallel\'s Parameters; the Parallel\'s output is an array', () => {
    const findings = checkChoicePaths(machine({
      Fan: {
        Type: 'Parallel', Parameters: { 'x.$': '$.x' }, Next: 'After', Branches: [
          { StartAt: 'Inner', States: { Inner: reads('$.x.deep', '$.y'), ...done } },
          { StartAt: 'Other', States: { Other: { Type: 'Succeed' } } },
        ],
      },
      After: reads('$[0].x', '$.x'), ...done,
    }));
    expect(findings.map(describeChoicePathFinding)).toEqual([
      'Fan.Branches[0] > Inner reads $.y (absent), way in: Inner',
      'After reads $.x (not-an-object), way in: Fan -> After',
    ]);
  });
  test('a Map item is what its ItemSelector builds, or unknown without one', () => {
    const map = (selector: Record<string, unknown>) => machine({
      Each: {
        Type: 'Map', ItemsPath: '$.items', ...selector, ResultPath: '$.results', Next: 'Done',
        ItemProcessor: { StartAt: 'Item', States: { Item: reads('$.item.id', '$.other'), ...done } },
      }, ...done,
    });
    expect(found(map({ ItemSelector: { 'item.$': '$$.Map.Item.Value' } }))).toEqual(['Item $.other absent']);
    expect(checkChoicePaths(map({ ItemSelector: { 'item.$': '$$.Map.Item.Value' } }))[0].within).toEqual(['Each.ItemProcessor']);
    expect(found(map({}))).toEqual([]);
  });
});

describe('Choice rules and IsPresent (spec: Choice State, "Choice Rules")', () => {
  /** Init sets only `a`; SetB adds `b` = `{ d: 2 }` on one way, so `b` may be absent at Check. */
  const maybeB = (check: Record<string, unknown>, more: States = {}) => machine({
    Init: pass({ Result: { a: 1 } }, 'Maybe'),
    Maybe: { Type: 'Choice', Choices: [{ Variable: '$.a', NumericEquals: 1, Next: 'SetB' }], Default: 'Check' },
    SetB: pass({ Result: { d: 2 }, ResultPath: '$.b' }),
    Check: check, ...more, ...done,
  });
  const rule = (r: Record<string, unknown>, Next = 'Done') => ({ ...r, Next });

  test('an unguarded read of a field one way does not set is found, from the state that never set it', () => {
    expect(checkChoicePaths(maybeB(reads('$.a', '$.b')))).toEqual([
      { choice: 'Check', within: [], path: '$.b', reason: 'maybe-absent', via: ['Init', 'Maybe', 'Check'] },
    ]);
  });
  test('an earlier IsPresent: true in the same And guards the later reads of the path and below', () => {
    expect(found(maybeB({ Type: 'Choice', Default: 'Done', Choices: [
      rule({ And: [{ Variable: '$.b', IsPresent: true }, { Variable: '$.b', NumericEquals: 2 }] }),
      rule({ And: [{ Variable: '$.b', NumericEquals: 2 }, { Variable: '$.b', IsPresent: true }] }),
      rule({ And: [{ Variable: '$.b', IsPresent: true }, { Variable: '$.b.d', NumericEquals: 2 }, { Variable: '$.b.e', NumericEquals: 2 }] }),
    ] }))).toEqual(['Check $.b maybe-absent', 'Check $.b.e absent']);
  });
  test('a rule IsPresent: false (or Not IsPresent: true) lets the later rules and the Default read the path', () => {
    const guards: Record<string, unknown>[] = [{ Variable: '$.b', IsPresent: false }, { Not: { Variable: '$.b', IsPresent: true } }, { Variable: '$.a', IsPresent: false }];
    const laterRule = (guard: Record<string, unknown>) => maybeB({ Type: 'Choice', Default: 'Done', Choices: [rule(guard), rule({ Variable: '$.b', NumericEquals: 2 })] });
    const onDefault = (guard: Record<string, unknown>) => maybeB({ Type: 'Choice', Default: 'ReadB', Choices: [rule(guard)] }, { ReadB: reads('$.b') });
    expect(guards.map((g) => found(laterRule(g)))).toEqual([[], [], ['Check $.b maybe-absent']]);
    expect(guards.map((g) => found(onDefault(g)))).toEqual([[], [], ['ReadB $.b maybe-absent']]);
  });
  test('the target of a rule IsPresent: true sees the path; the Default sees it absent', () => {
    expect(found(maybeB({ Type: 'Choice', Default: 'ReadOnDefault', Choices: [rule({ Variable: '$.b', IsPresent: true }, 'ReadOnTarget')] },
      { ReadOnTarget: reads('$.b'), ReadOnDefault: reads('$.b') }))).toEqual(['ReadOnDefault $.b maybe-absent']);
    // The same through an And whose operands all held; a failed And says nothing about which operand failed.
    const and = { And: [{ Variable: '$.a', NumericEquals: 1 }, { Variable: '$.b', IsPresent: true }] };
    expect(found(maybeB({ Type: 'Choice', Default: 'ReadOnDefault', Choices: [rule(and, 'ReadOnTarget')] },
      { ReadOnTarget: reads('$.b'), ReadOnDefault: reads('$.b') }))).toEqual(['ReadOnDefault $.b maybe-absent']);
  });
  test('an Or reads its later operands only when the earlier ones were false', () => {
    expect(found(maybeB({ Type: 'Choice', Default: 'Done', Choices: [
      rule({ Or: [{ Variable: '$.b', IsPresent: false }, { Variable: '$.b', NumericEquals: 2 }] }),
    ] }))).toEqual([]);
  });
  test('...Path operands are reads too', () => {
    expect(found(maybeB({ Type: 'Choice', Default: 'Done', Choices: [
      rule({ Variable: '$$.State.EnteredTime', TimestampGreaterThanPath: '$.b' }),
      rule({ Variable: '$.a', NumericEqualsPath: '$$.Execution.Input.a' }),
    ] }))).toEqual(['Check $.b maybe-absent']);
  });
});

describe('control flow and the unknown', () => {
  test('a polling loop (Wait -> Task -> Choice -> back) terminates with its findings', () => {
    expect(found(machine({
      Init: pass({ Result: { n: 0 } }, 'Wait'),
      Wait: { Type: 'Wait', Seconds: 1, Next: 'Poll' },
      Poll: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:1:function:f', ResultSelector: { 'status.$': '$.Payload.status' }, ResultPath: '$.poll', Next: 'IsDone' },
      IsDone: { Type: 'Choice', Choices: [{ Variable: '$.poll.status', StringEquals: 'DONE', Next: 'Check' }], Default: 'Wait' },
      Check: reads('$.n', '$.poll.status', '$.missing'), ...done,
    }))).toEqual(['Check $.missing absent']);
  });
  test('a loop that nests its input in itself on every turn is widened and terminates', () => {
    expect(found(machine({
      Init: pass({ Result: { n: 0 } }, 'Nest'),
      Nest: pass({ Parameters: { 'prev.$': '$', n: 1 } }, 'Again'),
      Again: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: 1, Next: 'Nest' }], Default: 'Check' },
      Check: reads('$.prev', '$.other'), ...done,
    }))).toEqual(['Check $.other absent']);
  });
  test('reads under the execution input, context paths and array indexes are never findings', () => {
    expect(found(machine({ Check: reads('$.request.anything.deep', '$$.Execution.Id', "$['request']['x']"), ...done }))).toEqual([]);
    expect(found(machine({
      Init: pass({ Result: { items: [1, 2], a: { b: 1 } } }, 'Check'),
      Check: reads('$.items[0].id', "$.a['b']", "$.a['c']"), ...done,
    }))).toEqual(["Check $.a['c'] absent"]);
  });
  test('JSONata machines and states are skipped', () => {
    const bad = { Init: pass({ Result: { a: 1 } }), Check: reads('$.b'), ...done };
    expect(found(machine(bad))).toEqual(['Check $.b absent']);
    expect(found(machine(bad, { QueryLanguage: 'JSONata' }))).toEqual([]);
    expect(found(machine({ ...bad, Check: { ...reads('$.b'), QueryLanguage: 'JSONata' } }))).toEqual([]);
    // A JSONata state's output is not modelled: what follows it sees an unknown value.
    expect(found(machine({ ...bad, Init: { ...pass({ Output: { a: 1 } }), QueryLanguage: 'JSONata' } }))).toEqual([]);
  });
});
