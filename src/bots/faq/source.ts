/**
 * Reading a Q&A file: the format follows the extension (`.yaml`/`.yml`, `.csv`, `.md`), and
 * a malformed file is refused with the file, the line and the reason. The YAML and CSV
 * parsers load only when such a file is read.
 */
import { readFile } from 'node:fs/promises';
import type { QaFormat, QaSet } from './entry.js';
import { FaqSourceError } from './source-error.js';

/** The format of a Q&A file by its extension, or undefined. */
export function qaFormatOf(file: string): QaFormat | undefined {
  if (/\.ya?ml$/i.test(file)) return 'yaml';
  if (/\.csv$/i.test(file)) return 'csv';
  if (/\.(md|markdown)$/i.test(file)) return 'markdown';
  return undefined;
}

/**
 * Parses Q&A text of a given format; `file` is only used in messages.
 *
 * @example await parseQa('- question: 怎么退款？\n  answer: 在订单页申请。', 'faq.yaml')
 */
export async function parseQa(text: string, file: string, format: QaFormat | undefined = qaFormatOf(file)): Promise<QaSet> {
  switch (format) {
    case 'yaml':
      return (await import('./source-yaml.js')).parseYamlQa(text, file);
    case 'csv':
      return (await import('./source-csv.js')).parseCsvQa(text, file);
    case 'markdown': {
      const { parseMarkdownQa } = await import('./source-markdown.js');
      const { skipped: _skipped, ...set } = parseMarkdownQa(text, file);
      return set;
    }
    default:
      throw new FaqSourceError(file, 1, 'has an unknown extension: use .yaml, .yml, .csv or .md');
  }
}

/** Reads and parses a Q&A file. */
export async function loadQaFile(file: string): Promise<QaSet & { text: string }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new FaqSourceError(file, 1, `cannot be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, cause);
  }
  return { ...(await parseQa(text, file)), text };
}
