/**
 * The network calls the bot makes besides answering the callback: webhook sends (through the
 * WebhookClient, with its limiter, retries and outbox), GetChatInfoUrl, and the AI bot's
 * response_url. An interface, so tests and other runtimes can swap it.
 */
import type { WebhookMessage } from '../protocol/message/types.js';
import { WecombotError } from '../errors.js';
import type { ChatDetails } from './context.js';
import { scrubSecrets } from './redact.js';

export interface BotTransport {
  /** Sends a message through a webhook URL; `message.chatid` selects the chat. */
  sendWebhook(webhookUrl: string, message: WebhookMessage): Promise<void>;
  /** Calls a single-use GetChatInfoUrl. */
  getChatInfo(url: string): Promise<ChatDetails>;
  /** POSTs one reply to an AI bot response_url (single use, within an hour). */
  postResponseUrl(url: string, body: Record<string, unknown>): Promise<void>;
  /** Waits for queued sends (FaaS: before the function returns). */
  flush?(): Promise<void>;
  close?(): Promise<void>;
}

/** A GetChatInfoUrl or response_url call failed. The message never contains the URL's code. */
export class TransportError extends WecombotError {
  readonly errcode: number | undefined;
  constructor(code: 'chat_info_failed' | 'response_url_failed', message: string, options: { errcode?: number; hint?: string; cause?: unknown } = {}) {
    super(code, scrubSecrets(message), options);
    this.errcode = options.errcode;
  }
}

const TIMEOUT_MS = 5000;

async function exchange(url: string, init: RequestInit, code: 'chat_info_failed' | 'response_url_failed'): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (cause) {
    throw new TransportError(code, `${code === 'chat_info_failed' ? 'GetChatInfoUrl' : 'response_url'} request failed`, {
      cause,
      hint: 'check outbound network access to qyapi.weixin.qq.com',
    });
  }
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    throw new TransportError(code, `unexpected answer (HTTP ${res.status}, not JSON)`);
  }
  const errcode = typeof json.errcode === 'number' ? json.errcode : 0;
  if (!res.ok || errcode !== 0) {
    throw new TransportError(code, `WeCom answered HTTP ${res.status} errcode ${errcode}: ${String(json.errmsg ?? '')}`, {
      errcode,
      hint:
        code === 'chat_info_failed'
          ? 'GetChatInfoUrl is valid 5 minutes and works once'
          : 'a response_url works once, within one hour of the message',
    });
  }
  return json;
}

/** GET GetChatInfoUrl and map the answer. */
export async function fetchChatInfo(url: string): Promise<ChatDetails> {
  const json = await exchange(url, { method: 'GET' }, 'chat_info_failed');
  const members = Array.isArray(json.members) ? (json.members as Record<string, unknown>[]) : [];
  const info: ChatDetails = {
    chatId: String(json.chatid ?? ''),
    chatType: String(json.chattype ?? ''),
    members: members.map((m) => {
      const member: ChatDetails['members'][number] = { userId: String(m.userid ?? '') };
      if (typeof m.name === 'string') member.name = m.name;
      if (typeof m.alias === 'string') member.alias = m.alias;
      return member;
    }),
  };
  if (typeof json.name === 'string') info.name = json.name;
  return info;
}

/** POST one JSON reply to a response_url. */
export async function postJson(url: string, body: Record<string, unknown>): Promise<void> {
  await exchange(
    url,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    'response_url_failed',
  );
}
