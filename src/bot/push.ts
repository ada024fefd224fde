/**
 * Pushing without a callback (jobs, module routes): through a given webhook or the default
 * one (WECOM_WEBHOOK_URL), with the transport's limiter, retries and outbox.
 */
import { ReplyError } from './errors.js';
import { toWebhookMessage, type ReplyContent, type ReplyOptions } from './reply-content.js';
import type { BotTransport } from './transport.js';

/** Options of a push: which webhook (default WECOM_WEBHOOK_URL) and which chats (beta `chatid`). */
export type PushOptions = ReplyOptions & { webhook?: string; chatid?: string };

/**
 * Sends `content` through `options.webhook ?? defaultWebhook`. `who` names the sender in the
 * error when there is no webhook at all.
 */
export async function pushToWebhook(
  transport: BotTransport,
  defaultWebhook: string | undefined,
  content: ReplyContent,
  options: PushOptions,
  who: string,
): Promise<void> {
  const webhook = options.webhook ?? defaultWebhook;
  if (!webhook)
    throw new ReplyError('reply_no_channel', `${who} has no webhook`, { hint: 'set WECOM_WEBHOOK_URL or pass options.webhook' });
  const message = toWebhookMessage(content, options);
  if (options.chatid) message.chatid = options.chatid;
  await transport.sendWebhook(webhook, message);
}
