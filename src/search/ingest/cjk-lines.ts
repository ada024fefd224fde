/**
 * Chinese, Japanese and Korean characters and their punctuation: text that is written without
 * spaces between words.
 */
const WIDE = '\\u2e80-\\u9fff\\uac00-\\ud7af\\uf900-\\ufaff\\ufe30-\\ufe4f\\uff00-\\uffef';
const WRAPPED = new RegExp(`([${WIDE}])\\n[ \\t]*(?=[${WIDE}])`, 'g');
const WIDE_LAST = new RegExp(`[${WIDE}]$`);
const WIDE_FIRST = new RegExp(`^[${WIDE}]`);

// A line break in the middle of CJK text (`内容没` / `变`) is not a word boundary: a source
// wrapped there must be joined, or jieba never sees `没变` at index time and snippets show a
// stray space.

/** True when `next` continues `previous` inside CJK text, so the break between them goes. */
export function continuesCjk(previous: string, next: string): boolean {
  return WIDE_LAST.test(previous) && WIDE_FIRST.test(next);
}

/**
 * Joins the lines of plain text that were wrapped inside CJK text. Breaks next to Latin text,
 * blank lines and lines that start with a mark (`-`, `|`, `#`) stay.
 */
export function joinWrappedCjkLines(text: string): string {
  return text.includes('\n') ? text.replace(WRAPPED, '$1') : text;
}
