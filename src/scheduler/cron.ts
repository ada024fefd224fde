import { createRequire } from 'node:module';
import type { Cron } from 'croner';
import { SchedulerCronError } from './errors.js';

type Croner = typeof import('croner');
let croner: Croner | undefined;

/**
 * croner, loaded on the first parse: a bundle that declares jobs but answers a callback does not
 * compile it. A direct `require` lets `wecombot build` put it in vendor/croner.js; plain ESM has
 * no `require`, so it goes through createRequire.
 */
function loadCroner(): Croner {
  if (croner) return croner;
  if (typeof require === 'function') {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate: see above
      croner = require('croner') as Croner;
      return croner;
    } catch {
      // An ESM bundle's `require` shim that cannot load packages: resolve from this file instead.
    }
  }
  croner = createRequire(import.meta.url)('croner') as Croner;
  return croner;
}

/** A parsed cron expression bound to a timezone. */
export interface CronSchedule {
  readonly expression: string;
  readonly timezone: string;
  /** 5 (minute…weekday), 6 (second…weekday) or 7 (Tencent SCF: second…weekday year); 1 for `@daily` etc. */
  readonly fields: number;
  /** The first fire time strictly after `after`, or null when there is none (years exhausted). */
  next(after: Date): Date | null;
  /** The latest fire time at or before `at`, looking back at most `lookbackMs`; null if none. */
  latest(at: Date, lookbackMs: number): Date | null;
}

const YEAR_MIN = 1970;
const YEAR_MAX = 2099;

/**
 * Parses 5-field, 6-field (seconds) and Tencent SCF 7-field expressions
 * (`second minute hour day month week year`, week 0–6 with 0 = Sunday, as in croner).
 *
 * croner 9 accepts five or six fields only. For seven, the first six go to croner and the year
 * field is handled here: it is validated (numbers 1970–2099 with `, - * /`) and fire times in
 * other years are skipped by jumping to the next allowed year, never by stepping through them.
 * Throws SchedulerCronError with the expression and the reason.
 */
export function parseCron(expression: string, timezone: string): CronSchedule {
  checkTimezone(timezone, expression);
  const text = expression.trim().replace(/\s+/g, ' ');
  const parts = text.split(' ');
  let cronPart = text;
  let years: number[] | undefined;
  if (parts.length === 7) {
    cronPart = parts.slice(0, 6).join(' ');
    years = parseYears(parts[6] as string, expression);
  } else if (!(parts.length === 5 || parts.length === 6 || (parts.length === 1 && text.startsWith('@')))) {
    throw new SchedulerCronError(`cron "${expression}" has ${parts.length} fields`, {
      hint: 'use 5 fields (minute hour day month week), 6 (second first) or 7 (Tencent SCF: second … week year)',
    });
  }
  let cron: Cron;
  try {
    cron = new (loadCroner().Cron)(cronPart, { timezone, paused: true });
  } catch (cause) {
    throw new SchedulerCronError(`cron "${expression}" is invalid: ${reason(cause)}`, {
      hint: 'fields are minute hour day month week (5), second first (6), or second … week year (7, Tencent SCF)',
      cause,
    });
  }
  const allowed = years;

  const next = (after: Date): Date | null => {
    let from = after;
    // Each pass either returns or jumps to a later allowed year, so this ends quickly.
    for (let pass = 0; pass <= YEAR_MAX - YEAR_MIN + 1; pass++) {
      const t = cron.nextRun(from);
      if (!t) return null;
      if (!allowed) return t;
      const year = yearIn(t, timezone);
      if (allowed.includes(year)) return t;
      const nextYear = allowed.find((y) => y > year);
      if (nextYear === undefined) return null;
      from = new Date(startOfYear(nextYear, timezone).getTime() - 1);
    }
    return null;
  };

  const latest = (at: Date, lookbackMs: number): Date | null => {
    // croner only searches forward: look back over growing spans (1 min, 1 h, 1 day, …) and walk
    // forward from there, so frequent schedules need few steps and rare ones few spans.
    for (const span of [60_000, 3_600_000, 86_400_000, 32 * 86_400_000, 367 * 86_400_000, lookbackMs]) {
      const window = Math.min(span, lookbackMs);
      let candidate = next(new Date(at.getTime() - window - 1));
      if (candidate && candidate.getTime() <= at.getTime()) {
        for (;;) {
          const following = next(candidate);
          if (!following || following.getTime() > at.getTime()) return candidate;
          candidate = following;
        }
      }
      if (window >= lookbackMs) return null;
    }
    return null;
  };

  return { expression, timezone, fields: parts.length, next, latest };
}

function reason(cause: unknown): string {
  return (cause instanceof Error ? cause.message : String(cause)).replace(/^CronPattern: /, '');
}

function checkTimezone(timezone: string, expression: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch (cause) {
    throw new SchedulerCronError(`timezone "${timezone}" for cron "${expression}" is unknown`, {
      hint: 'use an IANA name such as Asia/Shanghai or UTC',
      cause,
    });
  }
}

/** The SCF year field: `*`, `2030`, `2030-2035`, `*\/2`, `2030/5`, lists of those. */
function parseYears(field: string, expression: string): number[] | undefined {
  if (field === '*' || field === '?') return undefined;
  const out = new Set<number>();
  const fail = (why: string) =>
    new SchedulerCronError(`cron "${expression}" is invalid: year field "${field}" ${why}`, {
      hint: `the 7th field is the year: ${YEAR_MIN}–${YEAR_MAX} with , - * /`,
    });
  for (const item of field.split(',')) {
    const m = /^(\*|\d{4}(?:-\d{4})?)(?:\/(\d+))?$/.exec(item);
    if (!m) throw fail(`has "${item}"`);
    const [, range, stepText] = m as unknown as [string, string, string | undefined];
    let [from, to] = range === '*' ? [YEAR_MIN, YEAR_MAX] : range.split('-').map(Number);
    from = from as number;
    to = to ?? (stepText ? YEAR_MAX : from);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (from < YEAR_MIN || to > YEAR_MAX || from > to) throw fail(`is outside ${YEAR_MIN}–${YEAR_MAX} or reversed`);
    if (step < 1) throw fail('has a step below 1');
    for (let y = from; y <= to; y += step) out.add(y);
  }
  return [...out].sort((a, b) => a - b);
}

const yearFormats = new Map<string, Intl.DateTimeFormat>();
function yearIn(date: Date, timezone: string): number {
  let format = yearFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: timezone, year: 'numeric' });
    yearFormats.set(timezone, format);
  }
  return Number(format.format(date));
}

const yearStarts = new Map<string, Cron>();
/** 00:00:00 on 1 January of `year` in `timezone`, found with croner so DST rules are its own. */
function startOfYear(year: number, timezone: string): Date {
  let cron = yearStarts.get(timezone);
  if (!cron) {
    cron = new (loadCroner().Cron)('0 0 0 1 1 *', { timezone, paused: true });
    yearStarts.set(timezone, cron);
  }
  // 30 December UTC of the year before is earlier than 1 January anywhere on Earth.
  return cron.nextRun(new Date(Date.UTC(year - 1, 11, 30))) as Date;
}
