/** The audit trail: every change of a lead writes one entry, in the same transaction. */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { LeadTableNames, LeadTables } from './schema.js';

export interface AuditInput {
  leadId: string;
  actor: string;
  action: string;
  from?: string | undefined;
  to?: string | undefined;
  /** No personal data: ids, reasons, levels. */
  detail?: Record<string, unknown>;
}

/** Ids sort by time, so `ORDER BY at, id` keeps the order of entries in the same millisecond. */
let last = 0;
let counter = 0;
function auditId(at: number): string {
  counter = at === last ? counter + 1 : 0;
  last = at;
  return `${at.toString(36).padStart(9, '0')}${counter.toString(36).padStart(3, '0')}${randomBytes(4).toString('hex')}`;
}

export async function writeAudit(db: Kysely<LeadTables>, t: LeadTableNames, at: number, entry: AuditInput): Promise<void> {
  await db
    .insertInto(t.audit)
    .values({
      id: auditId(at),
      lead_id: entry.leadId,
      at,
      actor: entry.actor,
      action: entry.action,
      from_status: entry.from ?? null,
      to_status: entry.to ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
    })
    .execute();
}
