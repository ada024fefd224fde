import { describe, expect, it } from 'vitest';
import { isInteractiveCardType, validateAibotCard, type AibotTemplateCard } from '../../../src/protocol/reply/aibot-card.js';
import { validationError } from '../message/helpers.js';

function issues(card: unknown): string[] {
  return validationError(() => validateAibotCard(card)).issues.map((i) => i.message);
}

const options = (n: number, id = (i: number) => `o${i}`) => Array.from({ length: n }, (_, i) => ({ id: id(i), text: `选项${i}` }));

const BUTTONS: AibotTemplateCard = {
  card_type: 'button_interaction',
  source: { desc: '报名', desc_color: 2 },
  action_menu: { desc: '更多', action_list: [{ text: '不再提醒', key: 'signup:mute' }] },
  main_title: { title: '周六读书会', desc: '还剩 3 个名额' },
  quote_area: { type: 1, url: 'https://example.com', quote_text: '地点：三楼' },
  sub_title_text: '点击报名',
  horizontal_content_list: [{ keyname: '组织者', value: '张三', type: 3, userid: 'zhangsan' }],
  button_selection: {
    question_key: 'slot',
    title: '场次',
    selected_id: 'am',
    option_list: [
      { id: 'am', text: '上午' },
      { id: 'pm', text: '下午' },
    ],
  },
  button_list: [
    { text: '报名', style: 1, key: 'signup:join' },
    { text: '取消', style: 2, key: 'signup:leave' },
  ],
  card_action: { type: 1, url: 'https://example.com' },
  task_id: 'signup-1',
};

const VOTE: AibotTemplateCard = {
  card_type: 'vote_interaction',
  main_title: { title: '午饭吃什么' },
  checkbox: {
    question_key: 'lunch',
    mode: 1,
    option_list: [
      { id: 'a', text: '面', is_checked: true },
      { id: 'b', text: '饭', is_checked: true },
    ],
  },
  submit_button: { text: '投票', key: 'poll:submit' },
  task_id: 'poll-1',
};

const MULTIPLE: AibotTemplateCard = {
  card_type: 'multiple_interaction',
  main_title: { title: '偏好' },
  select_list: [
    { question_key: 'city', title: '城市', option_list: options(10) },
    { question_key: 'size', option_list: options(1) },
    { question_key: 'time', option_list: options(1) },
  ],
  submit_button: { text: '提交', key: 'prefs:submit' },
};

describe('AI bot cards: valid at their limits', () => {
  it('accepts a button_interaction with every documented field', () => {
    expect(() => validateAibotCard(BUTTONS)).not.toThrow();
  });

  it('accepts 6 buttons, 3 menu entries, a 1024-byte key and a 128-byte task_id', () => {
    const card = {
      ...BUTTONS,
      button_list: Array.from({ length: 6 }, (_, i) => ({ text: `b${i}`, key: i === 0 ? 'k'.repeat(1024) : `k${i}` })),
      action_menu: { desc: '更多', action_list: [1, 2, 3].map((i) => ({ text: `m${i}`, key: `m${i}` })) },
      task_id: 't'.repeat(128),
    };
    expect(() => validateAibotCard(card)).not.toThrow();
  });

  it('accepts a vote with 20 options of 128-byte ids, and 10 options in a selection', () => {
    const checkbox = { question_key: 'q', mode: 1, option_list: options(20, (i) => `${i}`.padStart(128, 'x')) };
    expect(() => validateAibotCard({ ...VOTE, checkbox })).not.toThrow();
    expect(() => validateAibotCard(MULTIPLE)).not.toThrow();
  });

  it('multiple_interaction may omit task_id, unless it has a menu', () => {
    expect(() => validateAibotCard(MULTIPLE)).not.toThrow();
    expect(issues({ ...MULTIPLE, action_menu: { desc: 'd', action_list: [{ text: 't', key: 'k' }] } })).toEqual([
      'template_card.task_id is required and must not be empty',
    ]);
  });

  it('tells the interactive types from the notice types', () => {
    expect(['button_interaction', 'vote_interaction', 'multiple_interaction'].map(isInteractiveCardType)).toEqual([true, true, true]);
    expect(['text_notice', 'news_notice', undefined].map(isInteractiveCardType)).toEqual([false, false, false]);
  });
});

