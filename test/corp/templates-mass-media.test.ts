import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CorpRequestError, type AddGroupWelcomeRequest, type MassMessageRequest } from '../../src/corp/index.js';
import { corpSetup, type CorpSetup } from './helpers.js';

let setup: CorpSetup | undefined;
afterEach(async () => {
  await setup?.close();
  setup = undefined;
});

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
const AMR = Buffer.concat([Buffer.from('#!AMR\n', 'latin1'), Buffer.alloc(64, 2)]);

const fieldOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (e instanceof CorpRequestError ? e.field : `not a request error: ${String(e)}`),
  );

describe('group-welcome templates', () => {
  it('add, get, edit, delete', async () => {
    setup = await corpSetup();
    const { corp } = setup;
    const { template_id } = await corp.groupWelcome.add({
      text: { content: '欢迎 %NICKNAME% 入群' },
      link: { title: '群规', url: 'https://example.com/rules' },
      notify: 0,
    });
    expect(template_id).toMatch(/^msg/);
    expect(await corp.groupWelcome.get(template_id)).toEqual({
      text: { content: '欢迎 %NICKNAME% 入群' },
      link: { title: '群规', url: 'https://example.com/rules' },
    });
    await corp.groupWelcome.edit({ template_id, text: { content: '欢迎新朋友' } });
    expect(await corp.groupWelcome.get(template_id)).toEqual({ text: { content: '欢迎新朋友' } });
    await corp.groupWelcome.delete(template_id);
    await expect(corp.groupWelcome.get(template_id)).rejects.toMatchObject({ errcode: 40058 });
  });

  it('another app’s template answers 41058; the 101st template 41055', async () => {
    setup = await corpSetup();
    const foreign = setup.fake.state.addForeignTemplate({ text: { content: 'hi' } });
    await expect(setup.corp.groupWelcome.delete(foreign)).rejects.toMatchObject({
      code: 'wecom_group_welcome_template_not_owned',
      errcode: 41058,
    });
    for (let i = 0; i < 99; i++) await setup.corp.groupWelcome.add({ text: { content: `t${i}` } });
    await expect(setup.corp.groupWelcome.add({ text: { content: 'one too many' } })).rejects.toMatchObject({
      code: 'wecom_group_welcome_template_limit',
      errcode: 41055,
    });
  });

  it.each<[string, AddGroupWelcomeRequest, string]>([
    ['nothing', {}, 'text'],
    ['text over 3000 bytes', { text: { content: '中'.repeat(1001) } }, 'text.content'],
    ['two non-text parts (WeCom would drop one silently)', { image: { media_id: 'm' }, file: { media_id: 'f' } }, 'file'],
    ['a link title over 128 bytes', { link: { title: 'x'.repeat(129), url: 'https://e.com' } }, 'link.title'],
    ['a miniprogram without page', { miniprogram: { title: 't', pic_media_id: 'm', appid: 'wx' } as never }, 'miniprogram.page'],
  ])('refuses %s', async (_name, request, field) => {
    setup = await corpSetup();
    expect(await fieldOf(setup.corp.groupWelcome.add(request))).toBe(field);
    expect(await fieldOf(setup.corp.groupWelcome.edit({ template_id: '', text: { content: 'x' } }))).toBe('template_id');
    expect(setup.fake.received).toHaveLength(0);
  });

  it('add is not repeated after a lost answer (it would leave a duplicate template)', async () => {
    setup = await corpSetup();
    setup.fake.failNext('drop-after-accept', 1, { endpoint: 'externalcontact/group_welcome_template/add' });
    await expect(setup.corp.groupWelcome.add({ text: { content: 'hi' } })).rejects.toMatchObject({ code: 'corp_network' });
    expect(setup.fake.state.templates.size).toBe(1);
    expect(setup.fake.requests('externalcontact/group_welcome_template/add')).toHaveLength(1);
  });
});

