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
import { checkFeedback, checkNoticeCard, checkTaskId } from '../message/validate-template-card.js';

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

/** Check an AI bot card; issues are collected in `c`. */
export function checkAibotCard(c: Checker, value: unknown, path: string): void {
  const card = c.obj(value, path);
  if (!card) return;
  const type = card.card_type;
  if (type === 'text_notice' || type === 'news_notice') {
    checkNoticeCard(c, card, path, 'aibot');
    return;
  }
  const kind = c.oneOf(type, `${path}.card_type`, ['text_notice', 'news_notice', 'button_interaction', 'vote_interaction', 'multiple_interaction'] as const, true);
  if (!kind) return;
  const title = c.obj(card.main_title, `${path}.main_title`);
  if (title) {
    c.str(title.title, `${path}.main_title.title`, { required: false });
    c.str(title.desc, `${path}.main_title.desc`, { required: false });
  }
  checkTaskId(c, card.task_id, `${path}.task_id`, kind !== 'multiple_interaction');
  checkFeedback(c, card.feedback, `${path}.feedback`);
  if (kind === 'button_interaction') {
    const buttons = c.list(card.button_list, `${path}.button_list`, { required: true, min: 1, max: LIMITS.templateButtonListMax });
    buttons?.forEach((item, i) => {
      const b = c.obj(item, `${path}.button_list[${i}]`);
      if (!b) return;
      c.str(b.text, `${path}.button_list[${i}].text`);
      c.str(b.key, `${path}.button_list[${i}].key`, { maxBytes: LIMITS.templateEventKeyBytes });
      c.oneOf(b.style, `${path}.button_list[${i}].style`, [1, 2, 3, 4]);
    });
    if (card.button_selection !== undefined) checkSelection(c, card.button_selection, `${path}.button_selection`);
  } else if (kind === 'vote_interaction') {
    const box = c.obj(card.checkbox, `${path}.checkbox`);
    if (box) {
      c.str(box.question_key, `${path}.checkbox.question_key`, { maxBytes: LIMITS.templateEventKeyBytes });
      c.oneOf(box.mode, `${path}.checkbox.mode`, [0, 1]);
      checkOptions(c, box.option_list, `${path}.checkbox.option_list`, LIMITS.templateCheckboxOptionsMax);
    }
    checkSubmit(c, card.submit_button, `${path}.submit_button`);
  } else if (kind === 'multiple_interaction') {
    const selects = c.list(card.select_list, `${path}.select_list`, { required: true, min: 1, max: LIMITS.templateSelectListMax });
    selects?.forEach((item, i) => checkSelection(c, item, `${path}.select_list[${i}]`));
    checkSubmit(c, card.submit_button, `${path}.submit_button`);
  }
}

function checkSelection(c: Checker, value: unknown, path: string): void {
  const s = c.obj(value, path);
  if (!s) return;
  c.str(s.question_key, `${path}.question_key`, { maxBytes: LIMITS.templateEventKeyBytes });
  c.str(s.title, `${path}.title`, { required: false });
  checkOptions(c, s.option_list, `${path}.option_list`, LIMITS.templateSelectOptionsMax);
}

function checkOptions(c: Checker, value: unknown, path: string, max: number): void {
  c.list(value, path, { required: true, min: 1, max })?.forEach((item, i) => {
    const o = c.obj(item, `${path}[${i}]`);
    if (!o) return;
    c.str(o.id, `${path}[${i}].id`, { maxBytes: LIMITS.templateOptionIdBytes });
    c.str(o.text, `${path}[${i}].text`);
  });
}

function checkSubmit(c: Checker, value: unknown, path: string): void {
  const s = c.obj(value, path);
  if (!s) return;
  c.str(s.text, `${path}.text`);
  c.str(s.key, `${path}.key`, { maxBytes: LIMITS.templateEventKeyBytes });
}
