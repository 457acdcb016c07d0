/**
 * Definition validation as CreateStateMachine / ValidateStateMachineDefinition does it: every
 * problem becomes one `CODE: message at location` entry of an `InvalidDefinitionError`.
 * Codes: https://docs.aws.amazon.com/step-functions/latest/apireference/API_ValidateStateMachineDefinitionDiagnostic.html
 * Wordings and locations come from recorded AWS answers (cited per case in
 * test/conformance/cases/validation.ts); where AWS's wording is not known the message is ours and
 * only the code and location are claimed.
 *
 * Strict only where AWS is known to be strict: a false rejection is worse than a missed one.
 */
import jsonata from 'jsonata';
import { InvalidDefinitionError } from './errors';
import { parseIntrinsic } from './intrinsics';

type Obj = Record<string, unknown>;
type QL = 'JSONPath' | 'JSONata';

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);
const has = (o: Obj, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const expressionOf = (v: unknown) => (typeof v === 'string' && v.length >= 4 && v.startsWith('{%') && v.endsWith('%}') ? v.slice(2, -2) : undefined);

class Problems {
  readonly list: string[] = [];
  add(code: string, message: string, at: string | null): void {
    const p = `${code}: ${message} at ${at}`;
    if (!this.list.includes(p)) this.list.push(p);
  }
  schema(message: string, at: string): void { this.add('SCHEMA_VALIDATION_FAILED', message, at); }
}

// ---------------------------------------------------------------------------------------------
// Which fields each state type takes, by query language. A field outside the table is refused with
// "Field 'X' is not supported"; a field of the other language with "The QueryLanguage is set to
// ..." (both recorded AWS, located at the state). https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html
const ANY = 0, JSONPATH_ONLY = 1, JSONATA_ONLY = 2;
type FieldTable = Record<string, 0 | 1 | 2>;
function fields(any: string, jsonPath = '', jsonata = ''): FieldTable {
  const t: FieldTable = {};
  for (const f of any.split(/\s+/).filter(Boolean)) t[f] = ANY;
  for (const f of jsonPath.split(/\s+/).filter(Boolean)) t[f] = JSONPATH_ONLY;
  for (const f of jsonata.split(/\s+/).filter(Boolean)) t[f] = JSONATA_ONLY;
  return t;
}
const IO = 'InputPath OutputPath';
const stateFields = (any: string, jsonPath = '', jsonata = '') => fields(`Type Comment QueryLanguage ${any}`, jsonPath, jsonata);
const STATE_FIELDS: Record<string, FieldTable> = {
  // `Result` is kept for both languages: whether AWS refuses it on a JSONata Pass is not recorded.
  Pass: stateFields('Next End Assign Result', `${IO} Parameters ResultPath`, 'Output'),
  Task: stateFields('Next End Resource Retry Catch TimeoutSeconds HeartbeatSeconds Credentials Assign',
    `${IO} Parameters ResultPath ResultSelector TimeoutSecondsPath HeartbeatSecondsPath`, 'Arguments Output'),
  Choice: stateFields('Choices Default Assign', IO, 'Output'),
  Wait: stateFields('Next End Seconds Timestamp Assign', `${IO} SecondsPath TimestampPath`, 'Output'),
  Succeed: stateFields('', IO, 'Output'),
  Fail: stateFields('Error Cause', 'ErrorPath CausePath'),
  Parallel: stateFields('Next End Branches Retry Catch Assign', `${IO} Parameters ResultPath ResultSelector`, 'Arguments Output'),
  Map: stateFields('Next End ItemProcessor Iterator ItemSelector ItemReader ItemBatcher ResultWriter MaxConcurrency ToleratedFailurePercentage ToleratedFailureCount Label Retry Catch Assign',
    `${IO} ItemsPath Parameters ResultPath ResultSelector MaxConcurrencyPath ToleratedFailurePercentagePath ToleratedFailureCountPath`, 'Items Arguments Output'),
};
const STATE_TYPES = 'Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map';
const COMPARISONS = ['String', 'Numeric', 'Boolean', 'Timestamp'].flatMap((k) =>
  ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'].flatMap((op) => [`${k}${op}`, `${k}${op}Path`]))
  .filter((op) => !/^Boolean(Less|Greater)/.test(op));
const TYPE_TESTS = ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'];
const OPERATORS = new Set([...COMPARISONS, ...TYPE_TESTS, 'StringMatches']);
const RULE_FIELDS = fields('Comment Next Assign', 'Variable And Or Not', 'Condition Output');
const RETRY_FIELDS = new Set(['ErrorEquals', 'IntervalSeconds', 'MaxAttempts', 'BackoffRate', 'MaxDelaySeconds', 'JitterStrategy', 'Comment']);
const CATCH_FIELDS = fields('ErrorEquals Next Assign Comment', 'ResultPath', 'Output');
/** Fields of a JSONata state whose values may hold `{% %}` expressions (Catch and Choices are walked apart). */
const EXPRESSION_FIELDS = ['Arguments', 'Output', 'Assign', 'Items', 'ItemSelector', 'Seconds', 'Timestamp', 'TimeoutSeconds', 'HeartbeatSeconds',
  'MaxConcurrency', 'ToleratedFailurePercentage', 'ToleratedFailureCount', 'Error', 'Cause', 'ItemReader', 'ItemBatcher', 'ResultWriter', 'Credentials'];
/** https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html (variable names; `$states` is reserved). */
const VARIABLE_NAME = /^[\p{ID_Start}_][\p{ID_Continue}]*$/u;
/** RFC 3339 as the Wait state documents it (https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

// ---------------------------------------------------------------------------------------------
// Paths: a simple syntax check (a leading `$` and balanced brackets); intrinsics: the intrinsics parser.

/** Brackets balance; quotes count only inside brackets (a dot-notation key may hold a quote). */
function balancedBrackets(text: string): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (depth > 0 && (c === "'" || c === '"')) {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
      if (i >= text.length) return false;
    } else if (c === '[') depth++;
    else if (c === ']' && --depth < 0) return false;
  }
  return depth === 0;
}
const isPath = (v: unknown): v is string => typeof v === 'string' && v.startsWith('$') && balancedBrackets(v);
/** `States.Name(args)` that the intrinsic parser accepts (it throws on a syntax error). */
function isIntrinsic(v: unknown): boolean {
  if (typeof v !== 'string' || !/^States\.[A-Za-z0-9]+\s*\(/.test(v)) return false;
  try { parseIntrinsic(v); return true; } catch { return false; }
}

// ---------------------------------------------------------------------------------------------

interface Context {
  readonly problems: Problems;
  /** The machine's language: a state without QueryLanguage inherits it (not its Map's or Parallel's). */
  readonly machine: QL;
}

/** Effective language per recorded AWS: exactly "JSONPath" is JSONPath, absent inherits, anything else is JSONata. */
function queryLanguage(o: Obj, inherited: QL, at: string, problems: Problems): QL {
  if (!has(o, 'QueryLanguage')) return inherited;
  const v = o.QueryLanguage;
  if (typeof v !== 'string') problems.schema('Expected value of type [STRING]', `${at}/QueryLanguage`);
  else if (v !== 'JSONPath' && v !== 'JSONata') problems.schema('Value should be one of the following: [JSONPath, JSONata]', `${at}/QueryLanguage`);
  return v === 'JSONPath' ? 'JSONPath' : 'JSONata';
}

export function validateDefinition(definition: unknown, options: { type?: 'STANDARD' | 'EXPRESS' } = {}): void {
  const problems = new Problems();
  let def = definition;
  if (typeof def === 'string') {
    const text: string = def;
    // Recorded AWS (test_sfn_api_validation): an empty text is not an object; other bad text gets
    // the message of AWS's JSON parser (Jackson).
    if (text.trim() === '') problems.schema('Definition must be a valid JSON object', 'null');
    else {
      try { def = JSON.parse(text); } catch (e) {
        const token = /^\s*([A-Za-z0-9_]+)/.exec(text)?.[1];
        problems.add('INVALID_JSON_DESCRIPTION', token && !['true', 'false', 'null'].includes(token) && !/^\d/.test(token)
          ? `Unrecognized token '${token}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`
          : (e as Error).message, null);
      }
    }
  }
  if (problems.list.length === 0) {
    if (!isObj(def)) problems.schema('Definition must be a valid JSON object', 'null');
    else {
      scope(def, '', 'top', { problems, machine: queryLanguage(def, 'JSONPath', '', problems) });
      if (problems.list.length === 0) machineRules(def, options.type ?? 'STANDARD', problems);
    }
  }
  if (problems.list.length) throw new InvalidDefinitionError(problems.list);
}

/** Characters a Map Label may not hold (state-map-distributed.html, "Label"). */
const LABEL_FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

/**
 * Rules on the whole machine: Distributed Map labels (at most 40 characters, none of the forbidden
 * ones, unique), and what an Express machine may not use (recorded AWS wording, including the two
 * spaces before "at" for .waitForTaskToken).
 */
function machineRules(def: Obj, type: 'STANDARD' | 'EXPRESS', problems: Problems): void {
  const labels = new Set<string>();
  const walk = (states: Obj, at: string) => {
    for (const [name, st] of Object.entries(states)) {
      if (!isObj(st)) continue;
      const sp = `${at}/States/${name}`;
      if (st.Type === 'Task' && typeof st.Resource === 'string' && type === 'EXPRESS') {
        if (st.Resource.endsWith('.waitForTaskToken')) problems.schema("Express state machine does not support '.waitForTaskToken' service integration ", `${sp}/Resource`);
        else if (/\.sync(:2)?$/.test(st.Resource)) problems.schema("Express state machine does not support '.sync' service integration", `${sp}/Resource`);
        else if (/^arn:aws:states:[^:]*:[^:]*:activity:/.test(st.Resource)) problems.schema('Express state machine does not support Activity ARN', `${sp}/Resource`);
      }
      if (st.Type === 'Map') {
        const processor = (st.ItemProcessor ?? st.Iterator) as Obj | undefined;
        const distributed = isObj(processor) && isObj(processor.ProcessorConfig) && processor.ProcessorConfig.Mode === 'DISTRIBUTED';
        if (distributed && type === 'EXPRESS') problems.schema('Express state machine does not support Distributed Map', sp);
        if (has(st, 'Label')) {
          const label = st.Label;
          if (typeof label !== 'string' || label.length === 0 || label.length > 40 || LABEL_FORBIDDEN.test(label)) {
            problems.schema('Label must be 1 to 40 characters without whitespace, brackets, wildcards or special characters', `${sp}/Label`);
          } else if (labels.has(label)) problems.schema(`Label '${label}' is used by more than one Map state`, `${sp}/Label`);
          else labels.add(label);
        }
        if (isObj(processor) && isObj(processor.States)) walk(processor.States, `${sp}/${st.ItemProcessor ? 'ItemProcessor' : 'Iterator'}`);
      }
      if (st.Type === 'Parallel' && Array.isArray(st.Branches)) st.Branches.forEach((b, i) => { if (isObj(b) && isObj(b.States)) walk(b.States, `${sp}/Branches/${i}`); });
    }
  };
  if (isObj(def.States)) walk(def.States, '');
}

const SCOPE_FIELDS = {
  top: new Set(['Comment', 'StartAt', 'States', 'Version', 'TimeoutSeconds', 'QueryLanguage']),
  branch: new Set(['Comment', 'StartAt', 'States']),
  processor: new Set(['Comment', 'StartAt', 'States', 'ProcessorConfig']),
};

/** A state machine, a Parallel branch or a Map's ItemProcessor: its states may only transition among themselves. */
function scope(s: Obj, at: string, kind: keyof typeof SCOPE_FIELDS, ctx: Context): void {
  const { problems } = ctx;
  const here = at || '/';
  for (const k of Object.keys(s)) if (!SCOPE_FIELDS[kind].has(k)) problems.schema(`Field '${k}' is not supported`, here);
  const missing = ['States', 'StartAt'].filter((k) => !has(s, k));
  if (missing.length) problems.schema(`These fields are required: [${missing.join(', ')}]`, here);
  if (kind === 'processor' && has(s, 'ProcessorConfig')) processorConfig(s.ProcessorConfig, `${at}/ProcessorConfig`, problems);
  if (!isObj(s.States)) return;
  const states = s.States;

  for (const [name, state] of Object.entries(states)) {
    const sp = `${at}/States/${name}`;
    // https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html (state names: 1-80 characters)
    if (name.length > 80) problems.add('INVALID_STATE_NAME', `Invalid State name: State '${name}' exceeds the 80-character limit allowed by the service`, sp);
    if (!isObj(state)) { problems.schema('Expected value of type [OBJECT]', sp); continue; }
    checkState(state, sp, ctx);
  }

  // Transitions (MISSING_TRANSITION_TARGET): the word is 'Next' for every kind of target (recorded
  // AWS). Without a StartAt AWS reports only the missing field (recorded AWS, INVALID_BASE_NO_STARTAT).
  if (typeof s.StartAt !== 'string') return;
  const targets: [string, string][] = [[s.StartAt, `${at}/StartAt`]];
  for (const [name, state] of Object.entries(states)) {
    if (!isObj(state)) continue;
    const sp = `${at}/States/${name}`;
    if (typeof state.Next === 'string') targets.push([state.Next, `${sp}/Next`]);
    if (typeof state.Default === 'string') targets.push([state.Default, `${sp}/Default`]);
    for (const [field, list] of [['Choices', state.Choices], ['Catch', state.Catch]] as const) {
      if (Array.isArray(list)) list.forEach((r, i) => { if (isObj(r) && typeof r.Next === 'string') targets.push([r.Next, `${sp}/${field}[${i}]/Next`]); });
    }
  }
  for (const [target, loc] of targets) if (!has(states, target)) problems.add('MISSING_TRANSITION_TARGET', `Missing 'Next' target: ${target}`, loc);
  // A machine with no terminal state is reported once, without location, and the unreachable walk
  // is skipped; AWS checks this for the top level only (recorded AWS, see cases).
  const terminal = Object.values(states).some((st) => isObj(st) && (st.End === true || st.Type === 'Succeed' || st.Type === 'Fail'));
  if (kind === 'top' && !terminal) { problems.add('MISSING_END_STATE', 'Workflow has no terminal state', null); return; }
  // "Not reachable" means nothing in the scope names the state (a state named only by an
  // unreachable one is not reported: recorded AWS).
  const named = new Set(targets.map(([t]) => t));
  for (const name of Object.keys(states)) if (!named.has(name)) problems.add('MISSING_TRANSITION_TARGET', `State "${name}" is not reachable.`, `${at}/States/${name}`);
}

function checkState(state: Obj, sp: string, ctx: Context): void {
  const { problems } = ctx;
  const type = state.Type;
  if (!has(state, 'Type')) { problems.schema('These fields are required: [Type]', sp); return; }
  if (typeof type !== 'string' || !STATE_FIELDS[type]) { problems.schema(`The field 'Type' should have one of these values: [${STATE_TYPES}]`, `${sp}/Type`); return; }
  const ql = queryLanguage(state, ctx.machine, sp, problems);
  // https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html: a JSONata machine cannot go back to JSONPath.
  const downgraded = ctx.machine === 'JSONata' && state.QueryLanguage === 'JSONPath';
  if (downgraded) problems.schema("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", sp);
  checkFields(state, STATE_FIELDS[type], ql, sp, problems, !downgraded);

  if (!['Choice', 'Succeed', 'Fail'].includes(type)) {
    // https://states-language.net/spec.html#transition: exactly one of Next and End (wording ours).
    if (has(state, 'Next') && state.End === true) problems.schema('These fields cannot be used together: [Next, End]', sp);
    else if (!has(state, 'Next') && state.End !== true) problems.schema('Exactly one of these fields is required: [Next, End]', sp);
  }
  if (ql === 'JSONPath') {
    for (const f of ['InputPath', 'OutputPath']) if (has(state, f) && state[f] !== null && !isPath(state[f])) problems.schema('Value must be a valid JSONPath.', `${sp}/${f}`);
    if (has(state, 'ResultPath')) referencePath(state.ResultPath, `${sp}/ResultPath`, problems, true);
    for (const f of ['ItemsPath', 'SecondsPath', 'TimestampPath', 'TimeoutSecondsPath', 'HeartbeatSecondsPath', 'MaxConcurrencyPath',
      'ToleratedFailurePercentagePath', 'ToleratedFailureCountPath']) if (has(state, f)) referencePath(state[f], `${sp}/${f}`, problems);
    for (const f of ['ErrorPath', 'CausePath']) if (has(state, f) && !isIntrinsic(state[f])) referencePath(state[f], `${sp}/${f}`, problems);
    for (const f of ['Parameters', 'ResultSelector', 'ItemSelector', 'Assign', 'Credentials']) if (has(state, f)) template(state[f], `${sp}/${f}`, problems);
  } else {
    for (const f of EXPRESSION_FIELDS) if (has(state, f)) expressions(state[f], `${sp}/${f}`, problems, false);
  }
  if (has(state, 'Assign')) assign(state.Assign, `${sp}/Assign`, ql, problems);
  for (const field of ['Retry', 'Catch'] as const) if (Array.isArray(state[field]) && STATE_FIELDS[type][field] !== undefined) errorHandlers(state[field] as unknown[], field, sp, ql, problems);

  switch (type) {
    case 'Task': return task(state, sp, ql, problems);
    case 'Choice': return choice(state, sp, ql, problems);
    case 'Wait': return wait(state, sp, ql, problems);
    case 'Fail':
      // https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html: Error or ErrorPath, Cause or CausePath (wording ours).
      for (const [a, b] of [['Error', 'ErrorPath'], ['Cause', 'CausePath']]) if (has(state, a) && has(state, b)) problems.schema(`These fields cannot be used together: [${a}, ${b}]`, sp);
      return;
    case 'Parallel':
      if (!has(state, 'Branches')) problems.schema('These fields are required: [Branches]', sp);
      else if (!Array.isArray(state.Branches) || state.Branches.length === 0) problems.schema('The field \'Branches\' should be non-empty', `${sp}/Branches`);
      else state.Branches.forEach((b, i) => (isObj(b) ? scope(b, `${sp}/Branches[${i}]`, 'branch', ctx) : problems.schema('Expected value of type [OBJECT]', `${sp}/Branches[${i}]`)));
      return;
    case 'Map': return map(state, sp, ql, ctx);
  }
}

/** Refuses fields the state (or rule, or catcher) does not take, as AWS words it (located at the owner). */
function checkFields(o: Obj, table: FieldTable, ql: QL, at: string, problems: Problems, languageCheck = true): void {
  for (const f of Object.keys(o)) {
    const kind = table[f];
    if (kind === undefined) problems.schema(`Field '${f}' is not supported`, at);
    else if (!languageCheck || kind === ANY) continue;
    else if (kind === JSONPATH_ONLY && ql === 'JSONata') problems.schema(`The QueryLanguage is set to 'JSONata', but field '${f}' is only supported for the 'JSONPath' QueryLanguage`, at);
    else if (kind === JSONATA_ONLY && ql === 'JSONPath') problems.schema(`The QueryLanguage is set to 'JSONPath', but field '${f}' is only supported for the 'JSONata' QueryLanguage`, at);
  }
}

function referencePath(v: unknown, at: string, problems: Problems, nullable = false): void {
  if (nullable && v === null) return;
  if (typeof v !== 'string' || !v.startsWith('$')) problems.schema("Value is not a Reference Path: Reference path didn't start with '$'", at);
  else if (!isPath(v)) problems.schema('Value must be a valid JSONPath.', at);
}

/** A JSONPath payload template: a `.$` key needs a path or an intrinsic function call. */
function template(v: unknown, at: string, problems: Problems): void {
  if (Array.isArray(v)) { v.forEach((x) => template(x, at, problems)); return; }
  if (!isObj(v)) return;
  for (const [k, x] of Object.entries(v)) {
    if (!k.endsWith('.$')) template(x, at, problems);
    else if (!isPath(x) && !isIntrinsic(x)) problems.schema(`The value for the field '${k}' must be a valid JSONPath or a valid intrinsic function call`, at);
  }
}

/** Every `{% %}` string under a JSONata field must parse (INVALID_JSONATA_EXPRESSION, the parser's message without its code). */
function expressions(v: unknown, at: string, problems: Problems, inCatch: boolean): void {
  if (Array.isArray(v)) { v.forEach((x, i) => expressions(x, `${at}[${i}]`, problems, inCatch)); return; }
  if (isObj(v)) { for (const [k, x] of Object.entries(v)) expressions(x, `${at}/${k}`, problems, inCatch); return; }
  const expr = expressionOf(v);
  if (expr === undefined) return;
  let ast: unknown;
  try { ast = jsonata(expr).ast(); } catch (e) { problems.add('INVALID_JSONATA_EXPRESSION', (e as Error).message, at); return; }
  unsupported(ast, at, problems, inCatch);
}

/**
 * What AWS refuses in an expression that parses (recorded AWS, UNSUPPORTED_JSONATA_EXPRESSION):
 * `$$`; `$states.errorOutput` outside a Catch; and an expression that is itself a path from a bare
 * name (there is no context item: the input is `$states.input`). Only the whole expression is
 * checked for the last, so a bare name inside a filter or a lambda is never refused.
 */
function unsupported(ast: unknown, at: string, problems: Problems, inCatch: boolean): void {
  const root = ast as { type?: string; value?: unknown; steps?: { type?: string; value?: unknown }[] };
  const first = root.type === 'path' ? root.steps?.[0] : root;
  if (first?.type === 'name') problems.add('UNSUPPORTED_JSONATA_EXPRESSION', `Reference to '${String(first.value)}' at the top level is not supported.`, at);
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) { n.forEach(walk); return; }
    if (!isObj(n)) return;
    if (n.type === 'variable' && n.value === '$') problems.add('UNSUPPORTED_JSONATA_EXPRESSION', "Reference to '$$' is not supported.", at);
    const steps = n.type === 'path' && Array.isArray(n.steps) ? (n.steps as Obj[]) : undefined;
    if (!inCatch && steps?.[0]?.type === 'variable' && steps[0].value === 'states' && steps[1]?.value === 'errorOutput') {
      problems.add('UNSUPPORTED_JSONATA_EXPRESSION', "Field '$states.errorOutput' does not exist.", at);
    }
    for (const [k, x] of Object.entries(n)) if (k !== 'position') walk(x);
  };
  walk(ast);
}

