/**
 * Callback crypto throughput on 1 KiB messages: wecombot vs @wecom/crypto vs a bare node:crypto
 * AES-256-CBC + SHA-1 baseline, in one run.
 *
 *   npm run bench:crypto                 # table
 *   npm run bench:crypto -- --json       # one JSON object
 *   npm run bench:crypto -- --rounds 9 --ms 400
 *
 * Each round runs every case for --ms milliseconds of CPU time, in a rotating order so no
 * implementation always runs first (or hot); the figure is the median over rounds, after one
 * warm-up round, in operations per CPU-second (= ops/s on an idle machine).
 *
 * The bare versions go from the obvious one to every trick node:crypto allows (one-shot hash, a
 * long-lived cipher, a random pool, TextDecoder); wecombot is compared with the fastest of them.
 */
import * as wc from '@wecom/crypto';
import * as nodeCrypto from 'node:crypto';
import { createCipheriv, createDecipheriv, createHash, randomBytes, randomFillSync } from 'node:crypto';
import { computeSignature, WecomCrypto } from '../src/protocol/crypto/index.js';

const TOKEN = 'hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo';
const AES_KEY = '6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt';
const TIMESTAMP = '1700000000';
const NONCE = '1372623149';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const json = process.argv.includes('--json');
const rounds = arg('rounds', 7);
const msPerCase = arg('ms', 300);

/** A realistic 1 KiB (1024 UTF-8 bytes) AI-bot text callback: JSON with Chinese content. */
function message(): string {
  const head =
    '{"msgid":"CAIQ16HMjQYY\\/NGagIOAgAMgq4KM0AI=","aibotid":"AIBOTID","chatid":"CHATID","chattype":"group","from":{"userid":"zhangsan"},"msgtype":"text","text":{"content":"';
  const tail = '"}}';
  let content = '';
  const sentence = '@机器人 请帮我查一下本周的活动报名情况，以及上次优惠券的核销数据。 ';
  while (Buffer.byteLength(head + content + sentence + tail) <= 1024) content += sentence;
  while (Buffer.byteLength(head + content + tail) < 1024) content += '.';
  const text = head + content + tail;
  if (Buffer.byteLength(text) !== 1024) throw new Error('message is not 1 KiB');
  return text;
}

const MESSAGE = message();
const bot = new WecomCrypto({ token: TOKEN, encodingAESKey: AES_KEY });
const callback = bot.encryptReply(MESSAGE, { timestamp: TIMESTAMP, nonce: NONCE });
const incoming = { msgSignature: callback.signature, timestamp: TIMESTAMP, nonce: NONCE, encrypt: callback.encrypt };

// --- bare node:crypto: what one writes with no library, key parsed once, no validation ---
// Several hand-written versions, from the obvious one to every trick node:crypto allows; the
// reference is whichever is fastest in the run ("best bare"), so the baseline is never a strawman.
const bareKey = Buffer.from(`${AES_KEY}=`, 'base64');
const bareIv = bareKey.subarray(0, 16);
const oneShotHash = (nodeCrypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash;
const utf8Decoder = new TextDecoder();
function naiveSign(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');
}
/** crypto.hash (Node >= 20.12) hashes without a Hash object; four strings sorted without an array. */
function fastSign(token: string, timestamp: string, nonce: string, encrypt: string): string {
  const [a, b] = token < timestamp ? [token, timestamp] : [timestamp, token];
  const [c, d] = nonce < encrypt ? [nonce, encrypt] : [encrypt, nonce];
  // Merge the two sorted pairs (the values are ASCII, so `<` is the byte order).
  const data =
    a < c ? (b < c ? a + b + c + d : b < d ? a + c + b + d : a + c + d + b) : d < a ? c + d + a + b : b < d ? c + a + b + d : c + a + d + b;
  return oneShotHash ? oneShotHash('sha1', data, 'hex') : createHash('sha1').update(data).digest('hex');
}
/** The obvious version: a Hash and a Decipher per call, Buffer.concat, final(). */
function naiveDecryptVerify(): string {
  if (naiveSign(TOKEN, TIMESTAMP, NONCE, incoming.encrypt) !== incoming.msgSignature) throw new Error('bad signature');
  const d = createDecipheriv('aes-256-cbc', bareKey, bareIv);
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(incoming.encrypt, 'base64'), d.final()]);
  return unframe(plain, (b, s, e) => b.toString('utf8', s, e));
}
/** One-shot hash, a Decipher per call but no final() or concat (whole blocks, padding off). */
function tunedDecryptVerify(): string {
  if (fastSign(TOKEN, TIMESTAMP, NONCE, incoming.encrypt) !== incoming.msgSignature) throw new Error('bad signature');
  const d = createDecipheriv('aes-256-cbc', bareKey, bareIv);
  d.setAutoPadding(false);
  return unframe(d.update(Buffer.from(incoming.encrypt, 'base64')), (b, s, e) => b.toString('utf8', s, e));
}
/**
 * One long-lived Decipher: creating one costs more than decrypting 1 KiB. CBC continues the
 * chain across calls, so block 0 comes out XORed with the previous call's last ciphertext
 * block instead of the IV; XORing both back fixes it.
 */
