/**
 * CSV Q&A files: a header row naming the columns (`question,phrasings,answer`, optionally
 * `group` and `id`; Chinese names such as 问题/相似问法/答案 work too), one entry a row.
 * Phrasings are separated by `|` or `；` inside their cell; answers may span lines when quoted.
 */
import type { QaSet } from './entry.js';
import { checkEntries, fieldOf, type FieldName, type RawEntry } from './source-fields.js';
import { FaqSourceError } from './source-error.js';

interface CsvRow {
  record: string[];
  info: { lines: number; raw?: string };
}

export async function parseCsvQa(text: string, file: string): Promise<QaSet> {
  const { parse } = await import('csv-parse/sync');
  let rows: CsvRow[];
  try {
    rows = parse(text, { bom: true, info: true, raw: true, skip_empty_lines: true, relax_quotes: false }) as unknown as CsvRow[];
  } catch (cause) {
    const err = cause as { lines?: number; message?: string };
    const reason = String(err.message ?? cause);
    throw new FaqSourceError(file, err.lines ?? 1, `CSV: ${reason}`, cause);
  }
  const [header, ...body] = rows;
  if (!header) throw new FaqSourceError(file, 1, 'is empty: expected a header row such as question,phrasings,answer');
  const startLine = (row: CsvRow) => row.info.lines - ((row.info.raw ?? '').replace(/\r?\n$/, '').match(/\n/g)?.length ?? 0);
  const columns: (FieldName | undefined)[] = header.record.map((name) => fieldOf(name));
  header.record.forEach((name, i) => {
    if (!columns[i])
      throw new FaqSourceError(file, startLine(header), `unknown column "${name}" (expected question, phrasings, answer, group, id)`);
  });
  for (const needed of ['question', 'answer'] as const) {
    if (!columns.includes(needed)) throw new FaqSourceError(file, startLine(header), `the header has no ${needed} column`);
  }
  const raws: RawEntry[] = body.map((row) => {
    const raw: RawEntry = { line: startLine(row) };
    row.record.forEach((cell, i) => (raw[columns[i]!] = cell));
    return raw;
  });
  const checked = checkEntries(raws);
  if ('reason' in checked)
    throw new FaqSourceError(
      file,
      checked.line,
      checked.reason.replace(/^entry (\d+)/, (_, n: string) => `row ${n}`),
    );
  return { file, format: 'csv', entries: checked.entries, synonyms: [] };
}