/** Variable names (wording ours): Unicode identifiers of at most 80 characters, `states` reserved. */
function assign(v: unknown, at: string, ql: QL, problems: Problems): void {
  if (!isObj(v)) return;
  for (const key of Object.keys(v)) {
    const name = ql === 'JSONPath' && key.endsWith('.$') ? key.slice(0, -2) : key;
    if (name === 'states') problems.schema(`The variable name '${name}' is reserved`, at);
    else if (!VARIABLE_NAME.test(name) || name.length > 80) problems.schema(`The variable name '${name}' is not valid`, at);
  }
}

/** An integer (or, in JSONata, an expression) within bounds; AWS words bounds "Minimum value is N" (recorded). */
function integer(v: unknown, at: string, problems: Problems, min: number, max?: number, ql?: QL): void {
  if (v === undefined || (ql === 'JSONata' && expressionOf(v) !== undefined)) return;
  if (!isInt(v)) problems.schema('Expected value of type [INTEGER]', at);
  else if (v < min) problems.schema(`Minimum value is ${min}`, at);
  else if (max !== undefined && v > max) problems.schema(`Maximum value is ${max}`, at);
}

function number(v: unknown, at: string, problems: Problems, min: number, max?: number, ql?: QL): void {
  if (v === undefined || (ql === 'JSONata' && expressionOf(v) !== undefined)) return;
  if (typeof v !== 'number') problems.schema('Expected value of type [NUMBER]', at);
  else if (v < min) problems.schema(`Minimum value is ${min}`, at);
  else if (max !== undefined && v > max) problems.schema(`Maximum value is ${max}`, at);
}

