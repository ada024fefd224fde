import { describe, expect, it } from 'vitest';
import { templateCardMessage } from '../../../src/protocol/message/builders.js';
import type { NewsNoticeCard, TextNoticeCard } from '../../../src/protocol/message/template-card-types.js';
import { validateTemplateCard } from '../../../src/protocol/message/validate-template-card.js';
import { validationError } from './helpers.js';

/** A text_notice with every documented field. */
const TEXT_NOTICE: TextNoticeCard = {
  card_type: 'text_notice',
  source: { icon_url: 'https://img.example/icon.png', desc: '企业微信', desc_color: 0 },
  main_title: { title: '欢迎使用企业微信', desc: '您的好友正在邀请您加入企业微信' },
  emphasis_content: { title: '100', desc: '数据含义' },
  quote_area: {
    type: 1,
    url: 'https://work.weixin.qq.com',
    appid: 'APPID',
    pagepath: 'PAGEPATH',
    title: '引用文本标题',
    quote_text: 'Jack：很好用',
  },
  sub_title_text: '下载企业微信还能抢红包！',
  horizontal_content_list: [
    { keyname: '邀请人', value: '张三' },
    { keyname: '官网', value: '点击访问', type: 1, url: 'https://work.weixin.qq.com' },
    { keyname: '下载', value: '企业微信.apk', type: 2, media_id: 'MEDIAID' },
    { keyname: '员工', value: '李四', type: 3, userid: 'lisi' },
  ],
  jump_list: [
    { type: 1, url: 'https://work.weixin.qq.com', title: '企业微信官网' },
    { type: 2, appid: 'APPID', pagepath: 'PAGEPATH', title: '跳转小程序' },
  ],
  card_action: { type: 1, url: 'https://work.weixin.qq.com', appid: 'APPID', pagepath: 'PAGEPATH' },
};

/** A news_notice with every documented field. */
const NEWS_NOTICE: NewsNoticeCard = {
  card_type: 'news_notice',
  source: { icon_url: 'https://img.example/icon.png', desc: '企业微信', desc_color: 3 },
  main_title: { title: '欢迎使用企业微信', desc: '邀请' },
  card_image: { url: 'https://img.example/main.png', aspect_ratio: 2.25 },
  image_text_area: { type: 2, appid: 'APPID', pagepath: 'PAGE', title: '左图右文', desc: '描述', image_url: 'https://img.example/l.png' },
  quote_area: { type: 2, appid: 'APPID', title: '引用' },
  vertical_content_list: [{ title: '惊喜红包等你来拿', desc: '下载企业微信还能抢红包！' }],
  horizontal_content_list: [{ keyname: '邀请人', value: '张三' }],
  jump_list: [{ type: 0, title: '说明' }],
  card_action: { type: 2, appid: 'APPID', pagepath: 'PAGEPATH' },
};

function issues(card: unknown): string[] {
  return validationError(() => validateTemplateCard(card)).issues.map((i) => i.message);
}

