/**
 * The leads bot in the sales group: the 认领 button, and `线索 L…` to look a lead up or move
 * it on (`线索 L… 已联系 / 成交 / 丢单`). The full phone goes to the claimer alone: the passive
 * answer to the click carries `visible_to_user` (the group robot's documented private channel);
 * in a single chat with the robot it is private anyway.
 */
import type { Context } from '../../bot/context.js';
import type { LeadsDesk } from './desk.js';
import { claimedNotice, COMMAND, leadSummary, revealText, STATUS_LABEL, STATUS_WORDS } from './messages.js';
import { changeStatus, claimLead, findLead } from './records/status.js';

/** Who may claim and move leads: the reps, the backup and the manager. */
function isSales(desk: LeadsDesk, userId: string): boolean {
  const { reps, claim } = desk.config;
  return reps.some((r) => r.userId === userId || r.backup === userId) || claim.backup === userId || claim.manager === userId;
}

const privately = (ctx: Context) => (ctx.chatType === 'single' ? {} : { visibleTo: ctx.from.userId });

function wrongChat(desk: LeadsDesk, ctx: Context): boolean {
  return desk.config.group.chatId !== undefined && ctx.chatType !== 'single' && ctx.chatId !== desk.config.group.chatId;
}

/** Below this much of the ack budget a reply may miss the passive answer and go by webhook. */
const PASSIVE_MARGIN_MS = 500;

/**
 * The full number for `userId` alone. The passive answer with `visible_to_user` is the group
 * robot's documented private channel; a webhook push's `visible_to_user` is a beta interface
 * (UNCONFIRMED for ordinary companies), so the number never goes that way: too late for the
 * passive answer, it goes as a private corp app message (`reveal.agentId`), else not at all.
 */
async function reveal(ctx: Context, desk: LeadsDesk, text: string, leadId: string): Promise<void> {
  if (ctx.chatType === 'single') return void (await ctx.reply(text));
  if (ctx.deadline.remainingMs() > PASSIVE_MARGIN_MS) return void (await ctx.reply(text, privately(ctx)));
  const agentId = desk.config.reveal.agentId;
  if (agentId !== undefined) {
    try {
      await ctx.corp.call({
        api: 'message/send',
        method: 'POST',
        json: { touser: ctx.from.userId, msgtype: 'text', agentid: agentId, text: { content: text } },
        delivery: 'at-most-once',
      });
      await ctx.reply(`线索 ${leadId}：完整号码已通过应用消息私信给你`, privately(ctx));
      return;
    } catch (err) {
      ctx.log.warn({ err, lead: leadId }, 'leads: private app message failed');
    }
  }
  await ctx.reply(`线索 ${leadId} 已认领。完整号码请发送：${COMMAND} ${leadId}`, privately(ctx));
}

export async function claim(ctx: Context, desk: LeadsDesk, leadId: string): Promise<void> {
  const userId = ctx.from.userId;
  if (!isSales(desk, userId)) {
    await ctx.reply('只有销售可以认领线索', privately(ctx));
    return;
  }
  if (wrongChat(desk, ctx)) {
    await ctx.reply('请在销售群里认领线索', privately(ctx));
    return;
  }
  const result = await claimLead(desk.ledger, leadId, userId);
  if (!result.ok) {
    const text =
      result.reason === 'missing'
        ? `没有线索 ${leadId}`
        : result.lead?.claimedBy === userId
          ? undefined
          : `线索 ${leadId} 已由 ${desk.config.reps.find((r) => r.userId === result.lead?.claimedBy)?.name ?? result.lead?.claimedBy ?? '他人'} 认领`;
    if (text === undefined && result.lead) await reveal(ctx, desk, revealText(result.lead), leadId);
    else await ctx.reply(text ?? '', privately(ctx));
    return;
  }
  // The full phone, to the claimer only.
  await reveal(ctx, desk, revealText(result.lead), leadId);
  // Everyone else learns it is taken (no personal data), through the chat's webhook.
  if (ctx.chatType !== 'single') {
    const { content, options } = claimedNotice(desk.config, result.lead, userId);
    await ctx.push(content, options).catch((err: unknown) => ctx.log.warn({ err, lead: leadId }, 'leads: claim notice not sent'));
  }
}

export async function leadCommand(ctx: Context, desk: LeadsDesk, args: string): Promise<void> {
  const [leadId, word, ...rest] = args.trim().split(/\s+/);
  if (!leadId) {
    await ctx.reply(`用法：${COMMAND} L… [已联系|成交|丢单]`, privately(ctx));
    return;
  }
  const userId = ctx.from.userId;
  if (!isSales(desk, userId)) {
    await ctx.reply('只有销售可以查看线索', privately(ctx));
    return;
  }
  const id = leadId.toUpperCase();
  if (!word) {
    const lead = await findLead(desk.ledger, id);
    if (!lead) return void (await ctx.reply(`没有线索 ${id}`, privately(ctx)));
    const full = lead.claimedBy === userId || desk.config.claim.manager === userId;
    if (full) await reveal(ctx, desk, leadSummary(desk.config, lead, true), id);
    else await ctx.reply(leadSummary(desk.config, lead, false), privately(ctx));
    return;
  }
  const to = STATUS_WORDS[word];
  if (!to) {
    await ctx.reply(`不认识「${word}」：${COMMAND} ${id} 已联系 / 成交 / 丢单`, privately(ctx));
    return;
  }
  const lead = await findLead(desk.ledger, id);
  if (!lead) return void (await ctx.reply(`没有线索 ${id}`, privately(ctx)));
  if (lead.claimedBy !== userId && desk.config.claim.manager !== userId) {
    await ctx.reply(`线索 ${id} 不是你认领的`, privately(ctx));
    return;
  }
  const note = rest.join(' ').slice(0, 200) || undefined;
  const result = await changeStatus(desk.ledger, id, to, userId, note);
  if (!result.ok) {
    await ctx.reply(
      `线索 ${id} 现在是「${STATUS_LABEL[result.lead?.status ?? ''] ?? '—'}」，不能改为「${STATUS_LABEL[to]}」`,
      privately(ctx),
    );
    return;
  }
  await ctx.reply(`线索 ${id} → ${STATUS_LABEL[to]}`, privately(ctx));
}
