/**
 * YAML Q&A files:
 *
 * ```yaml
 * synonyms:
 *   - 发票 = 开票
 * entries:
 *   - id: 1
 *     question: 怎么申请退款？
 *     phrasings: [能退钱吗, 退款流程]
 *     answer: |
 *       在「订单」页点击**申请退款**，1–3 个工作日到账。
 * ```
 *
 * A top-level list of entries is accepted too. Errors carry the line of the offending node.
 */
import type { QaSet } from './entry.js';
import { checkEntries, fieldOf, type RawEntry } from './source-fields.js';
import { FaqSourceError } from './source-error.js';

export async function parseYamlQa(text: string, file: string): Promise<QaSet> {
  const { LineCounter, parseDocument, isMap, isSeq, isScalar } = await import('yaml');
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = syntax.linePos?.[0]?.line ?? lineCounter.linePos(syntax.pos[0]).line;
    throw new FaqSourceError(file, line, `YAML syntax: ${syntax.message.split('\n')[0]}`);
  }
  const lineOf = (node: unknown): number => {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range ? lineCounter.linePos(range[0]).line : 1;
  };
  let list: unknown = doc.contents;
  const synonyms: string[][] = [];
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key === 'entries') list = pair.value;
      else if (key === 'synonyms') {
        if (!isSeq(pair.value))
          throw new FaqSourceError(file, lineOf(pair.key), 'synonyms must be a list (`- 发票 = 开票`, or a list of words)');
        for (const item of pair.value.items) {
          const value = (item as { toJSON(): unknown }).toJSON();
          if (typeof value === 'string')
            synonyms.push(
              value
                .split(/[=,，]/)
                .map((w) => w.trim())
                .filter(Boolean),
            );
          else if (Array.isArray(value) && value.every((w) => typeof w === 'string')) synonyms.push(value as string[]);
          else throw new FaqSourceError(file, lineOf(item), 'a synonym group is a string (`a = b`) or a list of words');
        }
      } else throw new FaqSourceError(file, lineOf(pair.key), `unknown key "${key}" (expected entries and synonyms)`);
    }
    if (list === doc.contents) throw new FaqSourceError(file, 1, 'has no entries: write a list of entries, or an `entries:` key');
  }
  if (!isSeq(list)) throw new FaqSourceError(file, lineOf(list), 'entries must be a list (`- question: …`)');
  const raws: RawEntry[] = [];
  for (const item of list.items) {
    const line = lineOf(item);
    if (!isMap(item)) throw new FaqSourceError(file, line, 'an entry must be a mapping with question and answer');
    const raw: RawEntry = { line };
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const field = fieldOf(key);
      if (!field)
        throw new FaqSourceError(file, lineOf(pair.key), `unknown field "${key}" (expected question, phrasings, answer, group, id)`);
      raw[field] = (pair.value as { toJSON(): unknown } | null)?.toJSON();
    }
    raws.push(raw);
  }
  const checked = checkEntries(raws);
  if ('reason' in checked) throw new FaqSourceError(file, checked.line, checked.reason);
  return { file, format: 'yaml', entries: checked.entries, synonyms };
}
