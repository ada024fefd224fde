/**
 * Members' names for `{name}`, from the corp API when it is configured: a new customer's
 * WeChat name (externalcontact/get), a customer group's members (groupchat/get with names).
 * A lookup is bounded in time and optional: any failure (no corp Secret, 60020, a timeout)
 * gives the configured `memberName` instead, because a welcome must never wait on a name.
 */
import type { Logger } from 'pino';
import type { Context } from '../../bot/context.js';
import type { GroupChatMember } from '../../corp/group-chats.js';

/** A lookup that did not answer in time gives up: the 20-second WelcomeCode is the budget. */
export const NAME_LOOKUP_MS = 1500;

async function bounded<T>(work: () => Promise<T>, log: Logger, what: string): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), NAME_LOOKUP_MS)));
    return await Promise.race([work(), timeout]);
  } catch (err) {
    log.debug({ err }, `${what}: lookup failed, the default name is used`);
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** The WeChat (or WeCom) name of a customer, if the corp API gives it in time. */
export async function customerName(ctx: Context, externalUserId: string, log: Logger): Promise<string | undefined> {
  const detail = await bounded(() => ctx.corp.contacts.get(externalUserId), log, 'customer name');
  return detail?.external_contact.name || undefined;
}

/** The members of a customer group, by userid, if the corp API gives them in time. */
export async function groupMembers(ctx: Context, chatId: string, log: Logger): Promise<Map<string, GroupChatMember> | undefined> {
  const chat = await bounded(() => ctx.corp.groupChats.get(chatId, { needName: true }), log, 'group members');
  if (!chat) return undefined;
  const members = new Map<string, GroupChatMember>();
  // A member listed twice keeps the entry that has a name.
  for (const m of chat.member_list) if (!members.get(m.userid)?.name) members.set(m.userid, m);
  return members;
}

/** A name as a welcome shows it: trimmed, at most 32 characters. */
export function displayName(name: string | undefined, fallback: string): string {
  const clean = (name ?? '').replace(/\s+/g, ' ').trim();
  return clean ? [...clean].slice(0, 32).join('') : fallback;
}
