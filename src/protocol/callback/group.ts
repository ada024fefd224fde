/**
 * Classic group robot callbacks (decrypted plaintext), XML and JSON
 * (`robot_callback_format=json`). Both go through one reader with a table of wire names.
 */
import { parseXml } from '../xml.js';
import type { BodyOptions, RawBody } from './body.js';
import { CallbackParseError } from './errors.js';
import { FieldReader, invalid, optional, setDefined } from './fields.js';
import { parseJsonBody } from './json-body.js';
import type {
  CallbackFormat,
  CallbackSender,
  GroupCallback,
  GroupCallbackBase,
  GroupChatType,
  GroupEventType,
  MixedItem,
} from './types.js';

interface GroupKeys {
  webhookUrl: string;
  msgId: string;
  chatId: string;
  postId: string;
  chatType: string;
  from: string;
  userId: string;
  userIdAlt: string;
  name: string;
  alias: string;
  getChatInfoUrl: string;
  msgType: string;
  text: string;
  content: string;
  image: string;
  imageUrl: string;
  event: string;
  eventType: string;
  attachment: string;
  callbackId: string;
  actions: string;
  actionName: string;
  actionValue: string;
  actionType: string;
  mixed: string;
  msgItem: string;
  itemType: string;
}

const XML_KEYS: GroupKeys = {
  webhookUrl: 'WebhookUrl',
  msgId: 'MsgId',
  chatId: 'ChatId',
  postId: 'PostId',
  chatType: 'ChatType',
  from: 'From',
  userId: 'UserId',
  userIdAlt: 'Userid',
  name: 'Name',
  alias: 'Alias',
  getChatInfoUrl: 'GetChatInfoUrl',
  msgType: 'MsgType',
  text: 'Text',
  content: 'Content',
  image: 'Image',
  imageUrl: 'ImageUrl',
  event: 'Event',
  eventType: 'EventType',
  attachment: 'Attachment',
  callbackId: 'CallbackId',
  actions: 'Actions',
  actionName: 'Name',
  actionValue: 'Value',
  actionType: 'Type',
  mixed: 'MixedMessage',
  msgItem: 'MsgItem',
  itemType: 'MsgType',
};

const JSON_KEYS: GroupKeys = {
  webhookUrl: 'webhook_url',
  msgId: 'msgid',
  chatId: 'chatid',
  postId: 'postid',
  chatType: 'chattype',
  from: 'from',
  userId: 'userid',
  // The field table of the official page spells it from.userId; the examples use userid.
  userIdAlt: 'userId',
  name: 'name',
  alias: 'alias',
  getChatInfoUrl: 'get_chat_info_url',
  msgType: 'msgtype',
  text: 'text',
  content: 'content',
  image: 'image',
  imageUrl: 'image_url',
  event: 'event',
  eventType: 'event_type',
  attachment: 'attachment',
  callbackId: 'callbackid',
  actions: 'actions',
  actionName: 'name',
  actionValue: 'value',
  actionType: 'type',
  mixed: 'mixed_message',
  msgItem: 'msg_item',
  itemType: 'msg_type',
};

const KNOWN_TYPES: readonly string[] = ['text', 'image', 'mixed', 'event', 'attachment'];
const CHAT_TYPES: readonly GroupChatType[] = ['single', 'group', 'blackboard', 'blackboard_reply'];
const EVENT_TYPES: readonly GroupEventType[] = ['add_to_chat', 'delete_from_chat', 'enter_chat'];

/**
 * Parse a decrypted classic group robot callback in XML.
 *
 * WeCom sends template-card/attachment events with lower-case snake_case element names unless
 * `robot_callback_format=xml` is set explicitly; such documents are read with the JSON names.
 *
 * @throws CallbackParseError on an unsafe, malformed or incomplete body.
 */
export function parseGroupCallbackXml(body: RawBody, options: BodyOptions = {}): GroupCallback {
  const { root } = parseXml(body, options);
  if (typeof root === 'string') {
    throw new CallbackParseError('callback_missing_field', 'callback field MsgType is missing (the XML root is empty)', {
      field: 'MsgType',
    });
  }
  const snake = root.MsgType === undefined && root.msgtype !== undefined;
  const record = root as Record<string, unknown>;
  return readGroupCallback(new FieldReader(record, '', snake ? '.' : '/'), snake ? JSON_KEYS : XML_KEYS, 'xml', record);
}

