/**
 * The leads desk: one per installed module, shared by the intake route, the chat handlers,
 * the claim-timer job, the emulator and the CLI. It records a delivered lead, posts it once,
 * and moves unclaimed leads up the escalation chain.
 */
import type { Logger } from 'pino';
import type { ModuleEvents } from '../../bot/events.js';
import type { ReplyContent, ReplyOptions } from '../../bot/reply-content.js';
import { WecombotError } from '../../errors.js';
import type { WebhookMessage } from '../../protocol/message/types.js';
import type { Store } from '../../store/store.js';
import { assign } from './assign.js';
import type { LeadsConfig, SourceConfig } from './config.js';
import type { IncomingLead } from './intake/lead-input.js';
import { escalationPost, escalationTarget, newLeadPost } from './messages.js';
import { normalizePhone } from './phone.js';
import { recordLead, type Recorded } from './records/record.js';
import type { Lead, LeadsLedger } from './records/rows.js';
import { claimPost, dueForEscalation, escalate, markPosted, releasePost, stopTimer, unescalate, unposted } from './records/queue.js';
import { leadTableNames } from './records/schema.js';

export type Push = (content: ReplyContent, options: ReplyOptions & { webhook?: string; chatid?: string }) => Promise<void>;

/** The part of `services.events` (src/bot/events.ts) the desk uses; absent in the CLI. */
export type LeadEvents = Pick<ModuleEvents, 'emit'>;

const SOURCE_LABEL: Record<SourceConfig['kind'], string> = { tencent: '腾讯广告', feiyu: '巨量飞鱼', generic: '表单' };

export class LeadsDesk {
  readonly ledger: LeadsLedger;
  /** The sales group's webhook: `group.webhook`, else WECOM_WEBHOOK_URL. */
  readonly webhook: string | undefined;

  constructor(
    readonly store: Store,
    table: (name: string) => string,
    readonly config: LeadsConfig,
    now: () => number,
    private readonly log: Logger,
    private readonly events: LeadEvents | undefined,
    defaultWebhook?: string,
  ) {
    this.ledger = { store, t: leadTableNames(table), now };
    this.webhook = config.group.webhook ?? defaultWebhook;
    // Not refused here: `wecombot build` installs the bot without the run-time environment.
    if (!this.webhook) log.warn('leads: group.webhook is not set and WECOM_WEBHOOK_URL is empty: leads are stored but not posted');
  }

  sourceLabel(name: string): string {
    const source = this.config.sources.get(name);
    return source ? `${SOURCE_LABEL[source.kind]} · ${name}` : name;
  }

  /** Records one delivered lead (de-duplicated, assigned); announces a new one to the other modules. */
  async record(source: string, incoming: IncomingLead): Promise<Recorded> {
    const phone = normalizePhone(incoming.phone);
    const recorded = await recordLead(
      this.ledger,
      {
        source,
        externalId: incoming.externalId,
        name: incoming.name.slice(0, 200),
        phone,
        region: incoming.region,
        product: incoming.product,
        channel: incoming.channel,
        answers: incoming.answers,
        raw: incoming.raw,
        sourceCreatedAt: incoming.createdAt,
      },
      {
        repeatWindowMs: this.config.repeatWindowMs,
        claimWithinMs: this.config.claim.withinMs,
        strategy: this.config.strategy,
        choose: (facts, state, at) => assign(this.config, facts, state, at),
      },
    );
    if (recorded.kind === 'new' && this.events) {
      const l = recorded.lead;
      // The payload's phone is the normalized one (a customer is matched on it), else as sent.
      await this.events.emit('lead.created', {
        leadId: l.id,
        source: l.source,
        ...(l.region ? { region: l.region } : {}),
        ...(l.product ? { product: l.product } : {}),
        phone: l.phone.e164 ?? l.phone.raw,
      });
    }
    return recorded;
  }

  /**
   * Posts a new lead in the sales group, once: the post is claimed first, so the intake and the
   * job (or two instances) never both post it. A failed push is left for the job.
   */
  async post(lead: Lead, push: Push): Promise<boolean> {
    if (!(await claimPost(this.ledger, lead.id))) return false;
    const { content, options, ping } = newLeadPost(this.config, lead, this.sourceLabel(lead.source));
    try {
      await push(content, { ...options, ...this.target() });
    } catch (err) {
      this.log.warn({ err, lead: lead.id }, 'leads: group post failed; the claim-timer job retries');
      await releasePost(this.ledger, lead.id).catch(() => undefined);
      return false;
    }
    await markPosted(this.ledger, lead.id);
    await this.ping(push, ping, lead.id);
    return true;
  }

  /**
   * The @ by mobile after a post. The post itself is out (and recorded): a failed ping is
   * logged, not retried, so the lead is never posted twice for it.
   */
  private async ping(push: Push, message: WebhookMessage | undefined, leadId: string): Promise<void> {
    if (!message) return;
    await push(message, this.target()).catch((err: unknown) => this.log.warn({ err, lead: leadId }, 'leads: the @ by mobile failed'));
  }

  /** The sales group: its webhook, and its chat id when configured. */
  target(): { webhook: string; chatid?: string } {
    if (!this.webhook)
      throw new WecombotError('reply_no_channel', 'leads: no webhook for the sales group', {
        hint: 'set group.webhook in the leads options, or WECOM_WEBHOOK_URL; the claim-timer job posts what is stored',
      });
    return { webhook: this.webhook, ...(this.config.group.chatId ? { chatid: this.config.group.chatId } : {}) };
  }

  /** One run of the claim timer: posts left over, then each due lead one step up the chain. */
  async tick(push: Push): Promise<{ posted: number; escalated: number; exhausted: number }> {
    let posted = 0;
    for (const lead of await unposted(this.ledger)) if (await this.post(lead, push)) posted += 1;
    let escalated = 0;
    let exhausted = 0;
    for (const lead of await dueForEscalation(this.ledger)) {
      const to = escalationTarget(this.config, lead);
      if (!to) {
        // The end of the chain: stop the timer; the lead stays new and listed.
        if (await stopTimer(this.ledger, lead)) exhausted += 1;
        continue;
      }
      const after = { ...lead, rep: to, escalationLevel: lead.escalationLevel + 1 };
      const nextAt = escalationTarget(this.config, after) ? this.ledger.now() + this.config.claim.withinMs : undefined;
      if (!(await escalate(this.ledger, lead, to, nextAt))) continue;
      const { content, options, ping } = escalationPost(this.config, lead, to);
      try {
        await push(content, { ...options, ...this.target() });
        escalated += 1;
      } catch (err) {
        this.log.warn({ err, lead: lead.id }, 'leads: escalation post failed; retried on the next run');
        await unescalate(this.ledger, lead).catch(() => undefined);
        continue;
      }
      await this.ping(push, ping, lead.id);
    }
    return { posted, escalated, exhausted };
  }
}
