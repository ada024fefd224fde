import { describe, expect, it } from 'vitest';
import { RateLimiter, memorySlotSource } from '../../src/client/index.js';

/** A limiter on a virtual clock: sleeping advances time, so the test is exact and instant. */
function virtual(limit: number, windowMs: number, marginMs = 0) {
  let now = 0;
  const clock = () => now;
  const sleep = async (ms: number) => {
    now += ms;
  };
  const limiter = new RateLimiter(memorySlotSource(clock), { limit, windowMs, marginMs }, sleep, clock);
  return { limiter, clock, advance: (ms: number) => (now += ms) };
}

describe('RateLimiter (virtual clock)', () => {
  it('grants `limit` slots per window, then waits for the oldest to leave', async () => {
    const { limiter, clock } = virtual(3, 1000);
    const grants: number[] = [];
    for (let i = 0; i < 7; i++) {
      await limiter.acquire('r');
      grants.push(clock());
      limiter.complete('r');
    }
    expect(grants.slice(0, 3)).toEqual([0, 0, 0]);
    // the source's retryAfter plus the 5 ms nudge
    expect(grants[3]).toBeGreaterThanOrEqual(1000);
    for (let i = 3; i < grants.length; i++) expect((grants[i] as number) - (grants[i - 3] as number)).toBeGreaterThanOrEqual(1000);
  });

  it('counts the window from completion: a slow request pushes the one `limit` places later', async () => {
    const { limiter, clock, advance } = virtual(2, 1000);
    await limiter.acquire('r');
    advance(400); // the first request takes 400 ms to complete
    limiter.complete('r');
    await limiter.acquire('r');
    limiter.complete('r');
    await limiter.acquire('r');
    // granted no earlier than completion of the first (400) + window
    expect(clock()).toBeGreaterThanOrEqual(1400);
  });

  it('robots do not share windows', async () => {
    const { limiter, clock } = virtual(1, 1000);
    await limiter.acquire('a');
    limiter.complete('a');
    await limiter.acquire('b');
    expect(clock()).toBe(0);
  });

  it('the default margin is 2% of the window, between 50 ms and 1 s', () => {
    const m = (windowMs: number) => new RateLimiter(memorySlotSource(), { windowMs }, async () => {}).marginMs;
    expect([m(1000), m(2000), m(10_000), m(60_000), m(600_000)]).toEqual([50, 50, 200, 1000, 1000]);
  });
});
