import { describe, expect, it } from 'vitest';
import { markdownButton } from '../../../src/protocol/message/builders.js';
import {
  markdownReply,
  renderGroupReply,
  renderGroupReplyJson,
  renderGroupReplyXml,
  textReply,
  validateGroupReply,
} from '../../../src/protocol/reply/group-reply.js';
import { cdata } from '../../../src/protocol/reply/xml-writer.js';
import { parseXml } from '../../../src/protocol/xml.js';
import { validationError } from '../message/helpers.js';

describe('cdata', () => {
  it('splits ]]> so user text cannot close the section', () => {
    expect(cdata('a]]>b')).toBe('<![CDATA[a]]]]><![CDATA[>b]]>');
    expect(cdata(']]>]]>')).toBe('<![CDATA[]]]]><![CDATA[>]]]]><![CDATA[>]]>');
  });

  it('round-trips hostile text through the safe parser', () => {
    const text = 'x]]><Inject>1</Inject>]]]]>&amp;<!DOCTYPE y>中😀';
    const root = parseXml(`<xml><C>${cdata(text)}</C></xml>`).root as Record<string, string>;
    expect(root.C).toBe(text);
  });

  it('drops characters XML 1.0 forbids', () => {
    expect(cdata('a\u0000b\u001bc\ud800d\tz')).toBe('<![CDATA[abcd\tz]]>');
  });
});

describe('passive text reply', () => {
  const reply = textReply('你好 <b>', { mentionedList: ['u1', '@all'], mentionedMobileList: ['13800000000'], visibleToUser: ['u1', 'u2'] });

  it('renders XML byte for byte', () => {
    expect(renderGroupReplyXml(reply)).toBe(
      '<xml><MsgType>text</MsgType><VisibleToUser><![CDATA[u1|u2]]></VisibleToUser><Text><Content><![CDATA[你好 <b>]]></Content>' +
        '<MentionedList><Item><![CDATA[u1]]></Item><Item><![CDATA[@all]]></Item></MentionedList>' +
        '<MentionedMobileList><Item><![CDATA[13800000000]]></Item></MentionedMobileList></Text></xml>',
    );
  });

  it('renders JSON byte for byte', () => {
    expect(renderGroupReplyJson(reply)).toBe(
      '{"msgtype":"text","visible_to_user":"u1|u2","text":{"content":"你好 <b>","mentioned_list":["u1","@all"],"mentioned_mobile_list":["13800000000"]}}',
    );
  });

  it('omits empty optional parts', () => {
    expect(renderGroupReply(textReply('pong'), 'xml')).toBe(
      '<xml><MsgType>text</MsgType><Text><Content><![CDATA[pong]]></Content></Text></xml>',
    );
    expect(renderGroupReply(textReply('pong', { mentionedList: [] }), 'json')).toBe('{"msgtype":"text","text":{"content":"pong"}}');
  });

  it('refuses content over 2048 bytes, naming the field and limit', () => {
    const error = validationError(() => textReply('中'.repeat(683)));
    expect(error.message).toBe('text.content is 2049 bytes; the limit is 2048 UTF-8 bytes');
    expect(error.field).toBe('text.content');
    expect(error.code).toBe('message_too_long');
  });
});