function exclusive(o: Obj, a: string, b: string, at: string, problems: Problems): void {
  if (has(o, a) && has(o, b)) problems.schema(`These fields cannot be used together: [${a}, ${b}]`, at);
}

/**
 * Retry and Catch. https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 * (ErrorEquals non-empty, States.ALL alone and last; IntervalSeconds >= 1, MaxAttempts >= 0,
 * BackoffRate >= 1.0, MaxDelaySeconds 1..31622400, JitterStrategy FULL or NONE).
 */
function errorHandlers(list: unknown[], field: 'Retry' | 'Catch', sp: string, ql: QL, problems: Problems): void {
  list.forEach((h, i) => {
    const at = `${sp}/${field}[${i}]`;
    if (!isObj(h)) { problems.schema('Expected value of type [OBJECT]', at); return; }
    if (field === 'Retry') {
      for (const k of Object.keys(h)) if (!RETRY_FIELDS.has(k)) problems.schema(`Field '${k}' is not supported`, at);
    } else checkFields(h, CATCH_FIELDS, ql, at, problems);
    const required = field === 'Retry' ? ['ErrorEquals'] : ['ErrorEquals', 'Next'];
    const missing = required.filter((k) => !has(h, k));
    if (missing.length) problems.schema(`These fields are required: [${missing.join(', ')}]`, at);
    const errors = h.ErrorEquals;
    if (has(h, 'ErrorEquals') && (!Array.isArray(errors) || errors.length === 0)) problems.schema("The field 'ErrorEquals' should be non-empty", `${at}/ErrorEquals`);
    if (Array.isArray(errors)) {
      const all = errors.indexOf('States.ALL');
      if (all >= 0 && (errors.length > 1 || i !== list.length - 1)) problems.schema('States.ALL must appear alone and at end of list', `${at}/ErrorEquals[${all}]`);
    }
    if (field === 'Retry') {
      integer(h.IntervalSeconds, `${at}/IntervalSeconds`, problems, 1, 99999999);
      integer(h.MaxAttempts, `${at}/MaxAttempts`, problems, 0, 99999999);
      number(h.BackoffRate, `${at}/BackoffRate`, problems, 1);
      integer(h.MaxDelaySeconds, `${at}/MaxDelaySeconds`, problems, 1, 31622400);
      if (has(h, 'JitterStrategy') && h.JitterStrategy !== 'FULL' && h.JitterStrategy !== 'NONE') problems.schema('Value should be one of the following: [FULL, NONE]', `${at}/JitterStrategy`);
    } else if (ql === 'JSONPath') {
      if (has(h, 'ResultPath')) referencePath(h.ResultPath, `${at}/ResultPath`, problems, true);
      if (has(h, 'Assign')) template(h.Assign, `${at}/Assign`, problems);
    } else {
      for (const f of ['Output', 'Assign']) if (has(h, f)) expressions(h[f], `${at}/${f}`, problems, true);
    }
    if (field === 'Catch' && has(h, 'Assign')) assign(h.Assign, `${at}/Assign`, ql, problems);
  });
}

