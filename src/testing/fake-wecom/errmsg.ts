import { randomBytes } from 'node:crypto';

/** The reason text WeCom puts first in `errmsg`, per errcode (as observed, see protocol §1.11). */
const REASONS: Record<number, string> = {
  [-1]: 'system busy',
  40004: 'invalid media type',
  40006: 'invalid file size',
  40007: 'invalid media_id',
  40008: 'invalid message type',
  40009: 'invalid image size',
  40029: 'invalid code',
  40058: 'invalid Request Parameter',
  44001: 'empty media data',
  44004: 'empty content',
  45001: 'media size out of limit',
  45008: 'article size out of limit',
  45009: 'api freq out of limit',
  45033: 'api concurrent out of limit',
  93000: 'invalid webhook url',
  301017: 'voice file only support amr format',
};

/**
 * Builds an errmsg shaped like the real server's:
 * `<reason>, hint: [<trace>], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=<code>`.
 */
export function wecomErrmsg(errcode: number, reason?: string): string {
  if (errcode === 0) return 'ok';
  const text = reason ?? REASONS[errcode] ?? 'unknown error';
  const trace = `${Math.floor(Date.now() / 1000)}-${randomBytes(6).toString('hex')}`;
  return `${text}, hint: [${trace}], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}`;
}
