/**
 * Time as the bot sees it. Injected so tests can drive a "handler that takes 8 s" without
 * waiting 8 s, and so the ack budget is tested by ordering rather than by wall-clock timing.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Calls `fn` after `ms`; returns a cancel function. */
  setTimer(fn: () => void, ms: number): () => void;
  /** Resolves after `ms`. */
  sleep(ms: number): Promise<void>;
}

/** The real clock. Timers are unref'd so a pending budget never keeps a process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(fn, ms) {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return () => clearTimeout(t);
  },
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

interface ManualTimer {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * A clock that only moves when told. `advance(ms)` fires due timers in order and lets
 * promise callbacks run between them.
 *
 * @example
 * const clock = manualClock();
 * const bot = createBot({ clock, ... });
 * await clock.advance(3000); // the ack budget elapses
 */
export interface ManualClock extends Clock {
  advance(ms: number): Promise<void>;
  /** Timers not yet fired. */
  pending(): number;
}

export function manualClock(start = 1_700_000_000_000): ManualClock {
  let now = start;
  let seq = 0;
  const timers: ManualTimer[] = [];
  const settle = async () => {
    // Several macrotask turns: enough for chained awaits (and loopback I/O callbacks) to run.
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  };
  const clock: ManualClock = {
    now: () => now,
    setTimer(fn, ms) {
      const timer = { at: now + Math.max(0, ms), seq: seq++, fn };
      timers.push(timer);
      return () => {
        const i = timers.indexOf(timer);
        if (i >= 0) timers.splice(i, 1);
      };
    },
    sleep(ms) {
      return new Promise((resolve) => clock.setTimer(resolve, ms));
    },
    async advance(ms) {
      const target = now + ms;
      await settle();
      for (;;) {
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = timers[0];
        if (!next || next.at > target) break;
        timers.shift();
        now = next.at;
        next.fn();
        await settle();
      }
      now = target;
      await settle();
    },
    pending: () => timers.length,
  };
  return clock;
}