/** https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html (timeouts: 1..99999999, Heartbeat below Timeout). */
function task(state: Obj, sp: string, ql: QL, problems: Problems): void {
  if (!has(state, 'Resource')) problems.schema('These fields are required: [Resource]', sp);
  else if (typeof state.Resource !== 'string') problems.schema('Expected value of type [STRING]', `${sp}/Resource`);
  exclusive(state, 'TimeoutSeconds', 'TimeoutSecondsPath', sp, problems);
  exclusive(state, 'HeartbeatSeconds', 'HeartbeatSecondsPath', sp, problems);
  integer(state.TimeoutSeconds, `${sp}/TimeoutSeconds`, problems, 1, 99999999, ql);
  integer(state.HeartbeatSeconds, `${sp}/HeartbeatSeconds`, problems, 1, 99999999, ql);
  if (isInt(state.TimeoutSeconds) && isInt(state.HeartbeatSeconds) && state.HeartbeatSeconds >= state.TimeoutSeconds) {
    problems.schema('HeartbeatSeconds must be smaller than TimeoutSeconds', sp);
  }
}

/** https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html */
function choice(state: Obj, sp: string, ql: QL, problems: Problems): void {
  if (!has(state, 'Choices')) { problems.schema('These fields are required: [Choices]', sp); return; }
  const rules = state.Choices;
  if (!Array.isArray(rules) || rules.length === 0) { problems.schema("The field 'Choices' should be non-empty", `${sp}/Choices`); return; }
  rules.forEach((r, i) => rule(r, `${sp}/Choices[${i}]`, ql, problems, true));
}

