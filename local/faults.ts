/**
 * Fault injection, configured from tests through the runtime (never inside handlers): make a named
 * function or state throw a named error N times, add latency, or time out.
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
  /** Throw this error (name is what Retry/Catch match). */
  readonly error?: { readonly name: string; readonly message?: string };
  /** Add this latency (on the runtime clock) before the call. */
  readonly latencyMs?: number;
  /** Make the call time out: a function fails with Sandbox.Timedout after its timeout; a state never answers. */
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
