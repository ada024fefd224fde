/**
 * Corp app callback plaintexts as WeCom sends them (wecom-corp-api.md §2-§5: the common header
 * of [OFFICIAL] 96361, the fields of each change type), built from plain descriptions.
 */

/** What changed, independent of the XML. */
export type CorpEvent =
  | {
      kind: 'customer';
      changeType:
        | 'add_external_contact'
        | 'add_half_external_contact'
        | 'edit_external_contact'
        | 'del_external_contact'
        | 'del_follow_user'
        | 'transfer_fail';
      userId: string;
      externalUserId: string;
      state?: string;
      welcomeCode?: string;
      /** del_external_contact: `DELETE_BY_TRANSFER`. */
      source?: string;
      /** transfer_fail: `customer_refused` or `customer_limit_exceed`. */
      failReason?: string;
    }
  | {
      kind: 'chat';
      changeType: 'create' | 'update' | 'dismiss';
      chatId: string;
      /** update: add_member, del_member, change_owner, change_name, change_notice. */
      updateDetail?: string;
      joinScene?: number;
      quitScene?: number;
      memberIds?: readonly string[];
      lastMemberVersion?: string;
      memberVersion?: string;
    }
  | { kind: 'tag'; changeType: 'create' | 'update' | 'delete' | 'shuffle'; id?: string; tagType?: 'tag' | 'tag_group'; strategyId?: string }
  /** Any other plaintext body after the header (an event this version does not know). */
  | { kind: 'raw'; event: string; fields: string };

function cdata(v: string): string {
  return `<![CDATA[${v.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

function el(name: string, v: string | number | undefined): string {
  if (v === undefined) return '';
  return typeof v === 'number' ? `<${name}>${v}</${name}>` : `<${name}>${cdata(v)}</${name}>`;
}

const EVENTS = { customer: 'change_external_contact', chat: 'change_external_chat', tag: 'change_external_tag' } as const;

/**
 * The decrypted XML of a corp app callback.
 *
 * @example corpCallbackXml({ corpId, createTime: 1700000000 }, { kind: 'chat', changeType: 'dismiss', chatId: 'wrX' })
 */
export function corpCallbackXml(head: { corpId: string; createTime: number }, e: CorpEvent): string {
  const event = e.kind === 'raw' ? e.event : EVENTS[e.kind];
  let s = `<xml>${el('ToUserName', head.corpId)}${el('FromUserName', 'sys')}${el('CreateTime', head.createTime)}${el('MsgType', 'event')}${el('Event', event)}`;
  switch (e.kind) {
    case 'customer':
      s += el('ChangeType', e.changeType) + el('UserID', e.userId) + el('ExternalUserID', e.externalUserId);
      s += el('State', e.state) + el('WelcomeCode', e.welcomeCode) + el('Source', e.source) + el('FailReason', e.failReason);
      break;
    case 'chat':
      s += el('ChatId', e.chatId) + el('ChangeType', e.changeType) + el('UpdateDetail', e.updateDetail);
      s += el('JoinScene', e.joinScene) + el('QuitScene', e.quitScene);
      if (e.memberIds)
        s += el('MemChangeCnt', e.memberIds.length) + `<MemChangeList>${e.memberIds.map((id) => el('Item', id)).join('')}</MemChangeList>`;
      s += el('LastMemVer', e.lastMemberVersion) + el('CurMemVer', e.memberVersion);
      break;
    case 'tag':
      s += el('Id', e.id ?? '') + el('TagType', e.tagType) + el('ChangeType', e.changeType) + el('StrategyId', e.strategyId);
      break;
    case 'raw':
      s += e.fields;
      break;
  }
  return `${s}</xml>`;
}

/** The outer envelope of a corp callback: ToUserName and AgentID around Encrypt ([OFFICIAL] 96466). */
export function corpEnvelopeXml(corpId: string, agentId: string, encrypt: string): string {
  return `<xml>${el('ToUserName', corpId)}${el('AgentID', agentId)}${el('Encrypt', encrypt)}</xml>`;
}