describe('AI bot cards: refused one past their limits, naming the field', () => {
  it('button_interaction: 7 buttons, a 1025-byte key, style 5, repeated keys', () => {
    expect(issues({ ...BUTTONS, button_list: Array.from({ length: 7 }, (_, i) => ({ text: 'b', key: `k${i}` })) })).toEqual([
      'template_card.button_list has 7 items; the limit is 6',
    ]);
    expect(issues({ ...BUTTONS, button_list: [{ text: 'b', key: 'k'.repeat(1025) }] })).toEqual([
      'template_card.button_list[0].key is 1025 bytes; the limit is 1024 UTF-8 bytes',
    ]);
    expect(issues({ ...BUTTONS, button_list: [{ text: 'b', key: 'k', style: 5 }] })).toEqual([
      'template_card.button_list[0].style is 5; it must be one of 1, 2, 3, 4',
    ]);
    expect(
      issues({
        ...BUTTONS,
        button_list: [
          { text: 'a', key: 'same' },
          { text: 'b', key: 'same' },
        ],
      }),
    ).toEqual(['template_card.button_list[1].key repeats the key "same" of template_card.button_list[0].key; keys must be unique']);
  });

  it('button_interaction: task_id required and ≤ 128 bytes; the shared parts are checked too', () => {
    expect(issues({ ...BUTTONS, task_id: undefined })).toEqual(['template_card.task_id is required and must not be empty']);
    expect(issues({ ...BUTTONS, task_id: 't'.repeat(129) })).toEqual(['template_card.task_id is 129 bytes; the limit is 128 UTF-8 bytes']);
    expect(
      issues({
        ...BUTTONS,
        source: { desc_color: 4 },
        quote_area: { type: 1 },
        horizontal_content_list: [{ keyname: '附件', type: 2, media_id: 'm' }],
        card_action: { type: 2 },
      }),
    ).toEqual([
      'template_card.source.desc_color is 4; it must be one of 0, 1, 2, 3',
      'template_card.quote_area.url is required and must not be empty',
      'template_card.horizontal_content_list[0].type is 2; it must be one of 0, 1, 3',
      'template_card.card_action.appid is required and must not be empty',
    ]);
  });

  it('action_menu: at most 3 entries, unique keys', () => {
    const menu = (keys: string[]) => ({ ...BUTTONS, action_menu: { desc: 'd', action_list: keys.map((key) => ({ text: key, key })) } });
    expect(issues(menu(['a', 'b', 'c', 'd']))).toEqual(['template_card.action_menu.action_list has 4 items; the limit is 3']);
    expect(issues(menu(['a', 'a']))).toEqual([
      'template_card.action_menu.action_list[1].key repeats the key "a" of template_card.action_menu.action_list[0].key; keys must be unique',
    ]);
  });

  it('button_selection: 11 options, a selected_id that is no option, repeated option ids', () => {
    const selection = (option_list: { id: string; text: string }[], selected_id?: string) => ({
      ...BUTTONS,
      button_selection: { question_key: 'q', option_list, ...(selected_id !== undefined && { selected_id }) },
    });
    expect(issues(selection(options(11)))).toEqual(['template_card.button_selection.option_list has 11 items; the limit is 10']);
    expect(issues(selection(options(2), 'zz'))).toEqual([
      'template_card.button_selection.selected_id "zz" is not the id of one of its options',
    ]);
    expect(
      issues(
        selection([
          { id: 'x', text: '1' },
          { id: 'x', text: '2' },
        ]),
      ),
    ).toEqual([
      'template_card.button_selection.option_list[1].id repeats the option id "x" of template_card.button_selection.option_list[0].id; option ids must be unique',
    ]);
  });

  it('vote_interaction: 21 options, a 129-byte option id, two checked in a single-choice vote, no submit button', () => {
    expect(issues({ ...VOTE, checkbox: { question_key: 'q', option_list: options(21) } })).toEqual([
      'template_card.checkbox.option_list has 21 items; the limit is 20',
    ]);
    expect(issues({ ...VOTE, checkbox: { question_key: 'q', option_list: [{ id: 'i'.repeat(129), text: 't' }] } })).toEqual([
      'template_card.checkbox.option_list[0].id is 129 bytes; the limit is 128 UTF-8 bytes',
    ]);
    expect(issues({ ...VOTE, checkbox: { ...(VOTE as { checkbox: object }).checkbox, mode: 0 } })).toEqual([
      'template_card.checkbox.option_list checks 2 options; a single-choice vote (mode 0) checks at most 1',
    ]);
    expect(issues({ ...VOTE, submit_button: undefined, task_id: undefined })).toEqual([
      'template_card.task_id is required and must not be empty',
      'template_card.submit_button is required',
    ]);
  });

  it('multiple_interaction: 4 selectors, repeated question keys, a 1025-byte submit key', () => {
    const select = (keys: string[]) => keys.map((question_key) => ({ question_key, option_list: options(1) }));
    expect(issues({ ...MULTIPLE, select_list: select(['a', 'b', 'c', 'd']) })).toEqual([
      'template_card.select_list has 4 items; the limit is 3',
    ]);
    expect(issues({ ...MULTIPLE, select_list: select(['a', 'a']) })).toEqual([
      'template_card.select_list[1].question_key repeats the question_key "a" of template_card.select_list[0].question_key; question_keys must be unique',
    ]);
    expect(issues({ ...MULTIPLE, submit_button: { text: '提交', key: 'k'.repeat(1025) } })).toEqual([
      'template_card.submit_button.key is 1025 bytes; the limit is 1024 UTF-8 bytes',
    ]);
  });

  it('an AI bot news_notice needs main_title; an unknown card type is named', () => {
    expect(issues({ card_type: 'news_notice', card_image: { url: 'i' }, card_action: { type: 1, url: 'u' } })).toEqual([
      'template_card.main_title is required',
    ]);
    expect(issues({ card_type: 'carousel' })).toEqual([
      'template_card.card_type is "carousel"; it must be one of text_notice, news_notice, button_interaction, vote_interaction, multiple_interaction',
    ]);
  });
});
