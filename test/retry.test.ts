import { describe, expect, it } from 'vitest';
import { backoffDelay, withRetry } from '../src/retry.js';

/** A task failing with the given errors in turn, then resolving with 'ok'. */
function failing(...errors: unknown[]) {
  const seen: number[] = [];
  const task = async (attempt: number) => {
    seen.push(attempt);
    if (errors.length > 0) throw errors.shift();
    return 'ok';
  };
  return { task, seen };
}

function recorder() {
  const pauses: number[] = [];
  return { pauses, sleep: async (ms: number) => void pauses.push(ms) };
}

describe('backoffDelay', () => {
  it('doubles from baseMs up to maxMs', () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, { baseMs: 100, maxMs: 1000, jitter: 'none' }))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
    expect(backoffDelay(20, { baseMs: 1, jitter: 'none' })).toBe(2 ** 20);
  });

  it('equal jitter keeps the pause between half and all of the exponential one', () => {
    const o = { baseMs: 100, maxMs: 1000 };
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, o, () => 0))).toEqual([50, 100, 200, 400, 500, 500]);
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, o, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(1, o, () => 0.5)).toBe(150);
  });
});

describe('withRetry', () => {
  it('retries until the task succeeds, passing the attempt number, pausing with back-off', async () => {
    const { task, seen } = failing(new Error('a'), new Error('b'));
    const { pauses, sleep } = recorder();
    expect(await withRetry(task, { attempts: 5, baseMs: 250, jitter: 'none', sleep })).toBe('ok');
    expect(seen).toEqual([1, 2, 3]);
    expect(pauses).toEqual([250, 500]);
  });

  it('rethrows the last error when the attempts run out', async () => {
    const { task, seen } = failing(new Error('1'), new Error('2'), new Error('3'));
    const { pauses, sleep } = recorder();
    await expect(withRetry(task, { attempts: 2, baseMs: 10, jitter: 'none', sleep })).rejects.toThrow('2');
    expect(seen).toEqual([1, 2]);
    expect(pauses).toEqual([10]);
  });

  it('tries once when attempts is below 1', async () => {
    const { task, seen } = failing(new Error('x'));
    await expect(withRetry(task, { attempts: 0, baseMs: 10, sleep: recorder().sleep })).rejects.toThrow('x');
    expect(seen).toEqual([1]);
  });

  it('shouldRetry false rethrows at once', async () => {
    const permanent = new Error('permanent');
    const { task, seen } = failing(new Error('transient'), permanent);
    const { pauses, sleep } = recorder();
    const asked: [string, number][] = [];
    const shouldRetry = (err: unknown, attempt: number) => {
      asked.push([(err as Error).message, attempt]);
      return err !== permanent;
    };
    await expect(withRetry(task, { attempts: 5, baseMs: 10, jitter: 'none', sleep, shouldRetry })).rejects.toBe(permanent);
    expect(seen).toEqual([1, 2]);
    expect(asked).toEqual([
      ['transient', 1],
      ['permanent', 2],
    ]);
    expect(pauses).toEqual([10]);
  });

  it('retryAfterMs replaces the back-off and does not grow it', async () => {
    const windowed = Object.assign(new Error('rate limited'), { waitMs: 60_000 });
    const { task } = failing(new Error('a'), windowed, new Error('b'));
    const { pauses, sleep } = recorder();
    const retryAfterMs = (err: unknown) => (err as { waitMs?: number }).waitMs;
    await withRetry(task, { attempts: 4, baseMs: 100, jitter: 'none', sleep, retryAfterMs });
    expect(pauses).toEqual([100, 60_000, 200]);
  });

  it('uses the injected random for jitter and reports each retry before its pause', async () => {
    const { task } = failing(new Error('a'), new Error('b'));
    const { pauses, sleep } = recorder();
    const retries: unknown[] = [];
    await withRetry(task, {
      attempts: 3,
      baseMs: 100,
      random: () => 0,
      sleep,
      onRetry: ({ err, attempt, delayMs }) => retries.push([(err as Error).message, attempt, delayMs, pauses.length]),
    });
    expect(pauses).toEqual([50, 100]);
    expect(retries).toEqual([
      ['a', 1, 50, 0],
      ['b', 2, 100, 1],
    ]);
  });
});
