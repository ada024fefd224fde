import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebhookClient } from '../../src/client/index.js';
import { startFakeWecom, type FakeWecom } from '../../src/testing/fake-wecom/index.js';
import { AMR, PNG_1PX, serveBytes } from './helpers.js';

describe('WebhookClient sends every message type over real HTTP', () => {
  let fake: FakeWecom;
  let client: WebhookClient;
  let dir: string;
  beforeAll(async () => {
    fake = await startFakeWecom({ limit: 1000 });
    client = new WebhookClient({ baseUrl: fake.baseUrl, proxy: false, rateLimit: { limit: 1000 } });
    dir = await mkdtemp(join(tmpdir(), 'wecombot-client-'));
  });
  afterAll(async () => {
    await client.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  const lastBody = () => fake.accepted().at(-1)?.body as Record<string, unknown>;

  it('text with mentions, by URL and by bare key', async () => {
    const r = await client.text(fake.url, 'build #42 failed', { mentions: ['alice', '@all'], mentionMobiles: ['13800000000'] });
    expect(r.ok).toBe(true);
    expect(r.results[0]).toMatchObject({ ok: true, status: 'delivered', parts: 1, delivered: 1, attempts: 1 });
    expect(lastBody()).toEqual({
      msgtype: 'text',
      text: { content: 'build #42 failed', mentioned_list: ['alice', '@all'], mentioned_mobile_list: ['13800000000'] },
    });
    expect((await client.text(fake.key, 'by key')).ok).toBe(true);
    expect(fake.accepted(fake.key)).toHaveLength(2);
  });

  it('markdown with appended <@userid> tags, and markdown_v2', async () => {
    expect((await client.markdown(fake.url, '**done**', { mentions: ['bob'] })).ok).toBe(true);
    expect(lastBody()).toEqual({ msgtype: 'markdown', markdown: { content: '**done**\n<@bob>' } });
    expect((await client.markdownV2(fake.url, '| a | b |\n|---|---|\n| 1 | 2 |')).ok).toBe(true);
    expect(lastBody()).toEqual({ msgtype: 'markdown_v2', markdown_v2: { content: '| a | b |\n|---|---|\n| 1 | 2 |' } });
  });

  it('image from a Buffer, a path and a URL with md5 of the raw bytes', async () => {
    const path = join(dir, 'one.png');
    await writeFile(path, PNG_1PX);
    const served = await serveBytes(PNG_1PX);
    try {
      for (const source of [PNG_1PX, path, served.url, new URL(served.url)]) {
        expect((await client.image(fake.url, source)).ok).toBe(true);
        const image = lastBody().image as { base64: string; md5: string };
        expect(Buffer.from(image.base64, 'base64').equals(PNG_1PX)).toBe(true);
        expect(image.md5).toBe(createHash('md5').update(PNG_1PX).digest('hex'));
      }
    } finally {
      await served.close();
    }
  });

  it('news and template_card', async () => {
    expect(
      (await client.news(fake.url, [{ title: 'Release 1.2', url: 'https://example.com/r', picurl: 'https://example.com/p.png' }])).ok,
    ).toBe(true);
    expect(lastBody()).toMatchObject({ msgtype: 'news', news: { articles: [{ title: 'Release 1.2' }] } });
    const card = {
      card_type: 'text_notice' as const,
      main_title: { title: 'Alert' },
      sub_title_text: 'CPU 95%',
      card_action: { type: 1 as const, url: 'https://example.com' },
    };
    expect((await client.templateCard(fake.url, card)).ok).toBe(true);
    expect(lastBody()).toEqual({ msgtype: 'template_card', template_card: card });
  });

  it('file and voice: uploaded (multipart "media" with filename), then sent by media_id', async () => {
    const path = join(dir, '周报.txt');
    await writeFile(path, 'weekly report body');
    expect((await client.file(fake.url, path)).ok).toBe(true);
    const upload = fake.received.find((r) => r.endpoint === 'upload_media');
    expect(upload?.upload).toMatchObject({ type: 'file', filename: '周报.txt', size: 18, filelength: 18 });
    expect(lastBody()).toEqual({ msgtype: 'file', file: { media_id: upload?.upload?.mediaId } });

    expect((await client.voice(fake.url, AMR, { filename: 'hello.amr' })).ok).toBe(true);
    const voiceUpload = fake.received.filter((r) => r.endpoint === 'upload_media').at(-1);
    expect(voiceUpload?.upload).toMatchObject({ type: 'voice', filename: 'hello.amr' });
    expect(lastBody()).toEqual({ msgtype: 'voice', voice: { media_id: voiceUpload?.upload?.mediaId } });
  });

  it('sends a prepared wire message and several messages in order', async () => {
    const r = await client.send(fake.url, [
      { msgtype: 'text', text: { content: 'one' } },
      { msgtype: 'markdown', markdown: { content: 'two' } },
    ]);
    expect(r.results[0]).toMatchObject({ ok: true, parts: 2, delivered: 2 });
    expect(fake.accepted().map((e) => (e.body as { msgtype: string }).msgtype)).toEqual(['text', 'markdown']);
  });

  it('splits long text and markdown into parts sent in order, mentions on the last part', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => `第${i}行：库存同步完成，共处理记录若干。`);
    const text = lines.join('\n');
    const r = await client.text(fake.url, text, { mentions: ['alice'] });
    const parts = r.results[0]?.parts ?? 0;
    expect(parts).toBeGreaterThan(1);
    const sent = fake.accepted().map((e) => (e.body as { text: { content: string; mentioned_list?: string[] } }).text);
    expect(sent).toHaveLength(parts);
    for (const t of sent) expect(Buffer.byteLength(t.content)).toBeLessThanOrEqual(2048);
    expect(sent.map((t) => t.content).join('\n')).toBe(text);
    expect(sent.slice(0, -1).every((t) => t.mentioned_list === undefined)).toBe(true);
    expect(sent.at(-1)?.mentioned_list).toEqual(['alice']);

    fake.reset();
    const md = Array.from({ length: 200 }, (_, i) => `## 第${i}节\n内容 **${i}**`).join('\n\n');
    const m = await client.markdown(fake.url, md);
    expect(m.results[0]?.parts).toBeGreaterThan(1);
    const contents = fake.accepted().map((e) => (e.body as { markdown: { content: string } }).markdown.content);
    for (const c of contents) expect(Buffer.byteLength(c)).toBeLessThanOrEqual(4096);
    expect(contents.join('\n\n')).toBe(md);
  });

  it('adds chatid from the target or the options', async () => {
    await client.text({ webhook: fake.url, chatid: 'wrCHAT1' }, 'hi');
    expect(lastBody()).toMatchObject({ chatid: 'wrCHAT1' });
    await client.text(fake.url, 'hi', { chatid: 'wrA|wrB' });
    expect(lastBody()).toMatchObject({ chatid: 'wrA|wrB' });
  });

  it('fans out to several robots with one result per target', async () => {
    const keys = [fake.newKey(), fake.newKey(), 'not-a-valid-key'];
    const r = await client.text([...keys.map((k) => fake.webhookUrl(k)), { key: keys[0] as string, chatid: 'wrX' }], 'hello all');
    expect(r.ok).toBe(false);
    expect(r.results.map((x) => x.ok)).toEqual([true, true, false, true]);
    expect(r.results[2]).toMatchObject({ status: 'failed', errcode: 93000 });
    expect(r.results[3]?.chatid).toBe('wrX');
    expect(fake.accepted(keys[0])).toHaveLength(2);
  });

  it('refuses invalid messages before sending anything', async () => {
    await expect(client.news(fake.url, [])).rejects.toMatchObject({ name: 'MessageValidationError' });
    await expect(client.send(fake.url, { msgtype: 'text', text: { content: '' } })).rejects.toThrow(/text\.content/);
    expect(fake.received).toHaveLength(0);
  });
});

describe('getChatInfo', () => {
  it('reads a single-use GetChatInfoUrl; a second use is errcode 40029', async () => {
    const fake = await startFakeWecom();
    const client = new WebhookClient({ proxy: false });
    try {
      const url = fake.registerChatInfo('CODE1', {
        chatid: 'wrOPS',
        chattype: 'group',
        name: 'ops',
        members: [{ userid: 'alice', name: 'Alice' }],
      });
      expect(await client.getChatInfo(url)).toEqual({
        chatid: 'wrOPS',
        chattype: 'group',
        name: 'ops',
        members: [{ userid: 'alice', name: 'Alice' }],
      });
      const err = await client.getChatInfo(url).catch((e: unknown) => e);
      expect(err).toMatchObject({ errcode: 40029 });
      expect(String((err as Error).message)).not.toContain('CODE1');
    } finally {
      await client.close();
      await fake.close();
    }
  });
});
