/**
 * JSONata as Step Functions evaluates it: a field value that is a string `{% expr %}` is an
 * expression, any other value is literal; objects and arrays are walked for expressions. Inside,
 * `$states` is `{input, result, errorOutput, context}` and every variable in scope is `$name`.
 * Step Functions adds $partition, $range, $hash, $random, $uuid and $parse.
 * https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
 */
import { createHash, randomUUID } from 'crypto';
import jsonata from 'jsonata';
import { ErrorFacts, StatesError } from './errors';

type Expression = ReturnType<typeof jsonata>;
const compiled = new Map<string, Expression>();

/** The body of a `{% %}` string, or undefined when the value is not an expression. */
export function expressionOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('{%') || !value.endsWith('%}') || value.length < 4) return undefined;
  return value.slice(2, -2);
}

function compile(expr: string): Expression {
  let e = compiled.get(expr);
  if (!e) {
    try {
      e = jsonata(expr);
    } catch (err) {
      throw new EvaluationError(`The JSONata expression '${expr.trim()}' could not be parsed: ${(err as Error).message}`, '');
    }
    compiled.set(expr, e);
  }
  return e;
}

/** A seeded generator (mulberry32) for `$random(seed)`: same seed, same number. */
function seeded(seed: number): number {
  let t = (seed + 0x6d2b79f5) | 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const HASHES: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

const awsFunctions: Record<string, unknown> = {
  partition: (array: unknown[], size: number) => {
    if (!Array.isArray(array) || !Number.isInteger(size) || size < 1) throw new StatesError('States.QueryEvaluationError', '$partition expects an array and a positive integer');
    const out: unknown[][] = [];
    for (let i = 0; i < array.length; i += size) out.push(array.slice(i, i + size));
    return out;
  },
  range: (start: number, end: number, step: number) => {
    if (![start, end, step].every(Number.isInteger) || step === 0) throw new StatesError('States.QueryEvaluationError', '$range expects integer start, end and a non-zero step');
    const out: number[] = [];
    for (let v = start; step > 0 ? v <= end : v >= end; v += step) {
      out.push(v);
      if (out.length > 1000) throw new StatesError('States.QueryEvaluationError', '$range produces at most 1000 items');
    }
    // A JSONata sequence of one value is that value (recorded: `$range(1, 1, 1)` is 1).
    return out.length === 1 ? out[0] : out;
  },
  hash: (data: unknown, algorithm: string) => {
    const alg = HASHES[algorithm];
    if (!alg) throw new StatesError('States.QueryEvaluationError', `$hash: unsupported algorithm ${algorithm}`);
    return createHash(alg).update(typeof data === 'string' ? data : JSON.stringify(data)).digest('hex');
  },
  random: (seed?: number) => (seed === undefined ? Math.random() : seeded(Math.trunc(seed))),
  uuid: () => randomUUID(),
  // "$eval is not available—use $parse instead" (transforming-data.html).
  eval: () => { throw new StatesError('States.QueryEvaluationError', '$eval is not supported by Step Functions; use $parse'); },
  parse: (text: string) => {
    try { return JSON.parse(text); } catch { throw new StatesError('States.QueryEvaluationError', `$parse: not JSON: ${text}`); }
  },
};

export interface JsonataScope {
  readonly states: Record<string, unknown>;
  /** Variables in scope, by name without `$`. */
  readonly variables: Record<string, unknown>;
  /** The execution's clock, which `$now()` and `$millis()` read (so they follow the runtime clock). */
  readonly now?: () => number;
}

const fromMillis = jsonata('$fromMillis($ms, $picture, $tz)');

/** `$now()` / `$millis()` on the execution's clock; a picture or time zone is formatted by JSONata. */
function clockFunctions(now: () => number): Record<string, unknown> {
  return {
    millis: () => now(),
    now: (picture?: string, timezone?: string) => (picture === undefined && timezone === undefined
      ? new Date(now()).toISOString()
      : fromMillis.evaluate(undefined, { ms: now(), picture, tz: timezone })),
  };
}

/** An expression that failed: `location` is the field path AWS reports (`Output`, `Arguments/FunctionName`). */
export class EvaluationError extends StatesError {
  constructor(cause: string, readonly location: string, facts: ErrorFacts = {}) { super('States.QueryEvaluationError', cause, facts); }

  withCause(cause: string, facts: ErrorFacts): EvaluationError {
    return new EvaluationError(cause, this.location, { ...this.facts, ...facts });
  }
}

/**
 * Evaluates one expression body. An expression that throws, or yields nothing, fails with
 * `States.QueryEvaluationError` (recorded AWS wording: "... returned nothing (undefined).").
 */
export async function evaluate(expr: string, scope: JsonataScope, field: string): Promise<unknown> {
  const e = compile(expr);
  const text = expr.trim();
  let result: unknown;
  try {
    result = await e.evaluate(undefined, { ...awsFunctions, ...(scope.now ? clockFunctions(scope.now) : {}), ...scope.variables, states: scope.states });
  } catch (err) {
    if (err instanceof EvaluationError) throw err;
    // Recorded AWS: the JSONata error code leads the message ("T1006: Attempted to invoke a non-function").
    const e = err as { message?: string; code?: string };
    const msg = `${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`;
    throw new EvaluationError(`The JSONata expression '${text}' specified for the field '${field}' threw an error during evaluation. ${msg}`, field);
  }
  const value = normalize(result);
  if (value === undefined) throw new EvaluationError(`The JSONata expression '${text}' specified for the field '${field}' returned nothing (undefined).`, field);
  return value;
}

/** JSONata sequences are arrays with extra flags; functions and undefined have no JSON form. */
function normalize(v: unknown): unknown {
  if (v === undefined || typeof v === 'function') return undefined;
  if (Array.isArray(v)) return v.map(normalize).filter((x) => x !== undefined);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) { const n = normalize(x); if (n !== undefined) out[k] = n; }
    return out;
  }
  return v;
}

/**
 * A field that may hold expressions anywhere inside (Arguments, Output, Assign values, ItemSelector).
 * An expression that yields nothing fails at any depth (recorded: AWS does not drop the field); the
 * location names the path to it (`Output/result`).
 */
export async function evaluateValue(value: unknown, scope: JsonataScope, field: string): Promise<unknown> {
  const expr = expressionOf(value);
  if (expr !== undefined) return evaluate(expr, scope, field);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(await evaluateValue(value[i], scope, `${field}/${i}`));
    return out;
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await evaluateValue(v, scope, `${field}/${k}`);
    return out;
  }
  return value;
}
