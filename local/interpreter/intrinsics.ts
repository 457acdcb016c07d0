/**
 * Intrinsic functions of JSONPath states (`"x.$": "States.Format('Hi {}', $.name)"`).
 * https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html
 * https://states-language.net/spec.html#appendix-b
 *
 * Where the documentation is silent or wrong, behaviour follows AWS's recorded answers in LocalStack's
 * snapshot tests (tests/aws/services/stepfunctions/v2/intrinsic_functions/*.snapshot.json).
 * A bad argument throws `StatesError('States.IntrinsicFailure', 'Invalid arguments in States.X')`:
 * that wording is what AWS puts in the cause. (AWS reports the execution error itself as `States.Runtime`.)
 */
import { createHash, randomUUID } from 'crypto';
import { StatesError } from './errors';

type Node =
  | { kind: 'call'; name: string; args: Node[] }
  /** `raw` keeps the escapes: States.Format needs to tell `\{` from `{`. */
  | { kind: 'string'; value: string; raw: string }
  | { kind: 'literal'; value: number | boolean | null }
  | { kind: 'path'; path: string };

/** Argument counts, [min, max]. */
const ARITY: Record<string, [number, number]> = {
  'States.Format': [1, Infinity], 'States.StringToJson': [1, 1], 'States.JsonToString': [1, 1],
  'States.Array': [0, Infinity], 'States.ArrayPartition': [2, 2], 'States.ArrayContains': [2, 2],
  'States.ArrayRange': [3, 3], 'States.ArrayGetItem': [2, 2], 'States.ArrayLength': [1, 1],
  'States.ArrayUnique': [1, 1], 'States.Base64Encode': [1, 1], 'States.Base64Decode': [1, 1],
  'States.Hash': [2, 2], 'States.JsonMerge': [3, 3], 'States.MathRandom': [2, 3],
  'States.MathAdd': [2, 2], 'States.StringSplit': [2, 2], 'States.UUID': [0, 0],
};

