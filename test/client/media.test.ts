import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebhookClient } from '../../src/client/index.js';
import { openStore } from '../../src/store/index.js';
import { startFakeWecom, type FakeWecom } from '../../src/testing/fake-wecom/index.js';
import { AMR } from './helpers.js';

describe('media upload and the per-robot media_id cache', () => {
  let fake: FakeWecom;
  beforeAll(async () => {
    fake = await startFakeWecom({ limit: 1000 });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  const uploads = () => fake.received.filter((r) => r.endpoint === 'upload_media');
  const opts = () => ({ baseUrl: fake.baseUrl, proxy: false as const, rateLimit: { limit: 1000 } });

  it('uploads once per robot and content; another robot uploads its own', async () => {
    const client = new WebhookClient(opts());
    const data = Buffer.from('quarterly numbers, do not share');
    const other = fake.newKey();
    try {
      await client.file(fake.url, data, { filename: 'q3.csv' });
      await client.file(fake.url, data, { filename: 'q3.csv' });
      expect(uploads()).toHaveLength(1);
      await client.file(fake.url, data, { filename: 'q3-final.csv' }); // another displayed name: another upload
      expect(uploads()).toHaveLength(2);
      const r = await client.file([fake.url, fake.webhookUrl(other)], data, { filename: 'q3.csv' });
      expect(r.ok).toBe(true);
      expect(uploads()).toHaveLength(3);
      expect(uploads().at(-1)?.key).toBe(other);
      const direct = await client.uploadMedia(fake.url, data, { type: 'file', filename: 'q3.csv' });
      expect(direct.cached).toBe(true);
      expect(direct.expiresAt - direct.createdAt).toBe(3 * 24 * 3600 * 1000);
    } finally {
      await client.close();
    }
  });

  it('does not use a cached media_id near its 3-day expiry', async () => {
    let now = Date.now();
    const client = new WebhookClient({ ...opts(), now: () => now });
    try {
      const first = await client.uploadMedia(fake.url, AMR, { type: 'voice', filename: 'v.amr' });
      expect(first.cached).toBe(false);
      now += 3 * 24 * 3600 * 1000 - 2 * 3600 * 1000; // 2 h before expiry: still used
      expect((await client.uploadMedia(fake.url, AMR, { type: 'voice', filename: 'v.amr' })).mediaId).toBe(first.mediaId);
      now += 90 * 60 * 1000; // 30 min before expiry: uploaded again
      const again = await client.uploadMedia(fake.url, AMR, { type: 'voice', filename: 'v.amr' });
      expect(again.cached).toBe(false);
      expect(again.mediaId).not.toBe(first.mediaId);
      expect(uploads()).toHaveLength(2);
    } finally {
      await client.close();
    }
  });

  it('keeps the cache in the store, shared by clients', async () => {
    const store = await openStore({ databaseUrl: 'memory:' });
    const a = new WebhookClient({ ...opts(), store, outbox: false });
    const b = new WebhookClient({ ...opts(), store, outbox: false });
    try {
      const m1 = await a.uploadMedia(fake.url, Buffer.from('shared file'), { type: 'file', filename: 's.txt' });
      const m2 = await b.uploadMedia(fake.url, Buffer.from('shared file'), { type: 'file', filename: 's.txt' });
      expect(m2).toMatchObject({ mediaId: m1.mediaId, cached: true });
      expect(uploads()).toHaveLength(1);
    } finally {
      await a.close();
      await b.close();
      await store.close();
    }
  });

  it('refuses what WeCom would refuse before uploading', async () => {
    const client = new WebhookClient(opts());
    try {
      await expect(client.voice(fake.url, Buffer.from('ID3 mp3 data here'), { filename: 'a.mp3' })).rejects.toMatchObject({
        code: 'media_not_amr',
      });
      await expect(client.file(fake.url, Buffer.from('12345'))).rejects.toMatchObject({ code: 'media_too_small' });
      await expect(client.file(fake.url, Buffer.alloc(20 * 1024 * 1024 + 1))).rejects.toMatchObject({ code: 'media_too_large' });
      await expect(client.voice(fake.url, Buffer.concat([AMR, Buffer.alloc(2 * 1024 * 1024)]))).rejects.toMatchObject({
        code: 'media_too_large',
      });
      await expect(client.file(fake.url, '/nonexistent/file.txt')).rejects.toMatchObject({ code: 'media_read' });
      expect(fake.received).toHaveLength(0);
    } finally {
      await client.close();
    }
  });

  it('retries a transient upload failure; a permanent one fails the target', async () => {
    const client = new WebhookClient({ ...opts(), retry: { baseDelayMs: 5 } });
    try {
      fake.failNext(-1, 1, { endpoint: 'upload_media' });
      expect((await client.file(fake.url, Buffer.from('retry upload'), { filename: 'r.txt' })).ok).toBe(true);
      expect(uploads()).toHaveLength(2);
      fake.failNext(45001, 1, { endpoint: 'upload_media' });
      const r = await client.file(fake.url, Buffer.from('too large says wecom'), { filename: 'big.txt' });
      expect(r.results[0]).toMatchObject({ ok: false, status: 'failed', errcode: 45001 });
      expect(fake.accepted()).toHaveLength(1);
    } finally {
      await client.close();
    }
  });
});
