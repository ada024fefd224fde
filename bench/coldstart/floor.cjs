// The hand-written floor of bench:coldstart: the least an SCF event function can do to answer a
// WeCom group robot callback, with node:crypto only — verify msg_signature, decrypt, read the
// text, encrypt and sign the passive `pong`. No validation beyond that, no framework: what any
// real bot costs above this is what wecombot costs.
'use strict';
/* global require, exports */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS, as an SCF event function */
const crypto = require('node:crypto');

const token = process.env.WECOM_TOKEN;
const key = Buffer.from(`${process.env.WECOM_ENCODING_AES_KEY}=`, 'base64');
const iv = key.subarray(0, 16);
const sign = (...parts) => crypto.createHash('sha1').update(parts.sort().join('')).digest('hex');

exports.main_handler = async (event) => {
  const q = event.queryString;
  const body = Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8').toString('utf8');
  const encrypt = /<Encrypt><!\[CDATA\[([^\]]*)\]\]><\/Encrypt>/.exec(body)[1];
  if (sign(token, q.timestamp, q.nonce, encrypt) !== q.msg_signature) return { statusCode: 401, headers: {}, body: '' };
  const d = crypto.createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  const plain = Buffer.concat([d.update(encrypt, 'base64'), d.final()]);
  const xml = plain.subarray(20, 20 + plain.readUInt32BE(16)).toString('utf8');
  const text = /<Content><!\[CDATA\[([\s\S]*?)\]\]><\/Content>/.exec(xml)[1];
  const reply = Buffer.from(
    `<xml><MsgType><![CDATA[text]]></MsgType><Text><Content><![CDATA[${text.includes('ping') ? 'pong' : '?'}]]></Content></Text></xml>`,
  );
  const len = Buffer.alloc(4);
  len.writeUInt32BE(reply.length);
  const raw = Buffer.concat([crypto.randomBytes(16), len, reply]);
  const pad = 32 - (raw.length % 32);
  const c = crypto.createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  const out = Buffer.concat([c.update(Buffer.concat([raw, Buffer.alloc(pad, pad)])), c.final()]).toString('base64');
  const ts = String(Math.floor(Date.now() / 1000));
  const sig = sign(token, ts, q.nonce, out);
  return {
    isBase64Encoded: false,
    statusCode: 200,
    headers: { 'content-type': 'application/xml; charset=utf-8' },
    body: `<xml><Encrypt><![CDATA[${out}]]></Encrypt><MsgSignature><![CDATA[${sig}]]></MsgSignature><TimeStamp>${ts}</TimeStamp><Nonce><![CDATA[${q.nonce}]]></Nonce></xml>`,
  };
};