function rule(r: unknown, at: string, ql: QL, problems: Problems, top: boolean): void {
  if (!isObj(r)) { problems.schema('Expected value of type [OBJECT]', at); return; }
  const table: FieldTable = { ...RULE_FIELDS };
  for (const op of OPERATORS) table[op] = JSONPATH_ONLY;
  if (!top) { delete table.Next; delete table.Assign; delete table.Output; } // nested rules (And/Or/Not) do not transition
  checkFields(r, table, ql, at, problems);
  if (top && !has(r, 'Next')) problems.schema('These fields are required: [Next]', at);
  if (top && has(r, 'Assign')) (ql === 'JSONPath' ? template(r.Assign, `${at}/Assign`, problems) : expressions(r.Assign, `${at}/Assign`, problems, false));
  if (top && has(r, 'Assign')) assign(r.Assign, `${at}/Assign`, ql, problems);
  if (ql === 'JSONata') {
    if (!has(r, 'Condition')) problems.schema('These fields are required: [Condition]', at);
    for (const f of ['Condition', 'Output']) if (has(r, f)) expressions(r[f], `${at}/${f}`, problems, false);
    return;
  }
  for (const op of ['And', 'Or']) {
    if (!has(r, op)) continue;
    const list = r[op];
    if (!Array.isArray(list) || list.length === 0) problems.schema(`The field '${op}' should be non-empty`, `${at}/${op}`);
    else list.forEach((x, j) => rule(x, `${at}/${op}[${j}]`, ql, problems, false));
  }
  if (has(r, 'Not')) rule(r.Not, `${at}/Not`, ql, problems, false);
  if (has(r, 'And') || has(r, 'Or') || has(r, 'Not')) return;
  // A comparison: a Variable and exactly one operator of the right type (wording ours but the Variable's, recorded).
  if (!has(r, 'Variable')) problems.schema('These fields are required: [Variable]', at);
  else referencePath(r.Variable, `${at}/Variable`, problems);
  const ops = Object.keys(r).filter((k) => OPERATORS.has(k));
  if (ops.length !== 1) { problems.schema('A Choice rule must have exactly one comparison operator', at); return; }
  const [op] = ops;
  const v = r[op];
  if (op.endsWith('Path')) referencePath(v, `${at}/${op}`, problems);
  else if (op.startsWith('Is') || op.startsWith('Boolean')) { if (typeof v !== 'boolean') problems.schema('Expected value of type [BOOLEAN]', `${at}/${op}`); }
  else if (op.startsWith('Numeric')) { if (typeof v !== 'number') problems.schema('Expected value of type [NUMBER]', `${at}/${op}`); }
  else if (typeof v !== 'string') problems.schema('Expected value of type [STRING]', `${at}/${op}`);
}

