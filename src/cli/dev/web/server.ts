/**
 * `wecombot dev --web`: the page, on loopback only. GET / is the page, /app.js its script,
 * /api/state the session, /api/events a server-sent event stream of the session after every
 * change (SSE and not a WebSocket: the page only listens, and EventSource reconnects by
 * itself); POST /api/action does what the page asks, /api/transcript (GET) saves the session
 * as a transcript, /api/replay (POST) plays one back.
 *
 * Requests whose Host is not this loopback address are refused, so that a web page elsewhere
 * cannot reach the emulator through DNS rebinding.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../../../testing/read-body.js';
import { clientScript } from './bundle.js';
import type { WebAction } from './model.js';
import { pageHtml } from './page.js';
import { parseTranscript } from './transcript.js';
import type { WebChat } from './web-chat.js';

export interface WebServer {
  readonly url: string;
  close(): Promise<void>;
}

/** The body as text; a body too large for the fakes' reader is refused. */
async function bodyText(req: http.IncomingMessage): Promise<string> {
  const body = await readBody(req);
  if (!body) throw new Error('the request body is too large');
  return body.toString('utf8');
}

export async function startWebServer(chat: WebChat, options: { port?: number } = {}): Promise<WebServer> {
  const script = await clientScript();
  const clients = new Set<http.ServerResponse>();
  let pending: ReturnType<typeof setTimeout> | undefined;
  // Every change schedules one push of the whole session (at most every 50 ms): the page
  // redraws from it, so a missed event never leaves it out of date.
  const push = () => {
    if (pending) return;
    pending = setTimeout(() => {
      pending = undefined;
      const data = `data: ${JSON.stringify({ type: 'state', state: chat.state() })}\n\n`;
      for (const res of clients) res.write(data);
    }, 50);
  };
  const unsubscribe = chat.onChange(push);
  // Counters and countdowns move with time, not only with events.
  const ticker = setInterval(push, 1000);

  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const address = server.address() as AddressInfo;
      const host = req.headers.host ?? '';
      if (host !== `127.0.0.1:${address.port}` && host !== `localhost:${address.port}`) return json(res, 403, { error: 'loopback only' });
      const path = (req.url ?? '/').split('?')[0];
      try {
        if (req.method === 'GET' && path === '/') {
          res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
          return res.end(pageHtml());
        }
        if (req.method === 'GET' && path === '/app.js') {
          res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
          return res.end(script);
        }
        if (req.method === 'GET' && path === '/api/state') return json(res, 200, chat.state());
        if (req.method === 'GET' && path === '/api/events') {
          res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
          res.write(`data: ${JSON.stringify({ type: 'state', state: chat.state() })}\n\n`);
          clients.add(res);
          req.on('close', () => clients.delete(res));
          return;
        }
        if (req.method === 'GET' && path === '/api/transcript') {
          res.writeHead(200, {
            'content-type': 'application/x-ndjson; charset=utf-8',
            'content-disposition': 'attachment; filename="wecombot-transcript.jsonl"',
          });
          return res.end(chat.transcript());
        }
        if (req.method === 'POST' && path === '/api/action') {
          const action = JSON.parse(await bodyText(req)) as WebAction;
          if (!action || typeof action.type !== 'string') return json(res, 400, { error: 'an action needs a type' });
          try {
            await chat.act(action);
            return json(res, 200, { ok: true });
          } catch (err) {
            // The error is in the inspector too; the page stays up.
            return json(res, 200, { ok: false, error: err instanceof Error ? err.message : String(err) });
          }
        }
        if (req.method === 'POST' && path === '/api/replay') {
          const text = await bodyText(req);
          let lines;
          try {
            lines = parseTranscript(text, 'the transcript');
          } catch (err) {
            return json(res, 400, { ok: false, error: err instanceof Error ? err.message : String(err) });
          }
          return json(res, 200, await chat.replay(lines));
        }
        return json(res, 404, { error: `no ${req.method} ${path}` });
      } catch (err) {
        if (!res.headersSent) json(res, 500, { error: err instanceof Error ? err.message : String(err) });
        else res.end();
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      unsubscribe();
      clearInterval(ticker);
      if (pending) clearTimeout(pending);
      for (const res of clients) res.end();
      clients.clear();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
