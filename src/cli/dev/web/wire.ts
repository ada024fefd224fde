/**
 * The inspector's view of a callback exchange: the HTTP request WeCom would send (envelope,
 * signature in the query), the plaintext inside it, and the bot's answer opened the same way.
 * Classic robot XML replies are also turned into the JSON shape of a webhook message, so the
 * page draws every message from one shape.
 */
import type { BotRequest, BotResponse } from '../../../bot/request.js';
import type { WecomCrypto } from '../../../protocol/crypto/wecom-crypto.js';
import { parseXml } from '../../../protocol/xml.js';
import type { XmlElement, XmlValue } from '../../../protocol/xml-types.js';
import type { WebHttp } from './model.js';

const text = (v: XmlValue | undefined): string => (typeof v === 'string' ? v : Array.isArray(v) ? text(v[0]) : '');
const elements = (v: XmlValue | undefined): XmlElement[] =>
  v === undefined ? [] : (Array.isArray(v) ? v : [v]).filter((e): e is XmlElement => typeof e === 'object' && !Array.isArray(e));

/** Pretty JSON for a JSON plaintext, the XML as it is otherwise. */
export function pretty(plaintext: string): string {
  const t = plaintext.trim();
  // XML: one element per line, a CDATA value kept on its element's line.
  if (!t.startsWith('{')) return t.replace(/(?<!\]\])>(?=<(?!!\[CDATA))/g, '>\n');
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return t;
  }
}

/** The encrypted field of an envelope (XML `Encrypt` or JSON `encrypt`). */
function envelopeCipher(body: string): string | undefined {
  const t = body.trim();
  if (t.startsWith('<')) return text(elements(parseXml(t).root)[0]?.Encrypt) || undefined;
  if (t.startsWith('{')) {
    const v = (JSON.parse(t) as { encrypt?: unknown }).encrypt;
    return typeof v === 'string' ? v : undefined;
  }
  return undefined;
}

/** The request as the inspector shows it, with the plaintext WeCom encrypted into it. */
export function describeRequest(request: BotRequest, crypto: WecomCrypto): WebHttp {
  const body = Buffer.from(request.body).toString('utf8');
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) if (v !== undefined) headers[k] = v;
  const http: WebHttp = { method: request.method, url: `${request.path}${request.rawQuery ? `?${request.rawQuery}` : ''}`, headers, body };
  try {
    const encrypt = envelopeCipher(body);
    if (encrypt) {
      const q = request.query;
      http.plaintext = crypto.decryptMessage({
        msgSignature: q.msg_signature ?? '',
        timestamp: q.timestamp ?? '',
        nonce: q.nonce ?? '',
        encrypt,
      });
      http.parsed = pretty(http.plaintext);
    }
  } catch (err) {
    http.parsed = `(cannot open: ${err instanceof Error ? err.message : String(err)})`;
  }
  return http;
}

/** The answer as the inspector shows it; `plaintext` is the opened passive reply, if any. */
export function describeResponse(response: BotResponse, plaintext: string | undefined): WebHttp {
  return {
    method: '',
    url: '',
    status: response.status,
    headers: { ...response.headers } as Record<string, string>,
    body: response.body,
    ...(plaintext !== undefined ? { plaintext, parsed: pretty(plaintext) } : {}),
  };
}

/** A passive reply plaintext as a message body: JSON as it is, XML in the webhook's JSON shape. */
export function replyBody(plaintext: string): Record<string, unknown> {
  const t = plaintext.trim();
  if (t.startsWith('{')) return JSON.parse(t) as Record<string, unknown>;
  const root = elements(parseXml(t).root)[0] ?? {};
  const msgtype = text(root.MsgType);
  const part = elements(msgtype === 'text' ? root.Text : root.Markdown)[0] ?? {};
  const list = (v: XmlValue | undefined) =>
    elements(v).flatMap((e) => (e.Item === undefined ? [] : Array.isArray(e.Item) ? e.Item : [e.Item]).map((i) => text(i)));
  const body: Record<string, unknown> = { msgtype };
  const content: Record<string, unknown> = { content: text(part.Content) };
  const mentioned = list(part.MentionedList).filter(Boolean);
  if (mentioned.length) content.mentioned_list = mentioned;
  const attachments = elements(part.Attachment).map((a) => ({
    callback_id: text(a.CallbackId),
    actions: elements(a.Actions).map((x) => ({
      name: text(x.Name),
      value: text(x.Value),
      text: text(x.Text),
      type: text(x.Type) || 'button',
    })),
  }));
  if (attachments.length) content.attachments = attachments;
  body[msgtype] = content;
  const visible = text(root.VisibleToUser);
  if (visible) body.visible_to_user = visible;
  return body;
}

/** `visible_to_user` of a message body: `a|b` or a list. */
export function visibleToOf(body: Record<string, unknown>): string[] | undefined {
  const v = body.visible_to_user;
  const ids = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split('|') : [];
  const clean = ids.map((s) => s.trim()).filter(Boolean);
  return clean.length ? clean : undefined;
}
