/**
 * Plays WeCom's side of the callback crypto: signs and encrypts requests exactly as WeCom
 * does, and verifies and decrypts the bot's passive replies.
 */
import { randomInt } from 'node:crypto';
import { WecomCrypto } from '../../protocol/crypto/wecom-crypto.js';
import { parseXml, type XmlElement, type XmlValue } from '../../protocol/xml.js';
import { botRequest, type BotRequest, type BotResponse } from '../../bot/request.js';
import type { RobotSecrets } from '../../bot/options.js';

/** A decrypted passive reply, flattened for assertions. */
export interface PassiveReply {
  /** `text`, `markdown`, `stream` or `template_card`. */
  msgtype: string;
  /** The text of a text/markdown reply, or the stream's content so far. */
  content: string | undefined;
  /** `visible_to_user` split on `|`. */
  visibleTo: string[];
  /** `mentioned_list` of a text reply. */
  mentioned: string[];
  /** The AI bot stream fields. */
  stream?: { id: string; finish: boolean; content: string };
  /** The decrypted plaintext (XML or JSON). */
  plaintext: string;
}

function text(v: XmlValue | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return text(v[0]);
  return undefined;
}

function el(v: XmlValue | undefined): XmlElement | undefined {
  return v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

function itemList(v: XmlValue | undefined): string[] {
  const e = el(v);
  if (!e) return [];
  const items = e.Item;
  if (items === undefined) return [];
  return (Array.isArray(items) ? items : [items]).map((i) => text(i) ?? '');
}

/** Reads a passive reply plaintext (XML or JSON) into a flat view. */
export function readPassive(plaintext: string): PassiveReply {
  if (plaintext.trimStart().startsWith('<')) {
    const root = el(parseXml(plaintext).root) ?? {};
    const msgtype = text(root.MsgType) ?? '';
    const body = el(msgtype === 'text' ? root.Text : root.Markdown) ?? {};
    return {
      msgtype,
      content: text(body.Content),
      visibleTo: (text(root.VisibleToUser) ?? '').split('|').filter(Boolean),
      mentioned: itemList(body.MentionedList),
      plaintext,
    };
  }
  const j = JSON.parse(plaintext) as Record<string, Record<string, unknown> | string | undefined>;
  const msgtype = String(j.msgtype ?? '');
  const part = (j[msgtype] ?? {}) as Record<string, unknown>;
  const view: PassiveReply = {
    msgtype,
    content: typeof part.content === 'string' ? part.content : undefined,
    visibleTo: String(j.visible_to_user ?? '')
      .split('|')
      .filter(Boolean),
    mentioned: Array.isArray(part.mentioned_list) ? (part.mentioned_list as string[]) : [],
    plaintext,
  };
  if (msgtype === 'stream') view.stream = { id: String(part.id), finish: part.finish === true, content: String(part.content ?? '') };
  return view;
}

export class CallbackSigner {
  readonly crypto: WecomCrypto;
  readonly #now: () => number;

  /** `receiveId`: `''` for robots (default); a corp app's callbacks carry its corpid. */
  constructor(secrets: RobotSecrets, now: () => number = Date.now, receiveId = '') {
    this.crypto = new WecomCrypto({ token: secrets.token, encodingAESKey: secrets.encodingAesKey, now, receiveId });
    this.#now = now;
  }

  #stamp(options: { timestamp?: number; nonce?: string }): { timestamp: string; nonce: string } {
    return {
      timestamp: String(options.timestamp ?? Math.floor(this.#now() / 1000)),
      nonce: options.nonce ?? String(randomInt(100_000_000, 999_999_999)),
    };
  }

  /** The GET WeCom sends when the callback URL is saved; `echo` is what the bot must answer. */
  urlVerification(
    path: string,
    options: { timestamp?: number; nonce?: string; echo?: string } = {},
  ): { request: BotRequest; echo: string } {
    const echo = options.echo ?? String(randomInt(1_000_000_000, 9_999_999_999));
    const { timestamp, nonce } = this.#stamp(options);
    const echostr = this.crypto.encrypt(echo);
    const sig = this.crypto.sign(timestamp, nonce, echostr);
    const url = `${path}?msg_signature=${sig}&timestamp=${timestamp}&nonce=${nonce}&echostr=${encodeURIComponent(echostr)}`;
    return { request: botRequest({ method: 'GET', url }), echo };
  }

  /**
   * A signed, encrypted POST carrying `plaintext` in an XML or JSON envelope. `envelope` writes
   * another XML envelope around the ciphertext (a corp app's has ToUserName and AgentID).
   */
  post(
    path: string,
    plaintext: string,
    format: 'xml' | 'json',
    options: { timestamp?: number; nonce?: string; signature?: string; envelope?: (encrypt: string) => string } = {},
  ): BotRequest {
    const { timestamp, nonce } = this.#stamp(options);
    const encrypt = this.crypto.encrypt(plaintext);
    const sig = options.signature ?? this.crypto.sign(timestamp, nonce, encrypt);
    const body = options.envelope
      ? options.envelope(encrypt)
      : format === 'xml'
        ? `<xml><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`
        : JSON.stringify({ encrypt });
    return botRequest({
      method: 'POST',
      url: `${path}?msg_signature=${sig}&timestamp=${timestamp}&nonce=${nonce}`,
      headers: { 'content-type': format === 'xml' ? 'application/xml' : 'application/json' },
      body,
    });
  }

  /**
   * Verifies and decrypts a passive reply; undefined for an empty body. Throws when the
   * signature does not match or the nonce is not the request's (WeCom would reject it).
   */
  openReply(response: Pick<BotResponse, 'body'>, request?: BotRequest): PassiveReply | undefined {
    const body = response.body.trim();
    if (body === '') return undefined;
    let encrypt: string;
    let sig: string;
    let timestamp: string;
    let nonce: string;
    if (body.startsWith('<')) {
      const root = el(parseXml(body).root) ?? {};
      encrypt = text(root.Encrypt) ?? '';
      sig = text(root.MsgSignature) ?? '';
      timestamp = text(root.TimeStamp) ?? '';
      nonce = text(root.Nonce) ?? '';
    } else {
      const j = JSON.parse(body) as Record<string, unknown>;
      encrypt = String(j.encrypt ?? '');
      sig = String(j.msgsignature ?? '');
      timestamp = String(j.timestamp ?? '');
      nonce = String(j.nonce ?? '');
    }
    if (request && request.query.nonce !== undefined && nonce !== request.query.nonce) {
      throw new Error(`reply nonce ${nonce} differs from the callback nonce ${request.query.nonce}`);
    }
    const plaintext = this.crypto.decryptMessage({ msgSignature: sig, timestamp, nonce, encrypt });
    return readPassive(plaintext);
  }
}