const reusedDecipher = createDecipheriv('aes-256-cbc', bareKey, bareIv).setAutoPadding(false);
const decChain = Buffer.from(bareIv);
function reusedDecrypt(encrypt: string): Buffer {
  const data = Buffer.from(encrypt, 'base64');
  const plain = reusedDecipher.update(data);
  for (let i = 0; i < 16; i++) plain[i] = plain[i]! ^ decChain[i]! ^ bareIv[i]!;
  data.copy(decChain, 0, data.length - 16);
  return plain;
}
function reusedDecryptVerify(): string {
  if (fastSign(TOKEN, TIMESTAMP, NONCE, incoming.encrypt) !== incoming.msgSignature) throw new Error('bad signature');
  return unframe(reusedDecrypt(incoming.encrypt), (b, s, e) => b.toString('utf8', s, e));
}
/** The same with TextDecoder, which decodes CJK faster than Buffer#toString on some Node versions. */
function reusedTextDecoderDecryptVerify(): string {
  if (fastSign(TOKEN, TIMESTAMP, NONCE, incoming.encrypt) !== incoming.msgSignature) throw new Error('bad signature');
  return unframe(reusedDecrypt(incoming.encrypt), (b, s, e) => utf8Decoder.decode(b.subarray(s, e)));
}
function unframe(plain: Buffer, decode: (b: Buffer, start: number, end: number) => string): string {
  const end = plain.length - plain[plain.length - 1]!;
  const len = plain.readUInt32BE(16);
  if (20 + len > end) throw new Error('bad length');
  return decode(plain, 20, 20 + len);
}

function naiveEncryptSign(): { encrypt: string; signature: string } {
  const msg = Buffer.from(MESSAGE);
  const len = Buffer.allocUnsafe(4);
  len.writeUInt32BE(msg.length);
  const body = 20 + msg.length;
  const pad = 32 - (body % 32);
  const c = createCipheriv('aes-256-cbc', bareKey, bareIv);
  c.setAutoPadding(false);
  const input = Buffer.concat([randomBytes(16), len, msg, Buffer.alloc(pad, pad)]);
  const encrypt = Buffer.concat([c.update(input), c.final()]).toString('base64');
  return { encrypt, signature: naiveSign(TOKEN, TIMESTAMP, NONCE, encrypt) };
}
/** The plaintext block written in place into one buffer (random prefix filled by fill()). */
function frame(fill: (block: Buffer) => void): Buffer {
  const msgLength = Buffer.byteLength(MESSAGE);
  const body = 20 + msgLength;
  const pad = 32 - (body % 32);
  const block = Buffer.allocUnsafe(body + pad);
  fill(block);
  block.writeUInt32BE(msgLength, 16);
  block.write(MESSAGE, 20, msgLength, 'utf8');
  block.fill(pad, body);
  return block;
}
const fillFresh = (block: Buffer): void => void randomFillSync(block, 0, 16);
function tunedEncryptSign(): { encrypt: string; signature: string } {
  const c = createCipheriv('aes-256-cbc', bareKey, bareIv);
  c.setAutoPadding(false);
  const encrypt = c.update(frame(fillFresh)).toString('base64');
  return { encrypt, signature: fastSign(TOKEN, TIMESTAMP, NONCE, encrypt) };
}
/** One long-lived Cipher, the chain undone on the input's first block. */
const reusedCipher = createCipheriv('aes-256-cbc', bareKey, bareIv).setAutoPadding(false);
const encChain = Buffer.from(bareIv);
function reusedEncrypt(block: Buffer): string {
  for (let i = 0; i < 16; i++) block[i] = block[i]! ^ encChain[i]! ^ bareIv[i]!;
  const out = reusedCipher.update(block);
  out.copy(encChain, 0, out.length - 16);
  return out.toString('base64');
}
function reusedEncryptSign(): { encrypt: string; signature: string } {
  const encrypt = reusedEncrypt(frame(fillFresh));
  return { encrypt, signature: fastSign(TOKEN, TIMESTAMP, NONCE, encrypt) };
}
/** The same with random prefixes cut from one 4 KiB randomFillSync (each used once). */
const randomPool = Buffer.allocUnsafe(4096);
let randomOffset = randomPool.length;
const fillPooled = (block: Buffer): void => {
  if (randomOffset === randomPool.length) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  randomPool.copy(block, 0, randomOffset, randomOffset + 16);
  randomOffset += 16;
};
function reusedPooledEncryptSign(): { encrypt: string; signature: string } {
  const encrypt = reusedEncrypt(frame(fillPooled));
  return { encrypt, signature: fastSign(TOKEN, TIMESTAMP, NONCE, encrypt) };
}

