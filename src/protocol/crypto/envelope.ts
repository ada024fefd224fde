import { WecomCryptoError } from './crypto-error.js';

/** An encrypted passive reply: the ciphertext, its signature and the values it was signed with. */
export interface EncryptedReply {
  encrypt: string;
  signature: string;
  timestamp: string;
  nonce: string;
}

const DECIMAL = /^\d{1,12}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const HEX40 = /^[0-9a-f]{40}$/;
// CDATA cannot contain "]]>", and XML 1.0 forbids most control characters anywhere.
const NONCE_UNSAFE = /]]>|[\u0000-\u001f\u007f]/;

function check(reply: EncryptedReply): void {
  if (!DECIMAL.test(reply.timestamp)) throw new WecomCryptoError('envelope_invalid', 'reply timestamp must be decimal seconds');
  if (reply.nonce === '' || NONCE_UNSAFE.test(reply.nonce)) {
    throw new WecomCryptoError('envelope_invalid', "reply nonce must be non-empty, without ']]>' or control characters");
  }
  if (!BASE64.test(reply.encrypt)) throw new WecomCryptoError('envelope_invalid', 'reply ciphertext must be base64');
  if (!HEX40.test(reply.signature)) throw new WecomCryptoError('envelope_invalid', 'reply signature must be 40 lowercase hex digits');
}

/**
 * The XML passive-reply envelope of classic group robots.
 *
 * @example
 * renderXmlEnvelope(crypto.encryptReply(xml, { timestamp, nonce }))
 * // <xml><Encrypt><![CDATA[…]]></Encrypt><MsgSignature><![CDATA[…]]></MsgSignature><TimeStamp>…</TimeStamp><Nonce><![CDATA[…]]></Nonce></xml>
 * @throws WecomCryptoError `envelope_invalid` (-40011)
 */
export function renderXmlEnvelope(reply: EncryptedReply): string {
  check(reply);
  return (
    `<xml><Encrypt><![CDATA[${reply.encrypt}]]></Encrypt>` +
    `<MsgSignature><![CDATA[${reply.signature}]]></MsgSignature>` +
    `<TimeStamp>${reply.timestamp}</TimeStamp>` +
    `<Nonce><![CDATA[${reply.nonce}]]></Nonce></xml>`
  );
}

/**
 * The JSON envelope (`robot_callback_format=json` robots and AI bots):
 * `{"encrypt","msgsignature","timestamp","nonce"}` with the timestamp as a number.
 *
 * @throws WecomCryptoError `envelope_invalid` (-40011)
 */
export function renderJsonEnvelope(reply: EncryptedReply): string {
  check(reply);
  return JSON.stringify({
    encrypt: reply.encrypt,
    msgsignature: reply.signature,
    timestamp: Number(reply.timestamp),
    nonce: reply.nonce,
  });
}
