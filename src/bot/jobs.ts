/**
 * Scheduled jobs declared on a bot (`bot.job(name, cron, handler)`), run by the scheduler
 * (src/scheduler): a timer event (SCF TriggerName, EventBridge rule) calls
 * `bot.runJob(name, firedAt)` → `scheduler.runDue`, a long-running server calls
 * `bot.startJobs()` → `scheduler.start()`. Every fire time runs once across the instances
 * sharing the store.
 */
import type { Logger } from 'pino';
import { WecombotError } from '../errors.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import type { Store } from '../store/store.js';
import type { Bot } from './bot.js';
import { BotConfigError, ReplyError } from './errors.js';
import { toWebhookMessage, type ReplyContent, type ReplyOptions } from './reply-content.js';

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

export type JobRunResult =
  | { status: 'ran'; name: string; firedAt: string; attempts: number }
  | { status: 'skipped'; name: string; reason: 'already-ran' | 'not-due' | 'too-late' }
  | { status: 'failed'; name: string; error: WecombotError }
  | { status: 'unknown'; name: string };

const JOB_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/;
const DEFAULT_TZ = 'Asia/Shanghai';

export class JobRegistry {
  #jobs = new Map<string, JobDefinition>();
  #scheduler: Promise<Scheduler> | undefined;
  #started = false;
  readonly #bot: Bot;

  constructor(bot: Bot) {
    this.#bot = bot;
  }

  add(def: JobDefinition): void {
    if (!JOB_NAME.test(def.name)) {
      throw new BotConfigError(`job name "${def.name}" is invalid`, {
        hint: 'use a letter, then letters, digits, _ or - (at most 60): it becomes the SCF timer trigger name',
      });
    }
    if (this.#jobs.has(def.name)) throw new BotConfigError(`job "${def.name}" is declared twice`);
    if (typeof def.handler !== 'function') throw new BotConfigError(`job "${def.name}": handler must be a function`);
    if (this.#scheduler) throw new BotConfigError(`job "${def.name}" declared after jobs started`, { hint: 'declare jobs while installing modules' });
    // The field count is checked now; the full parse (croner) happens when the scheduler is
    // created: at `wecombot build`, at `serve` start, or on the first timer event. Loading
    // croner here would cost every FaaS cold start, jobs or not.
    const fields = def.schedule.trim().split(/\s+/).length;
    if (!def.schedule.trim() || !(fields >= 5 && fields <= 7) && !(fields === 1 && def.schedule.trim().startsWith('@'))) {
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
      const bot = this.#bot;
      const store = await bot.store();
      const { createScheduler } = await import('../scheduler/scheduler.js');
      const scheduler = createScheduler({ store, log: bot.log.child({ component: 'scheduler' }), timezone: DEFAULT_TZ });
      for (const def of this.#jobs.values()) {
        scheduler.schedule(def.name, def.schedule, (run) => this.#invoke(def, store, run.scheduledAt, run.attempt), {
          timezone: def.timezone ?? DEFAULT_TZ,
          ...(def.attempts ? { retry: { attempts: def.attempts } } : {}),
        });
      }
      return scheduler;
    })();
    return this.#scheduler;
  }

  async #invoke(def: JobDefinition, store: Store, firedAt: Date, attempt: number): Promise<void> {
    const bot = this.#bot;
    const log = bot.log.child({ job: def.name, attempt });
    const ctx: JobContext = {
      name: def.name,
      firedAt,
      attempt,
      store,
      log,
      push: async (content, options = {}) => {
        const webhook = options.webhook ?? bot.options.webhookUrl;
        if (!webhook) throw new ReplyError('reply_no_channel', `job "${def.name}" has no webhook`, { hint: 'set WECOM_WEBHOOK_URL' });
        const message = toWebhookMessage(content, options);
        if (options.chatid) message.chatid = options.chatid;
        await bot.transport().sendWebhook(webhook, message);
      },
    };
    await def.handler(ctx);
    await bot.flush();
  }

  /** Runs the fire time `firedAt` belongs to, once across instances (timer events); without `firedAt`, now. */
  async run(name: string, firedAt: Date | undefined): Promise<JobRunResult> {
    const bot = this.#bot;
    if (!this.#jobs.has(name)) {
      bot.log.warn({ job: name, known: [...this.#jobs.keys()] }, 'timer fired for an unknown job');
      return { status: 'unknown', name };
    }
    const scheduler = await this.scheduler();
    const result = firedAt ? await scheduler.runDue(name, firedAt) : await scheduler.runNow(name);
    if (!result.ran) {
      bot.log.info({ job: name, reason: result.reason, firedAt: firedAt?.toISOString() }, 'job skipped');
      return { status: 'skipped', name, reason: result.reason ?? 'not-due' };
    }
    if (result.error) {
      const error =
        result.error instanceof WecombotError
          ? result.error
          : new WecombotError('job_failed', `job "${name}" failed: ${result.error.message}`, { cause: result.error });
      return { status: 'failed', name, error };
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
