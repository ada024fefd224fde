import { describe, expect, it } from 'vitest';
import { parseEncryptedEnvelope } from '../../../src/protocol/callback/envelope.js';
import { corpEventKey } from '../../../src/protocol/callback/corp-key.js';
import { parseCorpCallbackXml } from '../../../src/protocol/callback/corp.js';
import { parseCallback } from '../../../src/protocol/callback/parse.js';
import {
  CORP_ID,
  corpEnvelope,
  XML_APP_TEXT,
  XML_CHAT_CREATE,
  XML_CHAT_DISMISS,
  XML_CHAT_JOIN,
  XML_CHAT_JOIN_ONE,
  XML_CHAT_LEAVE_OLD,
  XML_CUSTOMER_ADD,
  XML_CUSTOMER_ADD_BARE,
  XML_CUSTOMER_DELETE,
  XML_CUSTOMER_DELETED_BY,
  XML_CUSTOMER_EDIT,
  XML_CUSTOMER_FUTURE,
  XML_CUSTOMER_HALF_ADD,
  XML_CUSTOMER_TRANSFER_FAIL,
  XML_OTHER_EVENT,
  XML_TAG_SHUFFLE_ALL,
  XML_TAG_SHUFFLE_GROUP,
  XML_TAG_STRATEGY,
  xmlChatUpdate,
  xmlTag,
} from '../fixtures/corp-callbacks.js';
import { parseErrorOf } from './errors.js';

const head = { robot: 'corp', format: 'xml', corpId: CORP_ID, createTime: 1403610513 };

describe('parseCorpCallbackXml: change_external_contact', () => {
  it('reads add_external_contact with State and WelcomeCode', () => {
    const cb = parseCorpCallbackXml(XML_CUSTOMER_ADD);
    expect(cb).toEqual({
      ...head,
      msgId: corpEventKey([
        CORP_ID,
        'change_external_contact',
        'add_external_contact',
        'zhangsan',
        'woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA',
        1403610513,
      ]),
      type: 'external_contact',
      changeType: 'add_external_contact',
      userId: 'zhangsan',
      externalUserId: 'woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA',
      state: 'spring-poster',
      welcomeCode: 'CALLBACK_CODE_1',
    });
  });

  it('leaves State and WelcomeCode absent when WeCom sends none', () => {
    const cb = parseCorpCallbackXml(XML_CUSTOMER_ADD_BARE);
    expect(cb).toMatchObject({ changeType: 'add_external_contact', userId: 'lisi', externalUserId: 'wmBARE', createTime: 1403610600 });
    expect(cb).not.toHaveProperty('welcomeCode');
    expect(cb).not.toHaveProperty('state');
  });

  it.each([
    [
      XML_CUSTOMER_HALF_ADD,
      { changeType: 'add_half_external_contact', externalUserId: 'wmHALF', state: 'qr-7', welcomeCode: 'CALLBACK_CODE_2' },
    ],
    [XML_CUSTOMER_EDIT, { changeType: 'edit_external_contact', externalUserId: 'wmEDIT' }],
    [XML_CUSTOMER_DELETE, { changeType: 'del_external_contact', externalUserId: 'wmDEL', source: 'DELETE_BY_TRANSFER' }],
    [XML_CUSTOMER_DELETED_BY, { changeType: 'del_follow_user', externalUserId: 'wmGONE' }],
    [
      XML_CUSTOMER_TRANSFER_FAIL,
      { changeType: 'transfer_fail', userId: 'wangwu', externalUserId: 'wmMOVED', failReason: 'customer_refused' },
    ],
  ])('reads %#: every other change type', (xml, fields) => {
    expect(parseCorpCallbackXml(xml)).toMatchObject({ ...head, type: 'external_contact', ...fields });
  });

  it('refuses a known change without the ids WeCom always sends, naming the field', () => {
    const err = parseErrorOf(() => parseCorpCallbackXml(XML_CUSTOMER_EDIT.replace(/<ExternalUserID>.*<\/ExternalUserID>/, '')));
    expect([err.code, err.field]).toEqual(['callback_missing_field', 'ExternalUserID']);
    expect(parseErrorOf(() => parseCorpCallbackXml(XML_CUSTOMER_EDIT.replace(/<CreateTime>\d+/, '<CreateTime>soon'))).code).toBe(
      'callback_invalid_field',
    );
  });
});

describe('parseCorpCallbackXml: change_external_chat', () => {
  it('reads create and dismiss', () => {
    expect(parseCorpCallbackXml(XML_CHAT_CREATE)).toMatchObject({
      ...head,
      type: 'external_chat',
      changeType: 'create',
      chatId: 'wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA',
    });
    expect(parseCorpCallbackXml(XML_CHAT_DISMISS)).toMatchObject({ type: 'external_chat', changeType: 'dismiss' });
  });

  it('reads add_member with the scene, the count, the member ids and both versions', () => {
    const cb = parseCorpCallbackXml(XML_CHAT_JOIN);
    expect(cb).toEqual({
      ...head,
      msgId: expect.any(String),
      type: 'external_chat',
      changeType: 'update',
      updateDetail: 'add_member',
      chatId: 'wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA',
      joinScene: 3,
      changeCount: 2,
      memberIds: ['Jack', 'wmXXXXexternal'],
      lastMemberVersion: '9c3f97c2ada667dfb5f6d03308d963e1',
      memberVersion: '71217227bbd112ecfe3a49c482195cb4',
    });
  });

  it('reads one <Item> as a list of one', () => {
    expect(parseCorpCallbackXml(XML_CHAT_JOIN_ONE)).toMatchObject({
      updateDetail: 'add_member',
      joinScene: 0,
      changeCount: 1,
      memberIds: ['wmSOLO'],
    });
  });

  it('reads del_member in the older comma-separated form', () => {
    const cb = parseCorpCallbackXml(XML_CHAT_LEAVE_OLD);
    expect(cb).toMatchObject({ updateDetail: 'del_member', quitScene: 1, changeCount: 2, memberIds: ['wmA', 'wmB'] });
    expect(cb).not.toHaveProperty('joinScene');
  });

  it.each(['change_owner', 'change_name', 'change_notice'])('reads the %s update', (detail) => {
    expect(parseCorpCallbackXml(xmlChatUpdate(detail))).toMatchObject({ changeType: 'update', updateDetail: detail, chatId: 'wrRENAMED' });
  });

  it('keeps an update with an UpdateDetail it does not know as an update (the group changed all the same)', () => {
    expect(parseCorpCallbackXml(xmlChatUpdate('change_avatar'))).toMatchObject({
      changeType: 'update',
      updateDetail: 'other',
      rawUpdateDetail: 'change_avatar',
    });
  });
});

