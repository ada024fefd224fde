/**
 * AI bot template cards: the webhook's text_notice / news_notice with AI bot extras, plus the
 * interactive cards (button_interaction, vote_interaction, multiple_interaction).
 */
import { LIMITS } from '../limits.js';
import { Checker } from '../message/checker.js';
import type {
  CardAction,
  CardHorizontalContent,
  CardMainTitle,
  CardQuoteArea,
  CardSource,
  NewsNoticeCard,
  TextNoticeCard,
} from '../message/template-card-types.js';
import {
  checkActionMenu,
  checkCardAction,
  checkFeedback,
  checkHorizontal,
  checkMainTitle,
  checkNoticeCard,
  checkQuoteArea,
  checkSource,
  checkTaskId,
  checkUnique,
} from '../message/validate-template-card.js';

/** `action_menu`: the "…" menu at the top right; 1 to 3 entries, key ≤ 1024 bytes. */
export interface CardActionMenu {
  desc: string;
  action_list: { text: string; key: string }[];
}

/** Fields AI bot cards add: menu, task id (letters, digits, `_-@`, ≤ 128 bytes), feedback id. */
export interface AibotCardExtras {
  action_menu?: CardActionMenu;
  task_id?: string;
  feedback?: { id: string };
}

/** One option of a selection or checkbox: `id` ≤ 128 bytes. */
export interface CardOption {
  id: string;
  text: string;
}

/** `button_selection` / `select_list[]` entry: 1 to 10 options. */
export interface CardSelection {
  question_key: string;
  title?: string;
  disable?: boolean;
  selected_id?: string;
  option_list: CardOption[];
}

/** Interactive card fields (all need `task_id`, except multiple_interaction where it is optional). */
interface InteractiveBase {
  source?: CardSource;
  action_menu?: CardActionMenu;
  main_title: CardMainTitle;
  task_id?: string;
  feedback?: { id: string };
}

/** Buttons (≤ 6) with an optional dropdown. */
export interface ButtonInteractionCard extends InteractiveBase {
  card_type: 'button_interaction';
  task_id: string;
  quote_area?: CardQuoteArea;
  sub_title_text?: string;
  horizontal_content_list?: CardHorizontalContent[];
  button_selection?: CardSelection;
  button_list: { text: string; style?: 1 | 2 | 3 | 4; key: string }[];
  card_action?: CardAction;
}

/** A single- or multi-choice vote (1 to 20 options). */
export interface VoteInteractionCard extends InteractiveBase {
  card_type: 'vote_interaction';
  task_id: string;
  checkbox: {
    question_key: string;
    disable?: boolean;
    /** 0 single choice (default), 1 multiple. */
    mode?: 0 | 1;
    option_list: (CardOption & { is_checked?: boolean })[];
  };
  submit_button: { text: string; key: string };
}

/** Up to 3 dropdowns and a submit button. */
export interface MultipleInteractionCard extends InteractiveBase {
  card_type: 'multiple_interaction';
  select_list: CardSelection[];
  submit_button: { text: string; key: string };
}

/** Every card an AI bot can reply with. */
export type AibotTemplateCard =
  | (TextNoticeCard & AibotCardExtras)
  | (NewsNoticeCard & AibotCardExtras)
  | ButtonInteractionCard
  | VoteInteractionCard
  | MultipleInteractionCard;

/** The card types only AI bots have: clicks on them come back as template_card_event. */
export const INTERACTIVE_CARD_TYPES = ['button_interaction', 'vote_interaction', 'multiple_interaction'] as const;

/** Every card type an AI bot can send. */
export const AIBOT_CARD_TYPES = ['text_notice', 'news_notice', ...INTERACTIVE_CARD_TYPES] as const;

/** True for button_interaction, vote_interaction and multiple_interaction. */
export function isInteractiveCardType(type: unknown): type is (typeof INTERACTIVE_CARD_TYPES)[number] {
  return (INTERACTIVE_CARD_TYPES as readonly unknown[]).includes(type);
}

/**
 * Validate an AI bot card (any of the five types) on its own.
 * @example validateAibotCard({ card_type: 'button_interaction', main_title: { title: '审批' }, button_list: [{ text: '同意', key: 'ok' }], task_id: 't1' })
 * @throws MessageValidationError naming the field and the limit, e.g. `template_card.button_list has 7 items; the limit is 6`.
 */
export function validateAibotCard(card: unknown, path = 'template_card'): asserts card is AibotTemplateCard {
  const c = new Checker();
  checkAibotCard(c, card, path);
  c.done();
}

