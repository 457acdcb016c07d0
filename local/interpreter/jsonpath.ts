/**
 * JSONPath as Step Functions evaluates it (Paths, Reference Paths, payload templates, ResultPath).
 * https://states-language.net/spec.html#path
 * https://docs.aws.amazon.com/step-functions/latest/dg/amazon-states-language-paths.html
 *
 * A definite path (`$.a.b[0]['c d']`) is walked here directly; an indefinite one (wildcards,
 * slices, filters, recursive descent, unions) goes to jsonpath-plus and always yields an array,
 * `[]` when nothing matches (recorded AWS behaviour, FINDINGS.md "Measured in session 2").
 * Paths may start at `$` (the input), `$$` (the context object) or `$name` (a variable).
 */
import { JSONPath } from 'jsonpath-plus';
import { StatesError } from './errors';
import { evaluateIntrinsic, isIntrinsic } from './intrinsics';

/** What a path can read besides the input: the context object and the variables in scope. */
export interface PathScope {
  readonly context: unknown;
  readonly variables: (name: string) => { found: boolean; value?: unknown };
}

interface Parsed {
  root: '$' | '$$' | { variable: string };
  /** Segments for a definite path; undefined when the path is indefinite. */
  segments?: (string | number)[];
  /** The path re-rooted at `$` (for jsonpath-plus and for error texts). */
  rest: string;
}

const cache = new Map<string, Parsed>();

