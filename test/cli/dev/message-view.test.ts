import { describe, expect, it } from 'vitest';
import { viewJson, viewPlaintext } from '../../../src/cli/dev/message-view.js';

describe('what the emulator shows of a message', () => {
  it('an XML markdown reply: the content and every action of every attachment', () => {
    const xml =
      '<xml><MsgType>markdown</MsgType><Markdown><Content><![CDATA[**选一个**]]></Content>' +
      '<Attachment><CallbackId>pick</CallbackId>' +
      '<Actions><Name>a</Name><Value>1</Value><Text>甲</Text><Type>button</Type></Actions>' +
      '<Actions><Name>b</Name><Value>2</Value><Text>乙</Text><Type>button</Type></Actions></Attachment>' +
      '<Attachment><CallbackId>more</CallbackId><Actions><Name>c</Name><Value>3</Value><Text></Text><Type>button</Type></Actions></Attachment>' +
      '</Markdown></xml>';
    expect(viewPlaintext(xml)).toEqual({
      kind: 'markdown',
      text: '**选一个**',
      buttons: [
        { robot: 'group', label: '甲', callbackId: 'pick', name: 'a', value: '1' },
        { robot: 'group', label: '乙', callbackId: 'pick', name: 'b', value: '2' },
        // A button without a label shows its name.
        { robot: 'group', label: 'c', callbackId: 'more', name: 'c', value: '3' },
      ],
    });
  });

  it('a JSON markdown push with attachments, and plain text', () => {
    const push = {
      msgtype: 'markdown',
      markdown: { content: 'hi', attachments: [{ callback_id: 'x', actions: [{ name: 'n', value: 'v', text: 'T', type: 'button' }] }] },
    };
    expect(viewJson(push).buttons).toEqual([{ robot: 'group', label: 'T', callbackId: 'x', name: 'n', value: 'v' }]);
    expect(viewPlaintext('{"msgtype":"text","text":{"content":"ok"}}')).toEqual({ kind: 'text', text: 'ok', buttons: [] });
  });

  it('AI bot cards: buttons carry the task id and card type; selection questions list their option ids', () => {
    const card = {
      card_type: 'multiple_interaction',
      task_id: 't9',
      main_title: { title: '选择', desc: '两题' },
      select_list: [
        { question_key: 'city', option_list: [{ id: 'sz', text: '深圳' }] },
        {
          question_key: 'day',
          option_list: [
            { id: 'sat', text: '周六' },
            { id: 'sun', text: '周日' },
          ],
        },
      ],
      submit_button: { text: '提交', key: 'form-submit' },
    };
    const view = viewJson({ msgtype: 'template_card', template_card: card });
    expect(view.text).toBe('**[multiple_interaction]** 选择\n两题\ncity: sz=深圳\nday: sat=周六  sun=周日');
    expect(view.buttons).toEqual([
      {
        robot: 'aibot',
        label: '提交',
        taskId: 't9',
        key: 'form-submit',
        cardType: 'multiple_interaction',
        questions: [
          { key: 'city', options: [{ id: 'sz', text: '深圳' }] },
          {
            key: 'day',
            options: [
              { id: 'sat', text: '周六' },
              { id: 'sun', text: '周日' },
            ],
          },
        ],
      },
    ]);
  });

  it('streams say whether they are finished; a stream with a card shows both; a card update is named', () => {
    const card = {
      card_type: 'button_interaction',
      task_id: 't1',
      main_title: { title: '报名' },
      button_list: [{ text: '参加', key: 'join' }],
    };
    const stream = viewJson({
      msgtype: 'stream_with_template_card',
      stream: { id: 's1', finish: false, content: '思考中' },
      template_card: card,
    });
    expect(stream).toMatchObject({
      kind: 'stream_with_template_card',
      text: '思考中\n**[button_interaction]** 报名',
      finished: false,
      streamId: 's1',
    });
    expect(stream.buttons.map((b) => b.label)).toEqual(['参加']);
    expect(viewJson({ response_type: 'update_template_card', template_card: card })).toMatchObject({
      kind: 'card update',
      text: '**[button_interaction]** 报名',
    });
    expect(viewJson({ msgtype: 'image', image: {} })).toEqual({ kind: 'image', text: '[image]', buttons: [] });
  });
});
