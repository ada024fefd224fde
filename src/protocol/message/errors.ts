import { WecombotError } from '../../errors.js';

/** Stable codes of validation problems. */
export type ValidationIssueCode =
  | 'message_missing_field'
  | 'message_too_long'
  | 'message_too_many'
  | 'message_too_few'
  | 'message_invalid_value'
  | 'message_mention_unsupported';

/** One problem: the field path (`news.articles[2].title`), a stable code and a full sentence. */
export interface ValidationIssue {
  path: string;
  code: ValidationIssueCode;
  message: string;
}

const HINTS: Record<ValidationIssueCode, string> = {
  message_missing_field: 'set the field; WeCom rejects the message without it',
  message_too_long: 'shorten it, or split long text with splitMessage(content, limit)',
  message_too_many: 'send fewer items, or split them over several messages',
  message_too_few: 'add the missing items',
  message_invalid_value: 'use one of the documented values',
  message_mention_unsupported: 'markdown_v2 cannot mention anyone; use markdown with <@userid>, or a text message with mentioned_list',
};

/**
 * An outgoing message (or passive reply) that WeCom would reject. `code` and `field` come from
 * the first issue; `issues` lists all of them.
 *
 * @example err.message === 'text.content is 2300 bytes; the limit is 2048 UTF-8 bytes'
 */
export class MessageValidationError extends WecombotError {
  override readonly code: ValidationIssueCode;
  readonly field: string;
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    const first = issues[0];
    if (!first) throw new TypeError('MessageValidationError needs at least one issue');
    const rest = issues.length - 1;
    const message =
      rest === 0
        ? first.message
        : `${first.message} (and ${rest} more: ${issues
            .slice(1, 4)
            .map((issue) => issue.message)
            .join('; ')}${rest > 3 ? '; …' : ''})`;
    super(first.code, message, { hint: HINTS[first.code] });
    this.code = first.code;
    this.field = first.path;
    this.issues = issues;
  }
}
