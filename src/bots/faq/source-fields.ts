/**
 * The fields of one Q&A entry, shared by the YAML and CSV readers: which keys mean what, and
 * the checks that turn a raw record into a {@link FaqEntry} or refuse it with a reason.
 */
import type { FaqEntry } from './entry.js';

/** Accepted spellings of each field (English and Chinese column names). */
export const FIELD_NAMES = {
  id: ['id', '编号'],
  question: ['question', 'q', '问题'],
  phrasings: ['phrasings', 'also', 'alternates', 'similar', '相似问法', '其他问法'],
  answer: ['answer', 'a', '答案', '回答'],
  group: ['group', 'category', '分类'],
} as const;

export type FieldName = keyof typeof FIELD_NAMES;

/** The field a key names, or undefined. */
export function fieldOf(key: string): FieldName | undefined {
  const k = key.trim().toLowerCase();
  for (const [field, names] of Object.entries(FIELD_NAMES) as [FieldName, readonly string[]][]) if (names.includes(k)) return field;
  return undefined;
}

/** Splits a phrasings cell: `|`, `；`, `;` or new lines separate them. */
export function splitPhrasings(cell: string): string[] {
  return cell
    .split(/[|；;\n]/)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** A record before checks: strings as found, with the line of the record. */
export interface RawEntry {
  line: number;
  id?: unknown;
  question?: unknown;
  phrasings?: unknown;
  answer?: unknown;
  group?: unknown;
}

/** Turns raw records into entries; returns a reason instead for the first bad one. */
export function checkEntries(raws: readonly RawEntry[]): { entries: FaqEntry[] } | { line: number; reason: string } {
  const entries: FaqEntry[] = [];
  const ids = new Map<number, number>();
  for (const [i, raw] of raws.entries()) {
    const n = i + 1;
    const question = typeof raw.question === 'string' ? raw.question.trim() : '';
    if (!question) return { line: raw.line, reason: `entry ${n} has no question` };
    const answer = typeof raw.answer === 'string' ? raw.answer.trim() : typeof raw.answer === 'number' ? String(raw.answer) : '';
    if (!answer) return { line: raw.line, reason: `entry ${n} ("${question}") has no answer` };
    let phrasings: string[] = [];
    if (Array.isArray(raw.phrasings)) {
      const bad = raw.phrasings.findIndex((p) => typeof p !== 'string' || !p.trim());
      if (bad >= 0) return { line: raw.line, reason: `entry ${n}: phrasings[${bad}] must be a non-empty string` };
      phrasings = (raw.phrasings as string[]).map((p) => p.trim());
    } else if (typeof raw.phrasings === 'string') phrasings = splitPhrasings(raw.phrasings);
    else if (raw.phrasings !== undefined && raw.phrasings !== null)
      return { line: raw.line, reason: `entry ${n}: phrasings must be a list of strings` };
    let id = n;
    if (raw.id !== undefined && raw.id !== null && raw.id !== '') {
      const parsed = typeof raw.id === 'number' ? raw.id : Number(String(raw.id).trim());
      if (!Number.isInteger(parsed) || parsed < 1)
        return { line: raw.line, reason: `entry ${n}: id must be a positive integer (got ${JSON.stringify(raw.id)})` };
      id = parsed;
    }
    const before = ids.get(id);
    if (before !== undefined) return { line: raw.line, reason: `entry ${n}: id ${id} is already used by the entry on line ${before}` };
    ids.set(id, raw.line);
    const group = typeof raw.group === 'string' ? raw.group.trim() : '';
    entries.push({ id, question, phrasings: [...new Set(phrasings.filter((p) => p !== question))], answer, group, line: raw.line });
  }
  if (entries.length === 0) return { line: 1, reason: 'has no entries' };
  return { entries };
}
