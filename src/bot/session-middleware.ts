/**
 * Running handlers with their sessions: `ctx.session` / `ctx.chatSession` are set for the
 * duration, written back once when the handlers succeeded, and the previous values (an outer
 * owner's sessions) restored afterwards.
 */
import type { Store } from '../store/store.js';
import type { MiddlewareFn } from './composer.js';
import type { Context } from './context.js';
import {
  holdSession,
  resolveSessionOptions,
  sessionKey,
  SessionError,
  type HeldSession,
  type ResolvedSessionOptions,
  type SessionOptions,
} from './session.js';

/** The sessions one owner (a module, or the bot) keeps. */
export interface OwnedSessions {
  owner: string;
  session?: ResolvedSessionOptions<unknown>;
  chatSession?: ResolvedSessionOptions<unknown>;
}

type SessionSlots = { session?: unknown; chatSession?: unknown };

/**
 * Runs `run` with the owner's sessions on `ctx`. A handler that throws leaves both sessions as
 * they were in the store.
 */
export async function withSessions(ctx: Context, store: Store, sessions: OwnedSessions, run: () => Promise<void>): Promise<void> {
  const slots = ctx as unknown as SessionSlots;
  if (ctx.robot === 'corp' || !(await wanted(ctx, sessions))) return runUnheld(slots, sessions, run);
  const address = { chatId: ctx.chatId, userId: ctx.from.userId };
  const held: { slot: keyof SessionSlots; held: HeldSession<unknown> }[] = [];
  const previous = { session: slots.session, chatSession: slots.chatSession };
  try {
    try {
      // Chat first, then user: every handler takes leases in the same order, so two cannot deadlock.
      if (sessions.chatSession) {
        held.push({
          slot: 'chatSession',
          held: await holdSession(store, sessionKey(sessions.owner, 'chat', address), sessions.chatSession),
        });
      }
      if (sessions.session) {
        held.push({ slot: 'session', held: await holdSession(store, sessionKey(sessions.owner, 'user', address), sessions.session) });
      }
    } catch (err) {
      const fallback = sessions.session?.onUnavailable ?? sessions.chatSession?.onUnavailable;
      if (!fallback || !(err instanceof SessionError)) throw err;
      // Fail closed: the handlers never see a state that could not be read.
      await fallback(ctx, err);
      return;
    }
    for (const h of held) slots[h.slot] = h.held.value;
    await run();
    for (const h of held) await h.held.save(slots[h.slot]);
  } finally {
    slots.session = previous.session;
    slots.chatSession = previous.chatSession;
    await Promise.all(held.map((h) => h.held.release()));
  }
}

/** True unless every `when` of the owner's sessions declines the message. */
async function wanted(ctx: Context, sessions: OwnedSessions): Promise<boolean> {
  const owned = [sessions.session, sessions.chatSession].filter((o): o is ResolvedSessionOptions<unknown> => o !== undefined);
  if (owned.some((o) => o.when === undefined)) return true;
  for (const o of owned) if (await o.when?.(ctx)) return true;
  return false;
}

/**
 * Messages whose sessions are not held: corp events (they come from `sys`, not from a member of
 * a chat, so every one would share the empty address and queue on its lease) and messages a
 * `when` declined. They get fresh sessions that are neither held nor stored.
 */
async function runUnheld(slots: SessionSlots, sessions: OwnedSessions, run: () => Promise<void>): Promise<void> {
  const previous = { session: slots.session, chatSession: slots.chatSession };
  try {
    if (sessions.session) slots.session = sessions.session.initial();
    if (sessions.chatSession) slots.chatSession = sessions.chatSession.initial();
    await run();
  } finally {
    slots.session = previous.session;
    slots.chatSession = previous.chatSession;
  }
}

/** The context property a session adds: `createBot<Context & SessionFlavor<MyState>>()`. */
export type SessionFlavor<S> = { session: S };

/**
 * A session for handlers registered on the bot itself (modules declare theirs instead).
 *
 * @example
 * type Ctx = Context & SessionFlavor<{ count: number }>;
 * const bot = createBot<Ctx>({ group });
 * bot.use(session({ initial: () => ({ count: 0 }) }));
 * bot.command('count', (ctx) => ctx.reply(String(++ctx.session.count)));
 */
export function session<S, C extends Context & SessionFlavor<S> = Context & SessionFlavor<S>>(options: SessionOptions<S>): MiddlewareFn<C> {
  const resolved = resolveSessionOptions('session', options) as ResolvedSessionOptions<unknown>;
  return (ctx, next) => withSessions(ctx, ctx.store, { owner: 'bot', session: resolved }, next);
}