/**
 * Parse a decrypted classic group robot callback in JSON (`robot_callback_format=json`).
 *
 * @throws CallbackParseError on an oversize, malformed or incomplete body.
 */
export function parseGroupCallbackJson(body: RawBody, options: BodyOptions = {}): GroupCallback {
  const record = parseJsonBody(body, options);
  return readGroupCallback(new FieldReader(record, '', '.'), JSON_KEYS, 'json', record);
}

function readGroupCallback(r: FieldReader, k: GroupKeys, format: CallbackFormat, raw: Record<string, unknown>): GroupCallback {
  const msgType = r.string(k.msgType);
  const rawEventType = msgType === 'event' ? r.optObject(k.event)?.optString(k.eventType) : undefined;
  if (!KNOWN_TYPES.includes(msgType) || (msgType === 'event' && !isEventType(rawEventType) && rawEventType !== undefined)) {
    return {
      robot: 'group',
      format,
      type: 'unknown',
      rawType: msgType,
      ...(rawEventType !== undefined && { rawEventType }),
      ...optional('msgId', r.optString(k.msgId)),
      ...optional('chatId', r.optString(k.chatId)),
      raw,
    };
  }

  // One object, filled in place: every callback comes through here.
  const base: GroupCallbackBase = {
    robot: 'group',
    format,
    msgId: r.string(k.msgId),
    webhookUrl: r.string(k.webhookUrl),
    chatId: r.string(k.chatId),
    chatType: readChatType(r, k.chatType),
  };
  setDefined(base, 'postId', r.optString(k.postId));
  setDefined(base, 'getChatInfoUrl', r.optString(k.getChatInfoUrl));

  switch (msgType) {
    case 'text':
      return Object.assign(base, { type: 'text' as const, from: readSender(r, k), text: r.object(k.text).text(k.content) });
    case 'image':
      return Object.assign(base, { type: 'image' as const, from: readSender(r, k), imageUrl: r.object(k.image).string(k.imageUrl) });
    case 'mixed':
      return Object.assign(base, { type: 'mixed' as const, from: readSender(r, k), items: readMixedItems(r, k) });
    case 'attachment': {
      const attachment = r.object(k.attachment);
      return {
        ...base,
        type: 'attachment',
        from: readSender(r, k),
        callbackId: attachment.string(k.callbackId),
        actions: attachment.objects(k.actions).map((action) => ({
          name: action.text(k.actionName),
          value: action.text(k.actionValue),
          type: action.optString(k.actionType) ?? 'button',
        })),
      };
    }
    default: {
      const eventType = r.object(k.event).string(k.eventType) as GroupEventType;
      const from = r.optObject(k.from) ? readSender(r, k) : undefined;
      return { ...base, type: 'event', eventType, ...(from && { from }) };
    }
  }
}

function isEventType(value: string | undefined): value is GroupEventType {
  return value !== undefined && (EVENT_TYPES as readonly string[]).includes(value);
}

function readChatType(r: FieldReader, key: string): GroupChatType {
  const value = r.string(key);
  if (!(CHAT_TYPES as readonly string[]).includes(value)) throw invalid(r.pathOf(key), `one of ${CHAT_TYPES.join(', ')}`);
  return value as GroupChatType;
}

function readSender(r: FieldReader, k: GroupKeys): CallbackSender {
  const from = r.object(k.from);
  const userId = from.optString(k.userId) ?? from.optString(k.userIdAlt) ?? from.string(k.userId);
  const sender: CallbackSender = { userId };
  setDefined(sender, 'name', from.optString(k.name));
  setDefined(sender, 'alias', from.optString(k.alias));
  return sender;
}

function readMixedItems(r: FieldReader, k: GroupKeys): MixedItem[] {
  const mixed = r.object(k.mixed);
  const items = mixed.objects(k.msgItem);
  if (items.length === 0) throw invalid(mixed.pathOf(k.msgItem), 'a non-empty list');
  return items.map((item): MixedItem => {
    const type = item.string(k.itemType);
    if (type === 'text') return { type: 'text', text: item.object(k.text).text(k.content) };
    if (type === 'image') return { type: 'image', imageUrl: item.object(k.image).string(k.imageUrl) };
    throw invalid(item.pathOf(k.itemType), 'text or image');
  });
}
