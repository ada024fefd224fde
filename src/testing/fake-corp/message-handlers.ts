import type { Handler } from './context.js';
import { attachmentContent, badParam, body, ids, int, isObj, refuse, text, textAndAttachments } from './fields.js';

const NON_TEXT = ['image', 'link', 'miniprogram', 'file', 'video'] as const;
const TEMPLATES_MAX = 100;

/** text (≤ 3000 bytes) plus image/link/miniprogram/file/video of a group-welcome template (96357). */
function templateContent(o: Record<string, unknown>, mediaKnown: (id: string) => boolean): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  if (o.text !== undefined) {
    if (!isObj(o.text)) badParam('text', 'must be an object');
    text(o.text as Record<string, unknown>, 'content', 'text.content', { required: true, maxBytes: 3000 });
    content.text = o.text;
  }
  for (const k of NON_TEXT) {
    if (o[k] === undefined) continue;
    attachmentContent(k, o[k], k, mediaKnown);
    content[k] = o[k];
  }
  if (Object.keys(content).length === 0) refuse(44004, 'empty content');
  return content;
}

/** send_welcome_msg (92599), add_msg_template (92135) and group_welcome_template (96357). */
export const messageHandlers: Record<string, Handler> = {
  'externalcontact/send_welcome_msg': ({ json, codes, welcomes, now, mediaKnown }) => {
    const o = body(json);
    const code = o.welcome_code;
    if (code === undefined || code === '') refuse(41049, 'missing welcome_code');
    if (typeof code !== 'string') return badParam('welcome_code', 'must be a string');
    textAndAttachments(o, 4000, mediaKnown);
    const verdict = codes.check(code);
    if (!verdict.ok) refuse(verdict.errcode, verdict.reason);
    codes.use(code);
    welcomes.push({ at: now(), welcomeCode: code, userid: verdict.issued.userid, externalUserId: verdict.issued.externalUserId, body: o });
    return {};
  },

  'externalcontact/add_msg_template': ({ json, state, mediaKnown }) => {
    const o = body(json);
    const type = o.chat_type ?? 'single';
    if (type !== 'single' && type !== 'group') badParam('chat_type', 'invalid');
    const sender = text(o, 'sender', 'sender');
    if (sender !== undefined && !state.staff.has(sender)) refuse(40003, `invalid userid ${sender}`);
    let fail_list: string[] = [];
    if (type === 'single') {
      const users = ids(o, 'external_userid', 'external_userid', { max: 10_000 }) ?? [];
      if (users.length === 0 && sender === undefined) refuse(41048, 'no customer to send');
      fail_list = users.filter((u) => !state.customers.get(u)?.follow.size);
    } else {
      if (sender === undefined) badParam('sender', 'missing');
      ids(o, 'chat_id_list', 'chat_id_list', { max: 2000 });
    }
    textAndAttachments(o, 4000, mediaKnown);
    const msgid = state.newId('msg');
    state.massMessages.push({ msgid, body: o, fail_list });
    return { fail_list, msgid };
  },

  'externalcontact/group_welcome_template/add': ({ json, state, mediaKnown }) => {
    const o = body(json);
    int(o, 'notify', 'notify', { min: 0, max: 1 });
    const content = templateContent(o, mediaKnown);
    if (state.templates.size >= TEMPLATES_MAX) refuse(41055, 'group welcome template count exceed limit');
    const template_id = state.newId('msg');
    state.templates.set(template_id, { template_id, content, ownedByCaller: true });
    return { template_id };
  },

  'externalcontact/group_welcome_template/edit': ({ json, state, mediaKnown }) => {
    const o = body(json);
    const id = text(o, 'template_id', 'template_id', { required: true }) as string;
    const template = state.templates.get(id);
    if (!template) badParam('template_id', 'invalid');
    if (!template.ownedByCaller) refuse(41058, 'no permission to edit this template');
    template.content = templateContent(o, mediaKnown);
    return {};
  },

  'externalcontact/group_welcome_template/get': ({ json, state }) => {
    const o = body(json);
    const id = text(o, 'template_id', 'template_id', { required: true }) as string;
    const template = state.templates.get(id);
    if (!template) badParam('template_id', 'invalid');
    return { ...template.content };
  },

  'externalcontact/group_welcome_template/del': ({ json, state }) => {
    const o = body(json);
    const id = text(o, 'template_id', 'template_id', { required: true }) as string;
    const template = state.templates.get(id);
    if (!template) badParam('template_id', 'invalid');
    if (!template.ownedByCaller) refuse(41058, 'no permission to delete this template');
    state.templates.delete(id);
    return {};
  },
};
