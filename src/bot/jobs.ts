/**
 * Scheduled jobs declared on a bot (`bot.job(name, cron, handler)`): the one public job model.
 * The scheduler (src/scheduler, internal) runs them: a timer event (SCF TriggerName,
 * EventBridge rule) calls `bot.runJob(name, firedAt)` → `scheduler.runDue`, a long-running
 * server calls `bot.startJobs()` → `scheduler.start()`, `wecombot jobs run` either. Every fire
 * time runs once across the instances sharing the store.
 */
import type { Logger } from 'pino';
import { WecombotError } from '../errors.js';
import { isJobName, JOB_NAME_RULE } from '../scheduler/job-name.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { Store } from '../store/store.js';
import { BotConfigError, ReplyError } from './errors.js';
import { toWebhookMessage, type ReplyContent, type ReplyOptions } from './reply-content.js';
import type { BotTransport } from './transport.js';

export { JOB_NAME_PATTERN, JOB_NAME_RULE, isJobName } from '../scheduler/job-name.js';

/**
 * What the registry needs from the bot that owns it. Narrow on purpose, so jobs.ts does not
 * import bot.ts (no cycle); a `Bot` satisfies it as it is: `new JobRegistry(this)`.
 */
export interface JobHost {
  /** Where run keys live (shared by the instances that must run each fire time once). */
  store(): Promise<Store>;
  readonly log: Logger;
  /** Sends `job.push(…)`. */
  transport(): BotTransport;
  /** Waits for queued sends after a job, so a FaaS instance is not frozen with them. */
  flush(): Promise<void>;
  /** `webhookUrl`: the default target of `job.push` (WECOM_WEBHOOK_URL). */
  readonly options: { readonly webhookUrl?: string | undefined };
}

/** What a job handler gets. */
export interface JobContext {
  readonly name: string;
  /** The fire time this run belongs to. */
  readonly firedAt: Date;
  /** 1 for the first try, 2 for the scheduler's first retry, … */
  readonly attempt: number;
  readonly store: Store;
  readonly log: Logger;
  /**
   * Sends through the default webhook (WECOM_WEBHOOK_URL), or `options.webhook` when given.
   * `chatid` targets chats (beta).
   */
  push(content: ReplyContent, options?: ReplyOptions & { webhook?: string; chatid?: string }): Promise<void>;
}

export type JobHandler = (ctx: JobContext) => unknown;

export interface JobDefinition {
  /** Letters, digits, `_` and `-`, starting with a letter, at most 60 (SCF trigger names). */
  name: string;
  /** Cron with 5, 6 (seconds first) or 7 fields (SCF: `sec min hour day month week year`). */
  schedule: string;
  handler: JobHandler;
  /** IANA zone of the schedule; default Asia/Shanghai. */
  timezone?: string;
  /** Tries in total (the scheduler retries with back-off); default 3. */
  attempts?: number;
}

/**
 * How a run went. `firedAt` is the fire time the run belonged to (ISO); a skipped run names it
 * when there was one (`already-ran`, `too-late`).
 */
export type JobRunResult =
  | { status: 'ran'; name: string; firedAt: string; attempts: number }
  | { status: 'skipped'; name: string; reason: 'already-ran' | 'not-due' | 'too-late'; firedAt?: string }
  | { status: 'failed'; name: string; error: WecombotError; attempts: number }
  | { status: 'unknown'; name: string };

/** The timezone of a job that names none. */
export const DEFAULT_JOB_TIMEZONE = 'Asia/Shanghai';

/** The jobs of one bot, and the scheduler that runs them (created on first use). */
export class JobRegistry {
  #jobs = new Map<string, JobDefinition>();
  #scheduler: Promise<Scheduler> | undefined;
  #started = false;
  readonly #host: JobHost;

  constructor(host: JobHost) {
    this.#host = host;
  }

