import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeCorp, type FakeCorp } from '../../src/testing/index.js';

let fake: FakeCorp | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function call(f: FakeCorp, path: string, init: { method?: 'GET' | 'POST'; json?: unknown } = {}) {
  const res = await request(`${f.baseUrl}/cgi-bin/${path}`, {
    method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
    headers: init.json === undefined ? {} : { 'content-type': 'application/json' },
  });
  const text = await res.body.text();
  return { status: res.statusCode, json: res.statusCode === 200 ? (JSON.parse(text) as Record<string, unknown>) : undefined };
}

const token = async (f: FakeCorp, secret = f.secret) =>
  (await call(f, `gettoken?corpid=${f.corpId}&corpsecret=${encodeURIComponent(secret)}`)).json!;

describe('the fake corp API on its own', () => {
  it('gettoken: the same token while valid with the seconds left, a new one after expiry or invalidation', async () => {
    let t = 1_700_000_000_000;
    fake = await startFakeCorp({ now: () => t, tokenLifetimeS: 7200 });
    const first = await token(fake);
    expect(first).toMatchObject({ errcode: 0, errmsg: 'ok', expires_in: 7200 });
    t += 1000_000;
    const again = await token(fake);
    expect(again).toMatchObject({ access_token: first.access_token, expires_in: 6200 });
    t += 6200_000;
    const expired = await call(fake, `externalcontact/get_corp_tag_list?access_token=${first.access_token}`, { json: {} });
    expect(expired.json?.errcode).toBe(42001);
    const renewed = await token(fake);
    expect(renewed.access_token).not.toBe(first.access_token);
    fake.invalidateTokens();
    expect((await call(fake, `externalcontact/get_corp_tag_list?access_token=${renewed.access_token}`, { json: {} })).json?.errcode).toBe(
      40014,
    );
    expect(fake.tokenFetches()).toBe(3);
    expect(fake.issuedTokens()).toHaveLength(2);
  });

  it('gettoken refuses a wrong corpid (40013), a wrong secret (40001) and a missing one (41004)', async () => {
    fake = await startFakeCorp();
    expect((await call(fake, `gettoken?corpid=wwOther&corpsecret=${fake.secret}`)).json?.errcode).toBe(40013);
    expect((await token(fake, 'nope')).errcode).toBe(40001);
    expect((await call(fake, `gettoken?corpid=${fake.corpId}`)).json?.errcode).toBe(41004);
    expect(fake.tokenFetches()).toBe(0);
  });

  it('every API needs a token (41001), the right method (40058) and a known path (404)', async () => {
    fake = await startFakeCorp();
    const { access_token } = await token(fake);
    expect((await call(fake, 'externalcontact/get_corp_tag_list', { json: {} })).json?.errcode).toBe(41001);
    expect((await call(fake, `externalcontact/get_corp_tag_list?access_token=${access_token}`, { method: 'GET' })).json?.errcode).toBe(
      40058,
    );
    expect((await call(fake, `externalcontact/nope?access_token=${access_token}`, { json: {} })).status).toBe(404);
    const bad = await call(fake, `externalcontact/add_corp_tag?access_token=${access_token}`, {
      json: { group_name: 'g', tag: [{ name: 'x'.repeat(31) }] },
    });
    expect(bad.json).toMatchObject({ errcode: 40058 });
    expect(String(bad.json?.errmsg)).toContain('tag[0].name exceed max length 30');
  });

  it('a WelcomeCode: once within its lifetime, then 41051; expired or unknown 41050', async () => {
    let t = 1_700_000_000_000;
    fake = await startFakeCorp({ now: () => t });
    const { access_token } = await token(fake);
    const send = (code: string) =>
      call(fake!, `externalcontact/send_welcome_msg?access_token=${access_token}`, {
        json: { welcome_code: code, text: { content: 'hi' } },
      });
    const code = fake.issueWelcomeCode({ userid: 'zhangsan', externalUserId: 'wmA' });
    t += 19_999;
    expect((await send(code)).json?.errcode).toBe(0);
    expect((await send(code)).json?.errcode).toBe(41051);
    const late = fake.issueWelcomeCode({ userid: 'zhangsan', externalUserId: 'wmB' });
    t += 20_000;
    expect((await send(late)).json?.errcode).toBe(41050);
    expect((await send('WELCOMEUNKNOWN')).json?.errcode).toBe(41050);
    expect(fake.welcomes().map((w) => [w.externalUserId, w.welcomeCode])).toEqual([['wmA', code]]);
    expect(fake.state.customers.get('wmA')?.follow.has('zhangsan')).toBe(true);
  });

  it('failure injection: per endpoint, with slowness, drops and 5xx; reset forgets records', async () => {
    fake = await startFakeCorp();
    const { access_token } = await token(fake);
    fake.failNext(45033, 1, { endpoint: 'externalcontact/get_corp_tag_list' });
    fake.failNext('http500');
    const path = `externalcontact/get_corp_tag_list?access_token=${access_token}`;
    expect((await call(fake, path, { json: {} })).json?.errcode).toBe(45033);
    expect((await call(fake, path, { json: {} })).status).toBe(500);
    expect((await call(fake, path, { json: {} })).json?.errcode).toBe(0);
    fake.failNext('drop');
    await expect(call(fake, path, { json: {} })).rejects.toThrow();
    expect(fake.received.map((r) => r.outcome.injected ?? null)).toEqual([null, 45033, 'http500', null, 'drop']);
    expect(fake.stats()).toMatchObject({ requests: 5, tokensIssued: 1, errcodes: { 45033: 1 } });
    fake.reset();
    expect(fake.received).toEqual([]);
  });
});