// --- @wecom/crypto: its getSignature + a string compare is what a user writes for "verify" ---
function wecomDecryptVerify(): string {
  if (wc.getSignature(TOKEN, TIMESTAMP, NONCE, incoming.encrypt) !== incoming.msgSignature) throw new Error('bad signature');
  return wc.decrypt(AES_KEY, incoming.encrypt).message;
}
function wecomEncryptSign(): { encrypt: string; signature: string } {
  const encrypt = wc.encrypt(AES_KEY, MESSAGE, '');
  return { encrypt, signature: wc.getSignature(TOKEN, TIMESTAMP, NONCE, encrypt) };
}

// --- wecombot ---
const wecombotDecryptVerify = (): string => bot.decryptMessage(incoming);
const wecombotEncryptSign = (): { encrypt: string; signature: string } => bot.encryptReply(MESSAGE, { timestamp: TIMESTAMP, nonce: NONCE });

type Op = 'decrypt+verify' | 'encrypt+sign';
const OPS: Op[] = ['decrypt+verify', 'encrypt+sign'];
/** Every case of an operation: wecombot, @wecom/crypto, then the bare versions (names start with "bare"). */
const cases: Record<Op, Record<string, () => unknown>> = {
  'decrypt+verify': {
    wecombot: wecombotDecryptVerify,
    '@wecom/crypto': wecomDecryptVerify,
    'bare: naive': naiveDecryptVerify,
    'bare: one-shot hash, no concat': tunedDecryptVerify,
    'bare: long-lived decipher': reusedDecryptVerify,
    'bare: long-lived decipher + TextDecoder': reusedTextDecoderDecryptVerify,
  },
  'encrypt+sign': {
    wecombot: wecombotEncryptSign,
    '@wecom/crypto': wecomEncryptSign,
    'bare: naive': naiveEncryptSign,
    'bare: one-shot hash, one buffer': tunedEncryptSign,
    'bare: long-lived cipher': reusedEncryptSign,
    'bare: long-lived cipher + random pool': reusedPooledEncryptSign,
  },
};
const isBare = (name: string): boolean => name.startsWith('bare');

/** Every implementation must do the same work: same plaintext out, and ciphertexts the others open. */
function selfCheck(): void {
  for (const [impl, fn] of Object.entries(cases['decrypt+verify'])) {
    for (let i = 0; i < 3; i++) if (fn() !== MESSAGE) throw new Error(`${impl}: decrypt+verify returned the wrong plaintext`);
  }
  for (const [impl, fn] of Object.entries(cases['encrypt+sign'])) {
    for (let i = 0; i < 3; i++) {
      const out = fn() as { encrypt: string; signature: string };
      if (out.signature !== computeSignature(TOKEN, TIMESTAMP, NONCE, out.encrypt)) throw new Error(`${impl}: wrong signature`);
      if (wc.decrypt(AES_KEY, out.encrypt).message !== MESSAGE) throw new Error(`${impl}: ciphertext does not open`);
      if (bot.decrypt(out.encrypt).message !== MESSAGE) throw new Error(`${impl}: ciphertext does not open in wecombot`);
    }
  }
}

let sink = 0;
/**
 * Runs fn in batches for `ms` milliseconds of this process's CPU time; returns operations per
 * CPU-second. On a quiet machine that is ops/s; on a shared one, time the scheduler gives to
 * other processes is not charged to whichever case happened to be running.
 */
