/**
 * The tag book: tag groups and tags, who carries which, where members were seen, and the
 * audit of every change — in the module's tables, the same on SQLite and PostgreSQL. Adding a
 * tag a subject already has is a no-op (no audit line): a keyword rule that fires on every
 * message writes once. When a corp link is set (corp-sync.ts), new tags and customer tag
 * changes are mirrored to WeCom after the local write; WeCom failing never loses the local one.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Store } from '../../store/store.js';
import { tagTableNames, type SubjectRow, type TagAuditRow, type TagTableNames, type TagTables } from './schema.js';

/** Who made a change: `actor` is a userid, `rule:<name>`, `cli`, `csv` or `corp`. */
export interface ChangeSource {
  actor: string;
  via: 'chat' | 'keyword' | 'behaviour' | 'cli' | 'csv' | 'corp';
}

/** What the corp link hears (corp-sync.ts); both are best effort and logged on failure. */
export interface TagMirror {
  tagCreated(tag: string, group: string): Promise<void>;
  subjectChanged(subject: SubjectRow, added: string[], removed: string[]): Promise<void>;
}

export interface TagGroupListing {
  group: string;
  corpId: string | null;
  tags: { name: string; corpId: string | null; count: number }[];
}

export const DEFAULT_GROUP = '默认';
const TAG_NAME_MAX = 30; // WeCom's limit on corp tag and group names (corp notes §9)

/** A subject id that is a corp customer's external userid (wm…, wo…), not a member's userid. */
export const isCustomerId = (id: string): boolean => /^w[mo][A-Za-z0-9_-]{6,}$/.test(id);

/** Refuses a tag or group name WeCom would refuse, naming what is wrong. */
export function checkTagName(name: string, what = 'tag'): string {
  const t = name.trim();
  if (!t) throw new TypeError(`${what} name is empty`);
  if ([...t].length > TAG_NAME_MAX) throw new TypeError(`${what} name "${t}" is longer than ${TAG_NAME_MAX} characters (WeCom's limit)`);
  if (/[\s,()]/.test(t) || /^(and|or|not)$/i.test(t))
    throw new TypeError(`${what} name "${t}" has a space, comma or parenthesis, or is and/or/not (segments could not name it)`);
  return t;
}

const num = (v: unknown): number => Number(v);

export class TagBook {
  readonly t: TagTableNames;
  mirror: TagMirror | undefined;

  constructor(
    private readonly store: Store,
    table: (name: string) => string,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {
    this.t = tagTableNames(table);
  }

  db(): Kysely<TagTables> {
    return this.store.db<TagTables>();
  }

  /** Creates the tag (and its group) when absent; true when it was new. */
  async ensureTag(name: string, group = DEFAULT_GROUP, link: { corpId?: string; groupCorpId?: string } = {}): Promise<boolean> {
    const tag = checkTagName(name);
    const grp = checkTagName(group, 'group');
    const at = this.now();
    await this.db()
      .insertInto(this.t.groups)
      .values({ name: grp, corp_id: link.groupCorpId ?? null, created_at: at })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const r = await this.db()
      .insertInto(this.t.tags)
      .values({ name: tag, group_name: grp, corp_id: link.corpId ?? null, created_at: at })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    const created = Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    if (created && !link.corpId && this.mirror)
      await this.mirror.tagCreated(tag, grp).catch((err: unknown) => this.#mirrorFailed(err, tag));
    return created;
  }

  /** Removes a tag everywhere (with an audit line per subject that carried it). */
  async deleteTag(name: string, source: ChangeSource): Promise<number> {
    const holders = await this.db().selectFrom(this.t.subject_tags).select('subject').where('tag', '=', name).execute();
    for (const h of holders) await this.remove(h.subject, [name], source);
    await this.db().deleteFrom(this.t.tags).where('name', '=', name).execute();
    return holders.length;
  }

  async tagExists(name: string): Promise<boolean> {
    return Boolean(await this.db().selectFrom(this.t.tags).select('name').where('name', '=', name).executeTakeFirst());
  }

  /** Records (or refreshes) a subject; a customer id makes a customer. */
  async upsertSubject(id: string, info: { name?: string | undefined; owner?: string | undefined } = {}): Promise<void> {
    const at = this.now();
    const kind = isCustomerId(id) ? 'customer' : 'member';
    await this.db()
      .insertInto(this.t.subjects)
      .values({ id, kind, name: info.name ?? null, owner: info.owner ?? null, updated_at: at })
      .onConflict((oc) =>
        oc.column('id').doUpdateSet({
          ...(info.name ? { name: info.name } : {}),
          ...(info.owner ? { owner: info.owner } : {}),
          updated_at: at,
        }),
      )
      .execute();
  }

  async subject(id: string): Promise<SubjectRow | undefined> {
    const row = await this.db().selectFrom(this.t.subjects).selectAll().where('id', '=', id).executeTakeFirst();
    return row ? { ...row, updated_at: num(row.updated_at) } : undefined;
  }

  /** Subjects whose display name is `name` (a staff `/tag @张三` names people by display name). */
  async subjectsNamed(name: string): Promise<string[]> {
    const rows = await this.db().selectFrom(this.t.subjects).select('id').where('name', '=', name).execute();
    return rows.map((r) => r.id);
  }

  /** A member spoke in a chat: the chat is one a campaign can reach them in. */
  async seen(subject: string, chatId: string, webhookUrl: string): Promise<void> {
    const at = this.now();
    await this.db()
      .insertInto(this.t.presence)
      .values({ subject, chat_id: chatId, webhook_url: webhookUrl, last_seen: at })
      .onConflict((oc) => oc.columns(['subject', 'chat_id']).doUpdateSet({ webhook_url: webhookUrl, last_seen: at }))
      .execute();
  }

  /** Adds tags (created when new, in `group`); returns those the subject did not have. */
  async add(subject: string, tags: readonly string[], source: ChangeSource, group?: string): Promise<string[]> {
    await this.upsertSubject(subject);
    const added: string[] = [];
    for (const raw of tags) {
      const tag = checkTagName(raw);
      await this.ensureTag(tag, group);
      const at = this.now();
      const r = await this.db()
        .insertInto(this.t.subject_tags)
        .values({ subject, tag, added_at: at, added_by: source.actor })
        .onConflict((oc) => oc.columns(['subject', 'tag']).doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) === 0) continue;
      added.push(tag);
      await this.#audit({ at, subject, tag, action: 'add', ...source });
    }
    if (added.length) await this.#mirrorSubject(subject, added, []);
    return added;
  }

  /** Removes tags; returns those the subject had. */
  async remove(subject: string, tags: readonly string[], source: ChangeSource): Promise<string[]> {
    const removed: string[] = [];
    for (const tag of tags) {
      const r = await this.db().deleteFrom(this.t.subject_tags).where('subject', '=', subject).where('tag', '=', tag).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) continue;
      removed.push(tag);
      await this.#audit({ at: this.now(), subject, tag, action: 'remove', ...source });
    }
    if (removed.length) await this.#mirrorSubject(subject, [], removed);
    return removed;
  }

