import type { CorpApi } from './api.js';
import { checkChars, checkIdList, checkInteger, requireText } from './check.js';
import { CorpRequestError } from './errors.js';
import { CORP_LIMITS } from './limits.js';

/** A corp customer tag (企业客户标签), as get_corp_tag_list returns it. */
export interface CorpTag {
  id: string;
  name: string;
  create_time: number;
  /** Larger sorts first. */
  order: number;
  /** Present and true for a deleted tag. */
  deleted?: boolean;
}

/** A tag group with its tags. */
export interface CorpTagGroup {
  group_id: string;
  group_name: string;
  create_time: number;
  order: number;
  deleted?: boolean;
  tag: CorpTag[];
}

/** get_corp_tag_list: both empty lists every tag; with group_id given, tag_id is ignored. */
export interface ListCorpTagsRequest {
  tag_id?: string[];
  group_id?: string[];
}

/**
 * add_corp_tag: into the existing group `group_id`, or into the group named `group_name`
 * (created when absent; an existing group of that name takes the tags). A group cannot be
 * created empty.
 */
export interface AddCorpTagRequest {
  group_id?: string;
  group_name?: string;
  order?: number;
  tag: { name: string; order?: number }[];
  /** Only for old third-party suites. */
  agentid?: number;
}

/** edit_corp_tag: a tag or a group by id; give a new name, a new order, or both. */
export interface EditCorpTagRequest {
  id: string;
  name?: string;
  order?: number;
  agentid?: number;
}

/** del_corp_tag: tags and/or groups (a group goes with its tags). */
export interface DeleteCorpTagsRequest {
  tag_id?: string[];
  group_id?: string[];
  agentid?: number;
}

/** mark_tag: corp tags to add to and remove from one customer of one staff member. */
export interface MarkTagRequest {
  userid: string;
  external_userid: string;
  add_tag?: string[];
  remove_tag?: string[];
}

/** The corp tag calls (corp notes §9). An app may edit and delete only the tags it created. */
export interface CorpTagsApi {
  /** @example const groups = await corp.tags.list(); */
  list(request?: ListCorpTagsRequest): Promise<CorpTagGroup[]>;
  /** @example const group = await corp.tags.add({ group_name: '意向', tag: [{ name: '高' }, { name: '低' }] }); */
  add(request: AddCorpTagRequest): Promise<CorpTagGroup>;
  edit(request: EditCorpTagRequest): Promise<void>;
  delete(request: DeleteCorpTagsRequest): Promise<void>;
  /** @example await corp.tags.mark({ userid: 'zhangsan', external_userid: 'wmXXX', add_tag: [tagId] }); */
  mark(request: MarkTagRequest): Promise<void>;
}

const SOME_IDS = { max: 10_000 };

function checkName(value: unknown, field: string): void {
  checkChars(requireText(value, field), CORP_LIMITS.tagNameChars, field);
}

function checkOrder(value: unknown, field: string): void {
  if (value !== undefined) checkInteger(value, 0, CORP_LIMITS.tagOrderMax, field);
}

function checkAdd(r: AddCorpTagRequest): void {
  if (r.group_id === undefined && r.group_name === undefined) {
    throw new CorpRequestError('group_id', 'or group_name is required', {
      hint: 'give group_id to add to an existing group, or group_name to create (or reuse) a group',
    });
  }
  if (r.group_id !== undefined) requireText(r.group_id, 'group_id');
  if (r.group_name !== undefined) checkName(r.group_name, 'group_name');
  checkOrder(r.order, 'order');
  if (!Array.isArray(r.tag) || r.tag.length === 0)
    throw new CorpRequestError('tag', 'needs at least one tag (WeCom cannot create an empty group)');
  r.tag.forEach((t, i) => {
    checkName(t?.name, `tag[${i}].name`);
    checkOrder(t?.order, `tag[${i}].order`);
  });
}

function checkEdit(r: EditCorpTagRequest): void {
  requireText(r.id, 'id');
  if (r.name === undefined && r.order === undefined) throw new CorpRequestError('name', 'or order is required: there is nothing to change');
  if (r.name !== undefined) checkName(r.name, 'name');
  checkOrder(r.order, 'order');
}

function checkDelete(r: DeleteCorpTagsRequest): void {
  if (!r.tag_id?.length && !r.group_id?.length) throw new CorpRequestError('tag_id', 'or group_id needs at least one id');
  if (r.tag_id !== undefined) checkIdList(r.tag_id, 'tag_id', SOME_IDS);
  if (r.group_id !== undefined) checkIdList(r.group_id, 'group_id', SOME_IDS);
}

function checkMark(r: MarkTagRequest): void {
  requireText(r.userid, 'userid');
  requireText(r.external_userid, 'external_userid');
  if (!r.add_tag?.length && !r.remove_tag?.length) throw new CorpRequestError('add_tag', 'or remove_tag needs at least one tag id');
  if (r.add_tag !== undefined) checkIdList(r.add_tag, 'add_tag', SOME_IDS);
  if (r.remove_tag !== undefined) checkIdList(r.remove_tag, 'remove_tag', SOME_IDS);
}

export function corpTagsApi(api: CorpApi): CorpTagsApi {
  const post = (name: string, json: unknown) => api.call({ api: `externalcontact/${name}`, method: 'POST', json });
  return {
    async list(request = {}) {
      if (request.tag_id !== undefined) checkIdList(request.tag_id, 'tag_id', SOME_IDS);
      if (request.group_id !== undefined) checkIdList(request.group_id, 'group_id', SOME_IDS);
      const json = await post('get_corp_tag_list', request);
      return (json.tag_group ?? []) as CorpTagGroup[];
    },
    async add(request) {
      checkAdd(request);
      const json = await post('add_corp_tag', request);
      return json.tag_group as CorpTagGroup;
    },
    async edit(request) {
      checkEdit(request);
      await post('edit_corp_tag', request);
    },
    async delete(request) {
      checkDelete(request);
      await post('del_corp_tag', request);
    },
    async mark(request) {
      checkMark(request);
      await post('mark_tag', request);
    },
  };
}
