/**
 * Callbacks of a corp app (自建应用, 接收消息与事件) with the customer-contact (客户联系)
 * permission: customers, customer groups and corp tags changing. They join the callback union
 * as `robot: 'corp'`; discriminate on `type` (the wire `Event` without `change_`) and then on
 * `changeType`. Field names are camelCase; the wire names are in the comments.
 *
 * Sources: the common header and add_external_contact [OFFICIAL] developer.work.weixin.qq.com
 * document/path/96361; the other change types [SDK binarywang/WxJava WxCpConsts,
 * wechatpy work/events.py] (see docs wecom-corp-api.md §2-§5).
 *
 * A `ChangeType` (or `Event`, or `MsgType`) this version does not know arrives as the
 * `unknown` variant, never as an error, so WeCom gets its answer and stops retrying.
 */

/** Fields every corp callback carries ([OFFICIAL] 96361: FromUserName is always `sys`). */
export interface CorpCallbackBase {
  robot: 'corp';
  format: 'xml';
  /**
   * Not on the wire (these events have no MsgId): the de-duplication key built from the
   * corpid, `Event`, `ChangeType`, the ids and `CreateTime`, each length-prefixed so no two
   * events share it. Retries of one event carry the same key.
   */
  msgId: string;
  /** `ToUserName`: the corpid. */
  corpId: string;
  /** `AgentID`, when the plaintext carries it (customer-contact events may not). */
  agentId?: string;
  /** `CreateTime`: unix seconds. */
  createTime: number;
}

// ---------------------------------------------------------------- change_external_contact

/** `ChangeType` values of `change_external_contact`. */
export type CorpCustomerChangeType =
  | 'add_external_contact'
  | 'edit_external_contact'
  | 'del_external_contact'
  | 'del_follow_user'
  | 'add_half_external_contact'
  | 'transfer_fail';

/** A customer (external contact) changed (`Event` `change_external_contact`). */
export interface CorpCustomerBase extends CorpCallbackBase {
  type: 'external_contact';
  /** `UserID`: the staff member (for `transfer_fail`, the one who was to take the customer over). */
  userId: string;
  /** `ExternalUserID`: the customer. */
  externalUserId: string;
}

/**
 * A staff member added a customer, or the customer's request was accepted. Answer the
 * `welcomeCode` with send_welcome_msg within 20 seconds, once ([OFFICIAL] 92599).
 */
export interface CorpCustomerAddCallback extends CorpCustomerBase {
  changeType: 'add_external_contact';
  /** `State`: the 「联系我」 config's state, or the 获客链接's customer_channel. */
  state?: string;
  /** `WelcomeCode`: absent when the admin console already has a welcome for this staff member. */
  welcomeCode?: string;
}

/** The customer added a staff member who needs no confirmation (免验证); not yet friends. */
export interface CorpCustomerHalfAddCallback extends CorpCustomerBase {
  changeType: 'add_half_external_contact';
  /** `State` */
  state?: string;
  /** `WelcomeCode`: valid 20 seconds, like on add_external_contact. */
  welcomeCode?: string;
}

/** The staff member edited the customer's remark or corp tags (not the remark mobile alone). */
export interface CorpCustomerEditCallback extends CorpCustomerBase {
  changeType: 'edit_external_contact';
  /** `State`: one SDK sample shows it here too, so it is read when present. */
  state?: string;
}

/** The staff member deleted the customer. */
export interface CorpCustomerDeleteCallback extends CorpCustomerBase {
  changeType: 'del_external_contact';
  /** `Source`: `DELETE_BY_TRANSFER` when removed by an on-the-job transfer (在职继承). */
  source?: 'DELETE_BY_TRANSFER' | (string & {});
}

/** The customer deleted the staff member (the one-way relationship remains). */
export interface CorpCustomerDeletedByCallback extends CorpCustomerBase {
  changeType: 'del_follow_user';
}

/** A transfer (继承) to a new staff member failed. */
export interface CorpCustomerTransferFailCallback extends CorpCustomerBase {
  changeType: 'transfer_fail';
  /** `FailReason`: `customer_refused` or `customer_limit_exceed` (the taker is at the limit). */
  failReason?: 'customer_refused' | 'customer_limit_exceed' | (string & {});
}

/** Every `change_external_contact` callback. */
export type CorpCustomerCallback =
  | CorpCustomerAddCallback
  | CorpCustomerHalfAddCallback
  | CorpCustomerEditCallback
  | CorpCustomerDeleteCallback
  | CorpCustomerDeletedByCallback
  | CorpCustomerTransferFailCallback;

// ---------------------------------------------------------------- change_external_chat

/** A customer group changed (`Event` `change_external_chat`). Fetch groupchat/get for its state. */
export interface CorpGroupChatBase extends CorpCallbackBase {
  type: 'external_chat';
  /** `ChatId`: the customer group. */
  chatId: string;
}

