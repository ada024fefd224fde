/**
 * The fields a sign-up asks for (at most five): built-in kinds with their Chinese labels and
 * checks (`name`, `phone`, `company`, `email`, `note`), or a custom text field. Each answer is
 * checked here, and shown masked wherever it appears in a chat.
 */
import { maskName, maskPhone, maskText } from './mask.js';

export type FieldKind = 'text' | 'phone' | 'email' | 'number';

/** One field of an activity's form. */
export interface SignupField {
  /** The key answers are stored under (`name`, `phone`, …; custom fields `f1`…`f5`). */
  key: string;
  /** What the member is asked for: `姓名`, `手机`. */
  label: string;
  kind: FieldKind;
  /** A required field cannot be answered with 跳过. */
  required: boolean;
}

/** What a config or a staff member may write for a field. */
export type SignupFieldInput = string | { key?: string; label: string; kind?: FieldKind; required?: boolean };

export const MAX_FIELDS = 5;

const BUILT_IN: Record<string, SignupField> = {
  name: { key: 'name', label: '姓名', kind: 'text', required: true },
  phone: { key: 'phone', label: '手机', kind: 'phone', required: true },
  company: { key: 'company', label: '公司', kind: 'text', required: false },
  email: { key: 'email', label: '邮箱', kind: 'email', required: false },
  note: { key: 'note', label: '备注', kind: 'text', required: false },
};

/** Chinese labels staff type in `字段：姓名，手机，公司`. */
const LABELS: Record<string, string> = {
  姓名: 'name',
  名字: 'name',
  手机: 'phone',
  手机号: 'phone',
  电话: 'phone',
  联系电话: 'phone',
  公司: 'company',
  单位: 'company',
  邮箱: 'email',
  电子邮箱: 'email',
  备注: 'note',
};

/**
 * Resolves one field: a built-in key (`phone`) or label (`手机`), a custom label (`职位`: a text
 * field), or an object. Throws a message naming what is wrong.
 */
export function resolveField(input: SignupFieldInput, index: number): SignupField {
  if (typeof input === 'string') {
    const word = input.trim();
    const known = BUILT_IN[word] ?? BUILT_IN[LABELS[word] ?? ''];
    if (known) return { ...known };
    if (!word) throw new Error('is empty');
    return { key: `f${index + 1}`, label: word, kind: 'text', required: false };
  }
  const label = input.label?.trim();
  if (!label) throw new Error('label is required');
  const kind = input.kind ?? 'text';
  if (!['text', 'phone', 'email', 'number'].includes(kind))
    throw new Error(`kind must be text, phone, email or number (got "${String(kind)}")`);
  const key = input.key?.trim() || `f${index + 1}`;
  if (!/^[a-z][a-z0-9_]{0,31}$/.test(key)) throw new Error(`key "${key}" must be lower-case letters, digits and _`);
  return { key, label, kind, required: input.required ?? false };
}

/** Resolves a field list; throws naming the field by its position. */
export function resolveFields(inputs: readonly SignupFieldInput[]): SignupField[] {
  if (inputs.length > MAX_FIELDS) throw new Error(`has ${inputs.length} fields; at most ${MAX_FIELDS}`);
  const fields = inputs.map((input, i) => {
    try {
      return resolveField(input, i);
    } catch (err) {
      throw new Error(`[${i}] ${(err as Error).message}`);
    }
  });
  const seen = new Set<string>();
  for (const [i, f] of fields.entries()) {
    if (seen.has(f.key)) throw new Error(`[${i}] repeats the field "${f.label}"`);
    seen.add(f.key);
  }
  return fields;
}

/** A checked answer, or why it was refused (shown to the member). */
export type AnswerCheck = { ok: true; value: string } | { ok: false; problem: string };

const SKIP = /^(跳过|略过|skip|无|没有)$/i;

/**
 * Checks one answer. Phones are normalised to digits (`+86 138-1234-5678` → `13812345678`).
 * `跳过` leaves an optional field empty.
 */
export function checkAnswer(field: SignupField, raw: string): AnswerCheck {
  const text = raw.trim();
  if (SKIP.test(text)) return field.required ? { ok: false, problem: `${field.label}是必填项` } : { ok: true, value: '' };
  if (!text) return { ok: false, problem: `请输入${field.label}` };
  if (Array.from(text).length > 60) return { ok: false, problem: `${field.label}太长了（最多 60 个字）` };
  switch (field.kind) {
    case 'phone': {
      const digits = text.replace(/[\s-]/g, '').replace(/^(?:\+?86)(?=1\d{10}$)/, '');
      return /^1[3-9]\d{9}$/.test(digits) ? { ok: true, value: digits } : { ok: false, problem: '手机号格式不对，请输入 11 位手机号' };
    }
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text) ? { ok: true, value: text } : { ok: false, problem: '邮箱格式不对' };
    case 'number':
      return /^\d+(\.\d+)?$/.test(text) ? { ok: true, value: text } : { ok: false, problem: `${field.label}请输入数字` };
    default:
      return { ok: true, value: text };
  }
}

/** An answer as it may appear in a chat: masked, or `（未填）`. */
export function maskedAnswer(field: SignupField, value: string | undefined): string {
  if (!value) return '（未填）';
  if (field.kind === 'phone') return maskPhone(value);
  if (field.key === 'name') return maskName(value);
  return maskText(value);
}
