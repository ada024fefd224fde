/**
 * Callback crypto throughput on 1 KiB messages: wecombot vs @wecom/crypto vs a bare node:crypto
 * AES-256-CBC + SHA-1 baseline, in one run.
 *
 *   npm run bench:crypto                 # table
 *   npm run bench:crypto -- --json       # one JSON object
 *   npm run bench:crypto -- --rounds 9 --ms 400
 *
 * Each round runs every case for --ms milliseconds, in a rotating order so no implementation
 * always runs first (or hot); the figure is the median over rounds, after one warm-up round.
 */
import * as wc from '@wecom/crypto';
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
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
const bareKey = Buffer.from(`${AES_KEY}=`, 'base64');
const bareIv = bareKey.subarray(0, 16);
function bareSign(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');
}
function bareDecryptVerify(): string {
  if (bareSign(TOKEN, TIMESTAMP, NONCE, incoming.encrypt) !== incoming.msgSignature) throw new Error('bad signature');
  const d = createDecipheriv('aes-256-cbc', bareKey, bareIv);
  d.setAutoPadding(false);
  const plain = Buffer.concat([d.update(incoming.encrypt, 'base64'), d.final()]);
  const end = plain.length - plain[plain.length - 1]!;
  const len = plain.readUInt32BE(16);
  if (20 + len > end) throw new Error('bad length');
  return plain.toString('utf8', 20, 20 + len);
}
function bareEncryptSign(): { encrypt: string; signature: string } {
  const msg = Buffer.from(MESSAGE);
  const len = Buffer.allocUnsafe(4);
  len.writeUInt32BE(msg.length);
  const body = 20 + msg.length;
  const pad = 32 - (body % 32);
  const c = createCipheriv('aes-256-cbc', bareKey, bareIv);
  c.setAutoPadding(false);
  const input = Buffer.concat([randomBytes(16), len, msg, Buffer.alloc(pad, pad)]);
  const encrypt = Buffer.concat([c.update(input), c.final()]).toString('base64');
  return { encrypt, signature: bareSign(TOKEN, TIMESTAMP, NONCE, encrypt) };
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

type Impl = 'wecombot' | '@wecom/crypto' | 'bare node:crypto';
type Op = 'decrypt+verify' | 'encrypt+sign';
const IMPLS: Impl[] = ['wecombot', '@wecom/crypto', 'bare node:crypto'];
const OPS: Op[] = ['decrypt+verify', 'encrypt+sign'];
const cases: Record<Op, Record<Impl, () => unknown>> = {
  'decrypt+verify': { wecombot: wecombotDecryptVerify, '@wecom/crypto': wecomDecryptVerify, 'bare node:crypto': bareDecryptVerify },
  'encrypt+sign': { wecombot: wecombotEncryptSign, '@wecom/crypto': wecomEncryptSign, 'bare node:crypto': bareEncryptSign },
};

/** Every implementation must do the same work: same plaintext out, and ciphertexts the others open. */
function selfCheck(): void {
  for (const impl of IMPLS) {
    if (cases['decrypt+verify'][impl]() !== MESSAGE) throw new Error(`${impl}: decrypt+verify returned the wrong plaintext`);
    const out = cases['encrypt+sign'][impl]() as { encrypt: string; signature: string };
    if (out.signature !== computeSignature(TOKEN, TIMESTAMP, NONCE, out.encrypt)) throw new Error(`${impl}: wrong signature`);
    if (wc.decrypt(AES_KEY, out.encrypt).message !== MESSAGE) throw new Error(`${impl}: ciphertext does not open`);
    if (bot.decrypt(out.encrypt).message !== MESSAGE) throw new Error(`${impl}: ciphertext does not open in wecombot`);
  }
}

let sink = 0;
/** Runs fn in batches for `ms` milliseconds; returns ops/s. */
function measure(fn: () => unknown, ms: number): number {
  const budget = BigInt(ms) * 1_000_000n;
  const start = process.hrtime.bigint();
  let ops = 0;
  let elapsed = 0n;
  do {
    for (let i = 0; i < 64; i++) {
      const r = fn();
      sink += typeof r === 'string' ? r.length : 1;
    }
    ops += 64;
    elapsed = process.hrtime.bigint() - start;
  } while (elapsed < budget);
  return (ops * 1e9) / Number(elapsed);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function main(): void {
  selfCheck();
  const samples: Record<Op, Record<Impl, number[]>> = {
    'decrypt+verify': { wecombot: [], '@wecom/crypto': [], 'bare node:crypto': [] },
    'encrypt+sign': { wecombot: [], '@wecom/crypto': [], 'bare node:crypto': [] },
  };
  const order = OPS.flatMap((op) => IMPLS.map((impl) => [op, impl] as const));
  for (let round = -1; round < rounds; round++) {
    // Rotate the order every round so position effects (GC, turbo boost, JIT) average out.
    const shift = ((round % order.length) + order.length) % order.length;
    const rotated = [...order.slice(shift), ...order.slice(0, shift)];
    for (const [op, impl] of rotated) {
      const opsPerSec = measure(cases[op][impl], round < 0 ? Math.min(msPerCase, 150) : msPerCase);
      if (round >= 0) samples[op][impl].push(opsPerSec);
    }
  }

  const results = Object.fromEntries(
    OPS.map((op) => {
      const m = Object.fromEntries(IMPLS.map((impl) => [impl, Math.round(median(samples[op][impl]))])) as Record<Impl, number>;
      return [
        op,
        {
          opsPerSec: m,
          vsWecomCrypto: round2(m.wecombot / m['@wecom/crypto']),
          vsBare: round2(m.wecombot / m['bare node:crypto']),
        },
      ];
    }),
  ) as Record<Op, { opsPerSec: Record<Impl, number>; vsWecomCrypto: number; vsBare: number }>;
  const targets = { vsWecomCrypto: 1.2, vsBare: 0.8 };
  const pass = OPS.every((op) => results[op].vsWecomCrypto >= targets.vsWecomCrypto && results[op].vsBare >= targets.vsBare);

  if (json) {
    process.stdout.write(
      `${JSON.stringify({ benchmark: 'crypto', node: process.version, messageBytes: 1024, rounds, msPerCase, results, targets, pass, sink: sink > 0 })}\n`,
    );
    return;
  }
  const rows = [
    ['operation (1 KiB)', ...IMPLS.map((i) => `${i} ops/s`), 'vs @wecom/crypto', 'vs bare'],
    ...OPS.map((op) => [
      op,
      ...IMPLS.map((impl) => results[op].opsPerSec[impl].toLocaleString('en-US')),
      `${results[op].vsWecomCrypto.toFixed(2)}x`,
      `${results[op].vsBare.toFixed(2)}x`,
    ]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join(' | ')} |`;
  console.log(`crypto benchmark: Node ${process.version}, ${rounds} rounds x ${msPerCase} ms per case, median ops/s`);
  console.log(line(rows[0]!));
  console.log(`|${widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
  console.log(
    `targets: >= ${targets.vsWecomCrypto}x @wecom/crypto and >= ${targets.vsBare}x bare node:crypto: ${pass ? 'met' : 'NOT met'}`,
  );
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

main();
