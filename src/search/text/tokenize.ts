/**
 * Splits normalized text into runs: CJK runs (segmented later, by jieba at index time or
 * against the index vocabulary at query time) and word runs (Latin letters, digits and code
 * identifiers such as `cos.putobject`, `scf_bootstrap`, `v1.2.3`).
 *
 * A hand-written scanner rather than one regular expression: a pattern with `\p{L}` or
 * `\p{Script=Han}` costs 5–10 ms to compile, a tenth of the cold-start budget.
 */

/** One run of normalized text. */
export type Run = { kind: 'cjk'; text: string } | { kind: 'word'; text: string; parts: string[] };

/** Han, kana and hangul: scripts written without spaces between words. */
export function isCjkCode(cp: number): boolean {
  if (cp < 0x1100) return false;
  if (cp >= 0x4e00 && cp <= 0x9fff) return true;
  return (
    cp <= 0x11ff ||
    (cp >= 0x2e80 && cp <= 0x2fdf) ||
    cp === 0x3005 ||
    cp === 0x3007 ||
    (cp >= 0x3021 && cp <= 0x3029) ||
    (cp >= 0x3038 && cp <= 0x303b) ||
    (cp >= 0x3040 && cp <= 0x30ff && cp !== 0x30fb) ||
    (cp >= 0x3130 && cp <= 0x318f) ||
    (cp >= 0x31f0 && cp <= 0x31ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0xac00 && cp <= 0xd7af) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0x20000 && cp <= 0x323af)
  );
}

let letter: RegExp | undefined;
const SEP = 0;
const CJK = 1;
const WORD = 2;

function classOf(cp: number): number {
  if (cp < 0x80) {
    return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || cp === 0x5f ? WORD : SEP;
  }
  if (isCjkCode(cp)) return CJK;
  // Other scripts' letters, digits and marks (é, ß, Кириллица); compiled on first need only.
  letter ??= /^[\p{L}\p{N}\p{M}]$/u;
  return letter.test(String.fromCodePoint(cp)) ? WORD : SEP;
}

function isJoiner(cp: number): boolean {
  return cp === 0x2e || cp === 0x2d; // '.' '-'
}

/** Splits a compound word token into its parts (`cos.putobject` → `cos`, `putobject`). */
function partsOf(token: string): string[] {
  if (!/[._-]/.test(token)) return [];
  return token.split(/[._-]+/).filter((p) => p.length > 0);
}

function trimUnderscores(word: string): string {
  let start = 0;
  let end = word.length;
  while (start < end && word[start] === '_') start++;
  while (end > start && word[end - 1] === '_') end--;
  return start === 0 && end === word.length ? word : word.slice(start, end);
}

/**
 * Splits normalized text into CJK and word runs; punctuation, symbols and spaces separate runs.
 * Word runs continue across `.` and `-` between word characters (`cos.putobject`, `v1.2.3`).
 *
 * @example runs('用 cos.putobject 上传') // cjk 用, word cos.putobject (parts cos, putobject), cjk 上传
 */
export function runs(text: string): Run[] {
  const out: Run[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const cp = text.codePointAt(i)!;
    const kind = classOf(cp);
    if (kind === SEP) {
      i += cp > 0xffff ? 2 : 1;
      continue;
    }
    const start = i;
    i += cp > 0xffff ? 2 : 1;
    while (i < n) {
      const next = text.codePointAt(i)!;
      const k = classOf(next);
      if (k === kind) {
        i += next > 0xffff ? 2 : 1;
        continue;
      }
      if (kind === WORD && isJoiner(next) && i + 1 < n && classOf(text.codePointAt(i + 1)!) === WORD) {
        i += 1;
        continue;
      }
      break;
    }
    const chunk = text.slice(start, i);
    if (kind === CJK) out.push({ kind: 'cjk', text: chunk });
    else {
      const word = trimUnderscores(chunk);
      if (word.length > 0) out.push({ kind: 'word', text: word, parts: partsOf(word) });
    }
  }
  return out;
}

/** Terms of a word run: the whole token, then its parts when it is a compound. */
export function wordTerms(run: { text: string; parts: string[] }): string[] {
  return run.parts.length > 0 ? [run.text, ...run.parts] : [run.text];
}

/** True when the string is made only of CJK characters. */
export function isCjk(text: string): boolean {
  if (text.length === 0) return false;
  for (const ch of text) if (!isCjkCode(ch.codePointAt(0)!)) return false;
  return true;
}
