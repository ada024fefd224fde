/**
 * The flat JSON callback some gateways forward, unencrypted, instead of WeCom's encrypted body:
 *
 *   {"msgType","msgContent","chatId","botKey","hookUrl","botName","userName","msgId","chatType","chatInfoUrl"}
 *
 * It is read into the same typed union as the encrypted callbacks (`robot: 'group'`, `format:
 * 'json'`), marked with `dialect: 'flat-json'`: handlers see the message types they know, and
 * the reply path can tell that there is no passive (encrypted) answer.
 *
 * What is known about the fields, and from where:
 * - The field list is the seed article's, as quoted in issue 11. The article itself was not
 *   found in the searchable corpora, so everything below it rests on one other source.
 * - tencentmusic/cube-studio (`aihub/deep-learning/chatgpt/app.py`, `myapp/views/view_chat.py`)
 *   posts exactly this body to a chat service: `msgType` "text", `chatType` "group", `chatId`
 *   shaped like a WeCom chat id ("wr…"), `userName` "zhang-san", `msgContent` the bare question,
 *   `botKey` shaped like a webhook key (8-4-4-4-12 hex), plus an `eventType` "add_to_chat"
 *   field, and it reads `msgType`/`msgContent` back from the JSON answer.
 *
 * UNCONFIRMED, so built to the most defensive reading:
 * - whether `msgContent` keeps the leading "@bot ": kept verbatim; the bot layer strips a
 *   leading mention whether or not it is there;
 * - `chatType` values: only WeCom's four (`single`, `group`, `blackboard`, `blackboard_reply`)
 *   are accepted; anything else names the field;
 * - `msgType` values: `text` and `event` (with `eventType`, as in the sample) are read; `image`
 *   only when `msgContent` is an http(s) URL; every other type, and an image without a URL,
 *   becomes the `unknown` variant (logged and acknowledged, never guessed at);
 * - `userName`: a user id or a display name; it fills both `from.userId` and `from.name`;
 * - `botKey`: treated as the webhook key (a secret). It is never copied into the message or an
 *   error, and never used to build a URL: replies go to `hookUrl` only;
 * - `hookUrl`/`chatInfoUrl` hosts: the bot will POST replies to one and GET the other, so both
 *   must be https URLs of WeCom's API host (`allowedOrigins` widens this, e.g. for a local fake).
 */
import type { BodyOptions, RawBody } from './body.js';
import { FieldReader, invalid, optional } from './fields.js';
import { parseJsonBody } from './json-body.js';
import type { CallbackSender, FlatJsonCallback, GroupCallbackBase, GroupChatType, GroupEventType } from './types.js';

/** Options of {@link parseFlatJsonCallback}. */
export interface FlatJsonParseOptions extends BodyOptions {
  /**
   * Origins (`scheme://host[:port]`) that `hookUrl` and `chatInfoUrl` may point to.
   * Default: WeCom's API origin only.
   */
  allowedOrigins?: readonly string[];
}

/** WeCom's API origin: the only place a webhook or get_chat_info URL legitimately points. */
export const WECOM_API_ORIGIN = 'https://qyapi.weixin.qq.com';

/** What marks a message as read from flat JSON (see `FlatJsonCallback`). */
type FlatJsonMark = { format: 'json'; dialect: 'flat-json' };

const CHAT_TYPES: readonly GroupChatType[] = ['single', 'group', 'blackboard', 'blackboard_reply'];
const EVENT_TYPES: readonly GroupEventType[] = ['add_to_chat', 'delete_from_chat', 'enter_chat'];

/**
 * Parse a flat JSON callback body into a {@link FlatJsonCallback}. Call it only on a body whose
 * sender was authenticated (the bot layer checks an HMAC or a token first).
 *
 * Throws CallbackParseError: `callback_body_too_large`, `callback_body_not_utf8`,
 * `callback_body_empty`, `callback_json_malformed` (also for a non-object), and
 * `callback_missing_field` / `callback_invalid_field` with `field` naming the flat key. Messages
 * never quote the body: a JSON syntax error is reported by position only.
 *
 * @example
 * const msg = parseFlatJsonCallback(body);
 * if (msg.type === 'text') console.log(msg.from.userId, msg.text); // msg.webhookUrl = hookUrl
 */
