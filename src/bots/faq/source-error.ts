import { WecombotError } from '../../errors.js';

/**
 * A malformed Q&A file: the message names the file, the line and the reason, like a compiler
 * (`faq.yaml:14: entry 3 has no answer`), so the fix is one look away.
 */
export class FaqSourceError extends WecombotError {
  readonly file: string;
  readonly line: number;
  constructor(file: string, line: number, reason: string, cause?: unknown) {
    super('faq_source_invalid', `${file}:${line}: ${reason}`, {
      hint: 'see docs/en/faq.md for the YAML, CSV and Markdown formats',
      ...(cause !== undefined ? { cause } : {}),
    });
    this.file = file;
    this.line = line;
  }
}
