/**
 * Rows as the handlers use them: numbers where PostgreSQL returns `bigint` strings, parsed JSON.
 */
import type { SignupField } from '../fields.js';
import type { ActivityRow, SignupRow, SignupStatus } from './schema.js';

/** An activity, read. */
export interface Activity {
  id: string;
  chatId: string | undefined;
  title: string;
  startsAt: number;
  capacity: number;
  deadlineAt: number;
  cancelBy: number;
  fields: SignupField[];
  offerMs: number;
  status: 'open' | 'closed';
  source: 'chat' | 'config';
  createdBy: string;
  createdAt: number;
  nextNumber: number;
  nextEvent: number;
  webhookUrl: string | undefined;
}

/** One member's sign-up, read. */
export interface Signup {
  activityId: string;
  userId: string;
  number: number;
  status: SignupStatus;
  party: number;
  name: string;
  answers: Record<string, string>;
  offerUntil: number | undefined;
  createdAt: number;
  updatedAt: number;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const opt = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : num(v));

export function toActivity(row: ActivityRow): Activity {
  return {
    id: row.id,
    chatId: row.chat_id ?? undefined,
    title: row.title,
    startsAt: num(row.starts_at),
    capacity: num(row.capacity),
    deadlineAt: num(row.deadline_at),
    cancelBy: num(row.cancel_by),
    fields: JSON.parse(row.fields) as SignupField[],
    offerMs: num(row.offer_ms),
    status: row.status,
    source: row.source,
    createdBy: row.created_by,
    createdAt: num(row.created_at),
    nextNumber: num(row.next_number),
    nextEvent: num(row.next_event),
    webhookUrl: row.webhook_url ?? undefined,
  };
}

export function toSignup(row: SignupRow): Signup {
  return {
    activityId: row.activity_id,
    userId: row.user_id,
    number: num(row.number),
    status: row.status,
    party: num(row.party),
    name: row.name,
    answers: JSON.parse(row.answers) as Record<string, string>,
    offerUntil: opt(row.offer_until),
    createdAt: num(row.created_at),
    updatedAt: num(row.updated_at),
  };
}
