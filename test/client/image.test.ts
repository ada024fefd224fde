import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebhookClient, detectImageFormat, loadSharp } from '../../src/client/index.js';
import { startFakeWecom, type FakeWecom } from '../../src/testing/fake-wecom/index.js';

const sharp = await loadSharp();

async function noiseImage(width: number, height: number, format: 'png' | 'webp'): Promise<Buffer> {
  if (!sharp) throw new Error('sharp is required to make the fixture');
  const raw = randomBytes(width * height * 3); // noise does not compress
  const { default: real } = (await import('sharp')) as {
    default: (b: Buffer, o: unknown) => { png(): { toBuffer(): Promise<Buffer> }; webp(): { toBuffer(): Promise<Buffer> } };
  };
  const img = real(raw, { raw: { width, height, channels: 3 } });
  return format === 'png' ? img.png().toBuffer() : img.webp().toBuffer();
}

describe('images: re-encoded to fit with sharp, a clear error without it', () => {
  let fake: FakeWecom;
  beforeAll(async () => {
    fake = await startFakeWecom({ limit: 1000 });
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it.skipIf(!sharp)('scales a PNG over 2 MB down to a JPEG that fits', async () => {
    const big = await noiseImage(1400, 1400, 'png');
    expect(big.length).toBeGreaterThan(2 * 1024 * 1024);
    const client = new WebhookClient({ baseUrl: fake.baseUrl, proxy: false });
    try {
      expect((await client.image(fake.url, big)).ok).toBe(true);
      const image = (fake.accepted()[0]?.body as { image: { base64: string; md5: string } }).image;
      const bytes = Buffer.from(image.base64, 'base64');
      expect(bytes.length).toBeLessThanOrEqual(2 * 1024 * 1024);
      expect(detectImageFormat(bytes)).toBe('jpeg');
      expect(image.md5).toBe(createHash('md5').update(bytes).digest('hex'));
    } finally {
      await client.close();
    }
  });

  it.skipIf(!sharp)('re-encodes a WebP (not accepted by WeCom) as JPEG', async () => {
    const webp = await noiseImage(64, 64, 'webp');
    expect(detectImageFormat(webp)).toBe('webp');
    const client = new WebhookClient({ baseUrl: fake.baseUrl, proxy: false });
    try {
      expect((await client.image(fake.url, webp)).ok).toBe(true);
      const bytes = Buffer.from((fake.accepted()[0]?.body as { image: { base64: string } }).image.base64, 'base64');
      expect(detectImageFormat(bytes)).toBe('jpeg');
    } finally {
      await client.close();
    }
  });

  it('without the image library: a clear error naming the fix, nothing sent', async () => {
    const client = new WebhookClient({ baseUrl: fake.baseUrl, proxy: false, imageLibrary: async () => undefined });
    try {
      const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
      const err = await client.image(fake.url, gif).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'image_needs_sharp' });
      expect((err as Error).message).toMatch(/GIF/);
      expect((err as { hint: string }).hint).toMatch(/npm install sharp/);
      expect(fake.received).toHaveLength(0);
    } finally {
      await client.close();
    }
  });
});
