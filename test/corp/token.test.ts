import { afterEach, describe, expect, it } from 'vitest';
import { CorpApiError, secretHash } from '../../src/corp/index.js';
import { captureLogs, corpSetup, errorText, type CorpSetup } from './helpers.js';

let setup: CorpSetup | undefined;
afterEach(async () => {
  await setup?.close();
  setup = undefined;
});

describe('corp access token', () => {
  it('cold instances sharing a store make one gettoken call', async () => {
    setup = await corpSetup();
    const instances = Array.from({ length: 10 }, () => setup!.another());
    const results = await Promise.all(instances.map((c) => c.tags.list()));
    expect(results).toHaveLength(10);
    expect(setup.fake.tokenFetches()).toBe(1);
    expect(setup.fake.requests('externalcontact/get_corp_tag_list').every((r) => r.outcome.errcode === 0)).toBe(true);
  });

  it('is stored under the corpid and a hash of the secret, and every app of a corp has its own', async () => {
    const second = 'S2'.repeat(20);
    setup = await corpSetup({ secrets: ['S1'.repeat(20), second] });
    await setup.corp.tags.list();
    await setup.another({ secret: second }).tags.list();
    expect(setup.fake.tokenFetches()).toBe(2);
    const [t1, t2] = setup.fake.issuedTokens();
    expect(t1).not.toBe(t2);
    const stored = await setup.store.get(`corp:token:${setup.fake.corpId}:${secretHash(setup.fake.secret)}`);
    expect(stored).toContain(t1);
    expect(stored).not.toContain(setup.fake.secret);
    expect(secretHash(second)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is refreshed before it expires, not asked again while WeCom repeats it, and never used expired', async () => {
    let t = 1_700_000_000_000;
    const now = () => t;
    // 10 minutes of life: the refresh falls due at 5 minutes (half the lifetime, the margin being 5 minutes).
    setup = await corpSetup({ now, tokenLifetimeS: 600 }, { clock: { now } });
    await setup.corp.tags.list();
    const [first] = setup.fake.issuedTokens();
    t += 301_000;
    await setup.corp.tags.list(); // due: asks, and WeCom answers the same token with 299 s left
    expect(setup.fake.tokenFetches()).toBe(2);
    expect(setup.fake.issuedTokens()).toEqual([first]);
    t += 200_000;
    await setup.corp.tags.list(); // the repeated token is kept until it expires
    expect(setup.fake.tokenFetches()).toBe(2);
    t += 100_000; // past the expiry
    await setup.corp.tags.list();
    expect(setup.fake.tokenFetches()).toBe(3);
    expect(setup.fake.issuedTokens()).toHaveLength(2);
    expect(setup.fake.stats().errcodes).toEqual({});
  });

  it('an early refresh that fails keeps the valid token and is tried again later, not on every call', async () => {
    let t = 1_700_000_000_000;
    const now = () => t;
    setup = await corpSetup({ now, tokenLifetimeS: 600 }, { clock: { now } });
    await setup.corp.tags.list();
    t += 301_000;
    setup.fake.failNext('http500', 100, { endpoint: 'gettoken' });
    for (let i = 0; i < 5; i++) await setup.corp.tags.list();
    expect(setup.fake.requests('gettoken')).toHaveLength(2); // the first fetch and one failed early refresh
    t += 31_000;
    await setup.corp.tags.list();
    expect(setup.fake.requests('gettoken')).toHaveLength(3);
    expect(setup.fake.requests('externalcontact/get_corp_tag_list').every((r) => r.outcome.errcode === 0)).toBe(true);
    expect(setup.logs.text()).toContain('early access-token refresh failed');
  });

  it('an invalidated token seen by 20 instances is refreshed once', async () => {
    setup = await corpSetup();
    const instances = Array.from({ length: 20 }, () => setup!.another());
    await Promise.all(instances.map((c) => c.tags.list()));
    expect(setup.fake.tokenFetches()).toBe(1);
    setup.fake.invalidateTokens();
    await Promise.all(instances.map((c) => c.tags.list()));
    expect(setup.fake.tokenFetches()).toBe(2);
    expect(setup.fake.stats().errcodes[40014]).toBe(20);
    const [, fresh] = setup.fake.issuedTokens();
    const last = setup.fake.requests('externalcontact/get_corp_tag_list').slice(-20);
    expect(last.every((r) => r.query.access_token === fresh && r.outcome.errcode === 0)).toBe(true);
  });

  it('an instance that meets the refusal after another one refreshed uses the new token', async () => {
    setup = await corpSetup();
    const [a, b] = [setup.another(), setup.another()];
    await Promise.all([a.tags.list(), b.tags.list()]);
    setup.fake.invalidateTokens();
    await a.tags.list();
    await b.tags.list(); // b still holds the old token: 40014, then the stored new one, no gettoken
    expect(setup.fake.tokenFetches()).toBe(2);
    expect(setup.fake.stats().errcodes[40014]).toBe(2);
  });

  it('42001 refreshes and repeats the call once, even when WeCom hands back the same token', async () => {
    setup = await corpSetup();
    await setup.corp.tags.list();
    setup.fake.failNext(42001);
    await expect(setup.corp.tags.list()).resolves.toEqual([]);
    expect(setup.fake.tokenFetches()).toBe(2);
    expect(setup.fake.requests('externalcontact/get_corp_tag_list')).toHaveLength(3);
  });

  it('a token refused again after the refresh fails the call instead of looping', async () => {
    setup = await corpSetup();
    await setup.corp.tags.list();
    setup.fake.failNext(40014, 5);
    const err = await setup.corp.tags.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorpApiError);
    expect(err).toMatchObject({ code: 'wecom_invalid_access_token', errcode: 40014, api: 'externalcontact/get_corp_tag_list' });
    expect(setup.fake.requests('externalcontact/get_corp_tag_list')).toHaveLength(3); // the warm-up, the refused call, its one repeat
    expect(setup.fake.tokenFetches()).toBe(2);
  });

  it('a refused gettoken (wrong secret) is asked once, not by every instance, and names the variable to fix', async () => {
    setup = await corpSetup();
    const wrong = Array.from({ length: 10 }, () => setup!.another({ secret: 'wrong-secret-' + 'x'.repeat(30) }));
    const errors = await Promise.all(wrong.map((c) => c.tags.list().catch((e: unknown) => e)));
    expect(setup.fake.requests('gettoken')).toHaveLength(1);
    for (const err of errors) {
      expect(err).toMatchObject({ code: 'wecom_invalid_credential', errcode: 40001, api: 'gettoken' });
      expect((err as CorpApiError).hint).toContain('WECOM_CORP_SECRET');
      expect(errorText(err)).not.toContain('wrong-secret-');
    }
  });

  it('retries a transient gettoken failure', async () => {
    setup = await corpSetup();
    setup.fake.failNext(-1, 1, { endpoint: 'gettoken' });
    setup.fake.failNext('http500', 1, { endpoint: 'gettoken' });
    await expect(setup.corp.tags.list()).resolves.toEqual([]);
    expect(setup.fake.requests('gettoken')).toHaveLength(3);
  });

  it('never shows the token or the secret in logs or errors, even when WeCom echoes them', async () => {
    setup = await corpSetup();
    const { fake, corp, logs } = setup;
    await corp.tags.list();
    fake.invalidateTokens();
    fake.failNext(-1, 1, { errmsg: (r) => `system busy, request ${r.query.access_token}` });
    fake.failNext('drop');
    await corp.tags.list(); // 40014 → refresh (logged), then -1 and a dropped connection → retries (logged)
    fake.failNext(40058, 1, { errmsg: (r) => `invalid Request Parameter, url /cgi-bin/x?access_token=${r.query.access_token}` });
    const echoed = await corp.tags.list().catch((e: unknown) => e);
    fake.failNext(60020);
    const untrusted = await corp.tags.list().catch((e: unknown) => e);
    const unreachable = await setup
      .another({ baseUrl: 'http://127.0.0.1:1', retry: { retries: 0 } })
      .tags.list()
      .catch((e: unknown) => e);
    const other = setup.another({ secret: 'another-app-secret-' + 'y'.repeat(24) });
    fake.failNext(40001, 1, { endpoint: 'gettoken', errmsg: (r) => `invalid credential ${r.query.corpsecret}` });
    const refused = await other.tags.list().catch((e: unknown) => e);

    expect(echoed).toMatchObject({ code: 'wecom_invalid_parameter' });
    expect(untrusted).toMatchObject({ code: 'wecom_untrusted_ip' });
    expect(unreachable).toMatchObject({ code: 'corp_network', maybeSent: false });
    expect(refused).toMatchObject({ code: 'wecom_invalid_credential' });
    expect(logs.lines.length).toBeGreaterThan(3);
    const everything = [logs.text(), ...[echoed, untrusted, unreachable, refused].map(errorText)].join('\n');
    expect(fake.issuedTokens().length).toBeGreaterThan(1);
    for (const token of fake.issuedTokens()) expect(everything).not.toContain(token);
    expect(everything).not.toContain(fake.secret);
    expect(everything).not.toContain('another-app-secret-');
    expect(everything).toContain('access token refused');
    expect(everything).toContain('***');
  });

  it('keeps logging quiet about the token on the happy path', async () => {
    const logs = captureLogs();
    setup = await corpSetup({}, { logger: logs.logger });
    await setup.corp.tags.list();
    expect(logs.lines).toHaveLength(1);
    expect(JSON.parse(logs.lines[0]!)).toMatchObject({
      level: 'info',
      corpId: setup.fake.corpId,
      expiresIn: 7200,
      msg: 'fetched a corp access token',
    });
  });
});
