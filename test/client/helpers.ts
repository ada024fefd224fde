import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A 1x1 PNG, generated for these tests. */
export const PNG_1PX = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** A minimal AMR file: the magic header and some frames of silence. */
export const AMR = Buffer.concat([Buffer.from('#!AMR\n', 'latin1'), Buffer.alloc(64, 0x7c)]);

/** Records log calls of a pino-like logger. */
export function captureLogger() {
  const lines: string[] = [];
  const log = (level: string) => (obj: Record<string, unknown>, msg: string) => lines.push(`${level} ${msg} ${JSON.stringify(obj)}`);
  return { lines, logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') } };
}

/** Serves fixed bytes over HTTP on loopback (e.g. an image URL). */
export async function serveBytes(body: Buffer, contentType = 'image/png'): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': contentType, 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/img`,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** True when no interval of `windowMs` holds more than `limit` of the timestamps. */
export function maxInAnyWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let max = 0;
  let lo = 0;
  for (let hi = 0; hi < t.length; hi++) {
    while ((t[hi] as number) - (t[lo] as number) >= windowMs) lo++;
    max = Math.max(max, hi - lo + 1);
  }
  return max;
}
