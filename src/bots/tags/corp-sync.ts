/**
 * Both directions between the tag book and WeCom corp tags (corp notes §9):
 * - local → WeCom: a new tag is created with add_corp_tag (into its group, by name, so a group
 *   WeCom already has takes it); a customer's tag change is set with mark_tag, on behalf of the
 *   staff member who follows the customer;
 * - WeCom → local: `pull` reads get_corp_tag_list and links tags by name (corp ids stored),
 *   adds the ones made in the admin console, and drops the ones deleted there (each holder's
 *   removal audited as `corp`). It runs at start-up, on the sync job, and on change_external_tag
 *   callbacks (WeCom sends none for changes made through the API, so our own writes never echo).
 *
 * Members (corp userids) carry local tags only: corp tags are for customers.
 */
import type { Logger } from 'pino';
import type { CorpClient } from '../../corp/client.js';
import type { CorpTagGroup } from '../../corp/tags.js';
import { checkTagName, type TagBook, type TagMirror } from './book.js';
import type { SubjectRow } from './schema.js';

export interface PullResult {
  linked: number;
  added: number;
  removed: number;
}

export class CorpTagLink implements TagMirror {
  constructor(
    private readonly book: TagBook,
    private readonly corp: CorpClient,
    private readonly log: Logger,
  ) {}

  async tagCreated(tag: string, group: string): Promise<void> {
    const db = this.book.db();
    const t = this.book.t;
    const g = await db.selectFrom(t.groups).select('corp_id').where('name', '=', group).executeTakeFirst();
    const made = await this.corp.tags.add({ ...(g?.corp_id ? { group_id: g.corp_id } : { group_name: group }), tag: [{ name: tag }] });
    await this.#link(made);
  }

  async subjectChanged(subject: SubjectRow, added: string[], removed: string[]): Promise<void> {
    if (!subject.owner) {
      this.log.info({ subject: subject.id }, 'tags: customer has no known follow-up staff member; its tags stay local until one is set');
      return;
    }
    const ids = async (names: string[]) => {
      if (names.length === 0) return [];
      const rows = await this.book.db().selectFrom(this.book.t.tags).select(['corp_id']).where('name', 'in', names).execute();
      return rows.map((r) => r.corp_id).filter((id): id is string => Boolean(id));
    };
    const add_tag = await ids(added);
    const remove_tag = await ids(removed);
    if (!add_tag.length && !remove_tag.length) return;
    await this.corp.tags.mark({
      userid: subject.owner,
      external_userid: subject.id,
      ...(add_tag.length ? { add_tag } : {}),
      ...(remove_tag.length ? { remove_tag } : {}),
    });
  }

  /** Reads WeCom's corp tags into the book. */
  async pull(): Promise<PullResult> {
    const groups = await this.corp.tags.list();
    const result: PullResult = { linked: 0, added: 0, removed: 0 };
    const live = new Set<string>();
    const book = this.book;
    for (const group of groups) {
      if (group.deleted) continue;
      const groupName = safeName(group.group_name);
      if (!groupName) continue;
      await book
        .db()
        .insertInto(book.t.groups)
        .values({ name: groupName, corp_id: group.group_id, created_at: group.create_time * 1000 })
        .onConflict((oc) => oc.column('name').doUpdateSet({ corp_id: group.group_id }))
        .execute();
      for (const tag of group.tag) {
        if (tag.deleted) continue;
        const name = safeName(tag.name);
        if (!name) continue;
        live.add(tag.id);
        const row = await book.db().selectFrom(book.t.tags).select(['corp_id']).where('name', '=', name).executeTakeFirst();
        if (!row) {
          await book.ensureTag(name, groupName, { corpId: tag.id, groupCorpId: group.group_id });
          result.added++;
        } else if (row.corp_id !== tag.id) {
          await book.db().updateTable(book.t.tags).set({ corp_id: tag.id, group_name: groupName }).where('name', '=', name).execute();
          result.linked++;
        }
      }
    }
    // Tags linked to WeCom that WeCom no longer has were deleted there.
    const linked = await book.db().selectFrom(book.t.tags).select(['name', 'corp_id']).where('corp_id', 'is not', null).execute();
    for (const row of linked) {
      if (row.corp_id && !live.has(row.corp_id)) {
        await book.deleteTag(row.name, { actor: 'corp', via: 'corp' });
        result.removed++;
      }
    }
    return result;
  }

  async #link(made: CorpTagGroup): Promise<void> {
    const db = this.book.db();
    const t = this.book.t;
    const groupName = safeName(made.group_name);
    if (groupName) await db.updateTable(t.groups).set({ corp_id: made.group_id }).where('name', '=', groupName).execute();
    for (const tag of made.tag ?? []) {
      const name = safeName(tag.name);
      if (name) await db.updateTable(t.tags).set({ corp_id: tag.id }).where('name', '=', name).execute();
    }
  }
}

/** A WeCom name the book can hold (segments cannot name one with spaces): else skipped, with no error. */
function safeName(name: string): string | undefined {
  try {
    return checkTagName(name);
  } catch {
    return undefined;
  }
}
