/**
 * The longest a piece of ASL can run, computed from its definition: each Task's timeout (or its Lambda
 * function's timeout) times its attempts, the retry delays (IntervalSeconds x BackoffRate^n, capped
 * by MaxDelaySeconds; full jitter only shortens them), Wait seconds, the slowest Parallel branch, and
 * the longest way through Choices and Catches. Anything whose duration the definition does not bound
 * (a Task without a timeout that is not a Lambda invoke, a *Path timeout or wait, a Map, a loop) is
 * reported as unbounded, naming the state. Rules from the ASL specification
 * (https://states-language.net/spec.html: "Retrying after error" defaults IntervalSeconds 1,
 * MaxAttempts 3, BackoffRate 2.0; "Task State" TimeoutSeconds) and the Lambda integration (a
 * lambda:invoke task without TimeoutSeconds waits for the function, which its own timeout ends).
 */
export type WorstCase = { readonly seconds: number; readonly unbounded?: undefined } | { readonly seconds?: undefined; readonly unbounded: string };

interface AslRetrier { MaxAttempts?: number; IntervalSeconds?: number; BackoffRate?: number; MaxDelaySeconds?: number }
interface AslState {
  Type: string; Next?: string; End?: boolean; Default?: string; Choices?: { Next: string }[]; Catch?: { Next: string }[]; Retry?: AslRetrier[];
  TimeoutSeconds?: number | string; TimeoutSecondsPath?: string; Resource?: string; Parameters?: { FunctionName?: unknown }; Arguments?: { FunctionName?: unknown };
  Seconds?: number | string; SecondsPath?: string; Timestamp?: string; TimestampPath?: string; Branches?: AslGraph[];
}
export interface AslGraph { StartAt: string; States: Record<string, AslState> }

/** Total seconds a retrier can add in delays (before its MaxAttempts retries). */
export function retryDelaySeconds(r: AslRetrier): number {
  const attempts = r.MaxAttempts ?? 3;
  let total = 0;
  for (let i = 0; i < attempts; i++) total += Math.min((r.IntervalSeconds ?? 1) * (r.BackoffRate ?? 2) ** i, r.MaxDelaySeconds ?? Infinity);
  return total;
}

/**
 * @param lambdaTimeout the timeout in seconds of the function a lambda:invoke task names (its
 *   FunctionName as rendered), or undefined when unknown.
 */
export function worstCase(graph: AslGraph, lambdaTimeout: (functionName: unknown) => number | undefined): WorstCase {
  const memo = new Map<string, WorstCase>();
  const visiting = new Set<string>();

  const attemptSeconds = (name: string, s: AslState): WorstCase => {
    switch (s.Type) {
      case 'Task': {
        if (s.TimeoutSecondsPath) return { unbounded: `${name} takes its timeout from TimeoutSecondsPath` };
        if (s.TimeoutSeconds !== undefined) {
          return typeof s.TimeoutSeconds === 'number' ? { seconds: s.TimeoutSeconds } : { unbounded: `${name} takes its timeout from an expression` };
        }
        // Without TimeoutSeconds only a plain Lambda invocation is bounded (by the function's own
        // timeout): lambda:invoke names it in Parameters (JSONata: Arguments), a payload-only task is
        // its Resource. `.waitForTaskToken` and `.sync` wait for someone else, so they are not.
        const invoke = /:states:::lambda:invoke$/.test(s.Resource ?? '');
        const timeout = invoke ? lambdaTimeout(s.Parameters?.FunctionName ?? s.Arguments?.FunctionName) : lambdaTimeout(s.Resource);
        return timeout === undefined ? { unbounded: `${name} is a Task without TimeoutSeconds` } : { seconds: timeout };
      }
      case 'Wait':
        return typeof s.Seconds === 'number' ? { seconds: s.Seconds } : { unbounded: `${name} waits for a time the definition does not fix` };
      case 'Parallel': {
        let slowest = 0;
        for (const b of s.Branches ?? []) {
          const w = worstCase(b, lambdaTimeout);
          if (w.unbounded !== undefined) return w;
          slowest = Math.max(slowest, w.seconds);
        }
        return { seconds: slowest };
      }
      case 'Map':
        return { unbounded: `${name} is a Map (its item count is not fixed by the definition)` };
      default:
        return { seconds: 0 }; // Pass, Choice, Succeed, Fail
    }
  };

  const from = (name: string): WorstCase => {
    const known = memo.get(name);
    if (known) return known;
    if (visiting.has(name)) return { unbounded: `${name} can be reached again (a loop)` };
    const s = graph.States[name];
    if (!s) return { unbounded: `${name} is not a state of the work` };
    visiting.add(name);
    const one = attemptSeconds(name, s);
    let result: WorstCase = one;
    if (one.unbounded === undefined) {
      // Every retrier can be exhausted in turn, each attempt running to its timeout.
      const retries = (s.Retry ?? []).reduce((n, r) => n + (r.MaxAttempts ?? 3), 0);
      const delays = (s.Retry ?? []).reduce((n, r) => n + retryDelaySeconds(r), 0);
      let own = one.seconds * (1 + retries) + delays;
      const next = [s.Next, s.Default, ...(s.Choices ?? []).map((c) => c.Next), ...(s.Catch ?? []).map((c) => c.Next)].filter((n): n is string => !!n);
      let longest = 0;
      for (const n of next) {
        const w = from(n);
        if (w.unbounded !== undefined) { result = w; break; }
        longest = Math.max(longest, w.seconds);
      }
      own += longest;
      if (result.unbounded === undefined) result = { seconds: own };
    }
    visiting.delete(name);
    memo.set(name, result);
    return result;
  };
  return from(graph.StartAt);
}

/**
 * The longest a single attempt of any Task of the graph can run (Parallel branches included): what may
 * still be running after its execution is stopped, since Step Functions does not stop a running
 * Lambda. Undefined when some Task's attempt is unbounded.
 */
export function longestAttempt(graph: AslGraph, lambdaTimeout: (functionName: unknown) => number | undefined): number | undefined {
  let longest = 0;
  for (const [name, s] of Object.entries(graph.States)) {
    if (s.Type === 'Parallel') {
      for (const b of s.Branches ?? []) {
        const inner = longestAttempt(b, lambdaTimeout);
        if (inner === undefined) return undefined;
        longest = Math.max(longest, inner);
      }
      continue;
    }
    if (s.Type !== 'Task') continue;
    const one = worstCase({ StartAt: name, States: { [name]: { ...s, Retry: [], Catch: [], Next: undefined, End: true } } }, lambdaTimeout);
    if (one.unbounded !== undefined) return undefined;
    longest = Math.max(longest, one.seconds);
  }
  return longest;
}