function parse(path: string): Parsed {
  let parsed = cache.get(path);
  if (parsed) return parsed;
  let root: Parsed['root'];
  let i: number;
  // Variable names are Unicode identifiers (workflow-variables.html).
  if (path.startsWith('$$')) { root = '$$'; i = 2; } else if (/^\$[\p{ID_Start}_]/u.test(path)) {
    const m = /^\$([\p{ID_Start}_][\p{ID_Continue}]*)/u.exec(path)!;
    root = { variable: m[1] }; i = m[0].length;
  } else if (path.startsWith('$')) { root = '$'; i = 1; } else {
    throw new StatesError('States.Runtime', `Invalid path '${path}': a path must start with '$'`);
  }
  const rest = `$${path.slice(i)}`;
  const segments: (string | number)[] = [];
  let definite = true;
  while (i < path.length && definite) {
    const c = path[i];
    if (c === '.') {
      if (path[i + 1] === '.' || path[i + 1] === '*') { definite = false; break; }
      const m = /^[^.[\]]+/.exec(path.slice(i + 1));
      if (!m) throw new StatesError('States.Runtime', `Invalid path '${path}'`);
      segments.push(m[0]);
      i += 1 + m[0].length;
    } else if (c === '[') {
      const quoted = /^\[\s*(['"])((?:\\.|(?!\1).)*)\1\s*\]/.exec(path.slice(i));
      const index = /^\[\s*(-?\d+)\s*\]/.exec(path.slice(i));
      if (quoted) { segments.push(quoted[2].replace(/\\(.)/g, '$1')); i += quoted[0].length; } else if (index) { segments.push(Number(index[1])); i += index[0].length; } else { definite = false; }
    } else {
      throw new StatesError('States.Runtime', `Invalid path '${path}'`);
    }
  }
  parsed = { root, rest, segments: definite ? segments : undefined };
  cache.set(path, parsed);
  return parsed;
}

function rootValue(p: Parsed, input: unknown, scope: PathScope | undefined, path: string): unknown {
  if (p.root === '$') return input;
  if (p.root === '$$') return scope?.context;
  const v = scope?.variables(p.root.variable);
  if (!v?.found) throw new StatesError('States.Runtime', `Invalid path '${path}': The variable '$${p.root.variable}' is not defined`);
  return v.value;
}

/** Walks a definite path; `missingAt` is the index of the first segment that found nothing. */
function walk(value: unknown, segments: (string | number)[]): { found: boolean; value?: unknown; missingAt?: number } {
  let cur = value;
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (typeof s === 'number') {
      if (!Array.isArray(cur)) return { found: false, missingAt: i };
      const at = s < 0 ? cur.length + s : s;
      if (at < 0 || at >= cur.length) return { found: false, missingAt: i };
      cur = cur[at];
    } else {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !Object.prototype.hasOwnProperty.call(cur, s)) return { found: false, missingAt: i };
      cur = (cur as Record<string, unknown>)[s];
    }
  }
  return { found: true, value: cur };
}

/** `$['a']['b']`: how AWS names a path that found nothing. */
function bracketed(segments: (string | number)[]): string {
  return `$${segments.map((s) => (typeof s === 'number' ? `[${s}]` : `['${s}']`)).join('')}`;
}

/**
 * Evaluates a Path. A definite path that finds nothing throws `States.Runtime` (AWS: "Invalid path
 * '$.x' : No results for path: $['x']"); an indefinite one returns the array of matches.
 */
export function query(path: string, input: unknown, scope?: PathScope): unknown {
  const r = tryQuery(path, input, scope);
  if (!r.found) {
    // Recorded AWS wording (Jayway JsonPath): a missing last segment is "No results for path", a
    // missing one before it "Missing property in path" up to that segment.
    const segments = parse(path).segments ?? [];
    const at = r.missingAt ?? segments.length - 1;
    throw new StatesError('States.Runtime', at < segments.length - 1
      ? `Invalid path '${path}' : Missing property in path ${bracketed(segments.slice(0, at + 1))}`
      : `Invalid path '${path}' : No results for path: ${bracketed(segments)}`);
  }
  return r.value;
}

export function tryQuery(path: string, input: unknown, scope?: PathScope): { found: boolean; value?: unknown; missingAt?: number } {
  const p = parse(path);
  const root = rootValue(p, input, scope, path);
  if (p.segments) return p.segments.length === 0 ? { found: true, value: root } : walk(root, p.segments);
  if (root === null || typeof root !== 'object') return { found: true, value: [] };
  const matches = JSONPath({ path: p.rest, json: root as object, wrap: true, eval: 'safe' }) as unknown[] | undefined;
  return { found: true, value: matches ?? [] };
}

/**
 * Applies a ResultPath (a Reference Path) to the state's raw input: `$` replaces it, `null`
 * discards the result, `$.a.b` sets the field, creating objects on the way.
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-resultpath.html
 */
export function applyResultPath(input: unknown, result: unknown, resultPath: string | null | undefined): unknown {
  if (resultPath === null) return input;
  if (resultPath === undefined || resultPath === '$') return result;
  const p = parse(resultPath);
  if (p.root !== '$' || !p.segments) throw new StatesError('States.ResultPathMatchFailure', `Unable to apply ResultPath '${resultPath}': it is not a reference path`);
  const fail = () => new StatesError('States.ResultPathMatchFailure', `Unable to apply step "${resultPath}" to input ${JSON.stringify(input)}`);
  if (input === null || typeof input !== 'object') throw fail();
  const out: unknown = Array.isArray(input) ? [...input] : { ...(input as object) };
  let cur = out as Record<string | number, unknown>;
  p.segments.forEach((s, k) => {
    const last = k === p.segments!.length - 1;
    if (typeof s === 'number') {
      if (!Array.isArray(cur) || s < 0 || s >= cur.length) throw fail();
    } else if (Array.isArray(cur)) throw fail();
    if (last) { cur[s] = result; return; }
    const next = cur[s];
    if (next === undefined) cur[s] = {};
    else if (next === null || typeof next !== 'object') throw fail();
    else cur[s] = Array.isArray(next) ? [...next] : { ...(next as object) };
    cur = cur[s] as Record<string | number, unknown>;
  });
  return out;
}

/** InputPath / OutputPath: `null` gives `{}`; absent is `$`. */
export function selectPath(value: unknown, path: string | null | undefined, scope?: PathScope): unknown {
  if (path === null) return {};
  if (path === undefined || path === '$') return value;
  return query(path, value, scope);
}

/**
 * A payload template (Parameters, ResultSelector, ItemSelector, Map Parameters): `key.$` fields are
 * paths or intrinsic functions evaluated against `input`; everything else is literal.
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-inputpath-params.html
 */
export function evaluateTemplate(template: unknown, input: unknown, scope: PathScope, field = 'Parameters'): unknown {
  if (Array.isArray(template)) return template.map((v) => evaluateTemplate(v, input, scope, field));
  if (template === null || typeof template !== 'object') return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template as Record<string, unknown>)) {
    if (key.endsWith('.$') && typeof value === 'string') {
      out[key.slice(0, -2)] = evaluateExpression(value, input, scope, key);
    } else {
      out[key] = evaluateTemplate(value, input, scope, field);
    }
  }
  return out;
}

/** One `.$` value: an intrinsic function or a path. */
export function evaluateExpression(expr: string, input: unknown, scope: PathScope, field: string): unknown {
  const resolve = (path: string) => {
    const r = tryQuery(path, input, scope);
    if (!r.found) throw new StatesError('States.Runtime', `The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${JSON.stringify(path.startsWith('$$') ? scope.context : input)}'`);
    return r.value;
  };
  if (!isIntrinsic(expr)) return resolve(expr);
  try {
    return evaluateIntrinsic(expr, resolve);
  } catch (err) {
    // Recorded AWS behaviour: an intrinsic given bad arguments fails the execution with
    // States.Runtime (cause "Invalid arguments in States.X"), which States.ALL does not catch.
    if (err instanceof StatesError && err.name === 'States.IntrinsicFailure') throw new StatesError('States.Runtime', err.message);
    throw err;
  }
}
