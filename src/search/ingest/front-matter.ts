/**
 * Minimal front matter: a leading `---` block of `key: value` lines (YAML-ish, flat). Only
 * scalar values are read; wecombot needs `title` and `url`, the rest is kept for callers.
 */

export interface FrontMatter {
  data: Record<string, string>;
  /** The document after the block (the whole document when there is none). */
  body: string;
  /** Number of lines the block took, so line numbers stay meaningful. */
  lines: number;
}

const BLOCK = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/** Splits off and parses a front-matter block. */
export function parseFrontMatter(source: string): FrontMatter {
  const m = BLOCK.exec(source);
  if (!m) return { data: {}, body: source.replace(/^\uFEFF/, ''), lines: 0 };
  const data: Record<string, string> = {};
  for (const line of (m[1] ?? '').split(/\r?\n/)) {
    const kv = /^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)$/.exec(line);
    if (!kv) continue;
    data[kv[1]!.toLowerCase()] = unquote((kv[2] ?? '').trim());
  }
  return { data, body: source.slice(m[0].length), lines: m[0].split('\n').length - 1 };
}

function unquote(value: string): string {
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value[value.length - 1] === value[0]) {
    const inner = value.slice(1, -1);
    return value[0] === '"' ? inner.replace(/\\"/g, '"').replace(/\\\\/g, '\\') : inner.replace(/''/g, "'");
  }
  return value.replace(/\s+#.*$/, '');
}
