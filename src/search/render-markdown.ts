import { LIMITS } from '../protocol/limits.js';
import type { Range, SearchHit } from './types.js';

/** How {@link renderHitsMarkdown} lays out hits. */
export interface RenderOptions {
  /** `bold` wraps keywords in `**`; `warning` in `<font color="warning">` (orange). Default `bold`. */
  highlight?: 'bold' | 'warning';
  /** Byte budget of the whole message (default: WeCom's markdown limit, 4096 UTF-8 bytes). */
  maxBytes?: number;
  /** First line; `{query}` and `{count}` are replaced. Default `🔍 {query}`; '' for none. */
  header?: string;
  /** Shown when there are no hits. `{query}` is replaced. */
  emptyText?: string;
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * What WeCom markdown reads as markup inside running text, each found as one span: a cron
 * line (`0 0 8 * * *`, `0 0 9 * * MON-FRI`), a link `[t](u)`, a tag or mention (`<font …>`,
 * `<@id>`, `<div>`), and any run of printable ASCII with an asterisk (`**`, `a*b`). The page's
 * own inline code arrives without its backticks (the indexer keeps code, not markup).
 * Everything else (`[45009]`, `=>`, `a > b`, `#1`) is left as the page wrote it: WeCom shows it
 * as is, because the message layout never starts a line with the text (no heading, no quote).
 */
const MARKUP =
  /(?<![!-~])(?:[\dA-Z*?/,#-]+[ \t]+){4,6}[\dA-Z*?/,#-]+(?![!-~])|\[[^\]\n]*\]\([^)\n]*\)|<[A-Za-z@/!][^<>\n]*>|[!-~]*\*[!-~]*/g;

/** One piece of text: shown as it is, or as a code span (what a user copies is what the page said). */
export interface TextPiece {
  text: string;
  code: boolean;
}

/** Splits plain text into pieces: markup-like spans become code pieces (see {@link MARKUP}). */
export function textPieces(text: string): TextPiece[] {
  const flat = text.replace(/[\r\n]/g, ' '); // one for one, so offsets stay those of `text`
  const pieces: TextPiece[] = [];
  let at = 0;
  for (const m of flat.matchAll(MARKUP)) {
    const span = m[0];
    // A cron-like run needs a wildcard; plain digits ("8 12 30 2025 1") are ordinary text.
    if (!span.includes('*') && !span.includes('?') && /^[\dA-Z\s,/#-]+$/.test(span)) continue;
    if (m.index > at) pieces.push({ text: flat.slice(at, m.index), code: false });
    pieces.push({ text: span, code: true });
    at = m.index + span.length;
  }
  if (at < flat.length) pieces.push({ text: flat.slice(at), code: false });
  return pieces;
}

/**
 * Neutralizes markup in plain text (titles, snippets, the query) with as little change as
 * possible: markup-like spans become code spans, so the characters stay the page's own. The
 * one substitution left is a literal backtick (from a code block: `x${y}`), shown as ˋ: WeCom
 * markdown has no escape for it and a backtick cannot sit inside a code span (UNCONFIRMED
 * whether WeCom honours CommonMark's double-backtick spans, so they are not used).
 */
export function escapeMarkdownText(text: string): string {
  return textPieces(text)
    .map((p) => {
      if (!p.text.includes('`')) return p.code ? `\`${p.text}\`` : p.text;
      // Around each literal backtick, the rest is neutralized on its own (it has none left).
      return p.code ? p.text.split('`').map(escapeMarkdownText).join('ˋ') : p.text.replace(/`/g, 'ˋ');
    })
    .join('');
}

/** Link text: also no square brackets, which would end the link early (titles only, never copied code). */
function escapeLinkText(text: string): string {
  return escapeMarkdownText(text).replace(/\[/g, '［').replace(/\]/g, '］');
}

function mark(text: string, style: 'bold' | 'warning'): string {
  return style === 'bold' ? `**${text}**` : `<font color="warning">${text}</font>`;
}

/** Cuts a string to at most `chars` code points (never inside a surrogate pair). */
function cutChars(text: string, chars: number): string {
  let units = 0;
  let count = 0;
  for (const ch of text) {
    if (count === chars) break;
    units += ch.length;
    count++;
  }
  return text.slice(0, units);
}

/**
 * The snippet with highlights, cut to `chars` characters of text. Markup is added after the
 * cut, so a tag is never split; a highlight crossing the cut is closed at it.
 */
function snippetMarkdown(snippet: string, highlights: readonly Range[], chars: number, style: 'bold' | 'warning'): string {
  const visible = cutChars(snippet, chars);
  const cut = visible.length < snippet.length;
  let out = '';
  let at = 0;
  // A highlight never splits a code span: one touching a span covers all of it.
  const spans: Range[] = [];
  let offset = 0;
  for (const piece of textPieces(visible)) {
    if (piece.code) spans.push([offset, offset + piece.text.length]);
    offset += piece.text.length;
  }
  const widened = highlights.map(([s, e]): Range => {
    for (const [cs, ce] of spans) if (s < ce && e > cs) [s, e] = [Math.min(s, cs), Math.max(e, ce)];
    return [s, e];
  });
  const merged: Range[] = [];
  for (const [s, e] of [...widened].sort((x, y) => x[0] - y[0])) {
    const last = merged[merged.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else merged.push([s, e]);
  }
  for (const [s, e] of merged) {
    if (s >= visible.length) break;
    if (s < at) continue;
    const end = Math.min(e, visible.length);
    out += escapeMarkdownText(visible.slice(at, s));
    out += mark(escapeMarkdownText(visible.slice(s, end)), style);
    at = end;
  }
  out += escapeMarkdownText(visible.slice(at));
  if (cut && !out.endsWith('…')) out += '…';
  return out;
}

function hitMarkdown(hit: SearchHit, n: number, snippetChars: number, style: 'bold' | 'warning'): string {
  const plainTitle = hit.title || hit.path;
  const link = hit.url && !/[\s()]/.test(hit.url) ? `[${escapeLinkText(plainTitle)}](${hit.url})` : `**${escapeMarkdownText(plainTitle)}**`;
  const section = hit.section && hit.section !== hit.title ? ` · ${escapeMarkdownText(hit.section)}` : '';
  const lines = [`${n}. ${link}${section}`];
  if (snippetChars > 0 && hit.snippet) lines.push(`> ${snippetMarkdown(hit.snippet, hit.highlights, snippetChars, style)}`);
  return lines.join('\n');
}

/**
 * Renders hits as one WeCom markdown message: a header, then per hit its title as a link
 * (with the section anchor), the section name and the snippet with keywords highlighted. The
 * result always fits `maxBytes`: snippets shorten first, then trailing hits go; a multi-byte
 * character or a highlight tag is never cut.
 *
 * @example
 * renderHitsMarkdown('函数计费', hits, { highlight: 'warning' })
 */
export function renderHitsMarkdown(query: string, hits: readonly SearchHit[], options: RenderOptions = {}): string {
  const style = options.highlight ?? 'bold';
  const maxBytes = options.maxBytes ?? LIMITS.markdownContentBytes;
  const q = escapeMarkdownText(cutChars(query.trim(), 60));
  if (hits.length === 0) {
    const empty = (options.emptyText ?? '没有找到与「{query}」相关的内容。').replace('{query}', q);
    return fitPlain(empty, maxBytes);
  }
  const headerTemplate = options.header ?? '🔍 {query}';
  const header = headerTemplate ? fitPlain(headerTemplate.replace('{query}', q).replace('{count}', String(hits.length)), maxBytes) : '';
  const blocks: string[] = header ? [header] : [];
  let used = bytes(header);
  for (let i = 0; i < hits.length; i++) {
    const hit = hits[i]!;
    const sep = blocks.length > 0 ? 2 : 0; // blank line between blocks
    const budget = maxBytes - used - sep;
    let block = hitMarkdown(hit, i + 1, Array.from(hit.snippet).length, style);
    if (bytes(block) > budget) {
      // Largest snippet that fits, by bisection on its length in characters.
      let lo = 0;
      let hi = Array.from(hit.snippet).length;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (bytes(hitMarkdown(hit, i + 1, mid, style)) <= budget) lo = mid;
        else hi = mid - 1;
      }
      block = hitMarkdown(hit, i + 1, lo < 10 ? 0 : lo, style);
      if (bytes(block) > budget) {
        // Even without a snippet the link is too long (a huge URL): try the title alone.
        block = fitPlain(`${i + 1}. ${escapeMarkdownText(hit.title || hit.path)}`, budget);
        if (!block || i > 0) break;
      }
    }
    blocks.push(block);
    used += sep + bytes(block);
    if (block.length === 0) break;
  }
  return blocks.join('\n\n');
}

/** Cuts plain text to a byte budget on a character boundary, with an ellipsis when cut. */
function fitPlain(text: string, maxBytes: number): string {
  if (bytes(text) <= maxBytes) return text;
  let out = '';
  let used = 0;
  const ell = bytes('…');
  for (const ch of text) {
    const b = bytes(ch);
    if (used + b + ell > maxBytes) break;
    out += ch;
    used += b;
  }
  return maxBytes >= ell ? `${out}…` : '';
}
