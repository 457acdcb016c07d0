/**
 * A static check of an ASL definition (JSONPath): no Choice reads a path that some way into it does
 * not set. Such a read fails the execution at runtime with States.Runtime ("Invalid path ...").
 *
 * Abstract interpretation over the state graph. The value at each point is a tree: `unknown` (the
 * execution input, a task's raw result: any fields), `object` (its known fields; `exact` when a
 * Parameters / ResultSelector / Pass Result literal built it, so no other field exists) or `scalar`.
 * A field that one way in sets and another does not is `maybeAbsent` after the join. A read is
 * reported only when some way in definitely lacks the field; anything unknown stays quiet.
 * Input and output processing follows https://states-language.net/spec.html ("Input and Output
 * Processing", "Errors", "Choice State") and
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-input-output-filtering.html.
 */

export interface ChoicePathFinding {
  /** The Choice state that reads the path. */
  readonly choice: string;
  /** The Parallel branches and Maps the Choice sits in, outermost first (`Fulfil.Branches[0]`). */
  readonly within: string[];
  /** The path as the rule spells it: a `Variable` or a `...Path` operand. */
  readonly path: string;
  /** `absent`: the object there has no such field; `maybe-absent`: some way in does not set it; `not-an-object`: a scalar is read as an object. */
  readonly reason: 'absent' | 'maybe-absent' | 'not-an-object';
  /** One offending way in, ending at the Choice: from the state that removed (or never set) the field, or from the start. */
  readonly via: string[];
}

export interface ChoicePathOptions {
  /** Updates of one state's input before it is widened to unknown (loops). @default 50 */
  readonly maxUpdates?: number;
  /** Deeper trees are cut to unknown (a loop may nest its input in itself). @default 12 */
  readonly maxDepth?: number;
}

type Node =
  | { readonly kind: 'unknown' }
  | { readonly kind: 'scalar'; readonly array: boolean }
  | { readonly kind: 'object'; readonly fields: Map<string, Field>; readonly exact: boolean };
interface Field { readonly node: Node; readonly maybeAbsent: boolean }
type Seg = string | number;
type Reason = ChoicePathFinding['reason'];

/** The parts of a condition the check looks at (`[operator: string]` holds the comparison's operand). */
interface Cond { And?: Cond[]; Or?: Cond[]; Not?: Cond; Variable?: string; IsPresent?: boolean; Next?: string; [operator: string]: unknown }
interface Catcher { Next: string; ResultPath?: string | null }
interface State {
  Type: string; QueryLanguage?: string; Next?: string; Default?: string; Choices?: Cond[]; Catch?: Catcher[];
  InputPath?: string | null; OutputPath?: string | null; ResultPath?: string | null;
  Parameters?: unknown; ResultSelector?: unknown; Result?: unknown; ItemSelector?: unknown; ResultWriter?: unknown;
  Branches?: Machine[]; ItemProcessor?: Machine; Iterator?: Machine;
}
interface Machine { StartAt: string; States: Record<string, State>; QueryLanguage?: string }

const UNKNOWN: Node = { kind: 'unknown' };
const obj = (fields = new Map<string, Field>(), exact = true): Node => ({ kind: 'object', fields, exact });
const present = (node: Node): Field => ({ node, maybeAbsent: false });
/** An object's fields; unknown (or a scalar being written into, which fails the state) has at least none. */
const open = (n: Node) => (n.kind === 'object' ? n : { fields: new Map<string, Field>(), exact: false });
/** The error output a Catcher places at its ResultPath. */
const ERROR_OUTPUT = obj(new Map([['Error', present({ kind: 'scalar', array: false })], ['Cause', present({ kind: 'scalar', array: false })]]));

/** `$.a.b`, `$.a['b']`, `$.a[0]` to segments; undefined for `$$` context paths, variables, wildcards, filters. */
function segments(path: string): Seg[] | undefined {
  if (!path.startsWith('$') || path.startsWith('$$')) return undefined;
  const segs: Seg[] = [];
  const re = /\.([^.[\]*]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (!m) return undefined;
    segs.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? m[3] ?? m[4]));
  }
  return segs;
}

/** The value a path selects, for `.$` values, InputPath and OutputPath (a state reading a missing path fails itself). */
function lookup(node: Node, segs: Seg[]): Node {
  for (const s of segs) {
    const f = node.kind === 'object' && typeof s === 'string' ? node.fields.get(s) : undefined;
    if (!f) return UNKNOWN;
    node = f.node;
  }
  return node;
}

