import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { CORP_ENV, CorpApiError, createCorpClient, lookupCorpErrcode, readCorpEnv } from '../../src/corp/index.js';
import { WecombotError } from '../../src/errors.js';
import { KNOWN_ERRCODES, lookupErrcode } from '../../src/protocol/errcode/table.js';
import { openStore } from '../../src/store/index.js';
import { corpSetup, errorText, type CorpSetup } from './helpers.js';

let setup: CorpSetup | undefined;
afterEach(async () => {
  await setup?.close();
  setup = undefined;
});

const listRequests = (s: CorpSetup) => s.fake.requests('externalcontact/get_corp_tag_list');

describe('corp errcodes', () => {
  it('60020 explains trusted IPs and fixed egress for serverless, with the IP WeCom saw', async () => {
    setup = await corpSetup({ trustedIp: false });
    const err = await setup.corp.tags.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorpApiError);
    expect(err).toMatchObject({ code: 'wecom_untrusted_ip', errcode: 60020, retryable: 'no' });
    const hint = (err as CorpApiError).hint!;
    expect(hint).toContain('企业可信IP');
    expect(hint).toMatch(/serverless/i);
    expect(hint).toMatch(/NAT/);
    expect((err as CorpApiError).errmsg).toContain('from ip: 127.0.0.1');
    expect(listRequests(setup)).toHaveLength(1);
  });

  it('48002 says to add the app to 客户联系 → 可调用接口的应用', async () => {
    setup = await corpSetup({ customerContact: false });
    const err = await setup.corp.contacts.get('wmA').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'wecom_api_not_permitted', errcode: 48002 });
    expect((err as CorpApiError).hint).toContain('可调用接口的应用');
  });

  it('every corp errcode of the notes has its own registered code and a hint', () => {
    const corpCodes = [
      40001, 40003, 40013, 40014, 40068, 40071, 40091, 40096, 40099, 40126, 41001, 41048, 41049, 41050, 41051, 41055, 41058, 41063, 41064,
      41065, 41080, 41081, 41082, 41088, 41096, 42001, 48001, 48002, 60011, 60020, 81017, 84061, 84074, 301002,
    ];
    for (const errcode of corpCodes) {
      expect(KNOWN_ERRCODES).toContain(errcode);
      const info = lookupCorpErrcode(errcode);
      expect(info.code).not.toBe('wecom_unknown_errcode');
      expect(() => new WecombotError(info.code, 'x')).not.toThrow();
    }
    // Codes shared with the webhook keep their code and get the corp meaning of the hint.
    expect(lookupCorpErrcode(45009).code).toBe(lookupErrcode(45009).code);
    expect(lookupErrcode(45009).hint).toContain('robot');
    expect(lookupCorpErrcode(45009).hint).not.toContain('robot');
    expect(lookupCorpErrcode(40007).hint).toContain('media/upload');
  });

  it('an errcode the table does not know keeps its number', async () => {
    setup = await corpSetup();
    const err = await setup.corp.groupChats.get('wrNope').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'wecom_unknown_errcode', errcode: 40050, api: 'externalcontact/groupchat/get' });
  });
});

