/**
 * Choice rules in JSONPath: comparison operators, their `*Path` forms, type tests, And/Or/Not.
 * A comparison whose variable has another type is false (not an error); a variable path that finds
 * nothing is an error except for `IsPresent`.
 * https://states-language.net/spec.html#choice-state
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html
 */
import { StatesError } from './errors';
import { query, tryQuery, PathScope } from './jsonpath';

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function isTimestamp(v: unknown): v is string {
  return typeof v === 'string' && TIMESTAMP.test(v) && !Number.isNaN(Date.parse(v));
}

/** Milliseconds plus the sub-millisecond digits, so `...00.0001Z` > `...00Z` as on AWS. */
function timestampKey(v: string): [number, string] {
  const frac = /\.(\d+)/.exec(v)?.[1] ?? '';
  return [Date.parse(v), frac.slice(3).padEnd(9, '0')];
}

function compareTimestamps(a: string, b: string): number {
  const [ma, fa] = timestampKey(a);
  const [mb, fb] = timestampKey(b);
  return ma !== mb ? ma - mb : fa < fb ? -1 : fa > fb ? 1 : 0;
}

/** `*` matches any run of characters; `\*` and `\\` are literal. */
function matches(value: string, pattern: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) { re += escapeRe(pattern[++i]); continue; }
    re += c === '*' ? '.*' : escapeRe(c);
  }
  return new RegExp(`^${re}$`, 's').test(value);
}
const escapeRe = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

type Kind = 'String' | 'Numeric' | 'Boolean' | 'Timestamp';
const KIND_TEST: Record<Kind, (v: unknown) => boolean> = {
  String: (v) => typeof v === 'string',
  Numeric: (v) => typeof v === 'number',
  Boolean: (v) => typeof v === 'boolean',
  Timestamp: isTimestamp,
};

function compare(kind: Kind, a: unknown, b: unknown): number {
  if (kind === 'Timestamp') return compareTimestamps(a as string, b as string);
  if (kind === 'Numeric') return (a as number) - (b as number);
  if (kind === 'Boolean') return a === b ? 0 : 1;
  return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
}

const OPS: Record<string, (c: number) => boolean> = {
  Equals: (c) => c === 0, LessThan: (c) => c < 0, GreaterThan: (c) => c > 0, LessThanEquals: (c) => c <= 0, GreaterThanEquals: (c) => c >= 0,
};

const COMPARISON = /^(String|Numeric|Boolean|Timestamp)(Equals|LessThan|GreaterThan|LessThanEquals|GreaterThanEquals)(Path)?$/;

export type Rule = Record<string, unknown>;

/** Evaluates one rule (a Choices entry, or a nested one inside And/Or/Not). */
export function evaluateRule(rule: Rule, input: unknown, scope: PathScope): boolean {
  if (Array.isArray(rule.And)) return (rule.And as Rule[]).every((r) => evaluateRule(r, input, scope));
  if (Array.isArray(rule.Or)) return (rule.Or as Rule[]).some((r) => evaluateRule(r, input, scope));
  if (rule.Not && typeof rule.Not === 'object') return !evaluateRule(rule.Not as Rule, input, scope);
  const variable = String(rule.Variable);
  if ('IsPresent' in rule) return tryQuery(variable, input, scope).found === rule.IsPresent;
  const found = tryQuery(variable, input, scope);
  if (!found.found) throw new StatesError('States.Runtime', `Invalid path '${variable}': The choice state's condition path references an invalid value.`);
  const value = found.value;
  for (const [op, operand] of Object.entries(rule)) {
    if (op === 'IsNull') return (value === null) === operand;
    if (op === 'IsNumeric') return (typeof value === 'number') === operand;
    if (op === 'IsString') return (typeof value === 'string') === operand;
    if (op === 'IsBoolean') return (typeof value === 'boolean') === operand;
    if (op === 'IsTimestamp') return isTimestamp(value) === operand;
    if (op === 'StringMatches') return typeof value === 'string' && matches(value, String(operand));
    const m = COMPARISON.exec(op);
    if (!m) continue;
    const kind = m[1] as Kind;
    const other = m[3] ? query(String(operand), input, scope) : operand;
    if (!KIND_TEST[kind](value) || !KIND_TEST[kind](other)) return false;
    return OPS[m[2]](compare(kind, value, other));
  }
  return false;
}
