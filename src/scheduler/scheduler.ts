import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { withRetry } from '../retry.js';
import type { Store } from '../store/store.js';
import { parseCron, type CronSchedule } from './cron.js';
import { SchedulerConfigError, SchedulerUnknownJobError } from './errors.js';
import { isJobName, JOB_NAME_RULE } from './job-name.js';

/** What a job receives. */
export interface JobContext {
  name: string;
  /** The fire time this run belongs to (for `runNow`: the moment it was asked for). */
  scheduledAt: Date;
  /** 1 for the first try, 2 for the first retry, … */
  attempt: number;
  /** False for `runNow`. */
  scheduled: boolean;
}

export type JobFn = (ctx: JobContext) => unknown;

export interface RetryPolicy {
  /** Total tries including the first; default 3. */
  attempts: number;
  /** Pause before the first retry; it doubles for each further retry. Default 1000. */
  backoffMs: number;
}

export interface JobOptions {
  /** IANA timezone of the expression; defaults to the scheduler's. */
  timezone?: string;
  retry?: Partial<RetryPolicy>;
}

/** pino-compatible subset: `log.error({ err, job }, 'message')`. */
export interface SchedulerLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface SchedulerOptions {
  store: Store;
  log?: SchedulerLogger;
  /** Default timezone of expressions; default Asia/Shanghai. */
  timezone?: string;
  /** Identifies this process in run keys; default `<hostname>:<pid>:<random>`. */
  owner?: string;
  /** How long a run key lives, so a retried timer event finds it; default 24 h. */
  runKeyTtlMs?: number;
  /**
   * `runDue` accepts an event up to this late after its fire time (platform delays, retried
   * timer events); later events are skipped as `too-late`. Default 6 h. Must be below runKeyTtlMs.
   */
  maxLatenessMs?: number;
  /**
   * A timer event may carry a timestamp slightly before the fire time (clock skew between the
   * platform and the schedule); it still counts for that fire time. Default 2000 ms.
   */
  earlyToleranceMs?: number;
  /**
   * When a run fails on its last try, delete its run key so a retried timer event (SCF and
   * Lambda retry failed invocations) runs it again. Default false: at most once, because a job
   * that posted half its messages would post them again.
   */
  releaseOnFailure?: boolean;
  /** `start()` timers do not keep the process alive. Default false. */
  unref?: boolean;
  /** Pause used between retries; tests replace it. */
  sleep?: (ms: number) => Promise<void>;
}

export interface RunResult {
  name: string;
  /** True when the job ran (it may still have failed: see `error`). */
  ran: boolean;
  /** Why it did not run. */
  reason?: 'already-ran' | 'not-due' | 'too-late';
  scheduledAt?: Date;
  runKey?: string;
  /** Tries made (0 when it did not run). */
  attempts: number;
  /** The last error when every try failed. */
  error?: Error;
}

export interface JobInfo {
  name: string;
  cron: string;
  timezone: string;
  /** Next fire time, or null when the expression has none left. */
  next: Date | null;
}

export interface Scheduler {
  /** Adds a job. Refuses an invalid cron or timezone now, with the expression and the reason. */
  schedule(name: string, cron: string, job: JobFn, options?: JobOptions): Scheduler;
  /** Fires jobs from in-process timers (long-running servers). */
  start(): void;
  /** Stops the timers and waits for runs in progress. */
  stop(): Promise<void>;
  /**
   * For FaaS timer events: runs `name` once for the fire time `firedAt` belongs to (the latest
   * fire time at or before it). Every instance and every retried event computes the same run
   * key `name@<fire time>`, and only the first to take it runs the job.
   */
  runDue(name: string, firedAt?: Date): Promise<RunResult>;
  /** Runs `name` now, regardless of its schedule and of run keys (manual runs). */
  runNow(name: string): Promise<RunResult>;
  list(): JobInfo[];
}

interface Job {
  name: string;
  schedule: CronSchedule;
  fn: JobFn;
  retry: RetryPolicy;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 3, backoffMs: 1000 };
