import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MessageValidationError } from '../../../src/protocol/message/errors.js';
import type { AibotTemplateCard } from '../../../src/protocol/reply/aibot-card.js';
import {
  aibotMarkdownMessage,
  aibotStreamReply,
  aibotStreamWithCardReply,
  aibotTemplateCardReply,
  aibotUpdateCardReply,
  aibotWelcomeText,
  renderAibotReply,
  validateAibotReply,
} from '../../../src/protocol/reply/aibot-reply.js';

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MessageValidationError);
    return (error as MessageValidationError).issues.map((i) => i.message);
  }
  throw new Error('expected a MessageValidationError');
}

const buttonCard: AibotTemplateCard = {
  card_type: 'button_interaction',
  main_title: { title: '审批' },
  button_list: [
    { text: '同意', style: 1, key: 'approve' },
    { text: '拒绝', style: 2, key: 'reject' },
  ],
  task_id: 'task-1',
};

describe('AI bot stream replies', () => {
  it('renders the first stream reply exactly', () => {
    expect(renderAibotReply(aibotStreamReply({ id: 'S1', content: '**广州**今日天气', feedbackId: 'FB1' }))).toBe(
      '{"msgtype":"stream","stream":{"id":"S1","finish":false,"content":"**广州**今日天气","feedback":{"id":"FB1"}}}',
    );
  });

  it('computes base64 and md5 of raw image bytes on the final reply', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const reply = aibotStreamReply({ id: 'S1', content: 'done', finish: true, images: [png] });
    expect(reply.stream.msg_item).toEqual([
      { msgtype: 'image', image: { base64: png.toString('base64'), md5: createHash('md5').update(png).digest('hex') } },
    ]);
  });

  it('allows images only when finish is true, and at most 10', () => {
    const img = { base64: 'AAAA', md5: 'd41d8cd98f00b204e9800998ecf8427e' };
    expect(issuesOf(() => aibotStreamReply({ id: 'S', content: 'x', images: [img] }))).toEqual([
      'stream.msg_item (images) is only allowed on the final reply (finish: true)',
    ]);
    expect(issuesOf(() => aibotStreamReply({ id: 'S', content: 'x', finish: true, images: Array(11).fill(img) }))).toEqual([
      'stream.msg_item has 11 items; the limit is 10',
    ]);
  });

  it('enforces the 20480-byte content limit and the 256-byte feedback id', () => {
    expect(() => aibotStreamReply({ id: 'S', content: '中'.repeat(6826) })).not.toThrow();
    expect(issuesOf(() => aibotStreamReply({ id: 'S', content: '中'.repeat(6827), feedbackId: 'f'.repeat(257) }))).toEqual([
      'stream.content is 20481 bytes; the limit is 20480 UTF-8 bytes',
      'stream.feedback.id is 257 bytes; the limit is 256 UTF-8 bytes',
    ]);
  });

  it('requires a stream id', () => {
    expect(issuesOf(() => aibotStreamReply({ id: '', content: 'x' }))).toEqual(['stream.id is required and must not be empty']);
  });

  it('renders stream + template card', () => {
    const reply = aibotStreamWithCardReply({ id: 'S2', content: '生成中', finish: false }, buttonCard);
    expect(JSON.parse(renderAibotReply(reply))).toEqual({
      msgtype: 'stream_with_template_card',
      stream: { id: 'S2', finish: false, content: '生成中' },
      template_card: buttonCard,
    });
  });
});

