/**
 * Corp app callbacks (decrypted plaintext, XML only): customer, customer-group and corp-tag
 * changes of the customer-contact permission. See corp-types.ts for the fields and sources.
 */
import { parseXml } from '../xml.js';
import type { BodyOptions, RawBody } from './body.js';
import { corpEventKey } from './corp-key.js';
import type {
  CorpCallback,
  CorpCallbackBase,
  CorpCustomerCallback,
  CorpGroupChatCallback,
  CorpGroupChatMemberChange,
  CorpGroupChatUpdateCallback,
  CorpTagCallback,
  CorpUnknownCallback,
} from './corp-types.js';
import { CallbackParseError } from './errors.js';
import { FieldReader, optional } from './fields.js';

const CUSTOMER_CHANGES = new Set<string>([
  'add_external_contact',
  'edit_external_contact',
  'del_external_contact',
  'del_follow_user',
  'add_half_external_contact',
  'transfer_fail',
]);
const GROUP_UPDATES = new Set<string>(['change_owner', 'change_name', 'change_notice']);

/**
 * Parse a decrypted corp app callback. Unknown `MsgType`, `Event` or `ChangeType` values give
 * the `unknown` variant; a known event without the fields WeCom always sends (`ToUserName`,
 * `CreateTime`, the ids) is an error, as for robot callbacks.
 *
 * @example
 * const cb = parseCorpCallbackXml(plaintext);
 * if (cb.type === 'external_contact' && cb.changeType === 'add_external_contact') sendWelcome(cb.welcomeCode);
 * @throws CallbackParseError on an unsafe, malformed or incomplete body.
 */
export function parseCorpCallbackXml(body: RawBody, options: BodyOptions = {}): CorpCallback {
  const { root } = parseXml(body, options);
  if (typeof root === 'string') {
    throw new CallbackParseError('callback_missing_field', 'callback field MsgType is missing (the XML root is empty)', {
      field: 'MsgType',
    });
  }
  const raw = root as Record<string, unknown>;
  const r = new FieldReader(raw, '', '/');
  const msgType = r.string('MsgType');
  const event = msgType === 'event' ? r.optString('Event') : undefined;
  const changeType = r.optString('ChangeType') ?? '';
  const known =
    (event === 'change_external_contact' && CUSTOMER_CHANGES.has(changeType)) ||
    (event === 'change_external_chat' && ['create', 'update', 'dismiss'].includes(changeType)) ||
    (event === 'change_external_tag' && ['create', 'update', 'delete', 'shuffle'].includes(changeType));
  if (!known) return unknownCallback(r, raw, msgType, event, changeType);

  const corpId = r.string('ToUserName');
  const createTime = r.number('CreateTime');
  const head = { corpId, createTime, ...optional('agentId', r.optString('AgentID')) };
  if (event === 'change_external_contact') return readCustomer(r, changeType, head);
  if (event === 'change_external_chat') return readGroupChat(r, changeType, head);
  return readTag(r, changeType, head);
}

type Head = Pick<CorpCallbackBase, 'corpId' | 'createTime' | 'agentId'>;

function base(head: Head, key: (string | number | undefined)[]): CorpCallbackBase {
  return { robot: 'corp', format: 'xml', msgId: corpEventKey([head.corpId, ...key, head.createTime]), ...head };
}

function readCustomer(r: FieldReader, changeType: string, head: Head): CorpCustomerCallback {
  const userId = r.string('UserID');
  const externalUserId = r.string('ExternalUserID');
  const common = {
    ...base(head, ['change_external_contact', changeType, userId, externalUserId]),
    type: 'external_contact' as const,
    userId,
    externalUserId,
  };
  const state = optional('state', r.optString('State'));
  switch (changeType) {
    case 'add_external_contact':
    case 'add_half_external_contact':
      return { ...common, changeType, ...state, ...optional('welcomeCode', r.optString('WelcomeCode')) };
    case 'edit_external_contact':
      return { ...common, changeType, ...state };
    case 'del_external_contact':
      return { ...common, changeType, ...optional('source', r.optString('Source')) };
    case 'transfer_fail':
      return { ...common, changeType, ...optional('failReason', r.optString('FailReason')) };
    default:
      return { ...common, changeType: 'del_follow_user' };
  }
}

function readGroupChat(r: FieldReader, changeType: string, head: Head): CorpGroupChatCallback {
  const chatId = r.string('ChatId');
  const detail = changeType === 'update' ? (r.optString('UpdateDetail') ?? '') : undefined;
  // CurMemVer tells apart two member changes of one group within the same second.
  const common = {
    ...base(head, ['change_external_chat', changeType, detail, chatId, r.optString('CurMemVer')]),
    type: 'external_chat' as const,
    chatId,
  };
  if (changeType === 'create' || changeType === 'dismiss') return { ...common, changeType };
  if (detail === 'add_member')
    return {
      ...common,
      changeType: 'update',
      updateDetail: detail,
      ...optional('joinScene', r.optNumber('JoinScene')),
      ...memberChange(r),
    };
  if (detail === 'del_member')
    return {
      ...common,
      changeType: 'update',
      updateDetail: detail,
      ...optional('quitScene', r.optNumber('QuitScene')),
      ...memberChange(r),
    };
  const update: CorpGroupChatUpdateCallback = { ...common, changeType: 'update', updateDetail: 'other' };
  if (detail !== undefined && GROUP_UPDATES.has(detail)) update.updateDetail = detail as CorpGroupChatUpdateCallback['updateDetail'];
  else update.rawUpdateDetail = detail ?? '';
  return update;
}

function memberChange(r: FieldReader): CorpGroupChatMemberChange {
  return {
    ...optional('changeCount', r.optNumber('MemChangeCnt')),
    memberIds: memberIds(r),
    ...optional('lastMemberVersion', r.optString('LastMemVer')),
    ...optional('memberVersion', r.optString('CurMemVer')),
  };
}

/** `<MemChangeList><Item>a</Item>…</MemChangeList>`, or the older `<MemChangeList>a,b</MemChangeList>`. */
function memberIds(r: FieldReader): string[] {
  const value = r.get('MemChangeList');
  if (typeof value === 'string') return splitIds(value);
  return (r.optObject('MemChangeList')?.strings('Item') ?? []).map((id) => id.trim()).filter((id) => id !== '');
}

function splitIds(text: string): string[] {
  return text
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
}

function readTag(r: FieldReader, changeType: string, head: Head): CorpTagCallback {
  const strategy = optional('strategyId', r.optString('StrategyId'));
  if (changeType === 'shuffle') {
    const id = r.optString('Id');
    return {
      ...base(head, ['change_external_tag', changeType, id, strategy.strategyId]),
      type: 'external_tag',
      changeType,
      ...optional('id', id),
      ...strategy,
    };
  }
  const id = r.string('Id');
  const tagType = r.string('TagType');
  return {
    ...base(head, ['change_external_tag', changeType, id, tagType, strategy.strategyId]),
    type: 'external_tag',
    changeType: changeType as 'create' | 'update' | 'delete',
    id,
    tagType,
    ...strategy,
  };
}

function unknownCallback(
  r: FieldReader,
  raw: Record<string, unknown>,
  msgType: string,
  event: string | undefined,
  changeType: string,
): CorpUnknownCallback {
  return {
    robot: 'corp',
    format: 'xml',
    type: 'unknown',
    rawType: msgType,
    ...optional('rawEventType', event),
    ...optional('rawChangeType', changeType || undefined),
    ...optional('corpId', r.optString('ToUserName')),
    ...optional('chatId', r.optString('ChatId')),
    raw,
  };
}
