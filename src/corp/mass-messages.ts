import type { CorpApi } from './api.js';
import { checkAttachments, checkTextPart, type Attachment } from './attachments.js';
import { checkIdList, requireObject, requireText } from './check.js';
import { CorpRequestError } from './errors.js';
import { CORP_LIMITS } from './limits.js';

/**
 * A mass message to customers or customer groups (add_msg_template, corp notes §10). It sends
 * nothing by itself: it creates a task each staff member confirms in the client, and each
 * customer receives a limited number of mass messages (per day, week or month, as the admin set).
 */
export interface MassMessageRequest {
  /** `single` (default): to customers; `group`: to customer groups. */
  chat_type?: 'single' | 'group';
  /** single only; ≤ 10 000. */
  external_userid?: string[];
  /** group only; ≤ 2000. */
  chat_id_list?: string[];
  /** Customers by corp tags. */
  tag_filter?: { group_list: { tag_list: string[] }[] };
  /** The staff userid who sends; required for `group`. */
  sender?: string;
  /** single only: let the staff member change the recipients. */
  allow_select?: boolean;
  /** ≤ 4000 bytes. */
  text?: { content: string };
  /** ≤ 9. */
  attachments?: Attachment[];
}

export interface MassMessageResult {
  msgid: string;
  /** Customers that cannot receive it (e.g. no longer friends). */
  fail_list: string[];
}

export interface MassMessagesApi {
  /**
   * Creates the task. At most once: a failure after the request may have reached WeCom is not
   * retried, since a second task would make staff confirm (and customers receive) it twice.
   *
   * @example
   * const { msgid } = await corp.massMessages.add({ external_userid: ['wmXXX'], sender: 'zhangsan', text: { content: '双十一活动开始啦' } });
   */
  add(request: MassMessageRequest): Promise<MassMessageResult>;
}

export function checkMassMessage(r: MassMessageRequest): void {
  const type = r.chat_type ?? 'single';
  if (type !== 'single' && type !== 'group') throw new CorpRequestError('chat_type', 'must be "single" or "group"');
  if (r.sender !== undefined) requireText(r.sender, 'sender');
  if (type === 'single') {
    if (r.chat_id_list !== undefined) throw new CorpRequestError('chat_id_list', 'is for chat_type "group" only');
    if (r.external_userid !== undefined) checkIdList(r.external_userid, 'external_userid', { max: CORP_LIMITS.massExternalUsersMax });
    if (!r.external_userid?.length && r.sender === undefined) {
      throw new CorpRequestError('external_userid', 'or sender is required', {
        hint: 'name the customers, or the staff member whose customers (filtered by tag_filter) receive it',
      });
    }
  } else {
    if (r.external_userid !== undefined) throw new CorpRequestError('external_userid', 'is for chat_type "single" only');
    if (r.allow_select !== undefined) throw new CorpRequestError('allow_select', 'is for chat_type "single" only');
    if (r.sender === undefined) throw new CorpRequestError('sender', 'is required for chat_type "group"');
    if (r.chat_id_list !== undefined) checkIdList(r.chat_id_list, 'chat_id_list', { max: CORP_LIMITS.massChatIdsMax });
  }
  if (r.tag_filter !== undefined) {
    const groups = requireObject(r.tag_filter, 'tag_filter').group_list;
    if (!Array.isArray(groups) || groups.length === 0) throw new CorpRequestError('tag_filter.group_list', 'needs at least one group');
    groups.forEach((g, i) =>
      checkIdList((g as { tag_list?: unknown })?.tag_list, `tag_filter.group_list[${i}].tag_list`, { min: 1, max: 10_000 }),
    );
  }
  if (r.text === undefined && r.attachments === undefined)
    throw new CorpRequestError('text', 'or attachments is required: a mass message cannot be empty');
  checkTextPart(r.text, CORP_LIMITS.massTextBytes);
  checkAttachments(r.attachments);
}

export function massMessagesApi(api: CorpApi): MassMessagesApi {
  return {
    async add(request) {
      checkMassMessage(request);
      const json = await api.call({ api: 'externalcontact/add_msg_template', method: 'POST', json: request, delivery: 'at-most-once' });
      return { msgid: String(json.msgid ?? ''), fail_list: (json.fail_list ?? []) as string[] };
    },
  };
}
