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
  /** While frozen, time moves only by `advance()` (tests that must not see real time pass). */
  private frozenAt?: number;
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

  now(): number { return this.frozenAt ?? RealDate.now() + this.offsetMs; }

  /**
   * Stops real time from moving the clock: until `thaw()`, only `advance()` does. For scenarios whose
   * expectations would change if real milliseconds passed (a token refilled, a lease ran out) on a
   * busy machine.
   */
  freeze(): void { this.frozenAt ??= this.now(); }

  /** Lets real time move the clock again, from where it stands. */
  thaw(): void {
    if (this.frozenAt === undefined) return;
    this.offsetMs = this.frozenAt - RealDate.now();
    this.frozenAt = undefined;
    for (const [id, timer] of this.timers) { if (timer.real) realClearTimeout(timer.real); this.armReal(id, timer); }
  }

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
    if (this.frozenAt !== undefined) this.frozenAt += ms;
    else this.offsetMs += ms;
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
    // A frozen clock's timers fire only through advance(); the real timer just checks back later.
    const left = timer.due - this.now();
    const delay = Math.min(MAX_REAL_DELAY, this.frozenAt !== undefined && left > 0 ? Math.max(1000, left) : Math.max(0, left));
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