/** Why reading the path may fail, if some way in definitely lacks it. */
function badRead(node: Node, segs: Seg[]): Reason | undefined {
  for (const s of segs) {
    if (node.kind === 'unknown' || typeof s === 'number') return undefined;
    if (node.kind === 'scalar') return 'not-an-object';
    const f = node.fields.get(s);
    if (!f) return node.exact ? 'absent' : undefined;
    if (f.maybeAbsent) return 'maybe-absent';
    node = f.node;
  }
  return undefined;
}

/** ResultPath `$.a.b`: sets the field, creating missing objects on the way, keeping siblings. */
function setAt(node: Node, segs: Seg[], value: Node): Node {
  if (segs.length === 0) return value;
  const [s, ...rest] = segs;
  if (typeof s === 'number') return UNKNOWN;
  const base = open(node);
  const f = base.fields.get(s);
  const child = !f ? (base.exact ? obj() : UNKNOWN) : f.maybeAbsent ? join(f.node, obj())! : f.node;
  return obj(new Map(base.fields).set(s, present(setAt(child, rest, value))), base.exact);
}

/** The value on a way where the path is (or is not) present; undefined when no execution takes that way. */
function assume(node: Node, segs: Seg[], isPresent: boolean): Node | undefined {
  const [s, ...rest] = segs;
  if (s === undefined) return isPresent ? node : undefined;
  if (typeof s === 'number' || node.kind === 'scalar') return node;
  const base = open(node);
  const f = base.fields.get(s);
  if (!f && base.exact) return isPresent ? undefined : node;
  if (rest.length === 0) {
    if (!isPresent && f && !f.maybeAbsent) return undefined;
    return obj(new Map(base.fields).set(s, { node: f?.node ?? UNKNOWN, maybeAbsent: !isPresent }), base.exact);
  }
  const child = assume(f?.node ?? UNKNOWN, rest, isPresent);
  if (!child) return undefined;
  return obj(new Map(base.fields).set(s, { node: child, maybeAbsent: isPresent ? false : (f?.maybeAbsent ?? false) }), base.exact);
}

/** The value that holds on either way in. */
function join(a: Node | undefined, b: Node | undefined): Node | undefined {
  if (!a || !b) return a ?? b;
  if (a.kind === 'scalar' && b.kind === 'scalar') return { kind: 'scalar', array: a.array && b.array };
  if ((a.kind === 'unknown' && b.kind === 'unknown') || a.kind === 'scalar' || b.kind === 'scalar') return UNKNOWN;
  const x = open(a), y = open(b);
  const fields = new Map<string, Field>();
  for (const name of new Set([...x.fields.keys(), ...y.fields.keys()])) {
    const fx = x.fields.get(name), fy = y.fields.get(name);
    // A field one side lacks: absent on that way if that side is exact, otherwise it may be there.
    const one = (f: Field, otherExact: boolean): Field => (otherExact ? { node: f.node, maybeAbsent: true } : { node: join(f.node, UNKNOWN)!, maybeAbsent: f.maybeAbsent });
    fields.set(name, fx && fy ? { node: join(fx.node, fy.node)!, maybeAbsent: fx.maybeAbsent || fy.maybeAbsent } : fx ? one(fx, y.exact) : one(fy!, x.exact));
  }
  return obj(fields, x.exact && y.exact);
}

function prune(node: Node, depth: number): Node {
  if (node.kind !== 'object') return node;
  if (depth === 0) return UNKNOWN;
  return obj(new Map([...node.fields].map(([k, f]) => [k, { node: prune(f.node, depth - 1), maybeAbsent: f.maybeAbsent }])), node.exact);
}

function key(node: Node | undefined): string {
  if (!node || node.kind !== 'object') return node ? (node.kind === 'scalar' ? `s${node.array ? '[]' : ''}` : '?') : '';
  const fields = [...node.fields].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, f]) => `${JSON.stringify(k)}${f.maybeAbsent ? '?' : ''}:${key(f.node)}`);
  return `${node.exact ? '{' : '{~'}${fields.join(',')}}`;
}

/** A payload template (keys ending `.$` take a path, an intrinsic or `$$`: present, shape unknown) or a literal. */
function build(template: unknown, ctx: Node, isTemplate: boolean): Node {
  if (template === null || typeof template !== 'object' || Array.isArray(template)) return { kind: 'scalar', array: Array.isArray(template) };
  const fields = new Map<string, Field>();
  for (const [k, v] of Object.entries(template)) {
    if (isTemplate && k.endsWith('.$')) {
      const segs = typeof v === 'string' ? segments(v) : undefined;
      fields.set(k.slice(0, -2), present(segs ? lookup(ctx, segs) : UNKNOWN));
    } else fields.set(k, present(build(v, ctx, isTemplate)));
  }
  return obj(fields);
}

