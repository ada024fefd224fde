/**
 * The floor bench:callback measures `wecombot serve` against: a bare WeCom group-robot callback
 * handler written with node:http and node:crypto only, the way one writes it with no library.
 * It verifies the signature, decrypts the message, reads its MsgId and content, and answers
 * `@bot ping` with an encrypted, signed `pong` passive reply (XML or JSON, like the callback).
 * No de-duplication, no store, no logging, no validation beyond what the protocol needs.
 *
 * Run as a child process (compiled by esbuild like the CLI):
 *   WECOM_TOKEN=… WECOM_ENCODING_AES_KEY=… PORT=… node minimal-callback-server.mjs
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

const token = process.env.WECOM_TOKEN ?? '';
const key = Buffer.from(`${process.env.WECOM_ENCODING_AES_KEY ?? ''}=`, 'base64');
const iv = key.subarray(0, 16);

function sign(timestamp: string, nonce: string, encrypt: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');
}

function decrypt(encrypt: string): string {
  const d = createDecipheriv('aes-256-cbc', key, iv);
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(encrypt, 'base64'), d.final()]);
  const length = plain.readUInt32BE(16);
  return plain.toString('utf8', 20, 20 + length);
}

function encrypt(message: string): string {
  const msg = Buffer.from(message);
  const head = Buffer.allocUnsafe(20);
  randomBytes(16).copy(head);
  head.writeUInt32BE(msg.length, 16);
  const pad = 32 - ((20 + msg.length) % 32);
  const c = createCipheriv('aes-256-cbc', key, iv);
  c.setAutoPadding(false);
  return Buffer.concat([c.update(Buffer.concat([head, msg, Buffer.alloc(pad, pad)])), c.final()]).toString('base64');
}

const XML_ENCRYPT = /<Encrypt><!\[CDATA\[([^\]]*)\]\]><\/Encrypt>/;
const XML_CONTENT = /<Content><!\[CDATA\[([^\]]*)\]\]><\/Content>/;
const XML_MSGID = /<MsgId><!\[CDATA\[([^\]]*)\]\]><\/MsgId>/;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const url = req.url ?? '/';
    const query = new URLSearchParams(url.slice(url.indexOf('?') + 1));
    if (req.method === 'GET') {
      res.end('ok');
      return;
    }
    const timestamp = query.get('timestamp') ?? '';
    const nonce = query.get('nonce') ?? '';
    const body = Buffer.concat(chunks).toString();
    const isJson = body.startsWith('{');
    const cipher = isJson ? (JSON.parse(body) as { encrypt?: string }).encrypt : XML_ENCRYPT.exec(body)?.[1];
    if (!cipher || sign(timestamp, nonce, cipher) !== query.get('msg_signature')) {
      res.writeHead(401).end();
      return;
    }
    const plain = decrypt(cipher);
    let content: string | undefined;
    let msgId: string | undefined;
    if (plain.startsWith('{')) {
      const m = JSON.parse(plain) as { msgid?: string; MsgId?: string; text?: { content?: string }; Text?: { Content?: string } };
      content = m.text?.content ?? m.Text?.Content;
      msgId = m.msgid ?? m.MsgId;
    } else {
      content = XML_CONTENT.exec(plain)?.[1];
      msgId = XML_MSGID.exec(plain)?.[1];
    }
    if (!msgId || !content?.includes('ping')) {
      res.end('');
      return;
    }
    const reply = isJson
      ? JSON.stringify({ msgtype: 'text', text: { content: 'pong' } })
      : '<xml><MsgType>text</MsgType><Text><Content><![CDATA[pong]]></Content></Text></xml>';
    const out = encrypt(reply);
    const signature = sign(timestamp, nonce, out);
    if (isJson) {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ encrypt: out, msgsignature: signature, timestamp: Number(timestamp), nonce }));
    } else {
      res.writeHead(200, { 'content-type': 'application/xml; charset=utf-8' });
      res.end(
        `<xml><Encrypt><![CDATA[${out}]]></Encrypt><MsgSignature><![CDATA[${signature}]]></MsgSignature>` +
          `<TimeStamp>${timestamp}</TimeStamp><Nonce><![CDATA[${nonce}]]></Nonce></xml>`,
      );
    }
  });
});
server.keepAliveTimeout = 5000;
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