  async tagsOf(subject: string): Promise<string[]> {
    const rows = await this.db().selectFrom(this.t.subject_tags).select('tag').where('subject', '=', subject).orderBy('tag').execute();
    return rows.map((r) => r.tag);
  }

  /** Every subject with its tags (segments are evaluated over this). */
  async tagSets(): Promise<Map<string, Set<string>>> {
    const out = new Map<string, Set<string>>();
    const rows = await this.db().selectFrom(this.t.subject_tags).select(['subject', 'tag']).execute();
    for (const r of rows) {
      let set = out.get(r.subject);
      if (!set) out.set(r.subject, (set = new Set()));
      set.add(r.tag);
    }
    return out;
  }

  /** Every assignment, for the CSV export. */
  async assignments(): Promise<{ subject: string; tag: string; group: string; name: string | null; addedAt: number; addedBy: string }[]> {
    const rows = await this.db()
      .selectFrom(this.t.subject_tags)
      .innerJoin(this.t.tags, `${this.t.tags}.name`, `${this.t.subject_tags}.tag`)
      .leftJoin(this.t.subjects, `${this.t.subjects}.id`, `${this.t.subject_tags}.subject`)
      .select([
        `${this.t.subject_tags}.subject as subject`,
        `${this.t.subject_tags}.tag as tag`,
        `${this.t.tags}.group_name as group`,
        `${this.t.subjects}.name as name`,
        `${this.t.subject_tags}.added_at as added_at`,
        `${this.t.subject_tags}.added_by as added_by`,
      ] as never[])
      .orderBy('subject' as never)
      .orderBy('tag' as never)
      .execute();
    return (rows as unknown as Record<string, unknown>[]).map((r) => ({
      subject: String(r.subject),
      tag: String(r.tag),
      group: String(r.group),
      name: r.name === null || r.name === undefined ? null : String(r.name),
      addedAt: num(r.added_at),
      addedBy: String(r.added_by),
    }));
  }

  /** Groups and their tags with how many subjects carry each. */
  async listing(): Promise<TagGroupListing[]> {
    const groups = await this.db().selectFrom(this.t.groups).selectAll().orderBy('name').execute();
    const tags = await this.db().selectFrom(this.t.tags).selectAll().orderBy('name').execute();
    const counts = await this.db()
      .selectFrom(this.t.subject_tags)
      .select(['tag', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('tag')
      .execute();
    const count = new Map(counts.map((c) => [c.tag, num(c.n)]));
    return groups.map((g) => ({
      group: g.name,
      corpId: g.corp_id,
      tags: tags.filter((t) => t.group_name === g.name).map((t) => ({ name: t.name, corpId: t.corp_id, count: count.get(t.name) ?? 0 })),
    }));
  }

  /** The audit, newest first (of one subject when given). */
  async audit(subject?: string, limit = 100): Promise<TagAuditRow[]> {
    let q = this.db().selectFrom(this.t.audit).selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(limit);
    if (subject) q = q.where('subject', '=', subject);
    return (await q.execute()).map((r) => ({ ...r, at: num(r.at) }));
  }

  async #audit(row: Omit<TagAuditRow, 'id'>): Promise<void> {
    // Time-ordered ids without an auto-increment column (its SQL differs between the dialects).
    const id = `${row.at.toString(36).padStart(9, '0')}${randomBytes(6).toString('hex')}`;
    await this.db()
      .insertInto(this.t.audit)
      .values({ id, ...row })
      .execute();
  }

  async #mirrorSubject(subject: string, added: string[], removed: string[]): Promise<void> {
    if (!this.mirror || !isCustomerId(subject)) return;
    const row = await this.subject(subject);
    if (!row) return;
    await this.mirror.subjectChanged(row, added, removed).catch((err: unknown) => this.#mirrorFailed(err, subject));
  }

  #mirrorFailed(err: unknown, what: string): void {
    // The local change stands; the next corp sync reconciles.
    this.log.warn({ err, what }, 'tags: mirroring to WeCom corp tags failed; the local change is kept');
  }
}