/** InputPath / OutputPath: absent = `$`, null = `{}`. */
function select(node: Node, path: string | null | undefined): Node {
  if (path === undefined) return node;
  if (path === null) return obj();
  const segs = segments(path);
  return segs ? lookup(node, segs) : UNKNOWN;
}

function placeResult(input: Node, resultPath: string | null | undefined, result: Node): Node {
  if (resultPath === null) return input;
  if (resultPath === undefined || resultPath === '$') return result;
  const segs = segments(resultPath);
  return segs ? setAt(input, segs, result) : UNKNOWN;
}

/** The output of a state other than Choice (spec: InputPath, Parameters, result, ResultSelector, ResultPath, OutputPath). */
function output(s: State, input: Node): Node {
  if (s.QueryLanguage === 'JSONata') return UNKNOWN;
  const effective = select(input, s.InputPath);
  if (!['Pass', 'Task', 'Parallel', 'Map'].includes(s.Type)) return select(effective, s.OutputPath); // Wait, Succeed
  let result: Node;
  if (s.Type === 'Pass') result = s.Parameters !== undefined ? build(s.Parameters, effective, true) : 'Result' in s ? build(s.Result, effective, false) : effective;
  else if (s.Type === 'Task' || s.ResultWriter !== undefined) result = UNKNOWN;
  else result = { kind: 'scalar', array: true }; // Parallel and Map: an array (its items are not followed)
  if (s.ResultSelector !== undefined) result = build(s.ResultSelector, result, true);
  return select(placeResult(input, s.ResultPath, result), s.OutputPath);
}

/** The paths a condition reads: its Variable and any `...Path` operand. `$$` context paths are never findings. */
const readsOf = (c: Cond): string[] =>
  Object.entries(c).filter(([k, v]) => (k === 'Variable' || k.endsWith('Path')) && typeof v === 'string').map(([, v]) => v as string);

/** The value on the way where the condition evaluated to `truth` (And and Or stop at the first decisive operand). */
function assumeCond(c: Cond, truth: boolean, v: Node | undefined): Node | undefined {
  if (!v) return undefined;
  if (c.Not) return assumeCond(c.Not, !truth, v);
  if (c.And) return truth ? c.And.reduce<Node | undefined>((w, o) => assumeCond(o, true, w), v) : v;
  if (c.Or) return truth ? v : c.Or.reduce<Node | undefined>((w, o) => assumeCond(o, false, w), v);
  const segs = c.Variable === undefined ? undefined : segments(c.Variable);
  if (typeof c.IsPresent === 'boolean') return segs ? assume(v, segs, c.IsPresent === truth) : v;
  // A comparison or type test that did not fail has read its operands: they are present. (A read that
  // always fails is reported; the reads after it are still checked, so one run reports them all.)
  return readsOf(c).reduce<Node | undefined>((w, p) => { const ps = segments(p); return (w && ps && assume(w, ps, true)) || w; }, v);
}

/** Reports the reads of a condition that may fail on `v`; an operand of And/Or sees what the earlier ones established. */
function checkCond(c: Cond, v: Node | undefined, report: (path: string, reason: Reason) => void): void {
  if (!v) return;
  if (c.Not) return checkCond(c.Not, v, report);
  const operands = c.And ?? c.Or;
  if (operands) {
    operands.reduce<Node | undefined>((w, o) => (checkCond(o, w, report), assumeCond(o, c.And !== undefined, w)), v);
    return;
  }
  if (c.IsPresent !== undefined) return;
  for (const p of readsOf(c)) {
    const segs = segments(p);
    const reason = segs && badRead(v, segs);
    if (reason) report(p, reason);
  }
}

/** The ways out of a state and the value on each (a Choice also reports its failing reads). */
function successors(s: State, input: Node, report: (path: string, reason: Reason) => void = () => {}): [string, Node | undefined][] {
  if (s.Type === 'Choice') {
    if (s.QueryLanguage === 'JSONata') return [...(s.Choices ?? []).map((r) => r.Next!), s.Default ?? ''].map((n) => [n, UNKNOWN]);
    const ways: [string, Node | undefined][] = [];
    let v: Node | undefined = select(input, s.InputPath);
    for (const rule of s.Choices ?? []) {
      checkCond(rule, v, report);
      const taken = assumeCond(rule, true, v);
      ways.push([rule.Next!, taken && select(taken, s.OutputPath)]);
      v = assumeCond(rule, false, v); // later rules and the Default run only when this one did not match
    }
    if (s.Default) ways.push([s.Default, v && select(v, s.OutputPath)]);
    return ways;
  }
  const ways: [string, Node | undefined][] = s.Next ? [[s.Next, output(s, input)]] : [];
  // A Catcher's ResultPath applies to the state's raw input (spec: "Errors", Catch).
  for (const c of s.Catch ?? []) ways.push([c.Next, s.QueryLanguage === 'JSONata' ? UNKNOWN : placeResult(input, c.ResultPath, ERROR_OUTPUT)]);
  return ways;
}

