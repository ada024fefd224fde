/**
 * Pool files: a CSV file with a `code` column (or `coupon`, `券码`, `优惠码`; a CSV of one
 * column needs no header), or a text file of one code a line (blank lines and `#` comments
 * skipped). Every code is checked, and a code twice in the file is refused, naming both lines:
 * two customers must never hold one code.
 */
import { CouponPoolError } from '../errors.js';
import { codeProblem } from './code.js';

/** A code and the line it came from. */
export interface PoolFileCode {
  code: string;
  line: number;
}

const CODE_HEADERS = new Set(['code', 'codes', 'coupon', 'coupon_code', '券码', '优惠码', '兑换码', '券号']);

interface CsvRow {
  record: string[];
  info: { lines: number; raw?: string };
}

/** The line a (possibly multi-line) CSV record starts on. */
function startLine(row: CsvRow): number {
  return row.info.lines - ((row.info.raw ?? '').replace(/\r?\n$/, '').match(/\n/g)?.length ?? 0);
}

async function csvCodes(text: string, file: string): Promise<PoolFileCode[]> {
  const { parse } = await import('csv-parse/sync');
  let rows: CsvRow[];
  try {
    rows = parse(text, {
      bom: true,
      info: true,
      raw: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }) as unknown as CsvRow[];
  } catch (cause) {
    const err = cause as { lines?: number; message?: string };
    throw new CouponPoolError(file, err.lines ?? 1, `CSV: ${String(err.message ?? cause)}`, cause);
  }
  const header = rows[0];
  if (!header) return [];
  const named = header.record.findIndex((cell) => CODE_HEADERS.has(cell.trim().toLowerCase()));
  if (named < 0 && header.record.length > 1) {
    // Several columns and none named: which one holds the codes is a guess not worth making.
    throw new CouponPoolError(
      file,
      startLine(header),
      'has several columns but none named code (or coupon, 券码, 优惠码): add a header row',
    );
  }
  if (named < 0) {
    // One column without a header: it holds codes, so a header row of another name is a mistake worth naming.
    const problem = codeProblem(header.record[0] ?? '');
    if (problem)
      throw new CouponPoolError(file, startLine(header), `${problem}; a header row needs a column named code (or coupon, 券码, 优惠码)`);
  }
  const column = named >= 0 ? named : 0;
  return (named >= 0 ? rows.slice(1) : rows).map((row) => ({ code: row.record[column] ?? '', line: startLine(row) }));
}

function textCodes(text: string): PoolFileCode[] {
  return text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((raw, i) => ({ code: raw.trim(), line: i + 1 }))
    .filter(({ code }) => code !== '' && !code.startsWith('#'));
}

/**
 * The codes of a pool file, checked.
 *
 * @example await parsePoolFile('NEW-001\nNEW-002\n', 'codes.txt') // [{ code: 'NEW-001', line: 1 }, { code: 'NEW-002', line: 2 }]
 * @throws CouponPoolError naming the file, the line and the reason (the first problem found)
 */
export async function parsePoolFile(text: string, file: string): Promise<PoolFileCode[]> {
  const codes = /\.csv$/i.test(file) ? await csvCodes(text, file) : textCodes(text);
  if (codes.length === 0) throw new CouponPoolError(file, 1, 'has no codes');
  const seen = new Map<string, number>();
  for (const { code, line } of codes) {
    if (code === '') throw new CouponPoolError(file, line, 'the code column is empty');
    const problem = codeProblem(code);
    if (problem) throw new CouponPoolError(file, line, problem);
    const first = seen.get(code);
    if (first !== undefined) throw new CouponPoolError(file, line, `duplicate of line ${first}`);
    seen.set(code, line);
  }
  return codes;
}