describe('mass messages (add_msg_template)', () => {
  it('creates a task; customers who cannot receive it come back in fail_list', async () => {
    setup = await corpSetup();
    setup.fake.state.addCustomer({ userid: 'zhangsan', external_userid: 'wmA' });
    const result = await setup.corp.massMessages.add({
      external_userid: ['wmA', 'wmStranger'],
      sender: 'zhangsan',
      text: { content: '双十一活动开始啦' },
    });
    expect(result.msgid).toMatch(/^msg/);
    expect(result.fail_list).toEqual(['wmStranger']);
    expect(setup.fake.state.massMessages).toHaveLength(1);
  });

  it('to groups needs a sender', async () => {
    setup = await corpSetup();
    setup.fake.state.addStaff('zhangsan');
    await setup.corp.massMessages.add({ chat_type: 'group', sender: 'zhangsan', chat_id_list: ['wr1'], text: { content: 'hi' } });
    expect(await fieldOf(setup.corp.massMessages.add({ chat_type: 'group', text: { content: 'hi' } }))).toBe('sender');
  });

  it.each<[string, MassMessageRequest, string]>([
    ['no recipients and no sender', { text: { content: 'hi' } }, 'external_userid'],
    [
      '10 001 customers',
      { external_userid: Array.from({ length: 10_001 }, (_, i) => `wm${i}`), text: { content: 'hi' } },
      'external_userid',
    ],
    [
      '2001 groups',
      { chat_type: 'group', sender: 's', chat_id_list: Array.from({ length: 2001 }, (_, i) => `wr${i}`), text: { content: 'hi' } },
      'chat_id_list',
    ],
    ['chat_id_list for customers', { sender: 's', chat_id_list: ['wr1'], text: { content: 'hi' } }, 'chat_id_list'],
    [
      'external_userid for groups',
      { chat_type: 'group', sender: 's', external_userid: ['wm1'], text: { content: 'hi' } },
      'external_userid',
    ],
    ['allow_select for groups', { chat_type: 'group', sender: 's', allow_select: true, text: { content: 'hi' } }, 'allow_select'],
    ['text over 4000 bytes', { sender: 's', text: { content: 'x'.repeat(4001) } }, 'text.content'],
    ['nothing to send', { sender: 's' }, 'text'],
    [
      '10 attachments',
      { sender: 's', attachments: Array.from({ length: 10 }, () => ({ msgtype: 'file' as const, file: { media_id: 'm' } })) },
      'attachments',
    ],
    [
      'an empty tag group',
      { sender: 's', tag_filter: { group_list: [{ tag_list: [] }] }, text: { content: 'hi' } },
      'tag_filter.group_list[0].tag_list',
    ],
    ['an unknown chat_type', { chat_type: 'all' as 'single', sender: 's', text: { content: 'hi' } }, 'chat_type'],
  ])('refuses %s', async (_name, request, field) => {
    setup = await corpSetup();
    expect(await fieldOf(setup.corp.massMessages.add(request))).toBe(field);
    expect(setup.fake.received).toHaveLength(0);
  });

  it('is not repeated after a 5xx (a second task would reach customers twice)', async () => {
    setup = await corpSetup();
    setup.fake.state.addStaff('zhangsan');
    setup.fake.failNext('http500', 3, { endpoint: 'externalcontact/add_msg_template' });
    await expect(setup.corp.massMessages.add({ sender: 'zhangsan', text: { content: 'hi' } })).rejects.toMatchObject({
      code: 'corp_http',
      status: 500,
    });
    expect(setup.fake.requests('externalcontact/add_msg_template')).toHaveLength(1);
  });
});

describe('media', () => {
  it('uploads images, voice, video and files; a media_id works in attachments', async () => {
    setup = await corpSetup();
    const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-corp-media-'));
    try {
      const file = path.join(dir, '价目表.pdf');
      writeFileSync(file, Buffer.alloc(100, 3));
      const image = await setup.corp.media.upload('image', PNG, { filename: 'a.png' });
      const voice = await setup.corp.media.upload('voice', AMR, { filename: 'a.amr' });
      const video = await setup.corp.media.upload('video', Buffer.alloc(100, 4), { filename: 'a.mp4' });
      const doc = await setup.corp.media.upload('file', file);
      for (const m of [image, voice, video, doc]) expect(setup.fake.state.media.has(m.media_id)).toBe(true);
      expect(doc.expiresAt - doc.createdAt).toBe(3 * 24 * 3600 * 1000);
      const upload = setup.fake.requests('media/upload').at(-1)!;
      expect(upload.query.type).toBe('file');
      const { url } = await setup.corp.media.uploadImage(PNG, { filename: 'b.png' });
      expect(url).toMatch(/^https:\/\//);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses what WeCom would, before uploading', async () => {
    setup = await corpSetup();
    const { media } = setup.corp;
    await expect(media.upload('file', Buffer.from('tiny'))).rejects.toMatchObject({ code: 'media_too_small' });
    await expect(media.upload('voice', Buffer.alloc(100))).rejects.toMatchObject({ code: 'media_not_amr' });
    await expect(media.upload('voice', Buffer.concat([AMR, Buffer.alloc(2 * 1024 * 1024)]))).rejects.toMatchObject({
      code: 'media_too_large',
    });
    expect(await fieldOf(media.upload('image', Buffer.alloc(100)))).toBe('media');
    expect(await fieldOf(media.upload('sticker' as 'image', PNG))).toBe('type');
    await expect(media.uploadImage(Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]))).rejects.toMatchObject({ code: 'media_too_large' });
    await expect(media.upload('file', '/nonexistent/file.pdf')).rejects.toMatchObject({ code: 'media_read' });
    expect(setup.fake.received).toHaveLength(0);
  });

  it('an upload is repeated after a 5xx (a second upload is harmless)', async () => {
    setup = await corpSetup();
    setup.fake.failNext('http500', 1, { endpoint: 'media/upload' });
    await setup.corp.media.upload('image', PNG);
    expect(setup.fake.requests('media/upload').map((r) => r.outcome.status)).toEqual([500, 200]);
  });
});
