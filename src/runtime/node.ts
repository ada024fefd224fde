/**
 * Node http server: every request becomes a BotRequest, the BotResponse goes back as is.
 * The response is written as soon as the core decides it; late work (webhook replies)
 * continues in the process, and `close()` waits for it.
 *
 * @example
 * const server = await serveNode(bot, { port: 3000, host: '127.0.0.1' });
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bot } from '../bot/bot.js';
import { parseQuery, type BotRequest } from '../bot/request.js';

export interface NodeServeOptions {
  /** Default 3000 (SCF Web functions: 9000). */
  port?: number;
  /** Default 127.0.0.1; `0.0.0.0` to listen on every interface. */
  host?: string;
  /**
   * A client must have sent its request headers within this many ms, or gets 408 and the
   * connection is closed (slow-loris: a client dripping headers must not hold a socket). Default 10000.
   */
  headersTimeoutMs?: number;
  /** ... and its whole request, body included, within this many ms. Default 15000 (WeCom waits 5 s for the answer). */
  requestTimeoutMs?: number;
}

export interface NodeServer {
  readonly server: Server;
  /** `http://host:port` */
  readonly url: string;
  /** Stops accepting requests, waits for late work, closes the bot. */
  close(): Promise<void>;
}

/** Reads the body, stopping one byte past `maxBytes` so the core answers 413 without buffering more. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > maxBytes) return;
      chunks.push(chunk);
      size += chunk.length;
      if (size > maxBytes) resolve(Buffer.concat(chunks).subarray(0, maxBytes + 1));
    });
    req.on('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Translates a Node request into a BotRequest. */
export async function nodeRequest(req: IncomingMessage, maxBytes: number): Promise<BotRequest> {
  const target = req.url ?? '/';
  const q = target.indexOf('?');
  const rawQuery = q < 0 ? '' : target.slice(q + 1);
  const method = (req.method ?? 'GET').toUpperCase();
  const body = method === 'GET' || method === 'HEAD' ? new Uint8Array() : await readBody(req, maxBytes);
  let query: Record<string, string> | undefined;
  return {
    method,
    path: q < 0 ? target : target.slice(0, q),
    rawQuery,
    // Parsed on demand: the core reads the raw query string itself.
    get query() {
      return (query ??= parseQuery(rawQuery));
    },
    // Node already lower-cases header names.
    headers: req.headers as Record<string, string | undefined>,
    body,
    ...(req.socket.remoteAddress ? { remoteAddress: req.socket.remoteAddress } : {}),
  };
}

/** A `(req, res)` listener for `http.createServer` or any framework that exposes Node's objects. */
export function createNodeListener(bot: Bot): (req: IncomingMessage, res: ServerResponse) => void {
  const maxBytes = bot.options.maxBodyBytes;
  return (req, res) => {
    void (async () => {
      try {
        const out = await bot.handle(await nodeRequest(req, maxBytes));
        res.writeHead(out.status, { ...out.headers, 'content-length': Buffer.byteLength(out.body) });
        res.end(req.method === 'HEAD' ? undefined : out.body);
      } catch (err) {
        // Only a broken socket gets here: bot.handle never throws.
        if (!res.headersSent) res.writeHead(400).end();
        else res.destroy();
        bot.log.warn({ err }, 'request aborted');
      }
    })().catch(() => res.destroy());
  };
}

/** Starts the server and resolves once it listens. */
export async function serveNode(bot: Bot, options: NodeServeOptions = {}): Promise<NodeServer> {
  const headersTimeout = options.headersTimeoutMs ?? 10_000;
  const requestTimeout = Math.max(options.requestTimeoutMs ?? 15_000, headersTimeout);
  const server = createServer(
    // Node checks both timeouts every connectionsCheckingInterval (default 30 s): check often enough to keep them.
    { headersTimeout, requestTimeout, connectionsCheckingInterval: Math.min(1000, Math.max(50, headersTimeout / 2)) },
    createNodeListener(bot),
  );
  // WeCom opens a connection per callback; keep-alive only helps load generators and proxies.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    server,
    url: `http://${host}:${address.port}`,
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await bot.close();
      })();
      return closing;
    },
  };
}
