/**
 * Callback plaintexts as WeCom sends them (protocol §2.5 and §2.10), built from simple
 * descriptions. XML uses CamelCase elements with CDATA; JSON uses snake_case keys.
 */
export interface Sender {
  userId: string;
  name?: string;
  alias?: string;
}

/** What happened, independent of the wire format. */
export type GroupEvent =
  | { kind: 'text'; content: string }
  | { kind: 'image'; imageUrl: string }
  | { kind: 'mixed'; items: ({ type: 'text'; text: string } | { type: 'image'; imageUrl: string })[] }
  | { kind: 'event'; eventType: string }
  | { kind: 'attachment'; callbackId: string; actions: { name: string; value: string; type?: string }[] }
  | { kind: 'raw-type'; msgType: string };

export interface GroupCallbackFields {
  msgId: string;
  webhookUrl: string;
  chatId: string;
  chatType: string;
  from?: Sender;
  getChatInfoUrl?: string;
}

function cdata(v: string): string {
  return `<![CDATA[${v.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

/** The decrypted XML a classic group robot callback carries. */
export function groupCallbackXml(f: GroupCallbackFields, e: GroupEvent): string {
  let s = `<xml><WebhookUrl>${cdata(f.webhookUrl)}</WebhookUrl><MsgId>${cdata(f.msgId)}</MsgId><ChatId>${cdata(f.chatId)}</ChatId><ChatType>${f.chatType}</ChatType>`;
  if (f.from) {
    s += `<From><UserId>${cdata(f.from.userId)}</UserId>`;
    if (f.from.name !== undefined) s += `<Name>${cdata(f.from.name)}</Name>`;
    if (f.from.alias !== undefined) s += `<Alias>${cdata(f.from.alias)}</Alias>`;
    s += '</From>';
  }
  if (f.getChatInfoUrl) s += `<GetChatInfoUrl>${cdata(f.getChatInfoUrl)}</GetChatInfoUrl>`;
  switch (e.kind) {
    case 'text':
      s += `<MsgType>text</MsgType><Text><Content>${cdata(e.content)}</Content></Text>`;
      break;
    case 'image':
      s += `<MsgType>image</MsgType><Image><ImageUrl>${cdata(e.imageUrl)}</ImageUrl></Image>`;
      break;
    case 'mixed':
      s += '<MsgType>mixed</MsgType><MixedMessage>';
      for (const i of e.items) {
        s +=
          i.type === 'text'
            ? `<MsgItem><MsgType>text</MsgType><Text><Content>${cdata(i.text)}</Content></Text></MsgItem>`
            : `<MsgItem><MsgType>image</MsgType><Image><ImageUrl>${cdata(i.imageUrl)}</ImageUrl></Image></MsgItem>`;
      }
      s += '</MixedMessage>';
      break;
    case 'event':
      s += `<MsgType>event</MsgType><Event><EventType>${cdata(e.eventType)}</EventType></Event>`;
      break;
    case 'attachment':
      s += `<MsgType>attachment</MsgType><Attachment><CallbackId>${cdata(e.callbackId)}</CallbackId>`;
      for (const a of e.actions) {
        s += `<Actions><Name>${cdata(a.name)}</Name><Value>${cdata(a.value)}</Value><Type>${cdata(a.type ?? 'button')}</Type></Actions>`;
      }
      s += '</Attachment>';
      break;
    case 'raw-type':
      s += `<MsgType>${cdata(e.msgType)}</MsgType>`;
      break;
  }
  return `${s}</xml>`;
}

/** The decrypted JSON of a classic group robot callback (`robot_callback_format=json`). */
export function groupCallbackJson(f: GroupCallbackFields, e: GroupEvent): string {
  const o: Record<string, unknown> = { webhook_url: f.webhookUrl, msgid: f.msgId, chatid: f.chatId, chattype: f.chatType };
  if (f.from) o.from = { userid: f.from.userId, name: f.from.name, alias: f.from.alias };
  if (f.getChatInfoUrl) o.get_chat_info_url = f.getChatInfoUrl;
  switch (e.kind) {
    case 'text':
      Object.assign(o, { msgtype: 'text', text: { content: e.content } });
      break;
    case 'image':
      Object.assign(o, { msgtype: 'image', image: { image_url: e.imageUrl } });
      break;
    case 'mixed':
      Object.assign(o, {
        msgtype: 'mixed',
        mixed_message: {
          msg_item: e.items.map((i) =>
            i.type === 'text' ? { msg_type: 'text', text: { content: i.text } } : { msg_type: 'image', image: { image_url: i.imageUrl } },
          ),
        },
      });
      break;
    case 'event':
      Object.assign(o, { msgtype: 'event', event: { event_type: e.eventType } });
      break;
    case 'attachment':
      Object.assign(o, {
        msgtype: 'attachment',
        attachment: {
          callbackid: e.callbackId,
          actions: e.actions.map((a) => ({ name: a.name, value: a.value, type: a.type ?? 'button' })),
        },
      });
      break;
    case 'raw-type':
      o.msgtype = e.msgType;
      break;
  }
  return JSON.stringify(o);
}

/** What an AI bot user did. */
export type AibotEvent =
  | { kind: 'text'; content: string }
  | { kind: 'voice'; content: string }
  | { kind: 'image'; url: string }
  | { kind: 'file'; url: string }
  | { kind: 'stream'; streamId: string }
  | { kind: 'enter_chat' }
  | { kind: 'feedback_event'; feedbackId: string; type: 1 | 2 | 3 }
  | { kind: 'template_card_event'; eventKey: string; taskId: string; cardType?: string; selectedItems?: readonly CardSelectedItem[] }
  | { kind: 'raw-type'; msgType: string };

/** The options a member had chosen on a vote or selection card when clicking its button. */
export interface CardSelectedItem {
  questionKey: string;
  optionIds: readonly string[];
}

export interface AibotCallbackFields {
  msgId: string;
  aibotId: string;
  chatId?: string;
  chatType: 'single' | 'group';
  from: Sender;
  responseUrl?: string;
  createTime?: number;
}

/** The decrypted JSON of an AI bot callback. */
export function aibotCallbackJson(f: AibotCallbackFields, e: AibotEvent): string {
  const o: Record<string, unknown> = { msgid: f.msgId, aibotid: f.aibotId, chattype: f.chatType, from: { userid: f.from.userId } };
  if (f.chatId) o.chatid = f.chatId;
  if (f.responseUrl && e.kind !== 'stream') o.response_url = f.responseUrl;
  switch (e.kind) {
    case 'text':
      Object.assign(o, { msgtype: 'text', text: { content: e.content } });
      break;
    case 'voice':
      Object.assign(o, { msgtype: 'voice', voice: { content: e.content } });
      break;
    case 'image':
      Object.assign(o, { msgtype: 'image', image: { url: e.url } });
      break;
    case 'file':
      Object.assign(o, { msgtype: 'file', file: { url: e.url } });
      break;
    case 'stream':
      Object.assign(o, { msgtype: 'stream', stream: { id: e.streamId } });
      break;
    case 'enter_chat':
      Object.assign(o, { msgtype: 'event', create_time: f.createTime ?? 1_700_000_000, event: { eventtype: 'enter_chat' } });
      break;
    case 'feedback_event':
      Object.assign(o, {
        msgtype: 'event',
        create_time: f.createTime ?? 1_700_000_000,
        event: { eventtype: 'feedback_event', feedback_event: { id: e.feedbackId, type: e.type } },
      });
      break;
    case 'template_card_event':
      Object.assign(o, {
        msgtype: 'event',
        create_time: f.createTime ?? 1_700_000_000,
        event: {
          eventtype: 'template_card_event',
          template_card_event: {
            card_type: e.cardType ?? 'button_interaction',
            event_key: e.eventKey,
            task_id: e.taskId,
            ...(e.selectedItems?.length && {
              selected_items: {
                selected_item: e.selectedItems.map((i) => ({ question_key: i.questionKey, option_ids: { option_id: [...i.optionIds] } })),
              },
            }),
          },
        },
      });
      break;
    case 'raw-type':
      o.msgtype = e.msgType;
      break;
  }
  return JSON.stringify(o);
}