describe('template_card', () => {
  it('accepts a text_notice and a news_notice with every documented field', () => {
    expect(templateCardMessage(TEXT_NOTICE)).toEqual({ msgtype: 'template_card', template_card: TEXT_NOTICE });
    expect(() => templateCardMessage(NEWS_NOTICE)).not.toThrow();
  });

  it('accepts the minimal cards', () => {
    expect(() => validateTemplateCard({ card_type: 'text_notice', sub_title_text: 's', card_action: { type: 1, url: 'u' } })).not.toThrow();
    expect(() =>
      validateTemplateCard({ card_type: 'news_notice', card_image: { url: 'i' }, card_action: { type: 1, url: 'u' } }),
    ).not.toThrow();
  });

  it('requires card_type and card_action', () => {
    expect(issues({ main_title: { title: 't' }, card_action: { type: 1, url: 'u' } })).toEqual([
      'template_card.card_type is required (one of text_notice, news_notice)',
    ]);
    expect(issues({ ...TEXT_NOTICE, card_action: undefined })).toEqual(['template_card.card_action is required']);
    expect(issues({ ...TEXT_NOTICE, card_action: {} })).toEqual(['template_card.card_action.type is required (one of 1, 2)']);
  });

  it('checks card_action type ranges and type-dependent url/appid', () => {
    expect(issues({ ...TEXT_NOTICE, card_action: { type: 0 } })).toEqual(['template_card.card_action.type is 0; it must be one of 1, 2']);
    expect(issues({ ...TEXT_NOTICE, card_action: { type: 1 } })).toEqual([
      'template_card.card_action.url is required and must not be empty',
    ]);
    expect(issues({ ...TEXT_NOTICE, card_action: { type: 2, url: 'x' } })).toEqual([
      'template_card.card_action.appid is required and must not be empty',
    ]);
    expect(() => validateTemplateCard({ ...NEWS_NOTICE, card_action: { type: 0 } })).not.toThrow();
  });

  it('text_notice needs main_title.title or sub_title_text', () => {
    expect(issues({ ...TEXT_NOTICE, main_title: { desc: 'd' }, sub_title_text: undefined })).toEqual([
      'a text_notice needs template_card.main_title.title or template_card.sub_title_text',
    ]);
    expect(() => validateTemplateCard({ ...TEXT_NOTICE, main_title: undefined })).not.toThrow();
  });

  it('enforces the list limits: horizontal ≤ 6, jump ≤ 3, vertical ≤ 4', () => {
    const row = { keyname: 'k', value: 'v' };
    expect(issues({ ...TEXT_NOTICE, horizontal_content_list: Array(7).fill(row) })).toEqual([
      'template_card.horizontal_content_list has 7 items; the limit is 6',
    ]);
    expect(() => validateTemplateCard({ ...TEXT_NOTICE, horizontal_content_list: Array(6).fill(row), jump_list: [] })).not.toThrow();
    expect(issues({ ...TEXT_NOTICE, jump_list: Array(4).fill({ title: 't' }) })).toEqual([
      'template_card.jump_list has 4 items; the limit is 3',
    ]);
    expect(issues({ ...NEWS_NOTICE, vertical_content_list: Array(5).fill({ title: 't' }) })).toEqual([
      'template_card.vertical_content_list has 5 items; the limit is 4',
    ]);
  });

  it('checks horizontal rows by type: url, media_id, userid', () => {
    expect(
      issues({
        ...TEXT_NOTICE,
        horizontal_content_list: [
          { keyname: 'a', type: 1 },
          { keyname: 'b', type: 2 },
          { keyname: 'c', type: 3 },
          { value: 'no key' },
          { keyname: 'e', type: 4 },
        ],
      }),
    ).toEqual([
      'template_card.horizontal_content_list[0].url is required and must not be empty',
      'template_card.horizontal_content_list[1].media_id is required and must not be empty',
      'template_card.horizontal_content_list[2].userid is required and must not be empty',
      'template_card.horizontal_content_list[3].keyname is required and must not be empty',
      'template_card.horizontal_content_list[4].type is 4; it must be one of 0, 1, 2, 3',
    ]);
  });

  it('checks jump rows: title required, type 1 url, type 2 appid, no type 3 on the webhook', () => {
    expect(
      issues({
        ...TEXT_NOTICE,
        jump_list: [
          { type: 1, title: 't' },
          { type: 2, title: 't' },
          { type: 3, title: 'q', question: 'x' },
        ],
      }),
    ).toEqual([
      'template_card.jump_list[0].url is required and must not be empty',
      'template_card.jump_list[1].appid is required and must not be empty',
      'template_card.jump_list[2].type is 3; it must be one of 0, 1, 2',
    ]);
    expect(issues({ ...TEXT_NOTICE, jump_list: [{ type: 0 }] })).toEqual([
      'template_card.jump_list[0].title is required and must not be empty',
    ]);
  });

  it('checks quote_area and source', () => {
    expect(issues({ ...TEXT_NOTICE, quote_area: { type: 1 }, source: { desc_color: 5 } })).toEqual([
      'template_card.source.desc_color is 5; it must be one of 0, 1, 2, 3',
      'template_card.quote_area.url is required and must not be empty',
    ]);
  });

  it('news_notice needs card_image.url on the webhook', () => {
    expect(issues({ ...NEWS_NOTICE, card_image: undefined })).toEqual(['template_card.card_image is required']);
    expect(issues({ ...NEWS_NOTICE, card_image: { aspect_ratio: 1.5 } })).toEqual([
      'template_card.card_image.url is required and must not be empty',
    ]);
  });

  it('checks aspect_ratio between 1.3 and 2.25', () => {
    for (const ok of [1.3, 1.78, 2.25]) {
      expect(() => validateTemplateCard({ ...NEWS_NOTICE, card_image: { url: 'u', aspect_ratio: ok } })).not.toThrow();
    }
    for (const bad of [1.29, 2.26, 0, Number.NaN]) {
      expect(issues({ ...NEWS_NOTICE, card_image: { url: 'u', aspect_ratio: bad } })).toEqual([
        `template_card.card_image.aspect_ratio is ${String(bad)}; it must be between 1.3 and 2.25`,
      ]);
    }
  });

  it('image_text_area needs image_url; vertical rows need a title', () => {
    expect(issues({ ...NEWS_NOTICE, image_text_area: { type: 1, url: 'u' }, vertical_content_list: [{ desc: 'd' }] })).toEqual([
      'template_card.image_text_area.image_url is required and must not be empty',
      'template_card.vertical_content_list[0].title is required and must not be empty',
    ]);
  });

  it('refuses the AI bot-only action_menu and feedback on a webhook card', () => {
    const menu = { desc: '更多', action_list: [{ text: '静音', key: 'mute' }] };
    expect(issues({ ...TEXT_NOTICE, action_menu: menu, task_id: 't1', feedback: { id: 'f' } })).toEqual([
      'template_card.action_menu exists only on AI bot (智能机器人) cards; a webhook card has none',
      'template_card.feedback exists only on AI bot (智能机器人) cards; a webhook card has none',
    ]);
  });
});
