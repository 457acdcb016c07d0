/**
 * EventBridge event-pattern matching, written against the content-filtering rules of
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 * Operators: exact values (string, number, boolean, null), prefix, suffix (each optionally with
 * equals-ignore-case), equals-ignore-case, anything-but (value, list, prefix, suffix,
 * equals-ignore-case, wildcard), numeric ranges, exists, cidr (IPv4 and IPv6), wildcard, and `$or`.
 * Arrays in the event match when any element matches.
 */
import { isIP } from 'net';

export class InvalidEventPatternError extends Error {
  constructor(message: string) {
    super(`Event pattern is not valid. Reason: ${message}`);
    this.name = 'InvalidEventPatternException';
  }
}

type Pattern = Record<string, unknown>;
const MISSING = Symbol('missing');

/** Throws InvalidEventPatternError when the pattern is not of EventBridge's grammar. */
export function validatePattern(pattern: unknown, path = ''): void {
  if (typeof pattern !== 'object' || pattern === null || Array.isArray(pattern)) throw new InvalidEventPatternError(`${path || 'pattern'} must be an object`);
  for (const [key, value] of Object.entries(pattern)) {
    const p = path ? `${path}.${key}` : key;
    if (key === '$or') {
      if (!Array.isArray(value) || value.length < 2) throw new InvalidEventPatternError(`${p} must be an array of at least 2 patterns`);
      value.forEach((v, i) => validatePattern(v, `${p}[${i}]`));
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw new InvalidEventPatternError(`${p} must not be an empty array`);
      value.forEach((v) => validateMatcher(v, p));
    } else if (typeof value === 'object' && value !== null) {
      validatePattern(value, p);
    } else {
      throw new InvalidEventPatternError(`${p} must be an object or an array`);
    }
  }
}

function validateMatcher(m: unknown, p: string): void {
  if (m === null || typeof m !== 'object') return;
  if (Array.isArray(m)) throw new InvalidEventPatternError(`${p}: nested arrays are not allowed`);
  const entries = Object.entries(m);
  if (entries.length !== 1) throw new InvalidEventPatternError(`${p}: a matcher object must have exactly one operator`);
  const [op, v] = entries[0];
  switch (op) {
    case 'prefix': case 'suffix':
      if (typeof v === 'string') return;
      if (v && typeof v === 'object' && typeof (v as Pattern)['equals-ignore-case'] === 'string' && Object.keys(v).length === 1) return;
      throw new InvalidEventPatternError(`${p}: ${op} takes a string or {"equals-ignore-case": string}`);
    case 'equals-ignore-case':
      if (typeof v !== 'string') throw new InvalidEventPatternError(`${p}: equals-ignore-case takes a string`);
      return;
    case 'wildcard':
      if (typeof v !== 'string') throw new InvalidEventPatternError(`${p}: wildcard takes a string`);
      if (v.includes('**')) throw new InvalidEventPatternError(`${p}: consecutive wildcard characters are not allowed`);
      return;
    case 'exists':
      if (typeof v !== 'boolean') throw new InvalidEventPatternError(`${p}: exists takes true or false`);
      return;
    case 'cidr':
      if (typeof v !== 'string' || !parseCidr(v)) throw new InvalidEventPatternError(`${p}: cidr takes an IPv4 or IPv6 CIDR block`);
      return;
    case 'numeric': {
      if (!Array.isArray(v) || v.length === 0 || v.length > 4 || v.length % 2 !== 0) throw new InvalidEventPatternError(`${p}: numeric takes [op, number] or [op, number, op, number]`);
      for (let i = 0; i < v.length; i += 2) {
        if (!['<', '<=', '=', '>', '>='].includes(v[i]) || typeof v[i + 1] !== 'number') throw new InvalidEventPatternError(`${p}: numeric operator ${JSON.stringify(v[i])} with ${JSON.stringify(v[i + 1])}`);
      }
      return;
    }
    case 'anything-but': {
      if (typeof v === 'string' || typeof v === 'number') return;
      if (Array.isArray(v)) {
        if (v.every((x) => typeof x === 'string') || v.every((x) => typeof x === 'number')) return;
        throw new InvalidEventPatternError(`${p}: anything-but list must be all strings or all numbers`);
      }
      if (v && typeof v === 'object') {
        const [[inner, iv]] = Object.entries(v);
        if (Object.keys(v).length === 1 && ['prefix', 'suffix', 'wildcard'].includes(inner) && typeof iv === 'string') return;
        if (Object.keys(v).length === 1 && inner === 'equals-ignore-case' && (typeof iv === 'string' || (Array.isArray(iv) && iv.every((x) => typeof x === 'string')))) return;
      }
      throw new InvalidEventPatternError(`${p}: anything-but takes a value, a list, or {prefix|suffix|wildcard|equals-ignore-case}`);
    }
    default:
      throw new InvalidEventPatternError(`${p}: unknown operator ${op}`);
  }
}

export function matchesPattern(pattern: Pattern, event: unknown): boolean {
  return matchObject(pattern, event);
}