describe('AI bot card, welcome, update and response_url messages', () => {
  it('renders a template card reply with feedback', () => {
    expect(JSON.parse(renderAibotReply(aibotTemplateCardReply(buttonCard, { feedbackId: 'F' })))).toEqual({
      msgtype: 'template_card',
      template_card: { ...buttonCard, feedback: { id: 'F' } },
    });
  });

  it('renders the welcome text exactly', () => {
    expect(renderAibotReply(aibotWelcomeText("hello\nI'm RobotA\n"))).toBe(
      '{"msgtype":"text","text":{"content":"hello\\nI\'m RobotA\\n"}}',
    );
    expect(issuesOf(() => aibotWelcomeText(''))).toEqual(['text.content is required and must not be empty']);
  });

  it('renders a card update for some users', () => {
    expect(JSON.parse(renderAibotReply(aibotUpdateCardReply(buttonCard, { userIds: ['u1', 'u2'] })))).toEqual({
      response_type: 'update_template_card',
      userids: ['u1', 'u2'],
      template_card: buttonCard,
    });
  });

  it('renders markdown for response_url and checks its limit', () => {
    expect(renderAibotReply(aibotMarkdownMessage('# 结果', { feedbackId: 'F2' }))).toBe(
      '{"msgtype":"markdown","markdown":{"content":"# 结果","feedback":{"id":"F2"}}}',
    );
    expect(issuesOf(() => aibotMarkdownMessage('a'.repeat(20481)))).toEqual([
      'markdown.content is 20481 bytes; the limit is 20480 UTF-8 bytes',
    ]);
  });

  it('validates interactive cards', () => {
    const bad = {
      card_type: 'button_interaction',
      main_title: { title: 't' },
      button_list: Array.from({ length: 7 }, (_, i) => ({ text: 'b', key: `k${i}` })),
      task_id: 'bad id!',
    } as unknown as AibotTemplateCard;
    expect(issuesOf(() => aibotTemplateCardReply(bad))).toEqual([
      'template_card.task_id must be letters, digits, _ - @ only',
      'template_card.button_list has 7 items; the limit is 6',
    ]);
    const vote = {
      card_type: 'vote_interaction',
      main_title: { title: '投票' },
      checkbox: { question_key: 'q', mode: 1, option_list: [] },
      submit_button: { text: '提交', key: 'submit' },
      task_id: 't1',
    } as unknown as AibotTemplateCard;
    expect(issuesOf(() => aibotTemplateCardReply(vote))).toEqual(['template_card.checkbox.option_list has 0 items; at least 1 required']);
    const multiple: AibotTemplateCard = {
      card_type: 'multiple_interaction',
      main_title: { title: '选择' },
      select_list: [{ question_key: 'q1', option_list: [{ id: 'a', text: 'A' }] }],
      submit_button: { text: '提交', key: 's' },
    };
    expect(() => aibotTemplateCardReply(multiple)).not.toThrow();
  });

  it('accepts AI bot extras on notice cards: jump type 3, action_menu with task_id', () => {
    const card: AibotTemplateCard = {
      card_type: 'text_notice',
      main_title: { title: '欢迎' },
      jump_list: [{ type: 3, title: '问问', question: '如何登录' }],
      action_menu: { desc: '更多', action_list: [{ text: '不再推送', key: 'mute' }] },
      task_id: 'welcome_1',
      card_action: { type: 1, url: 'https://work.weixin.qq.com' },
    };
    expect(() => aibotTemplateCardReply(card)).not.toThrow();
    expect(issuesOf(() => aibotTemplateCardReply({ ...card, task_id: undefined }))).toEqual([
      'template_card.task_id is required and must not be empty',
    ]);
  });

  it('accepts a news_notice with image_text_area only on AI bots', () => {
    const card: AibotTemplateCard = {
      card_type: 'news_notice',
      main_title: { title: '新品' },
      image_text_area: { image_url: 'https://img.example/a.png' },
      card_action: { type: 1, url: 'https://example.com' },
    };
    expect(() => aibotTemplateCardReply(card)).not.toThrow();
    expect(issuesOf(() => aibotTemplateCardReply({ ...card, image_text_area: undefined }))).toEqual([
      'a news_notice needs template_card.card_image or template_card.image_text_area',
    ]);
  });

  it('refuses unknown reply shapes', () => {
    expect(issuesOf(() => validateAibotReply({ msgtype: 'markdown' }))).toEqual([
      'msgtype is "markdown"; it must be one of stream, template_card, stream_with_template_card, text',
    ]);
  });
});
