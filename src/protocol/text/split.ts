/**
 * splitMessage: cut long text or markdown into parts that each fit WeCom's byte limit.
 */
import { WecombotError } from '../../errors.js';
import { breakLine } from './break-line.js';
import { scanBlocks, type Block } from './markdown-blocks.js';
import { utf8ByteLength } from './utf8.js';

/** Options of {@link splitMessage}. */
export interface SplitOptions {
  /**
   * 'text' (default): split on paragraphs, then lines, then inside a line.
   * 'markdown': also keep fenced code blocks and tables whole; an oversize code block is cut
   * between lines with the fence closed and re-opened in every part, an oversize table between
   * rows with the header repeated in every part.
   */
  kind?: 'text' | 'markdown';
}

/** The smallest limit splitMessage accepts (room for a fence and a few characters). */
export const SPLIT_MIN_BYTES = 16;

/** A piece of output and the separator that precedes it when it shares a part with the previous one. */
interface Unit {
  sep: string;
  text: string;
}

/**
 * Split `content` into parts of at most `maxBytes` UTF-8 bytes each, cutting on paragraph
 * boundaries first, then line boundaries, and only as a last resort inside a line (after a
 * space or punctuation if possible, never inside a character, surrogate pair or, when
 * avoidable, an emoji cluster). Blank lines at a cut are dropped; nothing else is.
 *
 * @example
 * for (const part of splitMessage(report, LIMITS.markdownContentBytes, { kind: 'markdown' })) {
 *   await client.send(markdownMessage(part));
 * }
 */
export function splitMessage(content: string, maxBytes: number, options: SplitOptions = {}): string[] {
  if (!Number.isInteger(maxBytes) || maxBytes < SPLIT_MIN_BYTES) {
    throw new WecombotError(
      'split_limit_invalid',
      `splitMessage needs an integer limit of at least ${SPLIT_MIN_BYTES} bytes, got ${maxBytes}`,
      {
        hint: 'pass a WeCom limit such as LIMITS.textContentBytes (2048) or LIMITS.markdownContentBytes (4096)',
      },
    );
  }
  if (utf8ByteLength(content) <= maxBytes) return [content];
  const lines = content.split('\n');
  const blocks = scanBlocks(lines, options.kind === 'markdown');
  const units: Unit[] = [];
  let prevEnd = -1;
  for (const block of blocks) {
    const sep =
      prevEnd < 0
        ? ''
        : `\n${lines
            .slice(prevEnd, block.start)
            .map((l) => `${l}\n`)
            .join('')}`;
    prevEnd = block.end;
    const blockUnits = unitsOf(block, lines, maxBytes);
    const first = blockUnits[0];
    if (first) first.sep = sep;
    units.push(...blockUnits);
  }
  return pack(units, maxBytes);
}

function pack(units: readonly Unit[], maxBytes: number): string[] {
  const parts: string[] = [];
  let current: string | undefined;
  let currentBytes = 0;
  for (const unit of units) {
    const bytes = utf8ByteLength(unit.text);
    if (current !== undefined) {
      const joined = currentBytes + utf8ByteLength(unit.sep) + bytes;
      if (joined <= maxBytes) {
        current += unit.sep + unit.text;
        currentBytes = joined;
        continue;
      }
      parts.push(current);
    }
    current = unit.text;
    currentBytes = bytes;
  }
  if (current !== undefined) parts.push(current);
  return parts;
}

function unitsOf(block: Block, lines: readonly string[], maxBytes: number): Unit[] {
  const blockLines = lines.slice(block.start, block.end);
  const whole = blockLines.join('\n');
  if (utf8ByteLength(whole) <= maxBytes) return [{ sep: '', text: whole }];
  if (block.kind === 'code') {
    const pieces = splitCode(blockLines, block, maxBytes);
    if (pieces) return pieces.map((text) => ({ sep: '\n', text }));
  }
  if (block.kind === 'table') {
    const pieces = splitTable(blockLines, maxBytes);
    if (pieces) return pieces.map((text) => ({ sep: '\n', text }));
  }
  return lineUnits(blockLines, maxBytes);
}

/** Lines joined by '\n'; a line over the limit is broken into pieces joined by ''. */
function lineUnits(blockLines: readonly string[], maxBytes: number): Unit[] {
  const units: Unit[] = [];
  for (const line of blockLines) {
    breakLine(line, maxBytes).forEach((text, i) => units.push({ sep: i === 0 ? '\n' : '', text }));
  }
  return units;
}

/** Group `items` (joined by '\n') greedily into strings of at most `budget` bytes. */
function groupLines(items: readonly string[], budget: number): string[] {
  const units = lineUnits(items, budget);
  return pack(units, budget);
}

function splitCode(blockLines: readonly string[], block: Block, maxBytes: number): string[] | undefined {
  const open = block.fenceOpen as string;
  const close = block.fenceClose as string;
  const body = blockLines.slice(1, block.closed ? -1 : undefined);
  const budget = maxBytes - utf8ByteLength(open) - utf8ByteLength(close) - 2;
  if (budget < 4 || body.length === 0) return undefined; // the fence alone does not fit: cut as plain lines
  return groupLines(body, budget).map((group) => `${open}\n${group}\n${close}`);
}

function splitTable(blockLines: readonly string[], maxBytes: number): string[] | undefined {
  const header = blockLines.slice(0, 2).join('\n');
  const rows = blockLines.slice(2);
  const budget = maxBytes - utf8ByteLength(header) - 1;
  if (budget < 4 || rows.length === 0) return undefined;
  return groupLines(rows, budget).map((group) => `${header}\n${group}`);
}
