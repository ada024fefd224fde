import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebhookClient } from '../../src/client/index.js';
import { startFakeWecom, type FakeWecom } from '../../src/testing/fake-wecom/index.js';

/** A forward proxy on loopback (CONNECT tunnels and absolute-URI requests) that counts its uses. */
async function startProxy() {
  const uses: string[] = [];
  const server = http.createServer((req, res) => {
    uses.push(`${req.method} ${new URL(req.url ?? '').host}`);
    const target = new URL(req.url ?? '');
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  server.on('connect', (req, socket, head) => {
    uses.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = net.connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    uses,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

describe('proxies: HTTP(S)_PROXY and NO_PROXY from the environment, or an explicit proxy', () => {
  let fake: FakeWecom;
  let proxy: Awaited<ReturnType<typeof startProxy>>;
  const saved = { ...process.env };
  beforeAll(async () => {
    fake = await startFakeWecom({ limit: 1000 });
    proxy = await startProxy();
  });
  afterAll(async () => {
    await proxy.close();
    await fake.close();
  });
  afterEach(() => {
    for (const k of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy']) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
    proxy.uses.length = 0;
  });

  it('goes through HTTP_PROXY when set', async () => {
    process.env.HTTP_PROXY = proxy.url;
    delete process.env.NO_PROXY;
    delete process.env.no_proxy;
    const client = new WebhookClient({ baseUrl: fake.baseUrl });
    try {
      expect((await client.text(fake.url, 'via proxy')).ok).toBe(true);
      expect(proxy.uses.length).toBeGreaterThan(0);
      expect(proxy.uses[0]).toContain(new URL(fake.baseUrl).host);
    } finally {
      await client.close();
    }
  });

  it('bypasses the proxy for hosts in NO_PROXY', async () => {
    process.env.HTTP_PROXY = proxy.url;
    process.env.NO_PROXY = '127.0.0.1';
    const client = new WebhookClient({ baseUrl: fake.baseUrl });
    try {
      expect((await client.text(fake.url, 'direct')).ok).toBe(true);
      expect(proxy.uses).toHaveLength(0);
    } finally {
      await client.close();
    }
  });

  it('uses an explicit proxy URL, and none with proxy: false', async () => {
    const via = new WebhookClient({ baseUrl: fake.baseUrl, proxy: proxy.url });
    process.env.HTTP_PROXY = 'http://127.0.0.1:9'; // would fail if used
    const direct = new WebhookClient({ baseUrl: fake.baseUrl, proxy: false });
    try {
      expect((await via.text(fake.url, 'explicit')).ok).toBe(true);
      expect(proxy.uses.length).toBeGreaterThan(0);
      expect((await direct.text(fake.url, 'no proxy')).ok).toBe(true);
    } finally {
      await via.close();
      await direct.close();
    }
  });
});
