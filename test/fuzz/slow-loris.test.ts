import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createBot } from '../../src/bot/bot.js';
import { serveNode } from '../../src/runtime/node.js';
import { randomSecrets } from '../../src/testing/fake-group/index.js';

/** Opens a raw connection that sends a request line, then one header line every `everyMs`, until the server closes it. */
function drip(port: number, everyMs: number): Promise<{ answer: string; lines: number }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let lines = 0;
    const timer = setInterval(() => {
      if (!socket.destroyed) socket.write(`X-Drip-${lines++}: a\r\n`);
    }, everyMs);
    socket.on('connect', () => socket.write('POST /wecom/callback HTTP/1.1\r\nHost: 127.0.0.1\r\n'));
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('error', () => undefined); // a reset after the 408 is the server hanging up too
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, lines });
    });
    setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error(`the server still held the connection after ${lines} header lines`));
    }, 8000);
  });
}

describe('Node server against a slow-loris client (loopback)', () => {
  it('answers 408 and closes a connection that drips its headers past headersTimeoutMs', async () => {
    const secrets = randomSecrets();
    const bot = createBot({ group: secrets, logLevel: 'silent' } as Parameters<typeof createBot>[0]);
    const server = await serveNode(bot, { port: 0, headersTimeoutMs: 300, requestTimeoutMs: 600 });
    try {
      const port = Number(new URL(server.url).port);
      const { answer } = await drip(port, 50);
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      // The server still serves everyone else.
      expect((await fetch(`${server.url}${bot.options.paths.health}`)).status).toBe(200);
    } finally {
      await server.close();
    }
  }, 15_000);

  it('keeps the defaults when none are given (10 s for headers, 15 s for the request)', async () => {
    const bot = createBot({ group: randomSecrets(), logLevel: 'silent' } as Parameters<typeof createBot>[0]);
    const server = await serveNode(bot, { port: 0 });
    try {
      expect([server.server.headersTimeout, server.server.requestTimeout]).toEqual([10_000, 15_000]);
    } finally {
      await server.close();
    }
  });
});
