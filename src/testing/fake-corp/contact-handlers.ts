import type { Handler } from './context.js';
import { badParam, body, ids, int, isObj, refuse, text } from './fields.js';
import type { FakeCorpState, FakeCustomer } from './state.js';

function contactJson(c: FakeCustomer) {
  return { external_contact: { external_userid: c.external_userid, name: c.name, type: c.type, ...(c.unionid && { unionid: c.unionid }) } };
}

function tagsOf(state: FakeCorpState, ids: Iterable<string>) {
  return [...ids].flatMap((id) => {
    const found = state.findTag(id);
    return found ? [{ group_name: found.group.group_name, tag_name: found.tag.name, tag_id: id, type: 1 }] : [];
  });
}

/** Pages by offset; the cursor is the offset as a string. */
function page<T>(items: T[], cursor: string | undefined, limit: number): { items: T[]; next_cursor: string } {
  const start = cursor ? Number(cursor) : 0;
  if (!Number.isInteger(start) || start < 0) badParam('cursor', 'invalid');
  const slice = items.slice(start, start + limit);
  return { items: slice, next_cursor: start + limit < items.length ? String(start + limit) : '' };
}

/** Customer and customer-group reads of 96315, 23414, 93414, 96338. */
export const contactHandlers: Record<string, Handler> = {
  'externalcontact/get': ({ query, state }) => {
    const external = query.external_userid;
    if (!external) refuse(41035, 'missing external_userid');
    const c = state.customers.get(external);
    if (!c) refuse(40096, `invalid external userid ${external}`);
    return {
      ...contactJson(c),
      follow_user: [...c.follow.values()].map((f) => ({
        userid: f.userid,
        createtime: f.createtime,
        ...(f.remark && { remark: f.remark }),
        ...(f.state && { state: f.state }),
        tags: tagsOf(state, f.tags),
      })),
    };
  },

  'externalcontact/batch/get_by_user': ({ json, state }) => {
    const o = body(json);
    const users = ids(o, 'userid_list', 'userid_list', { required: true, min: 1, max: 100 }) as string[];
    const limit = int(o, 'limit', 'limit', { min: 1, max: 100 }) ?? 50;
    for (const u of users) if (!state.staff.has(u)) refuse(40003, `invalid userid ${u}`);
    const rows = [...state.customers.values()].flatMap((c) =>
      users.flatMap((u) => {
        const f = c.follow.get(u);
        return f
          ? [
              {
                ...contactJson(c),
                follow_info: { userid: u, createtime: f.createtime, ...(f.state && { state: f.state }), tag_id: [...f.tags] },
              },
            ]
          : [];
      }),
    );
    const { items, next_cursor } = page(rows, text(o, 'cursor', 'cursor'), limit);
    return { external_contact_list: items, next_cursor };
  },

  'externalcontact/groupchat/list': ({ json, state }) => {
    const o = body(json);
    const limit = int(o, 'limit', 'limit', { min: 1, max: 1000, required: true }) as number;
    const status = int(o, 'status_filter', 'status_filter', { min: 0, max: 3 }) ?? 0;
    let owners: string[] | undefined;
    if (o.owner_filter !== undefined) {
      if (!isObj(o.owner_filter)) badParam('owner_filter', 'must be an object');
      owners = ids(o.owner_filter as Record<string, unknown>, 'userid_list', 'owner_filter.userid_list', { max: 100 });
    }
    const chats = [...state.chats.values()].filter(
      (c) => (status === 0 || c.status === status) && (!owners?.length || owners.includes(c.owner)),
    );
    const { items, next_cursor } = page(chats, text(o, 'cursor', 'cursor'), limit);
    return { group_chat_list: items.map((c) => ({ chat_id: c.chat_id, status: c.status })), next_cursor };
  },

  'externalcontact/groupchat/get': ({ json, state }) => {
    const o = body(json);
    const chatId = text(o, 'chat_id', 'chat_id', { required: true }) as string;
    const needName = int(o, 'need_name', 'need_name', { min: 0, max: 1 }) ?? 0;
    const chat = state.chats.get(chatId);
    if (!chat) refuse(40050, `chatid not found ${chatId}`);
    return {
      group_chat: {
        chat_id: chat.chat_id,
        name: chat.name,
        owner: chat.owner,
        create_time: chat.create_time,
        member_list: chat.member_list.map(({ name, ...m }) => ({ ...m, ...(needName && name && { name }) })),
        admin_list: [],
        member_version: chat.member_version,
      },
    };
  },
};
