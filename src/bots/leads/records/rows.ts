/** Leads as the bot uses them: numbers as numbers, JSON parsed. */
import type { Store } from '../../../store/store.js';
import type { Kysely } from 'kysely';
import type { AuditRow, LeadRow, LeadStatus, LeadTableNames, LeadTables } from './schema.js';

/** What the record functions need: the store, the table names and the clock. */
export interface LeadsLedger {
  readonly store: Store;
  readonly t: LeadTableNames;
  readonly now: () => number;
}

export const ledgerDb = (ledger: LeadsLedger): Kysely<LeadTables> => ledger.store.db<LeadTables>();

export interface Lead {
  id: string;
  source: string;
  externalId: string;
  status: LeadStatus;
  repeatOf: string | undefined;
  repeatCount: number;
  lastRepeatAt: number | undefined;
  name: string;
  phone: { e164: string | undefined; raw: string; flag: string | undefined };
  region: string | undefined;
  product: string | undefined;
  channel: string | undefined;
  answers: Record<string, string>;
  raw: unknown;
  rep: string | undefined;
  assignedTo: string | undefined;
  assignReason: string | undefined;
  escalationLevel: number;
  escalateAt: number | undefined;
  claimedBy: string | undefined;
  claimedAt: number | undefined;
  postedAt: number | undefined;
  postAttempts: number;
  createdAt: number;
  updatedAt: number;
}

const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));
const opt = (v: string | null): string | undefined => v ?? undefined;

function json<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function toLead(row: LeadRow): Lead {
  return {
    id: row.id,
    source: row.source,
    externalId: row.external_id,
    status: row.status,
    repeatOf: opt(row.repeat_of),
    repeatCount: Number(row.repeat_count),
    lastRepeatAt: num(row.last_repeat_at),
    name: row.name,
    phone: { e164: opt(row.phone), raw: row.phone_raw, flag: opt(row.phone_flag) },
    region: opt(row.region),
    product: opt(row.product),
    channel: opt(row.channel),
    answers: json(row.answers, {}),
    raw: json(row.raw, null),
    rep: opt(row.rep),
    assignedTo: opt(row.assigned_to),
    assignReason: opt(row.assign_reason),
    escalationLevel: Number(row.escalation_level),
    escalateAt: num(row.escalate_at),
    claimedBy: opt(row.claimed_by),
    claimedAt: num(row.claimed_at),
    postedAt: num(row.posted_at),
    postAttempts: Number(row.post_attempts),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export interface AuditEntry {
  leadId: string;
  at: number;
  actor: string;
  action: string;
  from: string | undefined;
  to: string | undefined;
  detail: Record<string, unknown>;
}

export function toAudit(row: AuditRow): AuditEntry {
  return {
    leadId: row.lead_id,
    at: Number(row.at),
    actor: row.actor,
    action: row.action,
    from: opt(row.from_status),
    to: opt(row.to_status),
    detail: json(row.detail, {}),
  };
}