function analyse(m: Machine, start: Node, within: string[], opts: Required<ChoicePathOptions>, findings: ChoicePathFinding[]): void {
  if (m.QueryLanguage === 'JSONata') return;
  const inputs = new Map<string, Node>([[m.StartAt, start]]);
  const edges = new Map<string, Map<string, Node>>(); // to -> from -> value
  const updates = new Map<string, number>();
  const work = [m.StartAt];
  while (work.length > 0) {
    const from = work.shift()!;
    for (const [to, value] of successors(m.States[from], inputs.get(from)!)) {
      if (!value || !m.States[to]) continue;
      const into = edges.get(to) ?? edges.set(to, new Map()).get(to)!;
      const merged = prune(join(into.get(from), value)!, opts.maxDepth);
      if (key(merged) === key(into.get(from))) continue;
      into.set(from, merged);
      const n = (updates.get(to) ?? 0) + 1;
      updates.set(to, n);
      const joined = n > opts.maxUpdates ? UNKNOWN : [...into.values()].reduce<Node | undefined>(join, to === m.StartAt ? start : undefined)!;
      if (key(joined) !== key(inputs.get(to))) {
        inputs.set(to, joined);
        if (!work.includes(to)) work.push(to);
      }
    }
  }

  /** Back from the Choice along ways in that lack the field, to the state whose own input still had it. */
  const wayIn = (choice: string, segs: Seg[] | undefined): string[] => {
    const via = [choice];
    for (let at = choice; segs;) {
      const bad = [...(edges.get(at) ?? [])].find(([from, v]) => !via.includes(from) && badRead(v, segs));
      if (!bad) break;
      via.unshift(bad[0]);
      if (!badRead(inputs.get(bad[0])!, segs)) break;
      at = bad[0];
    }
    return via;
  };

  for (const [name, input] of inputs) {
    const s = m.States[name];
    if (s.QueryLanguage === 'JSONata') continue;
    if (s.Type === 'Choice') {
      // The way in is traced on the raw input: the rule's path below the Choice's InputPath.
      const inputPath = s.InputPath === undefined ? [] : s.InputPath === null ? undefined : segments(s.InputPath);
      const reported = new Set<string>();
      successors(s, input, (path, reason) => {
        if (reported.has(path)) return;
        reported.add(path);
        const segs = inputPath && segments(path);
        findings.push({ choice: name, within, path, reason, via: wayIn(name, inputPath && segs && [...inputPath, ...segs]) });
      });
    }
    // Branches and item processors are machines of their own (spec: "Parallel State", "Map State").
    const effective = select(input, s.InputPath);
    (s.Type === 'Parallel' ? s.Branches ?? [] : []).forEach((b, i) =>
      analyse(b, s.Parameters !== undefined ? build(s.Parameters, effective, true) : effective, [...within, `${name}.Branches[${i}]`], opts, findings));
    const processor = s.Type === 'Map' ? s.ItemProcessor ?? s.Iterator : undefined;
    const selector = s.ItemSelector ?? s.Parameters;
    if (processor) analyse(processor, selector !== undefined ? build(selector, effective, true) : UNKNOWN, [...within, `${name}.ItemProcessor`], opts, findings);
  }
}

/**
 * The Choice reads of a state machine definition (the parsed DefinitionString) that some way into
 * the Choice does not set. Machines and states in JSONata are skipped.
 */
export function checkChoicePaths(definition: object, options: ChoicePathOptions = {}): ChoicePathFinding[] {
  const findings: ChoicePathFinding[] = [];
  analyse(definition as Machine, UNKNOWN, [], { maxUpdates: options.maxUpdates ?? 50, maxDepth: options.maxDepth ?? 12 }, findings);
  return findings;
}

/** One line per finding: `IsDone reads $.a.b (maybe-absent), way in: SetA -> Merge -> IsDone`. */
export function describeChoicePathFinding(f: ChoicePathFinding): string {
  return `${[...f.within, f.choice].join(' > ')} reads ${f.path} (${f.reason}), way in: ${f.via.join(' -> ')}`;
}