export function parseFlatJsonCallback(body: RawBody, options: FlatJsonParseOptions = {}): FlatJsonCallback {
  const record = parseJsonBody(body, options, 'flat JSON body');
  const r = new FieldReader(record, '', '.');
  const origins = options.allowedOrigins ?? [WECOM_API_ORIGIN];

  const msgType = r.string('msgType');
  const rawEventType = msgType === 'event' ? r.string('eventType') : undefined;
  const imageUrl = msgType === 'image' ? httpUrlOrUndefined(r.optString('msgContent')) : undefined;
  const known = msgType === 'text' || (msgType === 'event' && isEventType(rawEventType)) || (msgType === 'image' && imageUrl !== undefined);
  if (!known) {
    return {
      robot: 'group',
      format: 'json',
      dialect: 'flat-json',
      type: 'unknown',
      rawType: msgType,
      ...optional('rawEventType', rawEventType),
      ...optional('msgId', r.optString('msgId')),
      ...optional('chatId', r.optString('chatId')),
      raw: redactedCopy(record),
    };
  }

  const base: GroupCallbackBase & FlatJsonMark = {
    robot: 'group',
    format: 'json',
    dialect: 'flat-json',
    msgId: r.string('msgId'),
    webhookUrl: readWebhookUrl(r, origins),
    chatId: r.string('chatId'),
    chatType: readChatType(r),
    ...optional('getChatInfoUrl', readChatInfoUrl(r, origins)),
    ...optional('botName', r.optString('botName')),
  };
  // botKey is read only to check its shape: a present but non-string key means a broken gateway.
  r.optString('botKey');

  if (msgType === 'text') return { ...base, type: 'text', from: readSender(r), text: r.text('msgContent') };
  if (msgType === 'image') return { ...base, type: 'image', from: readSender(r), imageUrl: imageUrl as string };
  const from = r.optString('userName') === undefined ? undefined : readSender(r);
  return { ...base, type: 'event', eventType: rawEventType as GroupEventType, ...(from && { from }) };
}

/** Size, strict UTF-8, JSON object; syntax errors without the text V8 would quote from the body. */

function isEventType(value: string | undefined): value is GroupEventType {
  return value !== undefined && (EVENT_TYPES as readonly string[]).includes(value);
}

function readChatType(r: FieldReader): GroupChatType {
  const value = r.string('chatType');
  if (!(CHAT_TYPES as readonly string[]).includes(value)) throw invalid('chatType', `one of ${CHAT_TYPES.join(', ')}`);
  return value as GroupChatType;
}

function readSender(r: FieldReader): CallbackSender {
  const userName = r.string('userName');
  return { userId: userName, name: userName };
}

/** `hookUrl`: where replies go, so it must be a webhook URL with a key on an allowed origin. */
function readWebhookUrl(r: FieldReader, origins: readonly string[]): string {
  const value = r.string('hookUrl');
  const url = allowedUrl(value, origins);
  if (!url || !url.searchParams.get('key')) {
    throw invalid('hookUrl', `a webhook URL with a key on ${origins.join(' or ')}`);
  }
  return value;
}

/** `chatInfoUrl`: optional (single chats have none); fetched by the bot, so origin-checked too. */
function readChatInfoUrl(r: FieldReader, origins: readonly string[]): string | undefined {
  const value = r.optString('chatInfoUrl');
  if (value === undefined) return undefined;
  if (!allowedUrl(value, origins)) throw invalid('chatInfoUrl', `a URL on ${origins.join(' or ')}`);
  return value;
}

function allowedUrl(value: string, origins: readonly string[]): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  return origins.includes(url.origin) ? url : undefined;
}

function httpUrlOrUndefined(value: string | undefined): string | undefined {
  if (value === undefined || !/^https?:\/\//i.test(value)) return undefined;
  try {
    new URL(value);
    return value;
  } catch {
    return undefined;
  }
}

/** The body for the `unknown` variant's `raw` (which is meant for logs), without its secrets. */
function redactedCopy(record: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...record };
  if ('botKey' in copy) copy.botKey = '***';
  for (const key of ['hookUrl', 'chatInfoUrl']) {
    const value = copy[key];
    if (typeof value === 'string') copy[key] = value.replace(/([?&](?:key|code)=)[^&#]*/gi, '$1***');
    else if (value !== undefined) copy[key] = '***';
  }
  return copy;
}
