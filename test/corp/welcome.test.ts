import { Agent, buildConnector } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { CorpRequestError, type Attachment, type WelcomeMessage } from '../../src/corp/index.js';
import { corpSetup, type CorpSetup } from './helpers.js';

let setup: CorpSetup | undefined;
afterEach(async () => {
  await setup?.close();
  setup = undefined;
});

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

async function newCustomer(s: CorpSetup): Promise<string> {
  return s.fake.issueWelcomeCode({ userid: 'zhangsan', externalUserId: `wm${Math.random().toString(36).slice(2)}` });
}

const welcomeRequests = (s: CorpSetup) => s.fake.requests('externalcontact/send_welcome_msg');

describe('send_welcome_msg', () => {
  it('delivers text and attachments within the window, once', async () => {
    setup = await corpSetup();
    const { media_id } = await setup.corp.media.upload('image', PNG, { filename: 'poster.png' });
    const code = await newCustomer(setup);
    const attachments: Attachment[] = [
      { msgtype: 'image', image: { media_id } },
      { msgtype: 'link', link: { title: '新人礼包', url: 'https://example.com/gift', desc: '领取你的礼包' } },
    ];
    await setup.corp.welcome.send({ welcome_code: code, text: { content: '你好，我是你的专属顾问' }, attachments });
    const [welcome, ...more] = setup.fake.welcomes();
    expect(more).toEqual([]);
    expect(welcome).toMatchObject({
      welcomeCode: code,
      userid: 'zhangsan',
      body: { text: { content: '你好，我是你的专属顾问' }, attachments },
    });
  });

  it('after 20 seconds the code is refused with 41050 and a hint, without a retry', async () => {
    let t = 1_700_000_000_000;
    setup = await corpSetup({ now: () => t });
    await setup.corp.tags.list(); // warm token
    const code = await newCustomer(setup);
    t += 20_000;
    const err = await setup.corp.welcome.send({ welcome_code: code, text: { content: 'hi' } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'wecom_invalid_welcome_code', errcode: 41050 });
    expect((err as Error & { hint: string }).hint).toContain('20 seconds');
    expect(welcomeRequests(setup)).toHaveLength(1);
    expect(setup.fake.welcomes()).toEqual([]);
  });

  it('a used code answers 41051 (already delivered): final, never retried', async () => {
    setup = await corpSetup();
    const code = await newCustomer(setup);
    await setup.corp.welcome.send({ welcome_code: code, text: { content: 'hi' } });
    const err = await setup.corp.welcome.send({ welcome_code: code, text: { content: 'hi again' } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'wecom_welcome_already_delivered', errcode: 41051, retryable: 'no' });
    expect(welcomeRequests(setup)).toHaveLength(2);
    expect(setup.fake.welcomes()).toHaveLength(1);
  });

  it('is not repeated when the answer is lost after WeCom delivered it', async () => {
    setup = await corpSetup();
    const code = await newCustomer(setup);
    setup.fake.failNext('drop-after-accept', 1, { endpoint: 'externalcontact/send_welcome_msg' });
    const err = await setup.corp.welcome.send({ welcome_code: code, text: { content: 'hi' } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'corp_network', maybeSent: true });
    expect(welcomeRequests(setup)).toHaveLength(1);
    expect(setup.fake.welcomes()).toHaveLength(1);
  });

  it.each([
    ['HTTP 500', 'http500' as const, 'corp_http'],
    ['-1 (system busy)', -1, 'wecom_system_busy'],
    ['a timeout', 'slow' as const, 'corp_timeout'],
  ])('is not repeated after %s, which does not say whether it went out', async (_name, kind, code) => {
    setup = await corpSetup({}, { timeoutMs: 300 });
    const welcomeCode = await newCustomer(setup);
    setup.fake.failNext(kind, 5, { endpoint: 'externalcontact/send_welcome_msg', delayMs: 1000 });
    const err = await setup.corp.welcome.send({ welcome_code: welcomeCode, text: { content: 'hi' } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code });
    expect(welcomeRequests(setup)).toHaveLength(1);
  });

  it.each([
    ['41096 (another app is sending the welcome of this code)', 41096],
    ['45033 (concurrency gate)', 45033],
    ['40014 (token refused)', 40014],
  ])('is retried after %s, which says ours was not sent', async (_name, errcode) => {
    setup = await corpSetup();
    const code = await newCustomer(setup);
    setup.fake.failNext(errcode, 1, { endpoint: 'externalcontact/send_welcome_msg' });
    await setup.corp.welcome.send({ welcome_code: code, text: { content: 'hi' } });
    expect(welcomeRequests(setup).map((r) => r.outcome.errcode)).toEqual([errcode, 0]);
    expect(setup.fake.welcomes()).toHaveLength(1);
  });

  it('is retried when the connection was never made', async () => {
    let refuse = 1;
    const connect = buildConnector({});
    const dispatcher = new Agent({
      connect(options, callback) {
        if (refuse-- > 0) return callback(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), null);
        return connect(options, callback);
      },
    });
    setup = await corpSetup();
    await setup.corp.tags.list(); // the token is cached in the shared store
    const code = await newCustomer(setup);
    const instance = setup.another({ dispatcher });
    try {
      await instance.welcome.send({ welcome_code: code, text: { content: 'hi' } });
    } finally {
      await dispatcher.close();
    }
    expect(welcomeRequests(setup)).toHaveLength(1); // the refused attempt never reached the fake
    expect(setup.fake.welcomes()).toHaveLength(1);
  });

  it('a failed gettoken on the way is retried: the welcome itself was not sent yet', async () => {
    setup = await corpSetup();
    const code = await newCustomer(setup);
    setup.fake.failNext('drop', 1, { endpoint: 'gettoken' });
    await setup.corp.welcome.send({ welcome_code: code, text: { content: 'hi' } });
    expect(setup.fake.requests('gettoken')).toHaveLength(2);
    expect(setup.fake.welcomes()).toHaveLength(1);
  });

  it('starts no retry after the code has expired', async () => {
    let t = 1_700_000_000_000;
    const clock = { now: () => t, sleep: async (ms: number) => void (t += ms) };
    // Back-off of exactly 10 s (random = 1): attempts at 0 s and 10 s; the one at 20 s would be too late.
    setup = await corpSetup({ now: clock.now }, { clock, random: () => 1, retry: { retries: 5, baseDelayMs: 10_000, maxDelayMs: 10_000 } });
    const code = await newCustomer(setup);
    setup.fake.failNext(41096, 10, { endpoint: 'externalcontact/send_welcome_msg' });
    const err = await setup.corp.welcome.send({ welcome_code: code, text: { content: 'hi' } }, { receivedAt: t }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'wecom_welcome_in_progress' });
    expect(welcomeRequests(setup)).toHaveLength(2);
  });

  describe('limits, checked before anything is sent', () => {
    const base = { welcome_code: 'WELCOMECODE' };
    const link = (title: string): Attachment => ({ msgtype: 'link', link: { title, url: 'https://example.com' } });
    const cases: [string, WelcomeMessage, string][] = [
      ['no welcome_code', { welcome_code: '', text: { content: 'hi' } }, 'welcome_code'],
      ['neither text nor attachments', { ...base }, 'text'],
      ['text over 4000 bytes', { ...base, text: { content: '中'.repeat(1334) } }, 'text.content'],
      ['empty text', { ...base, text: { content: ' ' } }, 'text.content'],
      ['10 attachments', { ...base, attachments: Array.from({ length: 10 }, () => link('t')) }, 'attachments'],
      ['an empty attachment list', { ...base, attachments: [] }, 'attachments'],
      ['a link title over 128 bytes', { ...base, attachments: [link('标'.repeat(43))] }, 'attachments[0].link.title'],
      [
        'a link desc over 512 bytes',
        { ...base, attachments: [{ msgtype: 'link', link: { title: 't', url: 'https://e.com', desc: 'd'.repeat(513) } }] },
        'attachments[0].link.desc',
      ],
      [
        'a link without url',
        { ...base, attachments: [{ msgtype: 'link', link: { title: 't' } } as unknown as Attachment] },
        'attachments[0].link.url',
      ],
      [
        'a miniprogram title over 64 bytes',
        {
          ...base,
          attachments: [{ msgtype: 'miniprogram', miniprogram: { title: 'x'.repeat(65), pic_media_id: 'm', appid: 'wx1', page: '/p' } }],
        },
        'attachments[0].miniprogram.title',
      ],
      [
        'a miniprogram without appid',
        {
          ...base,
          attachments: [{ msgtype: 'miniprogram', miniprogram: { title: 't', pic_media_id: 'm', page: '/p' } } as unknown as Attachment],
        },
        'attachments[0].miniprogram.appid',
      ],
      ['an image with neither media_id nor pic_url', { ...base, attachments: [{ msgtype: 'image', image: {} }] }, 'attachments[0].image'],
      [
        'a video without media_id',
        { ...base, attachments: [{ msgtype: 'video', video: {} } as unknown as Attachment] },
        'attachments[0].video.media_id',
      ],
      [
        'a file object missing for msgtype file',
        { ...base, attachments: [{ msgtype: 'file' } as unknown as Attachment] },
        'attachments[0].file',
      ],
      [
        'an unknown msgtype',
        { ...base, attachments: [{ msgtype: 'voice', voice: { media_id: 'm' } } as unknown as Attachment] },
        'attachments[0].msgtype',
      ],
    ];
    it.each(cases)('%s', async (_name, message, field) => {
      setup ??= await corpSetup();
      const err = await setup.corp.welcome.send(message).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CorpRequestError);
      expect(err).toMatchObject({ code: 'corp_request_invalid', field });
      expect((err as Error).message.startsWith(field)).toBe(true);
      expect(setup.fake.received).toHaveLength(0);
    });

    it('allows exactly 4000 bytes and 9 attachments', async () => {
      setup = await corpSetup();
      const code = await newCustomer(setup);
      await setup.corp.welcome.send({
        welcome_code: code,
        text: { content: 'a'.repeat(3997) + '中' },
        attachments: Array.from({ length: 9 }, (_, i) => link(`t${i}`)),
      });
      expect(setup.fake.welcomes()).toHaveLength(1);
    });
  });

  describe('the fake refuses what WeCom refuses (requests that bypass the client checks)', () => {
    const raw = (s: CorpSetup, json: unknown) =>
      s.corp.call({ api: 'externalcontact/send_welcome_msg', method: 'POST', json, delivery: 'at-most-once' }).catch((e: unknown) => e);
    it.each([
      ['no welcome_code', { text: { content: 'hi' } }, 41049],
      ['10 attachments', { attachments: Array.from({ length: 10 }, () => ({ msgtype: 'link', link: { title: 't', url: 'u' } })) }, 41064],
      ['an unknown msgtype', { attachments: [{ msgtype: 'voice', voice: {} }] }, 41065],
      ['an empty attachment list', { attachments: [] }, 41088],
      ['nothing to send', {}, 44004],
      ['an unknown media_id', { attachments: [{ msgtype: 'file', file: { media_id: 'nope' } }] }, 40007],
      ['a long link title', { attachments: [{ msgtype: 'link', link: { title: 'x'.repeat(129), url: 'u' } }] }, 40058],
    ])('%s → %i', async (_name, body, errcode) => {
      setup ??= await corpSetup();
      const code = await newCustomer(setup);
      const err = await raw(setup, { welcome_code: errcode === 41049 ? undefined : code, ...body });
      expect(err).toMatchObject({ errcode });
      expect(setup.fake.welcomeCodes.check(code).ok).toBe(true); // a refused request does not use the code
    });
  });
});
