/**
 * The network calls the bot makes besides answering the callback: webhook sends (through the
 * WebhookClient, with its limiter, retries and outbox), GetChatInfoUrl, and the AI bot's
 * response_url. An interface, so tests and other runtimes can swap it.
 */
import type { ChatInfo } from '../client/chat-info.js';
import type { WebhookMessage } from '../protocol/message/types.js';
import { WecombotError } from '../errors.js';
import { redactSecrets } from '../redact.js';
import type { ChatDetails } from './context.js';

export interface BotTransport {
  /** Sends a message through a webhook URL; `message.chatid` selects the chat. */
  sendWebhook(webhookUrl: string, message: WebhookMessage): Promise<void>;
  /** Calls a single-use GetChatInfoUrl (the default transport through `WebhookClient.getChatInfo`). */
  getChatInfo(url: string): Promise<ChatDetails>;
  /** POSTs one reply to an AI bot response_url (single use, within an hour). */
  postResponseUrl(url: string, body: Record<string, unknown>): Promise<void>;
  /** Waits for queued sends (FaaS: before the function returns). */
  flush?(): Promise<void>;
  close?(): Promise<void>;
}

/** A response_url call failed. The message never contains the URL's response_code. */
export class TransportError extends WecombotError {
  readonly errcode: number | undefined;
  constructor(code: 'response_url_failed', message: string, options: { errcode?: number; hint?: string; cause?: unknown } = {}) {
    super(code, redactSecrets(message), options);
    this.errcode = options.errcode;
  }
}

const TIMEOUT_MS = 5000;

/**
 * The bot's shape of a get_chat_info answer. The call itself is the client's
 * (`WebhookClient.getChatInfo`: its HTTP stack, redaction and typed errors); this only renames.
 */
export function chatDetailsOf(info: ChatInfo): ChatDetails {
  const details: ChatDetails = {
    chatId: info.chatid,
    chatType: info.chattype,
    members: info.members.map((m) => {
      const member: ChatDetails['members'][number] = { userId: String(m.userid ?? '') };
      if (typeof m.name === 'string') member.name = m.name;
      if (typeof m.alias === 'string') member.alias = m.alias;
      return member;
    }),
  };
  if (typeof info.name === 'string') details.name = info.name;
  return details;
}

/** POST one JSON reply to a response_url. */
export async function postJson(url: string, body: Record<string, unknown>): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (cause) {
    throw new TransportError('response_url_failed', 'response_url request failed', {
      cause,
      hint: 'check outbound network access to qyapi.weixin.qq.com',
    });
  }
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    throw new TransportError('response_url_failed', `unexpected answer (HTTP ${res.status}, not JSON)`);
  }
  const errcode = typeof json.errcode === 'number' ? json.errcode : 0;
  if (!res.ok || errcode !== 0) {
    throw new TransportError('response_url_failed', `WeCom answered HTTP ${res.status} errcode ${errcode}: ${String(json.errmsg ?? '')}`, {
      errcode,
      hint: 'a response_url works once, within one hour of the message',
    });
  }
}
