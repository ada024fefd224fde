/**
 * Validation of text_notice and news_notice template cards against every documented rule:
 * list lengths, required fields, and the type-dependent url / appid / media_id / userid.
 *
 * The webhook and the AI bot share these structs with small differences (`flavor`): AI bots
 * add jump type 3 (`question`), `action_menu`, `task_id` and `feedback`, and accept a
 * news_notice with `image_text_area` instead of `card_image`.
 */
import { LIMITS } from '../limits.js';
import { Checker } from './checker.js';

/** Where a card is sent: the webhook push API or an AI bot reply. */
export type CardFlavor = 'webhook' | 'aibot';

/** Check a text_notice or news_notice card; issues are collected in `c`. */
export function checkNoticeCard(c: Checker, value: unknown, path: string, flavor: CardFlavor): void {
  const card = c.obj(value, path);
  if (!card) return;
  const type = c.oneOf(card.card_type, `${path}.card_type`, ['text_notice', 'news_notice'] as const, true);

  checkSource(c, card.source, `${path}.source`);
  // The AI bot documents main_title as required on a news_notice; the webhook does not.
  const mainTitle = checkMainTitle(c, card.main_title, `${path}.main_title`, flavor === 'aibot' && type === 'news_notice');
  checkQuoteArea(c, card.quote_area, `${path}.quote_area`);
  checkHorizontal(c, card.horizontal_content_list, `${path}.horizontal_content_list`, flavor);
  checkJumps(c, card.jump_list, `${path}.jump_list`, flavor);
  checkCardAction(c, card.card_action, `${path}.card_action`, type === 'text_notice' ? [1, 2] : [0, 1, 2], true);

  if (type === 'text_notice') {
    const emphasis = c.obj(card.emphasis_content, `${path}.emphasis_content`, false);
    if (emphasis) {
      c.str(emphasis.title, `${path}.emphasis_content.title`, { required: false });
      c.str(emphasis.desc, `${path}.emphasis_content.desc`, { required: false });
    }
    const sub = c.str(card.sub_title_text, `${path}.sub_title_text`, { required: false });
    const title = typeof mainTitle?.title === 'string' ? mainTitle.title : '';
    if (!title && !sub) {
      c.add(`${path}.main_title.title`, 'message_missing_field', `a text_notice needs ${path}.main_title.title or ${path}.sub_title_text`);
    }
  } else if (type === 'news_notice') {
    checkNewsNotice(c, card, path, flavor);
  }

  if (flavor === 'aibot') checkAibotExtras(c, card, path);
  else checkNoAibotFields(c, card, path);
}

/** The webhook documents no menu and no feedback: they belong to AI bot replies, and would only fail at WeCom. */
function checkNoAibotFields(c: Checker, card: Record<string, unknown>, path: string): void {
  for (const field of ['action_menu', 'feedback']) {
    if (card[field] !== undefined) {
      c.add(
        `${path}.${field}`,
        'message_invalid_value',
        `${path}.${field} exists only on AI bot (智能机器人) cards; a webhook card has none`,
      );
    }
  }
}

/** `source`: icon, text, and a colour 0–3. */
export function checkSource(c: Checker, value: unknown, path: string): void {
  const source = c.obj(value, path, false);
  if (!source) return;
  c.str(source.icon_url, `${path}.icon_url`, { required: false });
  c.str(source.desc, `${path}.desc`, { required: false });
  c.oneOf(source.desc_color, `${path}.desc_color`, [0, 1, 2, 3]);
}

/** `main_title` with optional `title` and `desc`; returned for the caller's cross-field rules. */
export function checkMainTitle(c: Checker, value: unknown, path: string, required: boolean): Record<string, unknown> | undefined {
  const title = c.obj(value, path, required);
  if (!title) return undefined;
  c.str(title.title, `${path}.title`, { required: false });
  c.str(title.desc, `${path}.desc`, { required: false });
  return title;
}

