import type { Dispatcher } from 'undici';
import { WebhookHttpError } from './errors.js';
import { httpExchange } from './http.js';
import { WebhookApiError } from './protocol-adapter.js';
import { redactSecrets } from '../redact.js';

/** The answer of get_chat_info (protocol §2.8). */
export interface ChatInfo {
  chatid: string;
  /** Present for group, blackboard and blackboard_reply chats. */
  name?: string;
  chattype: 'single' | 'group' | 'blackboard' | 'blackboard_reply';
  members: { userid: string; alias?: string; name?: string }[];
}

/**
 * Calls a callback's GetChatInfoUrl (valid 5 minutes, single use). Throws WebhookApiError on a
 * non-zero errcode (e.g. an already used code), WebhookNetworkError/WebhookHttpError otherwise.
 */
export async function fetchChatInfo(dispatcher: Dispatcher, url: string, timeoutMs: number): Promise<ChatInfo> {
  const label = redactSecrets(url);
  const answer = await httpExchange(dispatcher, url, { method: 'GET', timeoutMs, label, secrets: [] });
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(answer.text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  if (answer.status !== 200 || !json || typeof json.errcode !== 'number') {
    throw new WebhookHttpError(answer.status, `${label} answered HTTP ${answer.status} without WeCom JSON`, {
      hint: 'pass the GetChatInfoUrl of the callback unchanged',
    });
  }
  if (json.errcode !== 0) throw new WebhookApiError(json.errcode, String(json.errmsg ?? ''));
  return {
    chatid: String(json.chatid ?? ''),
    ...(typeof json.name === 'string' && { name: json.name }),
    chattype: json.chattype as ChatInfo['chattype'],
    members: Array.isArray(json.members) ? (json.members as ChatInfo['members']) : [],
  };
}