function measure(fn: () => unknown, ms: number): number {
  const budget = ms * 1000;
  const start = process.cpuUsage();
  let ops = 0;
  let used = 0;
  do {
    for (let i = 0; i < 64; i++) {
      const r = fn();
      sink += typeof r === 'string' ? r.length : 1;
    }
    ops += 64;
    const now = process.cpuUsage(start);
    used = now.user + now.system;
  } while (used < budget);
  return (ops * 1e6) / used;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function main(): void {
  selfCheck();
  const samples = Object.fromEntries(
    OPS.map((op) => [op, Object.fromEntries(Object.keys(cases[op]).map((k) => [k, [] as number[]]))]),
  ) as Record<Op, Record<string, number[]>>;
  const order = OPS.flatMap((op) => Object.keys(cases[op]).map((impl) => [op, impl] as const));
  for (let round = -1; round < rounds; round++) {
    // Rotate the order every round so position effects (GC, turbo boost, JIT) average out.
    const shift = ((round % order.length) + order.length) % order.length;
    const rotated = [...order.slice(shift), ...order.slice(0, shift)];
    for (const [op, impl] of rotated) {
      const opsPerSec = measure(cases[op][impl]!, round < 0 ? Math.min(msPerCase, 150) : msPerCase);
      if (round >= 0) samples[op][impl]!.push(opsPerSec);
    }
  }

  const results = Object.fromEntries(
    OPS.map((op) => {
      const m = Object.fromEntries(Object.entries(samples[op]).map(([impl, xs]) => [impl, Math.round(median(xs))]));
      const bestBare = Object.keys(m)
        .filter(isBare)
        .reduce((a, b) => (m[b]! > m[a]! ? b : a));
      return [
        op,
        {
          opsPerSec: m,
          bestBare,
          vsWecomCrypto: round2(m.wecombot! / m['@wecom/crypto']!),
          vsBestBare: round2(m.wecombot! / m[bestBare]!),
        },
      ];
    }),
  ) as Record<Op, { opsPerSec: Record<string, number>; bestBare: string; vsWecomCrypto: number; vsBestBare: number }>;
  const targets = { vsWecomCrypto: 1.2, vsBestBare: 0.95 };
  const pass = OPS.every((op) => results[op].vsWecomCrypto >= targets.vsWecomCrypto && results[op].vsBestBare >= targets.vsBestBare);

  if (json) {
    process.stdout.write(
      `${JSON.stringify({ benchmark: 'crypto', node: process.version, messageBytes: 1024, rounds, msPerCase, results, targets, pass, sink: sink > 0 })}\n`,
    );
    return;
  }
  const table = (rows: string[][]): void => {
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    const line = (r: string[]) => `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
    console.log(line(rows[0]!));
    console.log(`|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
    for (const r of rows.slice(1)) console.log(line(r));
  };
  const ops = (n: number | undefined) => (n ?? 0).toLocaleString('en-US');
  console.log(
    `crypto benchmark: Node ${process.version}, 1 KiB CJK message, ${rounds} rounds x ${msPerCase} ms per case, median ops per CPU-second`,
  );
  table([
    [
      'operation (1 KiB)',
      'wecombot ops/CPU-s',
      '@wecom/crypto ops/CPU-s',
      'best bare node:crypto ops/CPU-s',
      'vs @wecom/crypto',
      'vs best bare',
    ],
    ...OPS.map((op) => {
      const r = results[op];
      return [
        op,
        ops(r.opsPerSec.wecombot),
        ops(r.opsPerSec['@wecom/crypto']),
        ops(r.opsPerSec[r.bestBare]),
        `${r.vsWecomCrypto.toFixed(2)}x`,
        `${r.vsBestBare.toFixed(2)}x`,
      ];
    }),
  ]);
  console.log('');
  table([
    ['bare node:crypto version', 'ops/CPU-s', 'wecombot vs it'],
    ...OPS.flatMap((op) =>
      Object.keys(results[op].opsPerSec)
        .filter(isBare)
        .map((impl) => {
          const n = results[op].opsPerSec[impl]!;
          return [
            `${op}, ${impl.slice('bare: '.length)}${impl === results[op].bestBare ? ' (best)' : ''}`,
            ops(n),
            `${(results[op].opsPerSec.wecombot! / n).toFixed(2)}x`,
          ];
        }),
    ),
  ]);
  console.log(
    `targets: >= ${targets.vsWecomCrypto}x @wecom/crypto and >= ${targets.vsBestBare}x the best bare node:crypto version: ${pass ? 'met' : 'NOT met'}`,
  );
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

main();
