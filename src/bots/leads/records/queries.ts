/** Reading leads for the CLI and the chat: lists, one lead's audit. */
import { ledgerDb, toAudit, toLead, type AuditEntry, type Lead, type LeadsLedger } from './rows.js';
import type { LeadStatus } from './schema.js';

export interface ListFilter {
  status?: LeadStatus | undefined;
  source?: string | undefined;
  rep?: string | undefined;
  since?: number | undefined;
  /** Include repeats (default false). */
  repeats?: boolean;
  limit?: number | undefined;
}

export async function listLeads(ledger: LeadsLedger, filter: ListFilter = {}): Promise<Lead[]> {
  let q = ledgerDb(ledger).selectFrom(ledger.t.leads).selectAll();
  if (filter.status) q = q.where('status', '=', filter.status);
  else if (!filter.repeats) q = q.where('status', '!=', 'repeat');
  if (filter.source) q = q.where('source', '=', filter.source);
  if (filter.rep) q = q.where('assigned_to', '=', filter.rep);
  if (filter.since !== undefined) q = q.where('created_at', '>=', filter.since);
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(filter.limit ?? 1_000_000)
    .execute();
  return rows.map(toLead);
}

export async function auditOf(ledger: LeadsLedger, leadId: string): Promise<AuditEntry[]> {
  const rows = await ledgerDb(ledger)
    .selectFrom(ledger.t.audit)
    .selectAll()
    .where('lead_id', '=', leadId)
    .orderBy('at')
    .orderBy('id')
    .execute();
  return rows.map(toAudit);
}

/** The repeats attached to a lead. */
export async function repeatsOf(ledger: LeadsLedger, leadId: string): Promise<Lead[]> {
  const rows = await ledgerDb(ledger)
    .selectFrom(ledger.t.leads)
    .selectAll()
    .where('repeat_of', '=', leadId)
    .orderBy('created_at')
    .execute();
  return rows.map(toLead);
}