/** Check an AI bot card; issues are collected in `c`. */
export function checkAibotCard(c: Checker, value: unknown, path: string): void {
  const card = c.obj(value, path);
  if (!card) return;
  const type = card.card_type;
  if (type === 'text_notice' || type === 'news_notice') {
    checkNoticeCard(c, card, path, 'aibot');
    return;
  }
  const kind = c.oneOf(type, `${path}.card_type`, AIBOT_CARD_TYPES, true);
  if (!kind) return;
  checkSource(c, card.source, `${path}.source`);
  const menu = checkActionMenu(c, card.action_menu, `${path}.action_menu`);
  checkMainTitle(c, card.main_title, `${path}.main_title`, true);
  // The doc makes task_id optional on multiple_interaction only, unless a menu needs it.
  checkTaskId(c, card.task_id, `${path}.task_id`, kind !== 'multiple_interaction' || menu);
  checkFeedback(c, card.feedback, `${path}.feedback`);
  if (kind === 'button_interaction') checkButtonInteraction(c, card, path);
  else if (kind === 'vote_interaction') {
    const box = c.obj(card.checkbox, `${path}.checkbox`);
    if (box) {
      c.str(box.question_key, `${path}.checkbox.question_key`, { maxBytes: LIMITS.templateEventKeyBytes });
      c.bool(box.disable, `${path}.checkbox.disable`);
      c.oneOf(box.mode, `${path}.checkbox.mode`, [0, 1]);
      const options = checkOptions(c, box.option_list, `${path}.checkbox.option_list`, LIMITS.templateCheckboxOptionsMax);
      options.forEach((o) => c.bool(o.option.is_checked, `${o.path}.is_checked`));
      const checked = options.filter((o) => o.option.is_checked === true).length;
      if (box.mode !== 1 && checked > 1) {
        c.add(
          `${path}.checkbox.option_list`,
          'message_invalid_value',
          `${path}.checkbox.option_list checks ${checked} options; a single-choice vote (mode 0) checks at most 1`,
        );
      }
    }
    checkSubmit(c, card.submit_button, `${path}.submit_button`);
  } else if (kind === 'multiple_interaction') {
    const selects = c.list(card.select_list, `${path}.select_list`, { required: true, min: 1, max: LIMITS.templateSelectListMax });
    selects?.forEach((item, i) => checkSelection(c, item, `${path}.select_list[${i}]`));
    checkUnique(
      c,
      (selects ?? []).map((s, i) => ({
        value: (s as { question_key?: unknown } | null)?.question_key,
        path: `${path}.select_list[${i}].question_key`,
      })),
      'question_key',
    );
    checkSubmit(c, card.submit_button, `${path}.submit_button`);
  }
}

function checkButtonInteraction(c: Checker, card: Record<string, unknown>, path: string): void {
  checkQuoteArea(c, card.quote_area, `${path}.quote_area`);
  c.str(card.sub_title_text, `${path}.sub_title_text`, { required: false });
  checkHorizontal(c, card.horizontal_content_list, `${path}.horizontal_content_list`, 'aibot');
  if (card.button_selection !== undefined) checkSelection(c, card.button_selection, `${path}.button_selection`);
  const buttons = c.list(card.button_list, `${path}.button_list`, { required: true, min: 1, max: LIMITS.templateButtonListMax });
  const keys: { value: unknown; path: string }[] = [];
  buttons?.forEach((item, i) => {
    const b = c.obj(item, `${path}.button_list[${i}]`);
    if (!b) return;
    c.str(b.text, `${path}.button_list[${i}].text`);
    c.str(b.key, `${path}.button_list[${i}].key`, { maxBytes: LIMITS.templateEventKeyBytes });
    c.oneOf(b.style, `${path}.button_list[${i}].style`, [1, 2, 3, 4]);
    keys.push({ value: b.key, path: `${path}.button_list[${i}].key` });
  });
  checkUnique(c, keys, 'key');
  checkCardAction(c, card.card_action, `${path}.card_action`, [0, 1, 2], false);
}

function checkSelection(c: Checker, value: unknown, path: string): void {
  const s = c.obj(value, path);
  if (!s) return;
  c.str(s.question_key, `${path}.question_key`, { maxBytes: LIMITS.templateEventKeyBytes });
  c.str(s.title, `${path}.title`, { required: false });
  c.bool(s.disable, `${path}.disable`);
  const options = checkOptions(c, s.option_list, `${path}.option_list`, LIMITS.templateSelectOptionsMax);
  const selected = c.str(s.selected_id, `${path}.selected_id`, { required: false });
  if (selected !== undefined && options.length > 0 && !options.some((o) => o.option.id === selected)) {
    c.add(
      `${path}.selected_id`,
      'message_invalid_value',
      `${path}.selected_id ${JSON.stringify(selected)} is not the id of one of its options`,
    );
  }
}

/** 1 to `max` options with unique ids ≤ 128 bytes; returns the well-formed ones with their paths. */
function checkOptions(c: Checker, value: unknown, path: string, max: number): { option: Record<string, unknown>; path: string }[] {
  const options: { option: Record<string, unknown>; path: string }[] = [];
  c.list(value, path, { required: true, min: 1, max })?.forEach((item, i) => {
    const p = `${path}[${i}]`;
    const o = c.obj(item, p);
    if (!o) return;
    c.str(o.id, `${p}.id`, { maxBytes: LIMITS.templateOptionIdBytes });
    c.str(o.text, `${p}.text`);
    options.push({ option: o, path: p });
  });
  checkUnique(
    c,
    options.map((o) => ({ value: o.option.id, path: `${o.path}.id` })),
    'option id',
  );
  return options;
}

function checkSubmit(c: Checker, value: unknown, path: string): void {
  const s = c.obj(value, path);
  if (!s) return;
  c.str(s.text, `${path}.text`);
  c.str(s.key, `${path}.key`, { maxBytes: LIMITS.templateEventKeyBytes });
}
