/**
 * Tagging from chat: staff write `/tag @张三 VIP 上海`, `/untag @张三 VIP`, `/tags @张三`.
 * A person is named by display name (`@张三`: the names the bot has seen, then the chat's
 * member list) or by userid. Answers are visible to the staff member only. Every message also
 * records where its sender was seen (the groups campaigns deliver to) and runs the keyword
 * rules when it is addressed to the bot.
 */
import type { Context } from '../../bot/context.js';
import type { TagBook } from './book.js';
import type { TagsConfig } from './config.js';

type Resolved = { ok: true; id: string } | { ok: false; why: string };

/** Finds who `who` (`@张三`, `张三` or a userid) is. */
export async function resolveSubject(ctx: Context, book: TagBook, who: string): Promise<Resolved> {
  const name = who.replace(/^[@＠]/u, '');
  if (!name) return { ok: false, why: '请写上要打标签的人：/tag @张三 VIP' };
  const named = await book.subjectsNamed(name);
  if (named.length === 1) return { ok: true, id: named[0] as string };
  if (named.length > 1) return { ok: false, why: `有 ${named.length} 个人叫「${name}」，请改用 userid` };
  const members = await ctx.chatInfo().then(
    (c) => c.members,
    () => [],
  );
  const inChat = members.filter((m) => m.name === name || m.alias === name || m.userId === name);
  if (inChat.length === 1) return { ok: true, id: (inChat[0] as { userId: string }).userId };
  if (inChat.length > 1) return { ok: false, why: `群里有 ${inChat.length} 个人叫「${name}」，请改用 userid` };
  if (await book.subject(name)) return { ok: true, id: name };
  return { ok: false, why: `不认识「${name}」：请等对方在群里说过话，或改用 userid` };
}

const privately = (ctx: Context) => (ctx.chatType === 'group' ? { visibleTo: ctx.from.userId } : {});

/** `/tag @张三 VIP 上海` and `/untag @张三 VIP`. */
export async function tagCommand(ctx: Context, book: TagBook, config: TagsConfig, rest: string, mode: 'add' | 'remove'): Promise<void> {
  if (!config.staff.includes(ctx.from.userId)) return void (await ctx.reply('只有工作人员可以打标签。', privately(ctx)));
  const [who, ...tags] = rest.split(/\s+/).filter(Boolean);
  if (!who || tags.length === 0) {
    return void (await ctx.reply(mode === 'add' ? '用法：/tag @张三 VIP 上海' : '用法：/untag @张三 VIP', privately(ctx)));
  }
  const subject = await resolveSubject(ctx, book, who);
  if (!subject.ok) return void (await ctx.reply(subject.why, privately(ctx)));
  const source = { actor: ctx.from.userId, via: 'chat' as const };
  try {
    const changed = mode === 'add' ? await book.add(subject.id, tags, source) : await book.remove(subject.id, tags, source);
    const now = await book.tagsOf(subject.id);
    const verb = mode === 'add' ? '已加上' : '已去掉';
    const head = changed.length ? `${verb}：${changed.join('、')}` : mode === 'add' ? '这些标签已经有了' : '没有这些标签';
    await ctx.reply(`${head}\n${who} 现在的标签：${now.join('、') || '（无）'}`, privately(ctx));
  } catch (err) {
    if (err instanceof TypeError) return void (await ctx.reply(`标签有误：${err.message}`, privately(ctx)));
    throw err;
  }
}

/** `/tags @张三`: the person's tags (staff only). */
export async function showTags(ctx: Context, book: TagBook, config: TagsConfig, rest: string): Promise<void> {
  if (!config.staff.includes(ctx.from.userId)) return void (await ctx.reply('只有工作人员可以查看标签。', privately(ctx)));
  const who = rest.split(/\s+/)[0];
  if (!who) return void (await ctx.reply('用法：/tags @张三', privately(ctx)));
  const subject = await resolveSubject(ctx, book, who);
  if (!subject.ok) return void (await ctx.reply(subject.why, privately(ctx)));
  await ctx.reply(`${who} 的标签：${(await book.tagsOf(subject.id)).join('、') || '（无）'}`, privately(ctx));
}

/** Records the sender (name, where seen) and runs the keyword rules; never answers. */
export async function observe(ctx: Context, book: TagBook, config: TagsConfig): Promise<void> {
  const userId = ctx.from.userId;
  if (!userId) return;
  const webhook = (ctx.message as { webhookUrl?: unknown }).webhookUrl;
  if (config.presence) {
    await book.upsertSubject(userId, { name: ctx.from.name });
    if (ctx.chatType === 'group' && typeof webhook === 'string' && webhook) await book.seen(userId, ctx.chatId, webhook);
  }
  if (!ctx.mentionedBot || !ctx.text || config.keywords.length === 0) return;
  for (const rule of config.keywords) {
    if (!rule.test(ctx.text)) continue;
    const added = await book.add(userId, rule.tags, { actor: `rule:${rule.name}`, via: 'keyword' });
    if (added.length) ctx.log.info({ rule: rule.name, tags: added }, 'tags: keyword rule tagged the sender');
  }
}
