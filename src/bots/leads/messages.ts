/**
 * What the bot says. Group posts show the phone masked (`138****1234`) and the name masked
 * (`张**`); the full phone goes only to the claimer. Markdown, because the classic robot's
 * markdown carries the 认领 button (attachments) and `<@userid>` mentions.
 */
import type { ReplyContent, ReplyOptions } from '../../bot/reply-content.js';
import type { WebhookMessage } from '../../protocol/message/types.js';
import { maskName } from '../signup/mask.js';
import type { LeadsConfig } from './config.js';
import { displayPhone, maskedPhone } from './phone.js';
import type { Lead } from './records/rows.js';

export const NAMESPACE = 'leads';
export const COMMAND = '线索';
export const claimButtonId = (leadId: string) => `${NAMESPACE}:claim:${leadId}`;

const FLAG_NOTE: Record<string, string> = { masked: '（平台已打码）', invalid: '（号码无法识别，请看原始记录）', missing: '' };

export interface Post {
  content: ReplyContent;
  options: ReplyOptions;
  /** Sent right after `content`: the @ of a rep mentioned by mobile (markdown cannot carry mentioned_mobile_list). */
  ping?: WebhookMessage;
}

/**
 * How `userId` is @-mentioned: `<@userid>` in the markdown, or, for a rep configured with a
 * `mobile`, a text message right after the post with `mentioned_mobile_list`.
 */
function mentionOf(config: LeadsConfig, userId: string | undefined, pingText: string): Pick<Post, 'options' | 'ping'> {
  if (!userId) return { options: {} };
  const mobile = config.reps.find((r) => r.userId === userId)?.mobile;
  if (!mobile) return { options: { mention: userId } };
  return { options: {}, ping: { msgtype: 'text', text: { content: pingText, mentioned_mobile_list: [mobile] } } };
}

function nameOf(config: LeadsConfig, userId: string | undefined): string {
  if (!userId) return '—';
  return config.reps.find((r) => r.userId === userId)?.name ?? userId;
}

function minutes(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} 分钟` : `${Math.round(ms / 1000)} 秒`;
}

function facts(lead: Lead): string[] {
  const lines = [
    `> 客户：${lead.name ? maskName(lead.name) : '（未留名）'}`,
    `> 电话：${maskedPhone(lead.phone)}${FLAG_NOTE[lead.phone.flag ?? ''] ?? ''}`,
  ];
  const where = [lead.region, lead.product].filter(Boolean).join(' · ');
  if (where) lines.push(`> 地区/产品：${where}`);
  if (lead.channel) lines.push(`> 渠道：${lead.channel}`);
  return lines;
}

/** Who the lead goes to after `level`: the backup (the rep's own, else claim.backup), then the manager. */
export function escalationTarget(config: LeadsConfig, lead: Lead): string | undefined {
  const assigned = config.reps.find((r) => r.userId === lead.assignedTo);
  const chain = [assigned?.backup ?? config.claim.backup, config.claim.manager].filter((x): x is string => !!x && x !== lead.assignedTo);
  const unique = [...new Set(chain)];
  // Level 0 → chain[0], level 1 → chain[1]; a step that names the current holder is skipped.
  for (const candidate of unique.slice(lead.escalationLevel)) if (candidate !== lead.rep) return candidate;
  return undefined;
}

function nextStep(config: LeadsConfig, lead: Lead): string {
  const next = escalationTarget(config, lead);
  return next ? `${minutes(config.claim.withinMs)}内未认领将转给 ${nameOf(config, next)}。` : '';
}

const claimButton = (lead: Lead) => [{ id: claimButtonId(lead.id), text: '认领', replaceText: '已认领' }];

export function newLeadPost(config: LeadsConfig, lead: Lead, sourceLabel: string): Post {
  const markdown = [
    `**新线索 ${lead.id}**（${sourceLabel}）`,
    ...facts(lead),
    `> 分配：<font color="comment">${lead.assignReason ?? '—'}</font>`,
    nextStep(config, lead) || '请尽快认领。',
  ].join('\n');
  return { content: { markdown, buttons: claimButton(lead) }, ...mentionOf(config, lead.rep, `新线索 ${lead.id} 待认领`) };
}

export function escalationPost(config: LeadsConfig, lead: Lead, to: string): Post {
  const after = { ...lead, rep: to, escalationLevel: lead.escalationLevel + 1 };
  const markdown = [
    `**⏰ 线索 ${lead.id} 超时未认领**，转给 ${nameOf(config, to)}`,
    ...facts(lead),
    `> 原分配：${nameOf(config, lead.assignedTo)}（${lead.assignReason ?? '—'}）`,
    nextStep(config, after) || '请立即认领。',
  ].join('\n');
  return { content: { markdown, buttons: claimButton(lead) }, ...mentionOf(config, to, `线索 ${lead.id} 超时未认领，已转给你`) };
}

export function claimedNotice(config: LeadsConfig, lead: Lead, by: string): Post {
  return { content: { markdown: `✅ 线索 ${lead.id} 已由 ${nameOf(config, by)} 认领` }, options: {} };
}

/** For the claimer only: the full phone and the answers. */
export function revealText(lead: Lead): string {
  const lines = [`线索 ${lead.id}：${lead.name || '（未留名）'} ${displayPhone(lead.phone)}${FLAG_NOTE[lead.phone.flag ?? ''] ?? ''}`];
  if (lead.region || lead.product) lines.push([lead.region, lead.product].filter(Boolean).join(' · '));
  for (const [k, v] of Object.entries(lead.answers).slice(0, 8)) lines.push(`${k}：${v}`);
  if (lead.repeatCount > 0) lines.push(`（重复提交 ${lead.repeatCount} 次）`);
  lines.push(`跟进后发送：${COMMAND} ${lead.id} 已联系 / 成交 / 丢单`);
  return lines.join('\n');
}

export const STATUS_WORDS: Record<string, 'contacted' | 'won' | 'lost'> = {
  已联系: 'contacted',
  联系: 'contacted',
  contacted: 'contacted',
  成交: 'won',
  赢单: 'won',
  won: 'won',
  丢单: 'lost',
  无效: 'lost',
  lost: 'lost',
};

export const STATUS_LABEL: Record<string, string> = {
  new: '待认领',
  claimed: '已认领',
  contacted: '已联系',
  won: '成交',
  lost: '丢单',
  repeat: '重复',
};

/** One lead for `线索 L…`: masked unless the asker claimed it. */
export function leadSummary(config: LeadsConfig, lead: Lead, full: boolean): string {
  return [
    `线索 ${lead.id} · ${STATUS_LABEL[lead.status] ?? lead.status} · ${lead.source}`,
    `${full ? lead.name || '（未留名）' : lead.name ? maskName(lead.name) : '（未留名）'} ${full ? displayPhone(lead.phone) : maskedPhone(lead.phone)}`,
    `分配：${lead.assignReason ?? '—'}`,
    lead.claimedBy ? `认领：${nameOf(config, lead.claimedBy)}` : `当前：${nameOf(config, lead.rep)}`,
    ...(lead.repeatCount ? [`重复提交 ${lead.repeatCount} 次`] : []),
  ].join('\n');
}
