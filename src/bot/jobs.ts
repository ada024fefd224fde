/**
 * Scheduled jobs declared on a bot (`bot.job(name, cron, handler)`). A timer event (SCF
 * TriggerName, EventBridge rule) or the Node server's scheduler calls `bot.runJob(name, firedAt)`;
 * a (name, fire time) pair runs once across every instance sharing the store, and a failed run
 * releases its claim so the platform's retry can run it again.
 */
import type { Logger } from 'pino';
import { WecombotError } from '../protocol/errors.js';
import type { Store } from '../store/store.js';
import type { Bot } from './bot.js';
import { BotConfigError, ReplyError } from './errors.js';
import { toWebhookMessage, type ReplyContent, type ReplyOptions } from './reply-content.js';

/** What a job handler gets. */
export interface JobContext {
  readonly name: string;
  /** When the timer fired (the event's time, or now). */
  readonly firedAt: Date;
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
  /** Cron, 5 to 7 fields (SCF: `sec min hour day month week year`). */
  schedule: string;
  handler: JobHandler;
  /** IANA zone for `wecombot serve`'s scheduler; default Asia/Shanghai. */
  timezone?: string;
}

export type JobRunResult =
  | { status: 'ran'; name: string; ms: number }
  | { status: 'skipped'; name: string; reason: 'already-ran' }
  | { status: 'failed'; name: string; error: WecombotError }
  | { status: 'unknown'; name: string };

const JOB_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/;

export class JobRegistry {
  #jobs = new Map<string, JobDefinition>();
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
    const fields = def.schedule.trim().split(/\s+/).length;
    if (!def.schedule.trim() || fields < 5 || fields > 7) {
      throw new BotConfigError(`job "${def.name}": schedule "${def.schedule}" must be a cron expression of 5 to 7 fields`);
    }
    if (typeof def.handler !== 'function') throw new BotConfigError(`job "${def.name}": handler must be a function`);
    if (this.#jobs.has(def.name)) throw new BotConfigError(`job "${def.name}" is declared twice`);
    this.#jobs.set(def.name, def);
  }

  list(): JobDefinition[] {
    return [...this.#jobs.values()];
  }

  async run(name: string, firedAt: Date): Promise<JobRunResult> {
    const bot = this.#bot;
    const def = this.#jobs.get(name);
    if (!def) {
      bot.log.warn({ job: name, known: [...this.#jobs.keys()] }, 'timer fired for an unknown job');
      return { status: 'unknown', name };
    }
    const store = await bot.store();
    // One run per fire time (to the second) across instances; the claim outlives retries.
    const claim = `job:${name}:${Math.floor(firedAt.getTime() / 1000)}`;
    if (!(await store.setIfAbsent(claim, 'running', { ttlMs: 24 * 60 * 60 * 1000 }))) {
      bot.log.info({ job: name, firedAt: firedAt.toISOString() }, 'job already ran for this fire time');
      return { status: 'skipped', name, reason: 'already-ran' };
    }
    const log = bot.log.child({ job: name });
    const started = Date.now();
    const ctx: JobContext = {
      name,
      firedAt,
      store,
      log,
      push: async (content, options = {}) => {
        const webhook = options.webhook ?? bot.options.webhookUrl;
        if (!webhook) throw new ReplyError('reply_no_channel', `job "${name}" has no webhook`, { hint: 'set WECOM_WEBHOOK_URL' });
        const message = toWebhookMessage(content, options);
        if (options.chatid) message.chatid = options.chatid;
        await bot.transport().sendWebhook(webhook, message);
      },
    };
    try {
      await def.handler(ctx);
      await bot.flush();
      const ms = Date.now() - started;
      log.info({ ms }, 'job ran');
      return { status: 'ran', name, ms };
    } catch (err) {
      await store.delete(claim).catch(() => undefined);
      const error =
        err instanceof WecombotError
          ? err
          : new WecombotError('job_failed', `job "${name}" failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      log.error({ err }, 'job failed');
      return { status: 'failed', name, error };
    }
  }
}