/** setTimeout's ceiling (~24.8 days); longer waits are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const silentInfo: SchedulerLogger = {
  info: () => {},
  warn: (obj, msg) => console.warn(`wecombot scheduler: ${msg ?? ''}`, obj),
  error: (obj, msg) => console.error(`wecombot scheduler: ${msg ?? ''}`, obj),
};

/**
 * Creates a scheduler whose runs are de-duplicated through `store`, so two instances (or a
 * retried timer event) post once.
 *
 * @example
 * const scheduler = createScheduler({ store })
 *   .schedule('daily-report', '0 0 9 * * MON-FRI *', async () => client.sendText(report()));
 * scheduler.start();                                  // long-running server
 * await scheduler.runDue('daily-report', eventTime);  // SCF / Lambda timer event
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const store = options.store;
  const log = options.log ?? silentInfo;
  const defaultTimezone = options.timezone ?? 'Asia/Shanghai';
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const runKeyTtlMs = options.runKeyTtlMs ?? 24 * 3_600_000;
  const maxLatenessMs = options.maxLatenessMs ?? 6 * 3_600_000;
  const earlyToleranceMs = options.earlyToleranceMs ?? 2000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  if (maxLatenessMs >= runKeyTtlMs) {
    throw new SchedulerConfigError(`maxLatenessMs (${maxLatenessMs}) must be below runKeyTtlMs (${runKeyTtlMs})`, {
      hint: 'a late event must still find the run key of its fire time',
    });
  }

  const jobs = new Map<string, Job>();
  const timers = new Map<string, NodeJS.Timeout>();
  const inFlight = new Set<Promise<unknown>>();
  let running = false;

  const find = (name: string): Job => {
    const job = jobs.get(name);
    if (!job) throw new SchedulerUnknownJobError(name, [...jobs.keys()]);
    return job;
  };

  /** Tries the job per its retry policy; resolves with attempts made and the final error. */
  const execute = async (job: Job, scheduledAt: Date, scheduled: boolean, runKey?: string) => {
    const asError = (cause: unknown) => (cause instanceof Error ? cause : new Error(String(cause)));
    let attempts = 0;
    try {
      await withRetry(
        async (attempt) => {
          attempts = attempt;
          await job.fn({ name: job.name, scheduledAt, attempt, scheduled });
        },
        {
          attempts: job.retry.attempts,
          baseMs: job.retry.backoffMs,
          // One process runs a fire time (the run key), so there is no crowd to spread out.
          jitter: 'none',
          sleep,
          onRetry: ({ err, attempt, delayMs }) =>
            log.error(
              { job: job.name, runKey, attempt, of: job.retry.attempts, err: asError(err), retryInMs: delayMs },
              `job "${job.name}" failed, retrying`,
            ),
        },
      );
      if (attempts > 1) log.info({ job: job.name, runKey, attempt: attempts }, 'job succeeded after retry');
      return { attempts, error: undefined };
    } catch (cause) {
      const err = asError(cause);
      log.error({ job: job.name, runKey, attempt: attempts, of: job.retry.attempts, err }, `job "${job.name}" failed, no tries left`);
      return { attempts, error: err };
    }
  };

  /** Runs one fire time of a job, once across every process sharing the store. */
  const runOccurrence = async (job: Job, scheduledAt: Date): Promise<RunResult> => {
    const runKey = `${job.name}@${fireTimeKey(scheduledAt)}`;
    const value = JSON.stringify({ owner, startedAt: new Date().toISOString() });
    // At most once by default: the key stays taken even if the job fails or the process dies
    // mid-run, because a job that posted half its messages must not post them again.
    const storeKey = `scheduler:run:${runKey}`;
    const won = await store.setIfAbsent(storeKey, value, { ttlMs: runKeyTtlMs });
    if (!won) {
      log.info({ job: job.name, runKey }, 'already ran elsewhere');
      return { name: job.name, ran: false, reason: 'already-ran', scheduledAt, runKey, attempts: 0 };
    }
    const { attempts, error } = await execute(job, scheduledAt, true, runKey);
    if (error && options.releaseOnFailure) {
      await store.delete(storeKey).catch((err: unknown) => log.warn({ job: job.name, runKey, err }, 'could not release the run key'));
    }
    return { name: job.name, ran: true, scheduledAt, runKey, attempts, ...(error ? { error } : {}) };
  };

  const track = <T>(promise: Promise<T>): Promise<T> => {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise)).catch(() => {});
    return promise;
  };

  const arm = (job: Job, after: Date) => {
    if (!running) return;
    const at = job.schedule.next(after);
    if (!at) return;
    const wait = at.getTime() - Date.now();
    const timer = setTimeout(
      () => {
        if (!running) return;
        if (at.getTime() > Date.now()) return arm(job, new Date(at.getTime() - 1)); // re-armed long wait
        arm(job, at);
        void track(runOccurrence(job, at)).catch((err: unknown) =>
          log.error({ job: job.name, err }, `job "${job.name}" could not take its run key`),
        );
      },
      Math.max(0, Math.min(wait, MAX_TIMER_MS)),
    );
    if (options.unref) timer.unref();
    timers.set(job.name, timer);
  };

  const scheduler: Scheduler = {
    schedule(name, cron, fn, jobOptions = {}) {
      if (!isJobName(name)) throw new SchedulerConfigError(`job name "${name}" is invalid`, { hint: `use ${JOB_NAME_RULE}` });
      if (jobs.has(name)) throw new SchedulerConfigError(`job "${name}" is scheduled twice`);
      if (typeof fn !== 'function') throw new SchedulerConfigError(`job "${name}" has no function to run`);
      const retry = { ...DEFAULT_RETRY, ...jobOptions.retry };
      if (!Number.isInteger(retry.attempts) || retry.attempts < 1 || !(retry.backoffMs >= 0)) {
        throw new SchedulerConfigError(`job "${name}" has an invalid retry policy`, {
          hint: 'retry.attempts is an integer >= 1 (tries in total), retry.backoffMs >= 0',
        });
      }
      const schedule = parseCron(cron, jobOptions.timezone ?? defaultTimezone);
      const job: Job = { name, schedule, fn, retry };
      jobs.set(name, job);
      if (running) arm(job, new Date());
      return scheduler;
    },

    start() {
      if (running) return;
      running = true;
      const now = new Date();
      for (const job of jobs.values()) arm(job, now);
    },

    async stop() {
      running = false;
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      await Promise.allSettled([...inFlight]);
    },

    async runDue(name, firedAt = new Date()) {
      const job = find(name);
      const at = new Date(firedAt.getTime() + earlyToleranceMs);
      const scheduledAt = job.schedule.latest(at, maxLatenessMs + earlyToleranceMs);
      if (!scheduledAt) {
        // Either nothing is due near this event, or its fire time is older than maxLatenessMs.
        const earlier = job.schedule.latest(at, 400 * 86_400_000);
        return earlier
          ? { name, ran: false, reason: 'too-late', scheduledAt: earlier, attempts: 0 }
          : { name, ran: false, reason: 'not-due', attempts: 0 };
      }
      return track(runOccurrence(job, scheduledAt));
    },

    async runNow(name) {
      const job = find(name);
      const scheduledAt = new Date();
      const { attempts, error } = await track(execute(job, scheduledAt, false));
      return { name, ran: true, scheduledAt, attempts, ...(error ? { error } : {}) };
    },

    list() {
      const now = new Date();
      return [...jobs.values()].map((job) => ({
        name: job.name,
        cron: job.schedule.expression,
        timezone: job.schedule.timezone,
        next: job.schedule.next(now),
      }));
    },
  };
  return scheduler;
}

/** `2025-01-06T01:00Z` for whole minutes (the usual case), `…T01:00:05Z` when seconds matter. */
export function fireTimeKey(at: Date): string {
  const iso = at.toISOString(); // 2025-01-06T01:00:05.000Z
  return at.getUTCSeconds() === 0 && at.getUTCMilliseconds() === 0 ? `${iso.slice(0, 16)}Z` : `${iso.slice(0, 19)}Z`;
}
