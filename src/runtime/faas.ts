/**
 * Pieces shared by the FaaS adapters (SCF, Lambda): body decoding and finishing late work
 * before the handler returns.
 */
import type { Bot } from '../bot/bot.js';
import { withHandoff } from '../bot/handoff.js';
import { parseQuery, type BotRequest, type BotResponse } from '../bot/request.js';
import { handoffEvent, isHandoffEvent, requestFromHandoff } from './async-invoke/handoff-event.js';
import { selfInvokeUnavailable, type SelfInvoker } from './async-invoke/self-invoke.js';

/** A bot, or a factory called once on the first invocation (config errors then show in its log). */
export type BotSource = Bot | (() => Bot | Promise<Bot>);

/** The part of the platform context the adapters read (SCF and Lambda share it). */
export interface FaasContext {
  getRemainingTimeInMillis?: () => number;
  /** Lambda: the ARN this invocation was called by (keeps the alias for the handoff). */
  invokedFunctionArn?: string;
}

/** Adapter options (SCF and Lambda). */
export interface FaasOptions {
  /**
   * Where the platform's variables are read (function name, region, role credentials);
   * default `process.env`. Tests pass their own.
   */
  env?: Readonly<Record<string, string | undefined>>;
}

export { isHandoffEvent };

/**
 * Answers one HTTP event. With an invoker (a deployed function with a role), a routed robot
 * callback is handed to an asynchronous invocation of the same function and acknowledged at
 * once; without one, or when the Invoke call fails, it is handled here as on a server, late
 * work finished before returning.
 */
export async function answerHttp(
  bot: Bot,
  req: BotRequest,
  context: FaasContext | undefined,
  invoker: SelfInvoker | undefined,
): Promise<BotResponse> {
  if (!invoker) {
    const res = await bot.handle(req);
    await finishLateWork(bot, res, context);
    return res;
  }
  const receivedAt = Date.now();
  const handOff = async (): Promise<boolean> => {
    try {
      await invoker.invoke(handoffEvent(req, receivedAt));
      return true;
    } catch (err) {
      bot.log.error(
        { err, platform: invoker.platform },
        'handing the callback to an asynchronous invocation failed; handling it here (the answer waits for the handler). ' +
          (invoker.platform === 'scf'
            ? 'Allow scf:Invoke on this function to its execution role'
            : 'Allow lambda:InvokeFunction on this function to its execution role'),
      );
      return false;
    }
  };
  const res = await withHandoff({ mode: 'hand-off', handOff }, () => bot.handle(req));
  await finishLateWork(bot, res, context);
  return res;
}

/**
 * The warning of a deployed function that cannot hand callbacks off (no role credentials in
 * its environment, see selfInvokeUnavailable): a function that logs it once, the first time it
 * is called (once per instance: the adapters make one per handler). Undefined when there is
 * nothing to warn about.
 */
export function noHandoffWarning(
  platform: 'scf' | 'lambda',
  env: Readonly<Record<string, string | undefined>>,
): ((bot: Bot) => void) | undefined {
  const gap = selfInvokeUnavailable(platform, env);
  if (!gap) return undefined;
  let warned = false;
  return (bot) => {
    if (warned) return;
    warned = true;
    bot.log.warn(
      { platform, missing: gap.missing },
      `no credentials for handing callbacks to an asynchronous invocation (${gap.missing.join(', ')} not set): ` +
        "every callback is handled in its HTTP invocation, so a handler slower than ackBudgetMs holds WeCom's answer " +
        `(past 5 s WeCom retries the callback). To fix: ${gap.fix}`,
    );
  };
}

/**
 * Runs a handed-off callback (the asynchronous invocation): the ordinary path, claim included,
 * with every reply late; resolves when its late work is done (capped by the function timeout).
 */
export async function runHandedOff(bot: Bot, event: unknown, context: FaasContext | undefined): Promise<Record<string, unknown>> {
  if (!isHandoffEvent(event)) return { status: 'unknown' };
  const delayMs = Date.now() - event.wecombotHandoff.receivedAt;
  const res = await withHandoff({ mode: 'resumed' }, () => bot.handle(requestFromHandoff(event, parseQuery)));
  await finishLateWork(bot, res, context);
  // A refusal here (e.g. a signature now outside maxSkewSeconds after a long queue) is logged by the core.
  return { status: 'handled', statusCode: res.status, delayMs };
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
