/**
 * The tags CSV: one assignment per line, `subject,tag[,group,name,owner]` on import (a header
 * line naming the columns, in any order), and the same columns plus when and who on export.
 * UTF-8 (a BOM is fine), commas, RFC 4180 quotes.
 */
import { parse } from 'csv-parse/sync';
import { WecombotError } from '../../errors.js';
import { checkTagName, type TagBook } from './book.js';

export class TagsCsvError extends WecombotError {
  constructor(message: string, hint?: string) {
    super('tags_csv_invalid', message, { hint: hint ?? 'columns: subject,tag (required), group, name, owner; one assignment per line' });
  }
}

export interface CsvAssignment {
  line: number;
  subject: string;
  tag: string;
  group: string | undefined;
  name: string | undefined;
  owner: string | undefined;
}

const COLUMNS = ['subject', 'tag', 'group', 'name', 'owner'] as const;

/** Reads the CSV, checking every line before anything is written (a bad line stops the import, naming it). */
export function parseTagsCsv(text: string): CsvAssignment[] {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (err) {
    throw new TagsCsvError(`the CSV does not parse: ${(err as Error).message}`);
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  if (!header.includes('subject') || !header.includes('tag'))
    throw new TagsCsvError('line 1 must be a header naming at least subject and tag');
  // An export's own columns (when, by whom) come back as they are: the import writes its own.
  const unknown = header.find((h) => !(COLUMNS as readonly string[]).includes(h) && h !== 'added_at' && h !== 'added_by');
  if (unknown) throw new TagsCsvError(`line 1: unknown column "${unknown}"`);
  const at = (row: string[], col: (typeof COLUMNS)[number]) => {
    const i = header.indexOf(col);
    const v = i < 0 ? undefined : row[i]?.trim();
    return v ? v : undefined;
  };
  return records.slice(1).map((row, i) => {
    const line = i + 2;
    const subject = at(row, 'subject');
    const tag = at(row, 'tag');
    if (!subject) throw new TagsCsvError(`line ${line}: subject is empty`);
    if (!/^[\w.@-]{1,128}$/.test(subject)) throw new TagsCsvError(`line ${line}: subject "${subject}" is not a userid or external userid`);
    if (!tag) throw new TagsCsvError(`line ${line}: tag is empty`);
    const group = at(row, 'group');
    try {
      checkTagName(tag);
      if (group) checkTagName(group, 'group');
    } catch (err) {
      throw new TagsCsvError(`line ${line}: ${(err as Error).message}`);
    }
    return { line, subject, tag, group, name: at(row, 'name'), owner: at(row, 'owner') };
  });
}

/** Applies an import; returns how many assignments were new. */
export async function importTagsCsv(
  book: TagBook,
  rows: readonly CsvAssignment[],
  actor = 'csv',
): Promise<{ added: number; lines: number }> {
  let added = 0;
  for (const r of rows) {
    if (r.name || r.owner) await book.upsertSubject(r.subject, { name: r.name, owner: r.owner });
    added += (await book.add(r.subject, [r.tag], { actor, via: 'csv' }, r.group)).length;
  }
  return { added, lines: rows.length };
}

/** A CSV cell, quoted when needed and defused when a spreadsheet would run it as a formula. */
function cell(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Every assignment, header first; imports back with `wecombot tags import`. */
export async function exportTagsCsv(book: TagBook): Promise<string> {
  const rows = await book.assignments();
  const lines = [['subject', 'tag', 'group', 'name', 'added_at', 'added_by']];
  for (const r of rows) lines.push([r.subject, r.tag, r.group, r.name ?? '', new Date(r.addedAt).toISOString(), r.addedBy]);
  return `${lines.map((l) => l.map(cell).join(',')).join('\r\n')}\r\n`;
}