/** `quote_area`: an optional link (type 1 url, 2 mini-program) with a title and a quote. */
export function checkQuoteArea(c: Checker, value: unknown, path: string): void {
  const quote = c.obj(value, path, false);
  if (!quote) return;
  checkLinkArea(c, quote, path);
  c.str(quote.title, `${path}.title`, { required: false });
  c.str(quote.quote_text, `${path}.quote_text`, { required: false });
}

/** `card_action`: the click on the whole card; `types` are the allowed `type` values. */
export function checkCardAction(c: Checker, value: unknown, path: string, types: readonly number[], required: boolean): void {
  const action = c.obj(value, path, required);
  if (!action) return;
  const actionType = c.oneOf<number>(action.type, `${path}.type`, types, true);
  checkTarget(c, action, path, actionType);
}

/**
 * Values that must be unique within one card (button keys, option ids, question keys): WeCom
 * echoes only the value, so two equal ones cannot be told apart on the click.
 */
export function checkUnique(c: Checker, values: readonly { value: unknown; path: string }[], what: string): void {
  const seen = new Map<string, string>();
  for (const { value, path } of values) {
    if (typeof value !== 'string' || value === '') continue;
    const first = seen.get(value);
    if (first !== undefined)
      c.add(path, 'message_invalid_value', `${path} repeats the ${what} ${JSON.stringify(value)} of ${first}; ${what}s must be unique`);
    else seen.set(value, path);
  }
}

function checkNewsNotice(c: Checker, card: Record<string, unknown>, path: string, flavor: CardFlavor): void {
  const image = c.obj(card.card_image, `${path}.card_image`, flavor === 'webhook');
  if (image) {
    c.str(image.url, `${path}.card_image.url`);
    const ratio = image.aspect_ratio;
    if (ratio !== undefined) {
      // The documentation says "greater than 1.3 and less than 2.25", yet its default is 1.3 and
      // its own example uses 2.25, so both ends are accepted.
      const { templateAspectRatioMin: min, templateAspectRatioMax: max } = LIMITS;
      if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio < min || ratio > max) {
        c.add(
          `${path}.card_image.aspect_ratio`,
          'message_invalid_value',
          `${path}.card_image.aspect_ratio is ${String(ratio)}; it must be between ${min} and ${max}`,
        );
      }
    }
  }
  const area = c.obj(card.image_text_area, `${path}.image_text_area`, false);
  if (area) {
    checkLinkArea(c, area, `${path}.image_text_area`);
    c.str(area.title, `${path}.image_text_area.title`, { required: false });
    c.str(area.desc, `${path}.image_text_area.desc`, { required: false });
    c.str(area.image_url, `${path}.image_text_area.image_url`);
  }
  if (flavor === 'aibot' && !image && !area && card.card_image === undefined) {
    c.add(`${path}.card_image`, 'message_missing_field', `a news_notice needs ${path}.card_image or ${path}.image_text_area`);
  }
  const rows = c.list(card.vertical_content_list, `${path}.vertical_content_list`, { max: LIMITS.templateVerticalContentMax });
  rows?.forEach((value, i) => {
    const row = c.obj(value, `${path}.vertical_content_list[${i}]`);
    if (!row) return;
    c.str(row.title, `${path}.vertical_content_list[${i}].title`);
    c.str(row.desc, `${path}.vertical_content_list[${i}].desc`, { required: false });
  });
}

/** `horizontal_content_list`: ≤ 6 rows; the AI bot has no type 2 (attachment). */
export function checkHorizontal(c: Checker, value: unknown, path: string, flavor: CardFlavor): void {
  const rows = c.list(value, path, { max: LIMITS.templateHorizontalContentMax });
  const types = flavor === 'webhook' ? ([0, 1, 2, 3] as const) : ([0, 1, 3] as const);
  rows?.forEach((item, i) => {
    const p = `${path}[${i}]`;
    const row = c.obj(item, p);
    if (!row) return;
    c.str(row.keyname, `${p}.keyname`);
    c.str(row.value, `${p}.value`, { required: false });
    const type = c.oneOf<number>(row.type, `${p}.type`, types);
    if (type === 1) c.str(row.url, `${p}.url`);
    if (type === 2) c.str(row.media_id, `${p}.media_id`);
    if (type === 3) c.str(row.userid, `${p}.userid`);
  });
}

