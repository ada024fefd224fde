import type { CorpApi } from './api.js';
import { checkIdList, checkInteger, checkOneOf, requireText } from './check.js';
import { CORP_LIMITS } from './limits.js';

/**
 * groupchat/list (corp notes §8c). Without `owner_filter` a corp whose visible range has over
 * 1000 people gets 81017.
 */
export interface ListGroupChatsRequest {
  /** 0 all (default), 1 owner left and awaiting transfer, 2 transfer in progress, 3 transfer done. */
  status_filter?: 0 | 1 | 2 | 3;
  /** ≤ 100 owners; required for owners who left. */
  owner_filter?: { userid_list: string[] };
  cursor?: string;
  /** 1 to 1000; default here 1000. */
  limit?: number;
}

export interface ListGroupChatsResponse {
  group_chat_list: { chat_id: string; status: number }[];
  /** Empty or absent when this was the last page. */
  next_cursor?: string;
}

/** A member of a customer group (corp notes §8b). */
export interface GroupChatMember {
  /** Staff userid (type 1) or external_userid (type 2). */
  userid: string;
  type: 1 | 2;
  unionid?: string;
  join_time: number;
  /** 1 invited directly, 2 invite link, 3 group QR code (a different scale from the callback's JoinScene). */
  join_scene: number;
  invitor?: { userid: string };
  group_nickname?: string;
  /** Only when asked for with `needName`. */
  name?: string;
  state?: string;
}

export interface GroupChat {
  chat_id: string;
  name: string;
  owner: string;
  create_time: number;
  notice?: string;
  member_list: GroupChatMember[];
  admin_list?: { userid: string }[];
  /** Pair with the callback's CurMemVer to skip a fetch that would change nothing. */
  member_version?: string;
}

/** Customer groups (客户群). Only groups whose owner is inside the app's visible range. */
export interface GroupChatsApi {
  /** @example const { group_chat_list, next_cursor } = await corp.groupChats.list({ owner_filter: { userid_list: ['zhangsan'] } }); */
  list(request?: ListGroupChatsRequest): Promise<ListGroupChatsResponse>;
  /** @example const chat = await corp.groupChats.get('wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA', { needName: true }); */
  get(chatId: string, options?: { needName?: boolean }): Promise<GroupChat>;
}

export function groupChatsApi(api: CorpApi): GroupChatsApi {
  return {
    async list(request = {}) {
      if (request.status_filter !== undefined) checkOneOf(request.status_filter, [0, 1, 2, 3], 'status_filter');
      if (request.owner_filter !== undefined)
        checkIdList(request.owner_filter.userid_list, 'owner_filter.userid_list', { min: 1, max: CORP_LIMITS.groupChatOwnersMax });
      const limit = request.limit ?? CORP_LIMITS.groupChatListLimitMax;
      checkInteger(limit, 1, CORP_LIMITS.groupChatListLimitMax, 'limit');
      const json = await api.call({ api: 'externalcontact/groupchat/list', method: 'POST', json: { ...request, limit } });
      return {
        group_chat_list: (json.group_chat_list ?? []) as ListGroupChatsResponse['group_chat_list'],
        ...(typeof json.next_cursor === 'string' && json.next_cursor && { next_cursor: json.next_cursor }),
      };
    },
    async get(chatId, options = {}) {
      requireText(chatId, 'chat_id');
      const json = await api.call({
        api: 'externalcontact/groupchat/get',
        method: 'POST',
        json: { chat_id: chatId, need_name: options.needName ? 1 : 0 },
      });
      return json.group_chat as GroupChat;
    },
  };
}