describe('parseCorpCallbackXml: change_external_tag', () => {
  it.each([
    ['create', 'tag'],
    ['update', 'tag_group'],
    ['delete', 'tag_group'],
  ] as const)('reads %s of a %s', (changeType, tagType) => {
    expect(parseCorpCallbackXml(xmlTag(changeType, tagType))).toMatchObject({
      ...head,
      type: 'external_tag',
      changeType,
      tagType,
      id: 'etXXXXXXXXXX',
    });
  });

  it('reads the rule group of a tag', () => {
    expect(parseCorpCallbackXml(XML_TAG_STRATEGY)).toMatchObject({ changeType: 'create', id: 'etSTRAT', strategyId: '1' });
  });

  it('reads shuffle of one group, and of all groups (empty Id)', () => {
    expect(parseCorpCallbackXml(XML_TAG_SHUFFLE_GROUP)).toMatchObject({ changeType: 'shuffle', id: 'etGROUP' });
    const all = parseCorpCallbackXml(XML_TAG_SHUFFLE_ALL);
    expect(all).toMatchObject({ type: 'external_tag', changeType: 'shuffle' });
    expect(all).not.toHaveProperty('id');
  });
});

describe('parseCorpCallbackXml: what it does not know', () => {
  it('gives the unknown variant for a new ChangeType, another event and an app message', () => {
    expect(parseCorpCallbackXml(XML_CUSTOMER_FUTURE)).toMatchObject({
      robot: 'corp',
      type: 'unknown',
      rawType: 'event',
      rawEventType: 'change_external_contact',
      rawChangeType: 'msg_audit_approved',
      corpId: CORP_ID,
    });
    expect(parseCorpCallbackXml(XML_OTHER_EVENT)).toMatchObject({ type: 'unknown', rawType: 'event', rawEventType: 'enter_agent' });
    const text = parseCorpCallbackXml(XML_APP_TEXT);
    expect(text).toMatchObject({ type: 'unknown', rawType: 'text' });
    expect(text).not.toHaveProperty('rawEventType');
  });

  it('refuses a body that is not a callback at all', () => {
    expect(parseErrorOf(() => parseCorpCallbackXml('<xml></xml>')).code).toBe('callback_missing_field');
    expect(parseErrorOf(() => parseCorpCallbackXml('<!DOCTYPE x [<!ENTITY a "a">]><xml/>')).code).toBe('callback_xml_dtd_forbidden');
  });
});

describe('the corp de-duplication key', () => {
  it('is the same for a retry and differs when any part differs', () => {
    const key = parseCorpCallbackXml(XML_CUSTOMER_ADD).msgId;
    expect(parseCorpCallbackXml(XML_CUSTOMER_ADD).msgId).toBe(key);
    expect(parseCorpCallbackXml(XML_CUSTOMER_ADD.replace('1403610513', '1403610514')).msgId).not.toBe(key);
    expect(parseCorpCallbackXml(XML_CUSTOMER_HALF_ADD.replace('wmHALF', 'woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA')).msgId).not.toBe(key);
    // Two member changes of one group in the same second differ by CurMemVer.
    const join = parseCorpCallbackXml(XML_CHAT_JOIN).msgId;
    expect(parseCorpCallbackXml(XML_CHAT_JOIN.replace('71217227', '81217227')).msgId).not.toBe(join);
  });

  it('cannot collide by moving characters between parts (length prefixes)', () => {
    expect(corpEventKey(['a|b', 'c'])).not.toBe(corpEventKey(['a', 'b|c']));
    expect(corpEventKey(['1:a', ''])).not.toBe(corpEventKey(['1', ':a']));
    expect(corpEventKey(['ww1', 'change_external_contact', 'add_external_contact', 'zhangsan', 'wmX', 1403610513])).toBe(
      'corp:3:ww123:change_external_contact20:add_external_contact8:zhangsan3:wmX10:1403610513',
    );
    expect(corpEventKey(['x', undefined, 'y'])).toBe('corp:1:x0:1:y');
  });
});

describe('corp envelope and parseCallback', () => {
  it('reads Encrypt from the envelope with ToUserName and AgentID around it', () => {
    expect(parseEncryptedEnvelope(corpEnvelope('abc+/='), 'xml')).toBe('abc+/=');
    expect(parseEncryptedEnvelope(corpEnvelope('abc=', ''), 'xml')).toBe('abc=');
  });

  it('parseCallback({ robot: "corp" }) is the corp parser', () => {
    expect(parseCallback(XML_CHAT_CREATE, { robot: 'corp' })).toEqual(parseCorpCallbackXml(XML_CHAT_CREATE));
  });
});
