import { describe, expect, it } from 'vitest';
import { parseCron, SchedulerCronError } from '../../src/scheduler/index.js';

const SH = 'Asia/Shanghai';
const next = (expr: string, after: string, tz = SH) => parseCron(expr, tz).next(new Date(after))?.toISOString() ?? null;

describe('cron parsing', () => {
  it('5 fields: minute hour day month week, in Asia/Shanghai', () => {
    // Friday 2025-01-03 10:00 in Shanghai → the next weekday 09:00 is Monday 01:00 UTC.
    expect(next('0 9 * * 1-5', '2025-01-03T02:00:00Z')).toBe('2025-01-06T01:00:00.000Z');
    expect(parseCron('0 9 * * 1-5', SH).fields).toBe(5);
  });

  it('timezone decides the instant: 09:00 Shanghai vs 09:00 UTC', () => {
    expect(next('0 9 * * *', '2025-03-01T00:00:00Z', SH)).toBe('2025-03-01T01:00:00.000Z');
    expect(next('0 9 * * *', '2025-03-01T00:00:00Z', 'UTC')).toBe('2025-03-01T09:00:00.000Z');
    // Shanghai has no DST: 09:00 stays 01:00 UTC in summer while New York shifts.
    expect(next('0 9 * * *', '2025-07-01T00:00:00Z', SH)).toBe('2025-07-01T01:00:00.000Z');
    expect(next('0 9 * * *', '2025-07-01T00:00:00Z', 'America/New_York')).toBe('2025-07-01T13:00:00.000Z');
  });

  it('6 fields: seconds first', () => {
    expect(next('*/15 * * * * *', '2025-01-01T12:00:07Z')).toBe('2025-01-01T12:00:15.000Z');
    expect(parseCron('30 0 9 * * *', SH).fields).toBe(6);
    expect(next('30 0 9 * * *', '2025-01-01T00:00:00Z')).toBe('2025-01-01T01:00:30.000Z');
  });

  it('7 fields (Tencent SCF): a * year behaves like the 6-field expression', () => {
    expect(next('0 15 10 * * MON-FRI *', '2025-01-03T03:00:00Z')).toBe('2025-01-06T02:15:00.000Z');
    expect(next('*/5 * * * * * *', '2025-01-01T00:00:01Z')).toBe('2025-01-01T00:00:05.000Z');
    expect(next('0 0 2 1 * * *', '2025-01-01T00:00:00Z')).toBe('2025-01-31T18:00:00.000Z');
    expect(parseCron('0 0 9 * * * *', SH).fields).toBe(7);
  });

  it('7 fields: the year field filters fire times', () => {
    expect(next('0 0 9 1 1 * 2030', '2025-06-01T00:00:00Z')).toBe('2030-01-01T01:00:00.000Z');
    expect(next('0 0 9 1 1 * 2026,2030', '2026-06-01T00:00:00Z')).toBe('2030-01-01T01:00:00.000Z');
    expect(next('0 0 9 1 1 * 2027-2028', '2027-06-01T00:00:00Z')).toBe('2028-01-01T01:00:00.000Z');
    expect(next('0 0 9 1 1 * 2027/2', '2027-06-01T00:00:00Z')).toBe('2029-01-01T01:00:00.000Z');
    // Years that have passed: nothing left.
    expect(next('0 0 9 * * * 2020', '2025-01-01T00:00:00Z')).toBeNull();
  });

  it('7 fields: the year is the local year, not the UTC one', () => {
    // Midnight 1 Jan 2031 in Shanghai is still 2030 in UTC.
    expect(next('0 0 0 1 1 * 2031', '2025-01-01T00:00:00Z')).toBe('2030-12-31T16:00:00.000Z');
    // 23:30 on 31 Dec 2030 in Shanghai is 2030 locally: allowed for 2030, not for 2031.
    expect(next('0 30 23 31 12 * 2030', '2025-01-01T00:00:00Z')).toBe('2030-12-31T15:30:00.000Z');
    expect(next('0 30 23 31 12 * 2031', '2025-01-01T00:00:00Z')).toBe('2031-12-31T15:30:00.000Z');
  });

  it('7 fields: a frequent schedule in a far year jumps there instead of stepping', () => {
    expect(next('*/5 * * * * * 2031', '2025-01-01T00:00:00Z')).toBe('2030-12-31T16:00:00.000Z');
  });

  it('latest(): the fire time an event belongs to, within the lookback', () => {
    const daily = parseCron('0 0 9 * * *', SH);
    expect(daily.latest(new Date('2025-01-06T01:00:03Z'), 3_600_000)?.toISOString()).toBe('2025-01-06T01:00:00.000Z');
    expect(daily.latest(new Date('2025-01-06T00:59:00Z'), 3_600_000)).toBeNull();
    expect(daily.latest(new Date('2025-01-06T00:59:00Z'), 86_400_000)?.toISOString()).toBe('2025-01-05T01:00:00.000Z');
    const everyFive = parseCron('*/5 * * * * *', SH);
    expect(everyFive.latest(new Date('2025-01-06T01:00:09.500Z'), 60_000)?.toISOString()).toBe('2025-01-06T01:00:05.000Z');
  });

  it.each([
    ['61 * * * *', /minute/i],
    ['0 25 * * *', /hour/i],
    ['* * *', /3 fields/],
    ['1 2 3 4 5 6 7 8', /8 fields/],
    ['0 0 9 * * * 1969', /year field "1969"/],
    ['0 0 9 * * * 2100', /year field "2100"/],
    ['0 0 9 * * * 20x0', /year field "20x0"/],
    ['0 0 9 * * * 2030-2025', /reversed/],
    ['every day', /2 fields/],
  ])('refuses %s with the expression and the reason', (expr, reason) => {
    const err = (() => {
      try {
        parseCron(expr, SH);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(SchedulerCronError);
    expect((err as SchedulerCronError).code).toBe('scheduler_cron');
    expect((err as Error).message).toContain(`"${expr}"`);
    expect((err as Error).message).toMatch(reason);
  });

  it('refuses an unknown timezone', () => {
    expect(() => parseCron('0 9 * * *', 'Mars/Olympus')).toThrow(/timezone "Mars\/Olympus"/);
  });
});
