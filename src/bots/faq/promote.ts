/**
 * `wecombot faq promote`: a logged question becomes an alternate phrasing of an entry, written
 * into the Q&A file in its own format (YAML keeps its comments and layout; CSV its columns;
 * Markdown gets or extends the `也问：` line under the question).
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { FaqEntry } from './entry.js';
import { FaqSourceError } from './source-error.js';
import { PHRASINGS_LINE } from './source-markdown.js';
import { parseQa, qaFormatOf } from './source.js';

/**
 * Adds `phrasing` to the entry `entryId` of the Q&A file; returns the entry as it now is.
 * A phrasing the entry already has is not added twice.
 *
 * @example await promotePhrasing('faq.yaml', 12, '开会员多少钱')
 */
export async function promotePhrasing(file: string, entryId: number, phrasing: string): Promise<FaqEntry> {
  const text = await readFile(file, 'utf8');
  const set = await parseQa(text, file);
  const entry = set.entries.find((e) => e.id === entryId);
  if (!entry)
    throw new FaqSourceError(
      file,
      1,
      `has no entry ${entryId} (ids: ${set.entries
        .map((e) => e.id)
        .slice(0, 20)
        .join(', ')}${set.entries.length > 20 ? ', …' : ''})`,
    );
  const wording = phrasing.trim();
  if (!wording || entry.question === wording || entry.phrasings.includes(wording)) return entry;
  const format = qaFormatOf(file);
  const index = set.entries.indexOf(entry);
  const updated =
    format === 'yaml'
      ? await inYaml(text, index, wording)
      : format === 'csv'
        ? await inCsv(text, index, wording)
        : inMarkdown(text, entry, wording);
  await writeFile(file, updated);
  // Read back: what was written must parse, and hold the phrasing.
  const after = (await parseQa(updated, file)).entries[index]!;
  return after;
}

async function inYaml(text: string, index: number, wording: string): Promise<string> {
  const { parseDocument, isMap, isSeq } = await import('yaml');
  const doc = parseDocument(text);
  const list = isMap(doc.contents) ? doc.contents.get('entries', true) : doc.contents;
  if (!isSeq(list)) throw new Error('unreachable: a parsed Q&A file has a list of entries');
  const item = list.items[index];
  if (!isMap(item)) throw new Error('unreachable: entries are mappings');
  const key = ['phrasings', 'also', 'alternates', 'similar', '相似问法', '其他问法'].find((k) => item.has(k)) ?? 'phrasings';
  const current = item.get(key, true);
  // A parsed document's types want parsed nodes; new ones are plain nodes, which set accepts.
  const entryMap = item as unknown as { set(key: unknown, value: unknown): void };
  if (isSeq(current)) current.add(doc.createNode(wording));
  else if (current === undefined || current === null) entryMap.set(key, doc.createNode([wording], { flow: true }));
  else entryMap.set(key, doc.createNode(`${String((current as { toJSON(): unknown }).toJSON())} | ${wording}`));
  return doc.toString();
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

async function inCsv(text: string, index: number, wording: string): Promise<string> {
  const { parse } = await import('csv-parse/sync');
  const rows = parse(text, { bom: true, skip_empty_lines: true }) as string[][];
  const header = rows[0]!;
  let column = header.findIndex((h) =>
    ['phrasings', 'also', 'alternates', 'similar', '相似问法', '其他问法'].includes(h.trim().toLowerCase()),
  );
  if (column < 0) {
    column = header.length;
    for (const row of rows) row.push(row === header ? 'phrasings' : '');
  }
  const row = rows[index + 1]!;
  row[column] = row[column] ? `${row[column]}|${wording}` : wording;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return rows.map((r) => r.map(csvCell).join(',')).join(eol) + eol;
}

function inMarkdown(text: string, entry: FaqEntry, wording: string): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lines = text.split(/\r?\n/);
  // The first non-blank line under the heading is the phrasings line when there is one.
  let at = entry.line;
  while (at < lines.length && lines[at]!.trim() === '') at++;
  if (at < lines.length && PHRASINGS_LINE.test(lines[at]!)) lines[at] = `${lines[at]!.trimEnd()} | ${wording}`;
  else lines.splice(entry.line, 0, `也问：${wording}`);
  return lines.join(eol);
}
