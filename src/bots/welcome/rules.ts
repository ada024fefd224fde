/**
 * Which template a welcome uses: the rules of `templates: [...]` in their order, the first
 * whose conditions all hold, else the default `text`. A rule may ask for a group, a channel
 * (the `State` of the contact-way QR code the customer scanned), weekdays, the holiday list,
 * or a trigger; conditions it does not name always hold.
 */
import { localDay, type IsoWeekday } from './calendar.js';
import type { Template } from './template.js';

/** The four ways a member gets welcomed. */
export const WELCOME_TRIGGERS = ['customer-add', 'group-join', 'enter-chat', 'first-message'] as const;
export type WelcomeTrigger = (typeof WELCOME_TRIGGERS)[number];

export interface TemplateRule {
  readonly template: Template;
  /** Chat ids (corp customer-group ids or robot chat ids). */
  readonly groups?: ReadonlySet<string>;
  readonly channels?: ReadonlySet<string>;
  readonly weekdays?: ReadonlySet<IsoWeekday>;
  /** true: only on a holiday; false: only on other days. */
  readonly holiday?: boolean;
  readonly triggers?: ReadonlySet<WelcomeTrigger>;
}

/** Where and when a welcome happens. */
export interface WelcomeSituation {
  trigger: WelcomeTrigger;
  /** Every id the chat is known by (a customer group's corp id and its robot's chat id); none in private. */
  chatIds: readonly string[];
  /** The contact-way `State`, when the trigger carries one. */
  channel?: string;
  /** Epoch ms. */
  at: number;
}

export interface TemplateChoice {
  rules: readonly TemplateRule[];
  fallback: Template;
  holidays: ReadonlySet<string>;
  timezone: string;
}

function matches(
  rule: TemplateRule,
  s: WelcomeSituation,
  day: { date: string; weekday: IsoWeekday },
  holidays: ReadonlySet<string>,
): boolean {
  if (rule.triggers && !rule.triggers.has(s.trigger)) return false;
  if (rule.groups && !s.chatIds.some((id) => rule.groups?.has(id))) return false;
  if (rule.channels && (s.channel === undefined || !rule.channels.has(s.channel))) return false;
  if (rule.weekdays && !rule.weekdays.has(day.weekday)) return false;
  if (rule.holiday !== undefined && holidays.has(day.date) !== rule.holiday) return false;
  return true;
}

/**
 * The template for `situation`.
 *
 * @example pickTemplate(choice, { trigger: 'customer-add', chatIds: [], channel: 'spring-poster', at: Date.now() })
 */
export function pickTemplate(choice: TemplateChoice, situation: WelcomeSituation): Template {
  const day = localDay(situation.at, choice.timezone);
  return choice.rules.find((rule) => matches(rule, situation, day, choice.holidays))?.template ?? choice.fallback;
}
