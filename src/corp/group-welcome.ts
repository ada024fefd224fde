import type { CorpApi } from './api.js';
import {
  checkAttachmentContent,
  checkTextPart,
  type ImageContent,
  type LinkContent,
  type MediaContent,
  type MiniprogramContent,
} from './attachments.js';
import { requireText } from './check.js';
import { CorpRequestError } from './errors.js';
import { CORP_LIMITS } from './limits.js';

/**
 * The content of a group-welcome template (入群欢迎语素材, corp notes §7): text (may hold
 * `%NICKNAME%`) and at most one of image, link, miniprogram, file, video.
 */
export interface GroupWelcomeContent {
  /** ≤ 3000 bytes. */
  text?: { content: string };
  image?: ImageContent;
  link?: LinkContent;
  miniprogram?: MiniprogramContent;
  file?: MediaContent;
  video?: MediaContent;
}

export interface AddGroupWelcomeRequest extends GroupWelcomeContent {
  /** Only for old third-party suites. */
  agentid?: number;
  /** 1 (default): tell staff they can use this template for their groups. */
  notify?: 0 | 1;
}

export interface EditGroupWelcomeRequest extends GroupWelcomeContent {
  template_id: string;
  agentid?: number;
}

/**
 * The corp's library of group welcomes. There is no API that posts a welcome into a group:
 * group owners pick a template in the client, and WeCom posts it when customers join
 * [UNCONFIRMED, corp notes §7]. An app may edit and delete only its own templates (41058).
 */
export interface GroupWelcomeApi {
  /** @example const { template_id } = await corp.groupWelcome.add({ text: { content: '欢迎 %NICKNAME% 入群' } }); */
  add(request: AddGroupWelcomeRequest): Promise<{ template_id: string }>;
  edit(request: EditGroupWelcomeRequest): Promise<void>;
  get(templateId: string): Promise<GroupWelcomeContent>;
  delete(templateId: string, options?: { agentid?: number }): Promise<void>;
}

const NON_TEXT = ['image', 'link', 'miniprogram', 'file', 'video'] as const;

function checkContent(c: GroupWelcomeContent): void {
  checkTextPart(c.text, CORP_LIMITS.groupWelcomeTextBytes);
  const given = NON_TEXT.filter((k) => c[k] !== undefined);
  // WeCom keeps only one of them and drops the others without a word; refusing is kinder.
  if (given.length > 1)
    throw new CorpRequestError(
      given[1] as string,
      `cannot go with ${given[0]}: a group welcome carries text plus at most one of ${NON_TEXT.join(', ')}`,
    );
  if (c.text === undefined && given.length === 0)
    throw new CorpRequestError('text', `or one of ${NON_TEXT.join(', ')} is required: a group welcome cannot be empty`);
  for (const k of given) checkAttachmentContent(k, c[k], k);
}

export function groupWelcomeApi(api: CorpApi): GroupWelcomeApi {
  const post = (name: string, json: unknown, delivery: 'repeatable' | 'at-most-once' = 'repeatable') =>
    api.call({ api: `externalcontact/group_welcome_template/${name}`, method: 'POST', json, delivery });
  return {
    async add(request) {
      checkContent(request);
      // A repeated add would leave a duplicate template (and notify staff twice).
      const json = await post('add', request, 'at-most-once');
      return { template_id: String(json.template_id ?? '') };
    },
    async edit(request) {
      requireText(request.template_id, 'template_id');
      checkContent(request);
      await post('edit', request);
    },
    async get(templateId) {
      requireText(templateId, 'template_id');
      const json = await post('get', { template_id: templateId });
      const out: GroupWelcomeContent = {};
      for (const k of ['text', ...NON_TEXT] as const) if (json[k] !== undefined) Object.assign(out, { [k]: json[k] });
      return out;
    },
    async delete(templateId, options = {}) {
      requireText(templateId, 'template_id');
      await post('del', { template_id: templateId, ...(options.agentid !== undefined && { agentid: options.agentid }) });
    },
  };
}