function checkJumps(c: Checker, value: unknown, path: string, flavor: CardFlavor): void {
  const rows = c.list(value, path, { max: LIMITS.templateJumpListMax });
  const types = flavor === 'webhook' ? ([0, 1, 2] as const) : ([0, 1, 2, 3] as const);
  rows?.forEach((item, i) => {
    const p = `${path}[${i}]`;
    const row = c.obj(item, p);
    if (!row) return;
    c.str(row.title, `${p}.title`);
    const type = c.oneOf<number>(row.type, `${p}.type`, types);
    checkTarget(c, row, p, type);
    if (type === 3) c.str(row.question, `${p}.question`, { maxBytes: LIMITS.templateJumpQuestionBytes });
  });
}

/** quote_area / image_text_area: optional `type` 0, 1 (url) or 2 (appid). */
function checkLinkArea(c: Checker, area: Record<string, unknown>, path: string): void {
  const type = c.oneOf<number>(area.type, `${path}.type`, [0, 1, 2]);
  checkTarget(c, area, path, type);
}

/** type 1 needs `url`, type 2 needs `appid` (`pagepath` optional). */
function checkTarget(c: Checker, obj: Record<string, unknown>, path: string, type: number | undefined): void {
  c.str(obj.url, `${path}.url`, { required: type === 1 });
  c.str(obj.appid, `${path}.appid`, { required: type === 2 });
  c.str(obj.pagepath, `${path}.pagepath`, { required: false });
}

function checkAibotExtras(c: Checker, card: Record<string, unknown>, path: string): void {
  const menu = checkActionMenu(c, card.action_menu, `${path}.action_menu`);
  checkTaskId(c, card.task_id, `${path}.task_id`, menu);
  checkFeedback(c, card.feedback, `${path}.feedback`);
}

/**
 * `action_menu` (AI bot): 1 to 3 entries with unique keys ≤ 1024 bytes; a click sends a
 * template_card_event with the key. True when a menu is present (then `task_id` is required).
 */
export function checkActionMenu(c: Checker, value: unknown, path: string): boolean {
  const menu = c.obj(value, path, false);
  if (!menu) return value !== undefined && value !== null;
  c.str(menu.desc, `${path}.desc`);
  const actions = c.list(menu.action_list, `${path}.action_list`, { required: true, min: 1, max: LIMITS.templateActionMenuMax });
  const keys: { value: unknown; path: string }[] = [];
  actions?.forEach((item, i) => {
    const action = c.obj(item, `${path}.action_list[${i}]`);
    if (!action) return;
    c.str(action.text, `${path}.action_list[${i}].text`);
    c.str(action.key, `${path}.action_list[${i}].key`, { maxBytes: LIMITS.templateEventKeyBytes });
    keys.push({ value: action.key, path: `${path}.action_list[${i}].key` });
  });
  checkUnique(c, keys, 'key');
  return true;
}

/** `task_id`: letters, digits and `_-@`, ≤ 128 bytes. */
export function checkTaskId(c: Checker, value: unknown, path: string, required: boolean): void {
  c.str(value, path, {
    required,
    maxBytes: LIMITS.templateTaskIdBytes,
    pattern: { re: /^[A-Za-z0-9_\-@]+$/, description: 'letters, digits, _ - @ only' },
  });
}

/** `feedback.id`: ≤ 256 bytes. */
export function checkFeedback(c: Checker, value: unknown, path: string): void {
  const feedback = c.obj(value, path, false);
  if (feedback) c.str(feedback.id, `${path}.id`, { maxBytes: LIMITS.aibotFeedbackIdBytes });
}

/**
 * Validate a webhook template card on its own.
 * @throws MessageValidationError naming the field path, e.g. `template_card.jump_list[1].url`.
 */
export function validateTemplateCard(card: unknown, path = 'template_card'): void {
  const c = new Checker();
  checkNoticeCard(c, card, path, 'webhook');
  c.done();
}