describe('passive markdown reply', () => {
  const reply = markdownReply('**审批**', {
    visibleToUser: 'u9',
    attachments: [
      {
        callback_id: 'req-7',
        actions: [
          markdownButton('decision', 'yes', '同意', { borderColor: '2EAB49', textColor: '2EAB49', replaceText: '已同意' }),
          markdownButton('decision', 'no', '拒绝'),
        ],
      },
    ],
  });

  it('renders XML byte for byte', () => {
    expect(renderGroupReplyXml(reply)).toBe(
      '<xml><MsgType>markdown</MsgType><VisibleToUser><![CDATA[u9]]></VisibleToUser><Markdown><Content><![CDATA[**审批**]]></Content>' +
        '<Attachment><CallbackId><![CDATA[req-7]]></CallbackId>' +
        '<Actions><Name><![CDATA[decision]]></Name><Value><![CDATA[yes]]></Value><Text><![CDATA[同意]]></Text><Type><![CDATA[button]]></Type>' +
        '<BorderColor><![CDATA[2EAB49]]></BorderColor><TextColor><![CDATA[2EAB49]]></TextColor><ReplaceText><![CDATA[已同意]]></ReplaceText></Actions>' +
        '<Actions><Name><![CDATA[decision]]></Name><Value><![CDATA[no]]></Value><Text><![CDATA[拒绝]]></Text><Type><![CDATA[button]]></Type></Actions>' +
        '</Attachment></Markdown></xml>',
    );
  });

  it('renders JSON byte for byte', () => {
    expect(renderGroupReplyJson(reply)).toBe(
      '{"msgtype":"markdown","visible_to_user":"u9","markdown":{"content":"**审批**","attachments":[{"callback_id":"req-7","actions":[' +
        '{"name":"decision","value":"yes","text":"同意","type":"button","border_color":"2EAB49","text_color":"2EAB49","replace_text":"已同意"},' +
        '{"name":"decision","value":"no","text":"拒绝","type":"button"}]}]}}',
    );
  });

  it('produces XML the safe parser reads back', () => {
    const root = parseXml(renderGroupReplyXml(reply)).root as Record<string, Record<string, unknown>>;
    expect(root.Markdown?.Content).toBe('**审批**');
  });

  it('enforces the action limits', () => {
    const tooMany = Array.from({ length: 21 }, (_, i) => markdownButton(`n${i}`, 'v', 't'));
    expect(validationError(() => markdownReply('x', { attachments: [{ callback_id: 'c', actions: tooMany }] })).message).toBe(
      'markdown.attachments[0].actions has 21 items; the limit is 20',
    );
    const long = markdownButton('n'.repeat(65), 'v'.repeat(129), '按'.repeat(43), { replaceText: 'r'.repeat(129), borderColor: 'green' });
    const error = validationError(() => markdownReply('x', { attachments: [{ callback_id: 'c', actions: [long] }] }));
    expect(error.issues.map((i) => i.message)).toEqual([
      'markdown.attachments[0].actions[0].name is 65 bytes; the limit is 64 UTF-8 bytes',
      'markdown.attachments[0].actions[0].value is 129 bytes; the limit is 128 UTF-8 bytes',
      'markdown.attachments[0].actions[0].text is 129 bytes; the limit is 128 UTF-8 bytes',
      'markdown.attachments[0].actions[0].border_color must be a hex colour such as 2EAB49',
      'markdown.attachments[0].actions[0].replace_text is 129 bytes; the limit is 128 UTF-8 bytes',
    ]);
    expect(error.message).toMatch(/^markdown\.attachments\[0\]\.actions\[0\]\.name is 65 bytes.*\(and 4 more: /);
  });

  it('requires callback_id and at least one action, and type button', () => {
    const error = validationError(() =>
      validateGroupReply({
        msgtype: 'markdown',
        markdown: { content: 'x', attachments: [{ callback_id: '', actions: [{ name: 'a', value: 'b', text: 'c', type: 'link' }] }] },
      }),
    );
    expect(error.issues.map((i) => i.path)).toEqual(['markdown.attachments[0].callback_id', 'markdown.attachments[0].actions[0].type']);
    expect(validationError(() => markdownReply('x', { attachments: [{ callback_id: 'c', actions: [] }] })).code).toBe('message_too_few');
  });

  it('refuses markdown over 4096 bytes and unknown msgtypes', () => {
    expect(validationError(() => markdownReply('x'.repeat(4097))).message).toBe(
      'markdown.content is 4097 bytes; the limit is 4096 UTF-8 bytes',
    );
    expect(validationError(() => validateGroupReply({ msgtype: 'news' })).field).toBe('msgtype');
  });
});