describe('retries of repeatable calls', () => {
  it.each([
    ['-1', -1],
    ['45033', 45033],
    ['HTTP 500', 'http500' as const],
    ['a dropped connection', 'drop' as const],
  ])('%s is retried with back-off', async (_name, kind) => {
    setup = await corpSetup();
    setup.fake.failNext(kind, 2);
    await expect(setup.corp.tags.list()).resolves.toEqual([]);
    expect(listRequests(setup)).toHaveLength(3);
    expect(setup.logs.lines.filter((l) => l.includes('retrying'))).toHaveLength(2);
  });

  it('gives up after `retries` and throws the last error', async () => {
    setup = await corpSetup({}, { retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    setup.fake.failNext(-1, 10);
    await expect(setup.corp.tags.list()).rejects.toMatchObject({ code: 'wecom_system_busy', errcode: -1 });
    expect(listRequests(setup)).toHaveLength(3);
  });

  it.each([
    ['45009 (a frequency block a retry cannot wait out)', 45009],
    ['40058 (a bad request)', 40058],
    ['60020 (configuration)', 60020],
  ])('%s is not retried', async (_name, errcode) => {
    setup = await corpSetup();
    setup.fake.failNext(errcode);
    await expect(setup.corp.tags.list()).rejects.toMatchObject({ errcode });
    expect(listRequests(setup)).toHaveLength(1);
  });

  it('a slow answer times out and is retried', async () => {
    setup = await corpSetup({}, { timeoutMs: 200 });
    setup.fake.failNext('slow', 1, { delayMs: 600 });
    await expect(setup.corp.tags.list()).resolves.toEqual([]);
    expect(listRequests(setup).map((r) => r.outcome.injected ?? 'normal')).toEqual(['slow', 'normal']);
  });

  it('a gateway page instead of WeCom JSON is a corp_http error', async () => {
    const server = http.createServer((_req, res) => res.end('<html>hello</html>'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const store = await openStore({ databaseUrl: 'memory:' });
    const corp = createCorpClient({
      corpId: 'wwx',
      secret: 's'.repeat(43),
      store,
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      proxy: false,
      retry: { retries: 0 },
    });
    try {
      await expect(corp.tags.list()).rejects.toMatchObject({ code: 'corp_http', status: 200 });
    } finally {
      await corp.close();
      await store.close();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('proxies', () => {
  it('goes through an explicit proxy, as the webhook client does', async () => {
    const uses: string[] = [];
    const proxy = http.createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, socket, head) => {
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
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    setup = await corpSetup({}, { proxy: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` });
    try {
      await setup.corp.tags.list();
      expect(uses.length).toBeGreaterThan(0);
      expect(uses[0]).toBe(`CONNECT ${new URL(setup.fake.baseUrl).host}`);
    } finally {
      await setup.close();
      setup = undefined;
      await new Promise<void>((r) => {
        proxy.close(() => r());
        proxy.closeAllConnections();
      });
    }
  });
});

describe('configuration', () => {
  const SECRET = 'Sx9'.repeat(14);

  it('readCorpEnv reads WECOM_CORP_ID and WECOM_CORP_SECRET', () => {
    expect(readCorpEnv({})).toBeUndefined();
    expect(readCorpEnv({ WECOM_CORP_ID: ' ww123 ', WECOM_CORP_SECRET: SECRET })).toEqual({ corpId: 'ww123', secret: SECRET });
    expect(Object.values(CORP_ENV)).toEqual([
      'WECOM_CORP_ID',
      'WECOM_CORP_SECRET',
      'WECOM_CORP_TOKEN',
      'WECOM_CORP_ENCODING_AES_KEY',
      'WECOM_CORP_API_BASE',
    ]);
  });

  it.each([
    [{ WECOM_CORP_ID: 'ww123' }, 'WECOM_CORP_SECRET is not set but WECOM_CORP_ID is'],
    [{ WECOM_CORP_SECRET: SECRET }, 'WECOM_CORP_ID is not set but WECOM_CORP_SECRET is'],
    [{ WECOM_CORP_ID: 'ww 123', WECOM_CORP_SECRET: SECRET }, 'WECOM_CORP_ID must be letters and digits'],
    [{ WECOM_CORP_ID: 'ww123', WECOM_CORP_SECRET: `"${SECRET}"` }, 'WECOM_CORP_SECRET is empty or has spaces'],
  ])('names the variable, never the value: %j', (env, message) => {
    const err = (() => {
      try {
        readCorpEnv(env);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toMatchObject({ code: 'corp_config' });
    expect((err as Error).message).toContain(message);
    expect(errorText(err)).not.toContain(SECRET);
  });

  it('createCorpClient refuses a missing store or a bad baseUrl', async () => {
    const store = await openStore({ databaseUrl: 'memory:' });
    expect(() => createCorpClient({ corpId: 'ww1', secret: SECRET, store: undefined as never })).toThrow(/store is required/);
    expect(() => createCorpClient({ corpId: 'ww1', secret: SECRET, store, baseUrl: 'qyapi.weixin.qq.com' })).toThrow(/baseUrl/);
    expect(() => createCorpClient({ corpId: '', secret: SECRET, store })).toThrow(/corpId/);
    await store.close();
  });
});
