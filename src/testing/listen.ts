import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Starts an HTTP server for a fake on loopback (any free port unless `port` is given). A handler
 * that rejects answers 500, or drops the socket when the headers already went out.
 */
export async function listenFake(
  onRequest: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void>,
  options: { port?: number; host?: string },
): Promise<{ server: http.Server; baseUrl: string }> {
  const server = http.createServer((req, res) => {
    onRequest(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  return { server, baseUrl: `http://${host}:${(server.address() as AddressInfo).port}` };
}