function matchObject(pattern: Pattern, value: unknown): boolean {
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!(sub as Pattern[]).some((alt) => matchObject(alt, value))) return false;
      continue;
    }
    const field = value !== null && typeof value === 'object' && !Array.isArray(value) && key in (value as Pattern) ? (value as Pattern)[key] : MISSING;
    if (Array.isArray(sub)) {
      if (!matchLeaf(sub, field)) return false;
    } else {
      // A nested pattern: the event must have an object there (or an array of objects).
      if (field === MISSING || field === null || typeof field !== 'object') return false;
      if (Array.isArray(field) ? !field.some((f) => f !== null && typeof f === 'object' && matchObject(sub as Pattern, f)) : !matchObject(sub as Pattern, field)) return false;
    }
  }
  return true;
}

function matchLeaf(matchers: unknown[], field: unknown): boolean {
  // exists works on the field itself; every other matcher on each of its values.
  const values = field === MISSING ? [] : Array.isArray(field) ? field : [field];
  return matchers.some((m) => {
    if (m !== null && typeof m === 'object' && 'exists' in (m as Pattern)) {
      const present = field !== MISSING && (typeof field !== 'object' || field === null || (Array.isArray(field) && field.length > 0 && field.every((v) => v === null || typeof v !== 'object')));
      return (m as Pattern).exists ? present : field === MISSING;
    }
    if (m !== null && typeof m === 'object' && 'anything-but' in (m as Pattern)) {
      if (field === MISSING) return false;
      return values.length > 0 && values.every((v) => anythingBut((m as Pattern)['anything-but'], v));
    }
    return values.some((v) => matchValue(m, v));
  });
}

function matchValue(m: unknown, v: unknown): boolean {
  if (m === null) return v === null;
  if (typeof m !== 'object') {
    if (typeof m === 'number' && typeof v === 'number') return m === v;
    return m === v;
  }
  const [[op, arg]] = Object.entries(m as Pattern);
  if (v !== null && typeof v === 'object') return false;
  switch (op) {
    case 'prefix': case 'suffix': {
      if (typeof v !== 'string') return false;
      const ignoreCase = typeof arg === 'object';
      const needle = ignoreCase ? String((arg as Pattern)['equals-ignore-case']).toLowerCase() : String(arg);
      const hay = ignoreCase ? v.toLowerCase() : v;
      return op === 'prefix' ? hay.startsWith(needle) : hay.endsWith(needle);
    }
    case 'equals-ignore-case': return typeof v === 'string' && v.toLowerCase() === String(arg).toLowerCase();
    case 'wildcard': return typeof v === 'string' && wildcardRegex(String(arg)).test(v);
    case 'numeric': return typeof v === 'number' && numeric(arg as unknown[], v);
    case 'cidr': return typeof v === 'string' && inCidr(String(arg), v);
    default: return false;
  }
}

function anythingBut(arg: unknown, v: unknown): boolean {
  if (Array.isArray(arg)) return !arg.some((a) => a === v);
  if (arg !== null && typeof arg === 'object') {
    const [[op, inner]] = Object.entries(arg as Pattern);
    if (typeof v !== 'string') return true; // string operators never exclude a non-string value
    switch (op) {
      case 'prefix': return !v.startsWith(String(inner));
      case 'suffix': return !v.endsWith(String(inner));
      case 'wildcard': return !wildcardRegex(String(inner)).test(v);
      case 'equals-ignore-case': return !(Array.isArray(inner) ? inner : [inner]).some((x) => String(x).toLowerCase() === v.toLowerCase());
      default: return false;
    }
  }
  return arg !== v;
}

function numeric(spec: unknown[], v: number): boolean {
  for (let i = 0; i < spec.length; i += 2) {
    const bound = spec[i + 1] as number;
    const ok = { '<': v < bound, '<=': v <= bound, '=': v === bound, '>': v > bound, '>=': v >= bound }[spec[i] as string];
    if (!ok) return false;
  }
  return true;
}

const wildcardCache = new Map<string, RegExp>();
function wildcardRegex(p: string): RegExp {
  let re = wildcardCache.get(p);
  if (!re) {
    let src = '';
    for (let i = 0; i < p.length; i++) {
      if (p[i] === '\\' && i + 1 < p.length) { src += p[++i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); continue; }
      src += p[i] === '*' ? '.*' : p[i].replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
    re = new RegExp(`^${src}$`, 's');
    wildcardCache.set(p, re);
  }
  return re;
}

function ipToBigInt(ip: string): { value: bigint; bits: number } | undefined {
  const kind = isIP(ip);
  if (kind === 4) return { value: ip.split('.').reduce((a, o) => (a << 8n) + BigInt(Number(o)), 0n), bits: 32 };
  if (kind === 6) {
    const [head, tail] = ip.split('::');
    const h = head ? head.split(':') : [];
    const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
    const groups = tail !== undefined ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
    return { value: groups.reduce((a, g) => (a << 16n) + BigInt(parseInt(g || '0', 16)), 0n), bits: 128 };
  }
  return undefined;
}

function parseCidr(cidr: string) {
  const [ip, len] = cidr.split('/');
  const addr = ipToBigInt(ip);
  const n = Number(len);
  if (!addr || len === undefined || !Number.isInteger(n) || n < 0 || n > addr.bits) return undefined;
  return { ...addr, prefix: n };
}

function inCidr(cidr: string, ip: string): boolean {
  const block = parseCidr(cidr);
  const addr = ipToBigInt(ip);
  if (!block || !addr || addr.bits !== block.bits) return false;
  const shift = BigInt(block.bits - block.prefix);
  return addr.value >> shift === block.value >> shift;
}
