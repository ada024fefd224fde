import type http from 'node:http';

/** Bodies past this are dropped (the fakes answer "too large" without buffering more). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** The request body, or undefined when it is larger than the fakes accept (the socket is closed). */
export function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
