import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeWecom, type FakeWecom } from '../../src/testing/fake-wecom/index.js';

// A 1x1 PNG, generated for these tests.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

async function post(url: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: res.status === 200 ? (JSON.parse(text) as Record<string, unknown>) : { text } };
}

async function upload(fake: FakeWecom, type: string, data: Buffer, filename = 'a.txt', key = fake.key) {
  const form = new FormData();
  form.append('media', new Blob([data], { type: 'application/octet-stream' }), filename);
  const res = await fetch(`${fake.baseUrl}/cgi-bin/webhook/upload_media?key=${key}&type=${type}`, { method: 'POST', body: form });
  return (await res.json()) as Record<string, unknown>;
}

describe('fake WeCom server', () => {
  let fake: FakeWecom;
  beforeEach(async () => {
    fake = await startFakeWecom({ windowMs: 1000, limit: 3 });
  });
  afterEach(async () => {
    await fake.close();
  });

  it('accepts a valid text message and records it with key and time', async () => {
    const before = Date.now();
    const r = await post(fake.url, { msgtype: 'text', text: { content: 'hello', mentioned_list: ['@all'] } });
    expect(r.json).toEqual({ errcode: 0, errmsg: 'ok' });
    expect(fake.received).toHaveLength(1);
    const [entry] = fake.received;
    expect(entry?.key).toBe(fake.key);
    expect(entry?.endpoint).toBe('send');
    expect(entry?.at).toBeGreaterThanOrEqual(before);
    expect(entry?.body).toEqual({ msgtype: 'text', text: { content: 'hello', mentioned_list: ['@all'] } });
    expect(fake.accepted(fake.key)).toHaveLength(1);
  });

  it('answers the documented errcodes for invalid bodies', async () => {
    const cases: [unknown, number][] = [
      [{ msgtype: 'video', video: {} }, 40008],
      [{ text: { content: 'x' } }, 40008],
      [{ msgtype: 'text', text: { content: '' } }, 44004],
      [{ msgtype: 'text', text: { content: 'é'.repeat(1025) } }, 40058],
      [{ msgtype: 'markdown', markdown: { content: 'a'.repeat(4097) } }, 40058],
      [{ msgtype: 'markdown_v2', markdown_v2: { content: 'a'.repeat(4097) } }, 40058],
      [{ msgtype: 'news', news: { articles: [] } }, 40058],
      [{ msgtype: 'news', news: { articles: Array.from({ length: 9 }, () => ({ title: 't', url: 'https://e.x' })) } }, 45008],
      [{ msgtype: 'image', image: { base64: PNG.toString('base64'), md5: '0'.repeat(32) } }, 40058],
      [{ msgtype: 'file', file: { media_id: 'nope' } }, 40007],
      [{ msgtype: 'template_card', template_card: { card_type: 'text_notice', main_title: { title: 't' } } }, 40058],
      [{ msgtype: 'template_card', template_card: { card_type: 'news_notice', card_action: { type: 1, url: 'https://e.x' } } }, 42044],
    ];
    for (const [body, code] of cases) {
      const r = await post(fake.url, body);
      expect(r.json.errcode, JSON.stringify(body).slice(0, 80)).toBe(code);
    }
    const text = (await post(fake.url, { msgtype: 'markdown', markdown: { content: 'a'.repeat(4097) } })).json.errmsg;
    expect(text).toMatch(/^markdown\.content exceed max length 4096\. invalid Request Parameter, hint: \[.+\], from ip: /);
    expect(fake.accepted()).toHaveLength(0);
  });

  it('accepts an image with a matching md5 and the other documented types', async () => {
    const md5 = createHash('md5').update(PNG).digest('hex');
    const bodies = [
      { msgtype: 'image', image: { base64: PNG.toString('base64'), md5 } },
      { msgtype: 'news', news: { articles: [{ title: 't', url: 'https://e.x', picurl: 'https://e.x/p.png' }] } },
      {
        msgtype: 'template_card',
        template_card: { card_type: 'text_notice', main_title: { title: 't' }, card_action: { type: 1, url: 'https://e.x' } },
      },
    ];
    for (const b of bodies) expect((await post(fake.webhookUrl(fake.newKey()), b)).json.errcode).toBe(0);
  });

  it('rejects keys that are not valid with 93000', async () => {
    expect((await post(fake.webhookUrl('not-a-key'), { msgtype: 'text', text: { content: 'x' } })).json.errcode).toBe(93000);
    const strict = await startFakeWecom({ validKeys: ['k1'] });
    try {
      expect((await post(strict.webhookUrl('k1'), { msgtype: 'text', text: { content: 'x' } })).json.errcode).toBe(0);
      expect((await post(strict.webhookUrl(fake.newKey()), { msgtype: 'text', text: { content: 'x' } })).json.errcode).toBe(93000);
    } finally {
      await strict.close();
    }
  });

  it('limits each key to `limit` messages per sliding window with 45009, keys independent', async () => {
    const msg = { msgtype: 'text', text: { content: 'x' } };
    const codes = [];
    for (let i = 0; i < 5; i++) codes.push((await post(fake.url, msg)).json.errcode);
    expect(codes).toEqual([0, 0, 0, 45009, 45009]);
    expect((await post(fake.webhookUrl(fake.newKey()), msg)).json.errcode).toBe(0);
    const limited = fake.received.find((r) => r.outcome.errcode === 45009);
    expect(limited?.outcome.errmsg).toMatch(/^api freq out of limit, hint: \[/);
    expect(fake.stats().rateLimited).toBe(2);
    expect(fake.stats().errcodes[45009]).toBe(2);
    // The window slides: after it passes, the key may send again.
    await new Promise((r) => setTimeout(r, 1050));
    expect((await post(fake.url, msg)).json.errcode).toBe(0);
  });

  it('uploads files and voice (AMR), returns media_id and a string created_at, enforces limits', async () => {
    const file = await upload(fake, 'file', Buffer.from('hello world'), 'report.txt');
    expect(file.errcode).toBe(0);
    expect(typeof file.media_id).toBe('string');
    expect(file.created_at).toMatch(/^\d{10}$/);
    expect(fake.received.at(-1)?.upload).toMatchObject({ filename: 'report.txt', size: 11, type: 'file' });
    expect((await post(fake.url, { msgtype: 'file', file: { media_id: file.media_id } })).json.errcode).toBe(0);
    // a media_id works only for the robot that uploaded it
    expect((await post(fake.webhookUrl(fake.newKey()), { msgtype: 'file', file: { media_id: file.media_id } })).json.errcode).toBe(40007);

    expect((await upload(fake, 'file', Buffer.from('12345'))).errcode).toBe(40006);
    expect((await upload(fake, 'image', Buffer.from('123456'))).errcode).toBe(40004);
    expect((await upload(fake, 'voice', Buffer.from('not amr at all'))).errcode).toBe(301017);
    expect((await upload(fake, 'voice', Buffer.alloc(2 * 1024 * 1024 + 1, 1))).errcode).toBe(45001);
    expect((await upload(fake, 'file', Buffer.alloc(20 * 1024 * 1024 + 1, 1))).errcode).toBe(45001);
    const voice = await upload(fake, 'voice', Buffer.concat([Buffer.from('#!AMR\n'), Buffer.alloc(100)]), 'v.amr');
    expect(voice.errcode).toBe(0);
    expect((await post(fake.url, { msgtype: 'voice', voice: { media_id: voice.media_id } })).json.errcode).toBe(0);
  });

  it('injects errcodes, HTTP 500, dropped connections and slow answers', async () => {
    const msg = { msgtype: 'text', text: { content: 'x' } };
    fake.failNext(-1);
    fake.failNext(45033);
    expect((await post(fake.url, msg)).json.errcode).toBe(-1);
    expect((await post(fake.url, msg)).json.errcode).toBe(45033);
    fake.failNext('http500');
    expect((await post(fake.url, msg)).status).toBe(500);
    fake.failNext('drop');
    await expect(post(fake.url, msg)).rejects.toThrow();
    fake.failNext('drop-after-accept');
    await expect(post(fake.url, msg)).rejects.toThrow();
    expect(fake.accepted()).toHaveLength(1);
    fake.failNext(45009, 1, { key: 'other' });
    expect((await post(fake.url, msg)).json.errcode).toBe(0);
    fake.failNext('slow', 1, { delayMs: 300 });
    const t0 = Date.now();
    expect((await post(fake.url, msg)).json.errcode).toBe(0); // third accepted in the window
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    const s = fake.stats();
    expect(s.http500).toBe(1);
    expect(s.dropped).toBe(2);
    expect(s.errcodes[-1]).toBe(1);
    expect(s.errcodes[45033]).toBe(1);
    expect(fake.received.map((r) => r.outcome.injected ?? null)).toEqual([-1, 45033, 'http500', 'drop', 'drop-after-accept', null, 'slow']);
  });

  it('does not process a slow request the client abandoned', async () => {
    fake.failNext('slow', 1, { delayMs: 400 });
    await expect(
      fetch(fake.url, {
        method: 'POST',
        body: JSON.stringify({ msgtype: 'text', text: { content: 'x' } }),
        signal: AbortSignal.timeout(100),
      }),
    ).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 500));
    expect(fake.received[0]?.outcome.abandoned).toBe(true);
    expect(fake.accepted()).toHaveLength(0);
  });

  it('serves single-use get_chat_info codes and aibot response codes', async () => {
    const url = fake.registerChatInfo('C1', { chatid: 'wrCHAT', chattype: 'group', name: 'ops', members: [{ userid: 'u1' }] });
    const first = (await (await fetch(url)).json()) as Record<string, unknown>;
    expect(first).toMatchObject({ errcode: 0, chatid: 'wrCHAT', chattype: 'group', name: 'ops' });
    expect(((await (await fetch(url)).json()) as Record<string, unknown>).errcode).toBe(40029);

    const responseUrl = fake.registerResponseCode('R1');
    expect((await post(responseUrl, { msgtype: 'markdown', markdown: { content: 'a'.repeat(20481) } })).json.errcode).toBe(40058);
    expect((await post(responseUrl, { msgtype: 'markdown', markdown: { content: 'done' } })).json.errcode).toBe(0);
    expect((await post(responseUrl, { msgtype: 'markdown', markdown: { content: 'again' } })).json.errcode).toBe(40029);
    expect(fake.received.filter((r) => r.endpoint === 'aibot_response')).toHaveLength(3);
  });
});

describe('fake WeCom validation beyond the wire checks', () => {
  it('applies the protocol validators (e.g. template card rules) as 40058, but truncates news titles like WeCom', async () => {
    const fake = await startFakeWecom();
    try {
      const card = { card_type: 'text_notice', main_title: { title: 't' }, card_action: { type: 1 } }; // url missing for type 1
      const r = await post(fake.url, { msgtype: 'template_card', template_card: card });
      expect(r.json.errcode).toBe(40058);
      const longTitle = { msgtype: 'news', news: { articles: [{ title: 'x'.repeat(300), url: 'https://e.x' }] } };
      expect((await post(fake.url, longTitle)).json.errcode).toBe(0);
    } finally {
      await fake.close();
    }
  });
});
