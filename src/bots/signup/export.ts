/**
 * The roster as a file: CSV for a spreadsheet (UTF-8 with a BOM, so Excel shows Chinese), or
 * rows for JSON. Full values by default — this is the operator's export — or masked like the
 * chat roster with `masked`.
 */
import { maskedAnswer } from './fields.js';
import { maskName } from './mask.js';
import type { Activity, Signup } from './ledger/rows.js';
import type { SignupStatus } from './ledger/schema.js';
import { formatIsoLocal } from './time.js';

const STATUS: Record<SignupStatus, string> = {
  confirmed: '已报名',
  offered: '候补待确认',
  waitlisted: '候补',
  cancelled: '已取消',
  declined: '已放弃',
  expired: '确认超时',
};

export interface ExportOptions {
  timezone: string;
  masked?: boolean;
}

/** One row per sign-up, the columns named as in the CSV header. */
export function rosterRows(activity: Activity, signups: readonly Signup[], options: ExportOptions): Record<string, string | number>[] {
  return signups.map((s) => {
    const row: Record<string, string | number> = {
      编号: s.number,
      状态: STATUS[s.status],
      姓名: options.masked ? maskName(s.name) : s.name,
      userid: options.masked ? maskName(s.userId) : s.userId,
      人数: s.party,
    };
    for (const field of activity.fields) {
      if (field.key === 'name') continue;
      const value = s.answers[field.key] ?? '';
      row[field.label] = options.masked ? (value ? maskedAnswer(field, value) : '') : value;
    }
    row['报名时间'] = formatIsoLocal(s.createdAt, options.timezone);
    row['确认截止'] = s.offerUntil !== undefined && s.status === 'offered' ? formatIsoLocal(s.offerUntil, options.timezone) : '';
    return row;
  });
}

/**
 * A CSV cell: quoted when needed, and defused when a spreadsheet would read it as a formula
 * (a member can type `=HYPERLINK(…)` as their company name).
 */
function cell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The CSV text, header first, lines ending in CRLF (RFC 4180).
 *
 * @example rosterCsv(activity, signups, { timezone: 'Asia/Shanghai' }) // '\uFEFF编号,状态,姓名,…\r\n1,已报名,张三,…'
 */
export function rosterCsv(activity: Activity, signups: readonly Signup[], options: ExportOptions): string {
  const rows = rosterRows(activity, signups, options);
  const header = [
    '编号',
    '状态',
    '姓名',
    'userid',
    '人数',
    ...activity.fields.filter((f) => f.key !== 'name').map((f) => f.label),
    '报名时间',
    '确认截止',
  ];
  const lines = [header.map(cell).join(','), ...rows.map((r) => header.map((h) => cell(r[h] ?? '')).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
