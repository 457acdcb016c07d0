/**
 * The runtime's controllable clock. Virtual time = real time + offset. Timers created through it
 * fire when real time reaches them OR when a test advances the clock past them, so Wait states,
 * retry intervals, task timeouts, expiry sweeps and the `Date` handlers see all follow `advance()`.
 */
const RealDate = Date;
const realSetTimeout = globalThis.setTimeout;
const realClearTimeout = globalThis.clearTimeout;
const MAX_REAL_DELAY = 2 ** 31 - 1;

interface VirtualTimer { due: number; fn: () => void; real?: ReturnType<typeof realSetTimeout> }

export class Clock {
  private offsetMs = 0;
  private readonly timers = new Map<number, VirtualTimer>();
  private nextId = 1;
  /** A `Date` whose no-argument constructor and `Date.now()` read this clock. */
  readonly Date: DateConstructor;

  constructor() {
    const clock = this;
    class ClockDate extends RealDate {
      constructor(...args: unknown[]) {
        if (args.length === 0) super(clock.now());
        else super(...(args as [string]));
      }
      static now() { return clock.now(); }
    }
    this.Date = ClockDate as unknown as DateConstructor;
  }

  now(): number { return RealDate.now() + this.offsetMs; }

  setTimeout = (fn: (...args: unknown[]) => void, ms = 0, ...args: unknown[]): number => {
    const id = this.nextId++;
    const timer: VirtualTimer = { due: this.now() + Math.max(0, Number(ms) || 0), fn: () => fn(...args) };
    this.timers.set(id, timer);
    this.armReal(id, timer);
    return id;
  };

  clearTimeout = (id: unknown): void => {
    const timer = this.timers.get(id as number);
    if (!timer) return;
    if (timer.real) realClearTimeout(timer.real);
    this.timers.delete(id as number);
  };

  /**
   * Moves time forward and fires every timer that becomes due, in due order, letting the work each
   * one triggers run (and schedule further timers) before the next.
   */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`Clock.advance: ms must be >= 0, got ${ms}`);
    this.offsetMs += ms;
    for (let round = 0; round < 10_000; round++) {
      await new Promise((r) => setImmediate(r));
      const due = [...this.timers.entries()].filter(([, t]) => t.due <= this.now()).sort((a, b) => a[1].due - b[1].due);
      if (due.length === 0) {
        await new Promise((r) => setImmediate(r));
        if (![...this.timers.values()].some((t) => t.due <= this.now())) return;
        continue;
      }
      const [id] = due[0];
      this.fire(id);
    }
    throw new Error('Clock.advance: timers kept becoming due (more than 10,000 rounds)');
  }

  /** Clears every timer (shutdown). */
  dispose(): void {
    for (const id of [...this.timers.keys()]) this.clearTimeout(id);
  }

  private armReal(id: number, timer: VirtualTimer) {
    const delay = Math.min(MAX_REAL_DELAY, Math.max(0, timer.due - this.now()));
    timer.real = realSetTimeout(() => {
      if (!this.timers.has(id)) return;
      if (timer.due > this.now()) this.armReal(id, timer);
      else this.fire(id);
    }, delay);
    // Long virtual waits must not keep the process alive on their own.
    if (delay > 1000) timer.real.unref?.();
  }

  private fire(id: number) {
    const timer = this.timers.get(id);
    if (!timer) return;
    this.timers.delete(id);
    if (timer.real) realClearTimeout(timer.real);
    timer.fn();
  }
}