export function isIntrinsic(text: string): boolean {
  return /^States\.[A-Za-z0-9]+\(/.test(text);
}

const cache = new Map<string, Node>();

export function parseIntrinsic(text: string): unknown {
  return parse(text);
}

export function evaluateIntrinsic(text: string, resolvePath: (path: string) => unknown): unknown {
  let ast: Node;
  try {
    ast = parse(text);
  } catch (e) {
    throw new StatesError('States.IntrinsicFailure', (e as Error).message);
  }
  return evaluate(ast, resolvePath);
}

function parse(text: string): Node {
  let ast = cache.get(text);
  if (!ast) {
    ast = new Parser(text).parseAll();
    cache.set(text, ast);
  }
  return ast;
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseAll(): Node {
    const call = this.call();
    this.space();
    if (this.pos < this.text.length) this.fail(`unexpected '${this.text.slice(this.pos)}'`);
    return call;
  }

  private fail(problem: string): never {
    throw new Error(`Invalid intrinsic function ${this.text}: ${problem}`);
  }

  private space(): void {
    while (/\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }

  private call(): Node {
    const m = /^States\.[A-Za-z0-9]+/.exec(this.text.slice(this.pos));
    if (!m) this.fail(`expected a States.<name>( call at position ${this.pos}`);
    const name = m[0];
    if (!(name in ARITY)) this.fail(`unknown function ${name}`);
    this.pos += name.length;
    if (this.text[this.pos] !== '(') this.fail(`expected '(' after ${name}`);
    this.pos++;
    const args: Node[] = [];
    this.space();
    if (this.text[this.pos] === ')') {
      this.pos++;
      return { kind: 'call', name, args };
    }
    for (;;) {
      args.push(this.arg());
      this.space();
      const c = this.text[this.pos++];
      if (c === ')') return { kind: 'call', name, args };
      if (c !== ',') this.fail(`expected ',' or ')' in the arguments of ${name}`);
    }
  }

  private arg(): Node {
    this.space();
    const rest = this.text.slice(this.pos);
    if (rest.startsWith("'")) return this.string();
    if (rest.startsWith('$')) return this.path();
    if (rest.startsWith('States.')) return this.call();
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(rest);
    const keyword = /^(true|false|null)\b/.exec(rest);
    const token = number ?? keyword;
    if (!token) this.fail(`unexpected argument '${rest}'`);
    this.pos += token[0].length;
    return { kind: 'literal', value: number ? Number(token[0]) : JSON.parse(token[0]) };
  }

  /**
   * `'...'` with the escapes AWS reserves: `\'`, `\{`, `\}`, `\\`. Any other backslash is an error
   * (docs, "Reserved characters in intrinsic functions").
   */
  private string(): Node {
    const start = ++this.pos;
    let value = '';
    for (;;) {
      const c = this.text[this.pos++];
      if (c === undefined) this.fail('unterminated string literal');
      if (c === "'") return { kind: 'string', value, raw: this.text.slice(start, this.pos - 1) };
      if (c === '\\') {
        const next = this.text[this.pos++];
        if (next === undefined || !"'{}\\".includes(next)) this.fail(`invalid escape '\\${next ?? ''}' in a string literal`);
        value += next;
      } else value += c;
    }
  }

  /** A path runs to the first `,` `)` or space outside brackets, parentheses and quotes (`$.a[?(@.b > 1)]`). */
  private path(): Node {
    const start = this.pos;
    let depth = 0;
    let quote: string | undefined;
    for (; this.pos < this.text.length; this.pos++) {
      const c = this.text[this.pos];
      if (quote) {
        if (c === '\\') this.pos++;
        else if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[' || c === '(') depth++;
      else if (c === ']' || (c === ')' && depth > 0)) depth--;
      else if (depth === 0 && (c === ',' || c === ')' || /\s/.test(c))) break;
    }
    return { kind: 'path', path: this.text.slice(start, this.pos) };
  }
}

function evaluate(node: Node, resolvePath: (path: string) => unknown): unknown {
  switch (node.kind) {
    case 'string':
    case 'literal':
      return node.value;
    case 'path':
      return resolvePath(node.path);
    case 'call': {
      const [min, max] = ARITY[node.name];
      if (node.args.length < min || node.args.length > max) invalid(node.name);
      const args = node.args.map((a) => evaluate(a, resolvePath));
      if (node.name === 'States.Format') {
        const template = node.args[0];
        return format(template.kind === 'string' ? template.raw : args[0], args.slice(1));
      }
      return FUNCTIONS[node.name](args);
    }
  }
}

function invalid(name: string): never {
  throw new StatesError('States.IntrinsicFailure', `Invalid arguments in ${name}`);
}

type Fn = (args: unknown[]) => unknown;

const FUNCTIONS: Record<string, Fn> = {
  'States.StringToJson': ([s]) => {
    const text = str('States.StringToJson', s);
    // Recorded: "" and " " give null (test_json_manipulation.py::test_string_to_json).
    if (text.trim() === '') return null;
    try {
      return noNegativeZero(JSON.parse(text));
    } catch {
      return invalid('States.StringToJson');
    }
  },
  // Compact JSON text, recorded: {"Arg1":1,"Arg2":[]} (test_json_to_string).
  'States.JsonToString': ([v]) => JSON.stringify(v),
  'States.Array': (args) => args,
  'States.ArrayPartition': ([a, n]) => {
    const array = arr('States.ArrayPartition', a);
    const size = int('States.ArrayPartition', n);
    if (size <= 0) invalid('States.ArrayPartition');
    const chunks: unknown[][] = [];
    for (let i = 0; i < array.length; i += size) chunks.push(array.slice(i, i + size));
    return chunks;
  },
  'States.ArrayContains': ([a, v]) => arr('States.ArrayContains', a).some((x) => jsonEquals(x, v)),
  'States.ArrayRange': ([a, b, c]) => {
    const [start, end, step] = [a, b, c].map((x) => int('States.ArrayRange', x));
    if (step === 0) invalid('States.ArrayRange');
    // End is inclusive: recorded ArrayRange(0, 9, 3) = [0, 3, 6, 9] (test_array.py::test_array_range).
    const count = Math.sign(end - start) === -Math.sign(step) ? 0 : Math.floor((end - start) / step) + 1;
    if (count > 1000) invalid('States.ArrayRange'); // docs: "can't contain more than 1000 items"
    return Array.from({ length: count }, (_, i) => start + i * step);
  },
  'States.ArrayGetItem': ([a, i]) => {
    const array = arr('States.ArrayGetItem', a);
    const index = int('States.ArrayGetItem', i);
    if (index < 0 || index >= array.length) invalid('States.ArrayGetItem');
    return array[index];
  },
  'States.ArrayLength': ([a]) => arr('States.ArrayLength', a).length,
  'States.ArrayUnique': ([a]) => {
    const out: unknown[] = [];
    for (const x of arr('States.ArrayUnique', a)) if (!out.some((y) => jsonEquals(x, y))) out.push(x);
    return out;
  },
  'States.Base64Encode': ([s]) => Buffer.from(limited('States.Base64Encode', s), 'utf8').toString('base64'),
  // Node's decoder skips characters outside the alphabet, as AWS is reported to.
  'States.Base64Decode': ([s]) => Buffer.from(limited('States.Base64Decode', s), 'base64').toString('utf8'),
  'States.Hash': ([d, algorithm]) => {
    // The data may be any JSON value, hashed as its text (a string as itself).
    const data = limited('States.Hash', typeof d === 'string' ? d : JSON.stringify(d));
    if (typeof algorithm !== 'string' || !Object.hasOwn(HASHES, algorithm)) invalid('States.Hash');
    return createHash(HASHES[algorithm]).update(data, 'utf8').digest('hex');
  },
  'States.JsonMerge': ([a, b, deep]) => {
    // docs: only the shallow mode exists; the third argument must be false.
    if (!isObject(a) || !isObject(b) || deep === true) invalid('States.JsonMerge');
    return { ...a, ...b };
  },
  'States.MathRandom': ([a, b, s]) => {
    const start = int('States.MathRandom', a);
    const end = int('States.MathRandom', b);
    const bound = end - start;
    if (bound <= 0 || bound > 0x7fffffff) invalid('States.MathRandom');
    // Start inclusive, end exclusive. docs: "If you use this function with the same seed value,
    // it returns an identical number."
    if (s === undefined) return start + Math.floor(Math.random() * bound);
    return start + javaRandomNextInt(int('States.MathRandom', s), bound);
  },
  'States.MathAdd': ([a, b]) => {
    if (typeof a !== 'number' || typeof b !== 'number') invalid('States.MathAdd');
    // Each argument is rounded half up, as Java's Math.round: recorded 1.49 + 1.5 = 3, 1.5 + 1.51 = 4,
    // -1.5 + 0 = -1, -0.5 + 0.5 = 1 (test_math_operations.py::test_math_add).
    return Math.round(a) + Math.round(b) + 0;
  },
  'States.StringSplit': ([s, d]) => {
    const text = str('States.StringSplit', s);
    const delimiters = new Set(str('States.StringSplit', d));
    // Every character of the second argument is a delimiter and empty pieces are dropped, recorded:
    // "This.is+a,test=string" split on ".+,=" and ",,,," split on "," = [] (test_string_split).
    const parts: string[] = [];
    let current = '';
    for (const c of text) {
      if (delimiters.has(c)) {
        if (current) parts.push(current);
        current = '';
      } else current += c;
    }
    if (current) parts.push(current);
    return parts;
  },
  'States.UUID': () => randomUUID(),
};

const HASHES: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

/**
 * States.Format: each `{}` takes the next argument; `\{` `\}` are literal braces, a lone brace is an error.
 * Values render as Java's toString does, recorded: null as `null`, an object as `{Arg1=1, Arg2=[]}`
 * (test_generic.py::test_format_2, test_context_json_path).
 */
function format(template: unknown, values: unknown[]): string {
  const text = str('States.Format', template);
  let out = '';
  let next = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && '{}\\\''.includes(text[i + 1] ?? '')) out += text[++i];
    else if (c === '{' && text[i + 1] === '}') {
      if (next >= values.length) invalid('States.Format');
      out += render(values[next++]);
      i++;
    } else if (c === '{' || c === '}') invalid('States.Format');
    else out += c;
  }
  // docs: "There must be as many remaining arguments ... as there are occurrences of {}".
  if (next !== values.length) invalid('States.Format');
  return out;
}

function render(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(render).join(', ')}]`;
  if (isObject(v)) return `{${Object.entries(v).map(([k, x]) => `${k}=${render(x)}`).join(', ')}}`;
  return String(v);
}

/**
 * Integer arguments are truncated toward zero. The docs say non-integers are "rounded off to the nearest
 * integer", but AWS was observed truncating for these functions (e.g. ArrayPartition(x, 2.6) chunks by 2);
 * only States.MathAdd rounds (recorded).
 */
function int(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) invalid(name);
  return Math.trunc(v) + 0;
}

function str(name: string, v: unknown): string {
  if (typeof v !== 'string') invalid(name);
  return v;
}

/** docs: Base64Encode, Base64Decode and Hash take up to 10,000 characters. */
function limited(name: string, v: unknown): string {
  const s = str(name, v);
  if (s.length > 10000) invalid(name);
  return s;
}

function arr(name: string, v: unknown): unknown[] {
  if (!Array.isArray(v)) invalid(name);
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEquals(x, b[i]));
  }
  if (!isObject(a) || !isObject(b)) return false;
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEquals(a[k], b[k]));
}

function noNegativeZero(v: unknown): unknown {
  return v === 0 ? 0 : v; // recorded: StringToJson("-0") = 0
}

/**
 * `new java.util.Random(seed).nextInt(bound)`: a seeded value is stable, as the docs promise; Java's
 * generator is a guess at AWS's (its values are not recorded).
 */
function javaRandomNextInt(seed: number, bound: number): number {
  const MULTIPLIER = 0x5deece66dn;
  const MASK = (1n << 48n) - 1n;
  let state = (BigInt(seed) ^ MULTIPLIER) & MASK;
  const next31 = () => {
    state = (state * MULTIPLIER + 0xbn) & MASK;
    return Number(state >> 17n);
  };
  if ((bound & -bound) === bound) return Number((BigInt(bound) * BigInt(next31())) >> 31n);
  for (;;) {
    const bits = next31();
    const value = bits % bound;
    if (bits - value + (bound - 1) <= 0x7fffffff) return value;
  }
}