/** A customer group was created. */
export interface CorpGroupChatCreateCallback extends CorpGroupChatBase {
  changeType: 'create';
}

/** The owner dismissed the group. */
export interface CorpGroupChatDismissCallback extends CorpGroupChatBase {
  changeType: 'dismiss';
}

/** Member fields of `update` with `add_member`/`del_member`. */
export interface CorpGroupChatMemberChange {
  /** `MemChangeCnt`: how many members joined or left. */
  changeCount?: number;
  /**
   * `MemChangeList`: the ids of the members (staff userids and external_userids). A newer
   * field: empty when WeCom did not send it; `<Item>` children and the older comma-separated
   * text are both read [SDK WxJava XStreamCDataListConverter].
   */
  memberIds: string[];
  /** `LastMemVer`: the member-list version before the change. */
  lastMemberVersion?: string;
  /** `CurMemVer`: the version after it (compare with groupchat/get `member_version`). */
  memberVersion?: string;
}

/** Members joined a customer group (`ChangeType` update, `UpdateDetail` add_member). */
export interface CorpGroupChatJoinCallback extends CorpGroupChatBase, CorpGroupChatMemberChange {
  changeType: 'update';
  updateDetail: 'add_member';
  /**
   * `JoinScene`: 0 invited by a member (directly or by link), 3 scanned the group QR code. Read
   * as a plain number: a sample shows 1, which is not documented. Not groupchat/get's 1/2/3 scale.
   */
  joinScene?: number;
}

/** Members left a customer group (`UpdateDetail` del_member). */
export interface CorpGroupChatLeaveCallback extends CorpGroupChatBase, CorpGroupChatMemberChange {
  changeType: 'update';
  updateDetail: 'del_member';
  /** `QuitScene`: 0 left by themselves, 1 removed by the owner or an admin. */
  quitScene?: number;
}

/**
 * Another change of a customer group: its owner, name or notice. `other` stands for an
 * `UpdateDetail` this version does not know (its wire value in `rawUpdateDetail`): the group
 * changed all the same, so it is still an update.
 */
export interface CorpGroupChatUpdateCallback extends CorpGroupChatBase {
  changeType: 'update';
  /** `UpdateDetail` */
  updateDetail: 'change_owner' | 'change_name' | 'change_notice' | 'other';
  /** The wire `UpdateDetail` when `updateDetail` is `other` (empty when it was absent). */
  rawUpdateDetail?: string;
}

/** Every `change_external_chat` callback. */
export type CorpGroupChatCallback =
  | CorpGroupChatCreateCallback
  | CorpGroupChatDismissCallback
  | CorpGroupChatJoinCallback
  | CorpGroupChatLeaveCallback
  | CorpGroupChatUpdateCallback;

// ---------------------------------------------------------------- change_external_tag

/** `TagType`: a tag or a tag group. */
export type CorpTagType = 'tag' | 'tag_group';

/**
 * Corp tags changed in the admin console or the client (`Event` `change_external_tag`). Changes
 * made through the API are never called back ([OFFICIAL] 96361).
 */
export interface CorpTagBase extends CorpCallbackBase {
  type: 'external_tag';
  /** `StrategyId`: the rule group (规则组) of the tag, when it belongs to one. */
  strategyId?: string;
}

/** A tag or tag group was created, updated or deleted. */
export interface CorpTagChangeCallback extends CorpTagBase {
  changeType: 'create' | 'update' | 'delete';
  /** `Id`: the tag id or the tag-group id, as `tagType` says. */
  id: string;
  /** `TagType`: deleting a group is called back once, for the group, not per tag. */
  tagType: CorpTagType | (string & {});
}

/** The order of tags changed. */
export interface CorpTagShuffleCallback extends CorpTagBase {
  changeType: 'shuffle';
  /** `Id`: the group whose tags were reordered; absent when the order of the groups changed. */
  id?: string;
}

/** Every `change_external_tag` callback. */
export type CorpTagCallback = CorpTagChangeCallback | CorpTagShuffleCallback;

// ---------------------------------------------------------------- unknown

/** A corp callback this version does not know (another app event, a new ChangeType): log and acknowledge. */
export interface CorpUnknownCallback {
  robot: 'corp';
  format: 'xml';
  type: 'unknown';
  /** The raw `MsgType`. */
  rawType: string;
  /** The raw `Event`, when `rawType` is `event`. */
  rawEventType?: string;
  /** The raw `ChangeType`, when present. */
  rawChangeType?: string;
  msgId?: string;
  chatId?: string;
  /** `ToUserName`, when present. */
  corpId?: string;
  /** The parsed plaintext, for logging. */
  raw: Record<string, unknown>;
}

/** Every corp app callback. */
export type CorpCallback = CorpCustomerCallback | CorpGroupChatCallback | CorpTagCallback | CorpUnknownCallback;
