/**
 * Leads as the CLI writes them: table rows, CSV (UTF-8 with BOM, for Excel) and JSON. Full
 * names and phones: the CLI is run by the operator, on the operator's machine; `--masked`
 * writes them as the group sees them.
 */
import { maskName } from '../../signup/mask.js';
import { STATUS_LABEL } from '../messages.js';
import { displayPhone, maskedPhone } from '../phone.js';
import type { AuditEntry, Lead } from '../records/rows.js';

const formatter = new Map<string, Intl.DateTimeFormat>();
export function localTime(at: number | undefined, timezone: string): string {
  if (at === undefined) return '';
  let f = formatter.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatter.set(timezone, f);
  }
  return f.format(at);
}

export const EXPORT_COLUMNS = [
  'id',
  'created',
  'source',
  'external_id',
  'status',
  'name',
  'phone',
  'phone_flag',
  'region',
  'product',
  'channel',
  'assigned_to',
  'reason',
  'claimed_by',
  'claimed_at',
  'repeats',
  'answers',
] as const;

export function exportRow(lead: Lead, options: { timezone: string; masked: boolean }): Record<(typeof EXPORT_COLUMNS)[number], string> {
  return {
    id: lead.id,
    created: localTime(lead.createdAt, options.timezone),
    source: lead.source,
    external_id: lead.externalId,
    status: lead.status,
    name: options.masked && lead.name ? maskName(lead.name) : lead.name,
    phone: options.masked ? maskedPhone(lead.phone) : (lead.phone.e164 ?? lead.phone.raw),
    phone_flag: lead.phone.flag ?? '',
    region: lead.region ?? '',
    product: lead.product ?? '',
    channel: lead.channel ?? '',
    assigned_to: lead.assignedTo ?? '',
    reason: lead.assignReason ?? '',
    claimed_by: lead.claimedBy ?? '',
    claimed_at: localTime(lead.claimedAt, options.timezone),
    repeats: String(lead.repeatCount),
    answers: options.masked
      ? ''
      : Object.entries(lead.answers)
          .map(([k, v]) => `${k}: ${v}`)
          .join('; '),
  };
}

function csvCell(value: string): string {
  // A leading = + - @ would be a formula in Excel: quoted with a ' in front.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n']/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function leadsCsv(leads: readonly Lead[], options: { timezone: string; masked: boolean }): string {
  const lines = [EXPORT_COLUMNS.join(',')];
  for (const lead of leads) {
    const row = exportRow(lead, options);
    lines.push(EXPORT_COLUMNS.map((c) => csvCell(row[c])).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function listRow(lead: Lead, timezone: string): string[] {
  return [
    lead.id,
    localTime(lead.createdAt, timezone),
    lead.source,
    STATUS_LABEL[lead.status] ?? lead.status,
    lead.rep ?? '',
    maskedPhone(lead.phone),
    lead.region ?? '',
    lead.assignReason ?? '',
  ];
}

export function showText(lead: Lead, audit: readonly AuditEntry[], repeats: readonly Lead[], timezone: string): string {
  const lines = [
    `${lead.id}  ${STATUS_LABEL[lead.status] ?? lead.status}  ${lead.source} ${lead.externalId}`,
    `name:     ${lead.name || '—'}`,
    `phone:    ${displayPhone(lead.phone)}${lead.phone.flag ? ` (${lead.phone.flag})` : ''}`,
    `region:   ${lead.region ?? '—'}   product: ${lead.product ?? '—'}   channel: ${lead.channel ?? '—'}`,
    `assigned: ${lead.assignedTo ?? '—'} (${lead.assignReason ?? '—'}); now ${lead.rep ?? '—'}, escalation level ${lead.escalationLevel}`,
    `created:  ${localTime(lead.createdAt, timezone)}; posted ${localTime(lead.postedAt, timezone) || 'not yet'}; claimed ${lead.claimedBy ? `by ${lead.claimedBy} ${localTime(lead.claimedAt, timezone)}` : 'no'}`,
  ];
  if (lead.repeatOf) lines.push(`repeat of ${lead.repeatOf}`);
  for (const [k, v] of Object.entries(lead.answers)) lines.push(`  ${k}: ${v}`);
  if (repeats.length)
    lines.push(
      `repeats (${repeats.length}): ${repeats.map((r) => `${r.id} ${r.source}/${r.externalId} ${localTime(r.createdAt, timezone)}`).join(', ')}`,
    );
  lines.push('audit:');
  for (const e of audit) {
    const move = e.from || e.to ? ` ${e.from ?? ''}→${e.to ?? ''}` : '';
    const detail = Object.keys(e.detail).length ? ` ${JSON.stringify(e.detail)}` : '';
    lines.push(`  ${localTime(e.at, timezone)}  ${e.actor}  ${e.action}${move}${detail}`);
  }
  return `${lines.join('\n')}\n`;
}
