/**
 * Pieces shared by the FaaS adapters (SCF, Lambda): body decoding and finishing late work
 * before the handler returns.
 */
import type { Bot } from '../bot/bot.js';
import type { BotResponse } from '../bot/request.js';

/** A bot, or a factory called once on the first invocation (config errors then show in its log). */
export type BotSource = Bot | (() => Bot | Promise<Bot>);

/** The part of the platform context the adapters read (SCF and Lambda share it). */
export interface FaasContext {
  getRemainingTimeInMillis?: () => number;
}

/** Resolves a BotSource once. */
export function lazyBot(source: BotSource): () => Promise<Bot> {
  let bot: Promise<Bot> | undefined;
  return () => {
    bot ??= Promise.resolve(typeof source === 'function' ? source() : source);
    // A failed factory is retried on the next invocation instead of poisoning the instance.
    bot.catch(() => (bot = undefined));
    return bot;
  };
}

/** Body bytes from a string event body; base64 bodies decode byte for byte. */
export function eventBody(body: string | null | undefined, isBase64Encoded: boolean | undefined): Uint8Array {
  if (!body) return new Uint8Array();
  return isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
}

/**
 * The platform freezes the instance once the handler returns, so late replies must be sent
 * before that. Waits for `pending`, but not past the function's own timeout (minus a margin):
 * a reply still unsent then is in the durable outbox when a database is configured.
 */
export async function finishLateWork(bot: Bot, res: BotResponse, context: FaasContext | undefined): Promise<void> {
  const remaining = context?.getRemainingTimeInMillis?.();
  if (remaining === undefined) {
    await res.pending;
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const capped = await Promise.race([
    res.pending.then(() => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), Math.max(0, remaining - 500)))),
  ]);
  clearTimeout(timer);
  if (capped) bot.log.warn({ remainingMs: remaining }, 'function timeout near: returning before late work finished');
}

/** `{ remoteAddress }` when the platform reported one, else nothing. */
export function optionalAddress(address: string | undefined): { remoteAddress?: string } {
  return address ? { remoteAddress: address } : {};
}
