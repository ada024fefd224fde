/**
 * A line-level view of a message for splitting: paragraphs, fenced code blocks and pipe
 * tables, with the blank lines between them. Only as much markdown as splitting needs.
 */

/** A block covers lines [start, end) of the document. */
export interface Block {
  kind: 'paragraph' | 'code' | 'table';
  start: number;
  end: number;
  /** code: the opening fence line and the closing one (synthesised when the fence is unclosed). */
  fenceOpen?: string;
  fenceClose?: string;
  /** code: whether the document itself closes the fence. */
  closed?: boolean;
}

const FENCE = /^( {0,3})(`{3,}|~{3,})(.*)$/;
const DELIMITER_ROW = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** True for a line with nothing but whitespace. */
export function isBlank(line: string): boolean {
  return line.trim() === '';
}

function fenceOf(line: string): { indent: string; marker: string } | undefined {
  const m = FENCE.exec(line);
  if (!m) return undefined;
  const marker = m[2] as string;
  // A backtick fence's info string may not contain backticks (CommonMark).
  if (marker[0] === '`' && (m[3] as string).includes('`')) return undefined;
  return { indent: m[1] as string, marker };
}

function closesFence(line: string, marker: string): boolean {
  const m = /^ {0,3}(`+|~+)\s*$/.exec(line);
  return !!m && (m[1] as string)[0] === marker[0] && (m[1] as string).length >= marker.length;
}

function startsTable(lines: readonly string[], i: number): boolean {
  const head = lines[i];
  const delimiter = lines[i + 1];
  return head !== undefined && delimiter !== undefined && head.includes('|') && delimiter.includes('-') && DELIMITER_ROW.test(delimiter);
}

/**
 * Cut `lines` into blocks. With `markdown` false everything is a paragraph (blank-line
 * separated); with `markdown` true fenced code and pipe tables are blocks of their own.
 */
export function scanBlocks(lines: readonly string[], markdown: boolean): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (isBlank(line)) {
      i++;
      continue;
    }
    const fence = markdown ? fenceOf(line) : undefined;
    if (fence) {
      let j = i + 1;
      while (j < lines.length && !closesFence(lines[j] as string, fence.marker)) j++;
      const closed = j < lines.length;
      blocks.push({
        kind: 'code',
        start: i,
        end: closed ? j + 1 : lines.length,
        fenceOpen: line,
        fenceClose: closed ? (lines[j] as string) : fence.indent + fence.marker,
        closed,
      });
      i = closed ? j + 1 : lines.length;
      continue;
    }
    if (markdown && startsTable(lines, i)) {
      let j = i + 2;
      while (j < lines.length && !isBlank(lines[j] as string) && (lines[j] as string).includes('|') && !fenceOf(lines[j] as string)) j++;
      blocks.push({ kind: 'table', start: i, end: j });
      i = j;
      continue;
    }
    let j = i + 1;
    while (j < lines.length) {
      const next = lines[j] as string;
      if (isBlank(next) || (markdown && (fenceOf(next) || startsTable(lines, j)))) break;
      j++;
    }
    blocks.push({ kind: 'paragraph', start: i, end: j });
    i = j;
  }
  return blocks;
}