  add(def: JobDefinition): void {
    if (!isJobName(def.name)) {
      throw new BotConfigError(`job name "${def.name}" is invalid`, { hint: `use ${JOB_NAME_RULE}` });
    }
    if (this.#jobs.has(def.name)) throw new BotConfigError(`job "${def.name}" is declared twice`);
    if (typeof def.handler !== 'function') throw new BotConfigError(`job "${def.name}": handler must be a function`);
    if (this.#scheduler)
      throw new BotConfigError(`job "${def.name}" declared after jobs started`, { hint: 'declare jobs while installing modules' });
    // The field count is checked now; the full parse (croner) happens when the scheduler is
    // created: at `wecombot build`, at `serve` start, or on the first timer event. Loading
    // croner here would cost every FaaS cold start, jobs or not.
    const fields = def.schedule.trim().split(/\s+/).length;
    if (!def.schedule.trim() || (!(fields >= 5 && fields <= 7) && !(fields === 1 && def.schedule.trim().startsWith('@')))) {
      throw new BotConfigError(`job "${def.name}": cron "${def.schedule}" has ${fields} fields`, {
        hint: 'use 5 fields (minute hour day month week), 6 (second first) or 7 (Tencent SCF: second … week year)',
      });
    }
    this.#jobs.set(def.name, def);
  }

  list(): JobDefinition[] {
    return [...this.#jobs.values()];
  }

  /** The scheduler with every declared job, created on first use (it needs the store). */
  scheduler(): Promise<Scheduler> {
    this.#scheduler ??= (async () => {
      const host = this.#host;
      const store = await host.store();
      const { createScheduler } = await import('../scheduler/scheduler.js');
      const scheduler = createScheduler({ store, log: host.log.child({ component: 'scheduler' }), timezone: DEFAULT_JOB_TIMEZONE });
      for (const def of this.#jobs.values()) {
        scheduler.schedule(def.name, def.schedule, (run) => this.#invoke(def, store, run.scheduledAt, run.attempt), {
          timezone: def.timezone ?? DEFAULT_JOB_TIMEZONE,
          ...(def.attempts ? { retry: { attempts: def.attempts } } : {}),
        });
      }
      return scheduler;
    })();
    return this.#scheduler;
  }

  /** Next fire time per job (ISO), null when its cron has none left. Parses every cron. */
  async nextRuns(): Promise<Record<string, string | null>> {
    const scheduler = await this.scheduler();
    return Object.fromEntries(scheduler.list().map((j) => [j.name, j.next ? j.next.toISOString() : null]));
  }

  async #invoke(def: JobDefinition, store: Store, firedAt: Date, attempt: number): Promise<void> {
    const host = this.#host;
    const log = host.log.child({ job: def.name, attempt });
    const ctx: JobContext = {
      name: def.name,
      firedAt,
      attempt,
      store,
      log,
      push: async (content, options = {}) => {
        const webhook = options.webhook ?? host.options.webhookUrl;
        if (!webhook) throw new ReplyError('reply_no_channel', `job "${def.name}" has no webhook`, { hint: 'set WECOM_WEBHOOK_URL' });
        const message = toWebhookMessage(content, options);
        if (options.chatid) message.chatid = options.chatid;
        await host.transport().sendWebhook(webhook, message);
      },
    };
    await def.handler(ctx);
    await host.flush();
  }

  /** Runs the fire time `firedAt` belongs to, once across instances (timer events); without `firedAt`, now. */
  async run(name: string, firedAt: Date | undefined): Promise<JobRunResult> {
    const log = this.#host.log;
    if (!this.#jobs.has(name)) {
      log.warn({ job: name, known: [...this.#jobs.keys()] }, 'timer fired for an unknown job');
      return { status: 'unknown', name };
    }
    const scheduler = await this.scheduler();
    const result = firedAt ? await scheduler.runDue(name, firedAt) : await scheduler.runNow(name);
    if (!result.ran) {
      log.info({ job: name, reason: result.reason, firedAt: firedAt?.toISOString() }, 'job skipped');
      return {
        status: 'skipped',
        name,
        reason: result.reason ?? 'not-due',
        ...(result.scheduledAt ? { firedAt: result.scheduledAt.toISOString() } : {}),
      };
    }
    if (result.error) {
      const error =
        result.error instanceof WecombotError
          ? result.error
          : new WecombotError('job_failed', `job "${name}" failed: ${result.error.message}`, { cause: result.error });
      return { status: 'failed', name, error, attempts: result.attempts };
    }
    return { status: 'ran', name, firedAt: (result.scheduledAt ?? firedAt ?? new Date()).toISOString(), attempts: result.attempts };
  }

  /** Starts in-process timers (long-running servers). */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    (await this.scheduler()).start();
  }

  /** Stops the timers and waits for runs in progress. */
  async stop(): Promise<void> {
    if (!this.#started || !this.#scheduler) return;
    this.#started = false;
    await (await this.#scheduler).stop();
  }
}
