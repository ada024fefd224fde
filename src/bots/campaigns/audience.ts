/**
 * Who a campaign reaches and with what: the tag book's subjects, the first rule whose segment
 * each one is in, the offer rendered for them, and the route — a customer with a follow-up staff
 * member through add_msg_template (when the corp API is there), else the group the subject was
 * last seen in (with `<@userid>`, or visible_to_user), else nowhere (`unreachable`). No guardrail
 * is applied here: the planner does that under its lock; the preview shows both.
 */
import type { WebhookMessage } from '../../protocol/message/types.js';
import { isCustomerId, type TagBook } from '../tags/book.js';
import type { Campaign, CampaignsConfig } from './config.js';
import { inSegment } from './segment.js';
import { renderOffer } from './template.js';

export interface Candidate {
  subject: string;
  name: string;
  /** 1-based rule index. */
  rule: number;
  segment: string;
  channel: 'group' | 'corp' | 'none';
  chatId: string | null;
  webhookUrl: string | null;
  sender: string | null;
  /** The offer text. */
  text: string;
  /** What goes out: a webhook message, or `{ text }` for add_msg_template. */
  body: WebhookMessage | { text: string };
}

export async function audienceOf(campaign: Campaign, book: TagBook, config: CampaignsConfig, corpReady: boolean): Promise<Candidate[]> {
  const sets = await book.tagSets();
  const db = book.db();
  const subjects = new Map((await db.selectFrom(book.t.subjects).select(['id', 'name', 'owner']).execute()).map((s) => [s.id, s]));
  const presence = new Map<string, { chat_id: string; webhook_url: string; last_seen: number }>();
  for (const p of await db.selectFrom(book.t.presence).select(['subject', 'chat_id', 'webhook_url', 'last_seen']).execute()) {
    const seen = Number(p.last_seen);
    const prev = presence.get(p.subject);
    if (!prev || seen > prev.last_seen) presence.set(p.subject, { chat_id: p.chat_id, webhook_url: p.webhook_url, last_seen: seen });
  }
  const out: Candidate[] = [];
  for (const subject of [...sets.keys()].sort()) {
    const tags = sets.get(subject) as Set<string>;
    const index = campaign.rules.findIndex((r) => inSegment(r.segment, tags));
    if (index < 0) continue;
    const rule = campaign.rules[index] as Campaign['rules'][number];
    const info = subjects.get(subject);
    const name = info?.name || subject;
    const text = renderOffer(rule.offer, { ...campaign.vars, name, userid: subject, campaign: campaign.name });
    const seen = presence.get(subject);
    const owner = info?.owner ?? null;
    const byCorp = corpReady && owner !== null && isCustomerId(subject) && campaign.channel !== 'group';
    const base = { subject, name, rule: index + 1, segment: rule.source, text };
    if (byCorp) {
      out.push({ ...base, channel: 'corp', chatId: null, webhookUrl: null, sender: owner, body: { text } });
    } else if (seen && campaign.channel !== 'corp') {
      const body: WebhookMessage =
        config.groupDelivery === 'visible'
          ? { msgtype: 'markdown', markdown: { content: text }, chatid: seen.chat_id, visible_to_user: subject }
          : { msgtype: 'markdown', markdown: { content: `<@${subject}> ${text}` } };
      out.push({ ...base, channel: 'group', chatId: seen.chat_id, webhookUrl: seen.webhook_url, sender: null, body });
    } else {
      out.push({ ...base, channel: 'none', chatId: null, webhookUrl: null, sender: null, body: { text } });
    }
  }
  return out;
}