/** https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html: exactly one of the four (wording ours). */
function wait(state: Obj, sp: string, ql: QL, problems: Problems): void {
  const given = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'].filter((k) => has(state, k));
  if (given.length !== 1) problems.schema(`Exactly one of these fields is required: [${ql === 'JSONata' ? 'Seconds, Timestamp' : 'Seconds, Timestamp, SecondsPath, TimestampPath'}]`, sp);
  integer(state.Seconds, `${sp}/Seconds`, problems, 0, 99999999, ql);
  const ts = state.Timestamp;
  if (ts !== undefined && !(ql === 'JSONata' && expressionOf(ts) !== undefined)) {
    if (typeof ts !== 'string' || !TIMESTAMP.test(ts) || Number.isNaN(Date.parse(ts.toUpperCase()))) {
      problems.schema('String does not match RFC3339 timestamp', `${sp}/Timestamp`);
    }
  }
}

/** https://docs.aws.amazon.com/step-functions/latest/dg/state-map.html (and the Distributed Map pages for its sub-objects). */
function map(state: Obj, sp: string, ql: QL, ctx: Context): void {
  const { problems } = ctx;
  const key = has(state, 'ItemProcessor') ? 'ItemProcessor' : has(state, 'Iterator') ? 'Iterator' : undefined;
  if (!key) problems.schema('These fields are required: [ItemProcessor]', sp);
  else if (!isObj(state[key])) problems.schema('Expected value of type [OBJECT]', `${sp}/${key}`);
  else scope(state[key] as Obj, `${sp}/${key}`, 'processor', ctx);
  // MaxConcurrency: the recorded location of both forms together is the first field.
  exclusive(state, 'MaxConcurrency', 'MaxConcurrencyPath', `${sp}/MaxConcurrency`, problems);
  integer(state.MaxConcurrency, `${sp}/MaxConcurrency`, problems, 0, undefined, ql);
  exclusive(state, 'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath', sp, problems);
  exclusive(state, 'ToleratedFailureCount', 'ToleratedFailureCountPath', sp, problems);
  number(state.ToleratedFailurePercentage, `${sp}/ToleratedFailurePercentage`, problems, 0, 100, ql);
  integer(state.ToleratedFailureCount, `${sp}/ToleratedFailureCount`, problems, 0, undefined, ql);
  const language = (o: Obj, at: string) => { if (ql === 'JSONPath' && has(o, 'Parameters')) template(o.Parameters, `${at}/Parameters`, problems); };
  if (isObj(state.ItemReader)) {
    const at = `${sp}/ItemReader`, r = state.ItemReader;
    checkFields(r, { Resource: ANY, ReaderConfig: ANY, Parameters: JSONPATH_ONLY, Arguments: JSONATA_ONLY }, ql, at, problems);
    if (!has(r, 'Resource')) problems.schema('These fields are required: [Resource]', at);
    else if (typeof r.Resource !== 'string' || !/^arn:[\w-]+:states:::s3:(getObject|listObjectsV2)$/.test(r.Resource)) problems.schema('The field \'Resource\' does not match any of the allowed values', `${at}/Resource`);
    language(r, at);
    if (isObj(r.ReaderConfig)) {
      const c = r.ReaderConfig, cat = `${at}/ReaderConfig`;
      for (const k of Object.keys(c)) if (!['InputType', 'CSVHeaderLocation', 'CSVHeaders', 'CSVDelimiter', 'MaxItems', 'MaxItemsPath', 'ManifestType'].includes(k)) problems.schema(`Field '${k}' is not supported`, cat);
      if (has(c, 'InputType') && !['CSV', 'JSON', 'JSONL', 'MANIFEST', 'PARQUET'].includes(c.InputType as string)) problems.schema('Value should be one of the following: [CSV, JSON, JSONL, MANIFEST, PARQUET]', `${cat}/InputType`);
      if (has(c, 'CSVHeaderLocation') && !['FIRST_ROW', 'GIVEN'].includes(c.CSVHeaderLocation as string)) problems.schema('Value should be one of the following: [FIRST_ROW, GIVEN]', `${cat}/CSVHeaderLocation`);
    }
  }
  if (isObj(state.ResultWriter)) {
    const at = `${sp}/ResultWriter`, w = state.ResultWriter;
    checkFields(w, { Resource: ANY, WriterConfig: ANY, Parameters: JSONPATH_ONLY, Arguments: JSONATA_ONLY }, ql, at, problems);
    if (has(w, 'Resource') && (typeof w.Resource !== 'string' || !/^arn:[\w-]+:states:::s3:putObject$/.test(w.Resource))) problems.schema('The field \'Resource\' does not match any of the allowed values', `${at}/Resource`);
    language(w, at);
    if (isObj(w.WriterConfig)) {
      const c = w.WriterConfig, cat = `${at}/WriterConfig`;
      for (const k of Object.keys(c)) if (k !== 'Transformation' && k !== 'OutputType') problems.schema(`Field '${k}' is not supported`, cat);
      if (has(c, 'Transformation') && !['NONE', 'COMPACT', 'FLATTEN'].includes(c.Transformation as string)) problems.schema('Value should be one of the following: [NONE, COMPACT, FLATTEN]', `${cat}/Transformation`);
      if (has(c, 'OutputType') && !['JSON', 'JSONL'].includes(c.OutputType as string)) problems.schema('Value should be one of the following: [JSON, JSONL]', `${cat}/OutputType`);
    }
  }
  if (isObj(state.ItemBatcher)) {
    const at = `${sp}/ItemBatcher`, b = state.ItemBatcher;
    checkFields(b, { MaxItemsPerBatch: ANY, MaxInputBytesPerBatch: ANY, BatchInput: ANY, MaxItemsPerBatchPath: JSONPATH_ONLY, MaxInputBytesPerBatchPath: JSONPATH_ONLY }, ql, at, problems);
    integer(b.MaxItemsPerBatch, `${at}/MaxItemsPerBatch`, problems, 1, undefined, ql);
    integer(b.MaxInputBytesPerBatch, `${at}/MaxInputBytesPerBatch`, problems, 1, 262144, ql);
    if (ql === 'JSONPath' && has(b, 'BatchInput')) template(b.BatchInput, `${at}/BatchInput`, problems);
  }
}

function processorConfig(v: unknown, at: string, problems: Problems): void {
  if (!isObj(v)) return;
  for (const k of Object.keys(v)) if (k !== 'Mode' && k !== 'ExecutionType') problems.schema(`Field '${k}' is not supported`, at);
  if (has(v, 'Mode') && v.Mode !== 'INLINE' && v.Mode !== 'DISTRIBUTED') problems.schema('Value should be one of the following: [INLINE, DISTRIBUTED]', `${at}/Mode`);
  if (has(v, 'ExecutionType') && v.ExecutionType !== 'STANDARD' && v.ExecutionType !== 'EXPRESS') problems.schema('Value should be one of the following: [STANDARD, EXPRESS]', `${at}/ExecutionType`);
}
