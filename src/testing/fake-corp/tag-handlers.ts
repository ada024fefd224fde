import type { Handler } from './context.js';
import { badParam, body, ids, int, refuse, text } from './fields.js';
import type { FakeTag, FakeTagGroup } from './state.js';

const ORDER_MAX = 2 ** 32 - 1;
const TAGS_MAX = 3000;

const groupJson = (g: FakeTagGroup, tags: FakeTag[] = g.tags) => ({
  group_id: g.group_id,
  group_name: g.group_name,
  create_time: g.create_time,
  order: g.order,
  tag: tags.map((t) => ({ ...t })),
});

/** The corp tag endpoints of 96320 / 92117 / 92118. */
export const tagHandlers: Record<string, Handler> = {
  'externalcontact/get_corp_tag_list': ({ json, state }) => {
    const o = json === undefined ? {} : body(json);
    const tagIds = ids(o, 'tag_id', 'tag_id');
    const groupIds = ids(o, 'group_id', 'group_id');
    const groups = [...state.tagGroups.values()];
    if (groupIds?.length) return { tag_group: groups.filter((g) => groupIds.includes(g.group_id)).map((g) => groupJson(g)) };
    if (tagIds?.length) {
      return {
        tag_group: groups
          .map((g) => ({ g, tags: g.tags.filter((t) => tagIds.includes(t.id)) }))
          .filter((x) => x.tags.length > 0)
          .map((x) => groupJson(x.g, x.tags)),
      };
    }
    return { tag_group: groups.map((g) => groupJson(g)) };
  },

  'externalcontact/add_corp_tag': ({ json, state, now }) => {
    const o = body(json);
    const groupId = text(o, 'group_id', 'group_id');
    const groupName = text(o, 'group_name', 'group_name', { maxChars: 30 });
    const order = int(o, 'order', 'order', { min: 0, max: ORDER_MAX }) ?? 0;
    if (!Array.isArray(o.tag) || o.tag.length === 0) badParam('tag', 'missing');
    const names: { name: string; order: number }[] = [];
    (o.tag as unknown[]).forEach((t, i) => {
      const tag = body(t);
      const name = text(tag, 'name', `tag[${i}].name`, { required: true, maxChars: 30 }) as string;
      // Duplicate names in one call make one tag (wechatpy docstring).
      if (!names.some((n) => n.name === name))
        names.push({ name, order: int(tag, 'order', `tag[${i}].order`, { min: 0, max: ORDER_MAX }) ?? 0 });
    });
    const t = Math.floor(now() / 1000);
    let group: FakeTagGroup | undefined;
    if (groupId) {
      group = state.tagGroups.get(groupId);
      if (!group) refuse(40068, `invalid tagid group_id ${groupId}`);
    } else if (groupName) {
      group = [...state.tagGroups.values()].find((g) => g.group_name === groupName);
    } else {
      badParam('group_id', 'missing');
    }
    const existing = group?.tags ?? [];
    if (names.some((n) => existing.some((x) => x.name === n.name))) refuse(40071, 'tag name exists');
    if (state.tagCount() + names.length > TAGS_MAX) refuse(40126, 'corp tag count exceed limit');
    if (!group) {
      group = { group_id: state.newId('et'), group_name: groupName as string, create_time: t, order, tags: [] };
      state.tagGroups.set(group.group_id, group);
    }
    const created = names.map((n) => ({ id: state.newId('et'), name: n.name, create_time: t, order: n.order }));
    group.tags.push(...created);
    return { tag_group: groupJson(group, created) };
  },

  'externalcontact/edit_corp_tag': ({ json, state }) => {
    const o = body(json);
    const idValue = text(o, 'id', 'id', { required: true }) as string;
    const name = text(o, 'name', 'name', { maxChars: 30 });
    const order = int(o, 'order', 'order', { min: 0, max: ORDER_MAX });
    const group = state.tagGroups.get(idValue);
    const found = group ? undefined : state.findTag(idValue);
    if (!group && !found) refuse(40068, `invalid tagid ${idValue}`);
    if (group) {
      if (name !== undefined && [...state.tagGroups.values()].some((g) => g !== group && g.group_name === name))
        refuse(40071, 'group name exists');
      if (name !== undefined) group.group_name = name;
      if (order !== undefined) group.order = order;
    } else if (found) {
      if (name !== undefined && found.group.tags.some((t) => t !== found.tag && t.name === name)) refuse(40071, 'tag name exists');
      if (name !== undefined) found.tag.name = name;
      if (order !== undefined) found.tag.order = order;
    }
    return {};
  },

  'externalcontact/del_corp_tag': ({ json, state }) => {
    const o = body(json);
    const tagIds = ids(o, 'tag_id', 'tag_id') ?? [];
    const groupIds = ids(o, 'group_id', 'group_id') ?? [];
    if (tagIds.length === 0 && groupIds.length === 0) badParam('tag_id', 'missing');
    for (const g of groupIds) if (!state.tagGroups.has(g)) refuse(40068, `invalid tagid group_id ${g}`);
    for (const t of tagIds) if (!state.findTag(t)) refuse(40068, `invalid tagid ${t}`);
    for (const g of groupIds) state.tagGroups.delete(g);
    for (const t of tagIds) {
      const found = state.findTag(t);
      if (!found) continue;
      found.group.tags = found.group.tags.filter((x) => x.id !== t);
      // Deleting every tag of a group deletes the group.
      if (found.group.tags.length === 0) state.tagGroups.delete(found.group.group_id);
    }
    return {};
  },

  'externalcontact/mark_tag': ({ json, state }) => {
    const o = body(json);
    const userid = text(o, 'userid', 'userid', { required: true }) as string;
    const external = text(o, 'external_userid', 'external_userid', { required: true }) as string;
    const add = ids(o, 'add_tag', 'add_tag') ?? [];
    const remove = ids(o, 'remove_tag', 'remove_tag') ?? [];
    if (add.length === 0 && remove.length === 0) badParam('add_tag', 'missing');
    if (!state.staff.has(userid)) refuse(40003, `invalid userid ${userid}`);
    const customer = state.customers.get(external);
    if (!customer) refuse(40096, `invalid external userid ${external}`);
    const rel = customer.follow.get(userid);
    if (!rel) refuse(84061, 'not external contact');
    for (const t of [...add, ...remove]) if (!state.findTag(t)) refuse(40068, `invalid tagid ${t}`);
    for (const t of add) rel.tags.add(t);
    for (const t of remove) rel.tags.delete(t);
    return {};
  },
};
