import type { CorpApi } from './api.js';
import { checkIdList, checkInteger, requireText } from './check.js';
import { CORP_LIMITS } from './limits.js';

/** A customer (external contact), corp notes §8a. */
export interface ExternalContact {
  /** wm…/wo… */
  external_userid: string;
  name: string;
  /** 1 = WeChat user, 2 = WeCom user. */
  type: 1 | 2;
  avatar?: string;
  /** 0 unknown, 1 male, 2 female. */
  gender?: 0 | 1 | 2;
  /** Only for WeChat users when the corp has bound a WeChat open-platform account. */
  unionid?: string;
  position?: string;
  corp_name?: string;
  corp_full_name?: string;
  external_profile?: Record<string, unknown>;
}

/** A tag a staff member put on the customer: type 1 corp tag (with tag_id), 2 personal tag. */
export interface FollowUserTag {
  group_name?: string;
  tag_name: string;
  tag_id?: string;
  type: number;
}

/** One staff member's relationship to the customer. */
export interface FollowUser {
  userid: string;
  remark?: string;
  description?: string;
  /** Unix seconds. */
  createtime: number;
  tags?: FollowUserTag[];
  remark_corp_name?: string;
  remark_mobiles?: string[];
  add_way?: number;
  oper_userid?: string;
  /** The 「联系我」 state the customer came through. */
  state?: string;
}

export interface ExternalContactDetail {
  external_contact: ExternalContact;
  follow_user: FollowUser[];
  /** Set when the customer has more than 500 follow users: pass it as `cursor` for the rest. */
  next_cursor?: string;
}

/** The relationship as batch/get_by_user returns it: corp tag ids only. */
export interface FollowInfo extends Omit<FollowUser, 'tags'> {
  tag_id?: string[];
}

export interface BatchGetByUserRequest {
  /** ≤ 100 staff userids. */
  userid_list: string[];
  cursor?: string;
  /** ≤ 100, default 50. */
  limit?: number;
}

export interface BatchGetByUserResponse {
  external_contact_list: { external_contact: ExternalContact; follow_info: FollowInfo }[];
  next_cursor?: string;
}

/** Customer details (corp notes §8a). Only staff inside the app's visible range are returned. */
export interface ContactsApi {
  /** @example const { external_contact, follow_user } = await corp.contacts.get('wmXXXX'); */
  get(externalUserId: string, options?: { cursor?: string }): Promise<ExternalContactDetail>;
  /** One page of the customers of up to 100 staff members. */
  batchGetByUser(request: BatchGetByUserRequest): Promise<BatchGetByUserResponse>;
}

export function contactsApi(api: CorpApi): ContactsApi {
  return {
    async get(externalUserId, options = {}) {
      requireText(externalUserId, 'external_userid');
      const json = await api.call({
        api: 'externalcontact/get',
        method: 'GET',
        query: { external_userid: externalUserId, cursor: options.cursor || undefined },
      });
      return {
        external_contact: json.external_contact as ExternalContact,
        follow_user: (json.follow_user ?? []) as FollowUser[],
        ...(typeof json.next_cursor === 'string' && json.next_cursor && { next_cursor: json.next_cursor }),
      };
    },
    async batchGetByUser(request) {
      checkIdList(request.userid_list, 'userid_list', { min: 1, max: CORP_LIMITS.batchUserIdsMax });
      if (request.limit !== undefined) checkInteger(request.limit, 1, CORP_LIMITS.batchLimitMax, 'limit');
      const json = await api.call({ api: 'externalcontact/batch/get_by_user', method: 'POST', json: request });
      return {
        external_contact_list: (json.external_contact_list ?? []) as BatchGetByUserResponse['external_contact_list'],
        ...(typeof json.next_cursor === 'string' && json.next_cursor && { next_cursor: json.next_cursor }),
      };
    },
  };
}
