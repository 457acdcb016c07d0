/**
 * Fault injection, configured from tests through the runtime (never inside handlers): make a named
 * function or state throw a named error N times, add latency, or time out, either before the call
 * or after it (the call's effects happened, its answer is delayed or lost).
 */
export interface FaultTarget {
  /** A function's physical name, logical id, or construct path (or a suffix of it, e.g. `Pipeline/TrainFn`). */
  readonly function?: string;
  /** A state name (a Task); combine with `stateMachine` to scope it. */
  readonly state?: string;
  /** A state machine's name or a suffix of it (e.g. `pipeline`). */
  readonly stateMachine?: string;
}

export interface FaultSpec {
  readonly target: FaultTarget;
  /**
   * When the fault applies. `before`: instead of the call (an error or a timeout means the call
   * never runs). `after`: the call runs to completion first (the handler and its side effects, or
   * the state's integration), then the fault replaces or delays its answer: "the effect happened,
   * the answer was lost", as a network failure after the request was served.
   * @default 'before'
   */
  readonly phase?: 'before' | 'after';
  /** Throw this error (name is what Retry/Catch match). */
  readonly error?: { readonly name: string; readonly message?: string };
  /** Add this latency (on the runtime clock) before the call, or after it with phase `after`. */
  readonly latencyMs?: number;
  /**
   * Make the call time out: a function fails with Sandbox.Timedout after its timeout (counted from
   * the start of the call, in both phases); a state never answers.
   */
  readonly timeout?: boolean;
  /** How many calls it affects. @default Infinity */
  readonly times?: number;
  /** Only calls whose input passes this predicate. */
  readonly when?: (input: unknown) => boolean;
}

export interface Fault extends FaultSpec { hits: number; remove(): void }

export interface CallSite { kind: 'function' | 'state'; names: string[]; stateMachine?: string; input: unknown }

export class FaultInjector {
  private faults: Fault[] = [];

  inject(spec: FaultSpec): Fault {
    const t = spec.target;
    if (!t.function && !t.state) throw new Error('FaultSpec.target needs a function or a state');
    if (!spec.error && spec.latencyMs === undefined && !spec.timeout) throw new Error('FaultSpec needs error, latencyMs or timeout');
    if (spec.phase !== undefined && spec.phase !== 'before' && spec.phase !== 'after') throw new Error(`FaultSpec.phase must be 'before' or 'after', got ${String(spec.phase)}`);
    const fault: Fault = { ...spec, hits: 0, remove: () => { this.faults = this.faults.filter((f) => f !== fault); } };
    this.faults.push(fault);
    return fault;
  }

  clear(): void { this.faults = []; }

  /** The first active fault matching this call; counts the hit. */
  take(site: CallSite): Fault | undefined {
    for (const f of this.faults) {
      if (f.hits >= (f.times ?? Infinity)) continue;
      const t = f.target;
      if (site.kind === 'function' && (!t.function || !site.names.some((n) => n === t.function || n.endsWith(`/${t.function}`) || n.includes(`/${t.function}/`)))) continue;
      if (site.kind === 'state' && (!t.state || t.function || !site.names.includes(t.state))) continue;
      if (t.stateMachine && !(site.stateMachine && (site.stateMachine === t.stateMachine || site.stateMachine.endsWith(`-${t.stateMachine}`) || site.stateMachine.endsWith(`:${t.stateMachine}`)))) continue;
      if (f.when && !f.when(site.input)) continue;
      f.hits++;
      return f;
    }
    return undefined;
  }
}

/**
 * Runs `call` under a fault (or none): latency, then timeout (never answers), then error, applied
 * before the call or, with phase `after`, once it has settled (whatever it returned or threw).
 */
export async function runWithFault<T>(fault: Fault | undefined, call: () => Promise<T>,
  effects: { sleep(ms: number): Promise<unknown>; error(e: { name: string; message?: string }): Error }): Promise<T> {
  if (!fault) return call();
  const apply = async () => {
    if (fault.latencyMs) await effects.sleep(fault.latencyMs);
    if (fault.timeout) await new Promise<never>(() => undefined);
    if (fault.error) throw effects.error(fault.error);
  };
  if ((fault.phase ?? 'before') === 'before') {
    await apply();
    return call();
  }
  const outcome = await call().then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));
  await apply();
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}
