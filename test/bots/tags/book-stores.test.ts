import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tagMigrations } from '../../../src/bots/tags/schema.js';
import { moduleTable } from '../../../src/bot/module.js';
import { openStore, type Store } from '../../../src/store/index.js';
import { POSTGRES_URL, serviceAvailable } from '../../helpers/services.js';
import { dropPostgresNamespace } from '../../store/cleanup.js';
import { testNamespace } from '../../store/conformance.js';
import { bookOn } from './rig.js';

async function migrated(store: Store): Promise<Store> {
  const table = (t: string) => moduleTable(store.namespace, 'tags', t);
  await store.migrate(tagMigrations.map((m) => ({ name: `tags/${m.name}`, up: (db) => m.up(db, table, { dialect: store.sqlDialect }) })));
  return store;
}

function describeBook(label: string, open: () => Promise<{ store: Store; cleanup(): Promise<void> }>) {
  describe(`tag book on ${label}`, () => {
    it('adds once, removes, counts, exports and audits the same way', async () => {
      const { store, cleanup } = await open();
      try {
        await migrated(store);
        let t = 1_000;
        const book = bookOn(store, () => ++t);
        await book.ensureTag('VIP', '等级');
        expect(await book.add('u1', ['VIP', '上海'], { actor: 'cli', via: 'cli' })).toEqual(['VIP', '上海']);
        expect(await book.add('u1', ['VIP'], { actor: 'cli', via: 'cli' })).toEqual([]);
        await book.add('wmCUSTOMER01', ['VIP'], { actor: 'rule:r', via: 'behaviour' });
        expect((await book.subject('wmCUSTOMER01'))?.kind).toBe('customer');
        expect(await book.remove('u1', ['上海', '不存在'], { actor: 'boss', via: 'chat' })).toEqual(['上海']);
        const sets = await book.tagSets();
        expect([...(sets.get('u1') ?? [])]).toEqual(['VIP']);
        const grade = (await book.listing()).find((g) => g.group === '等级');
        expect(grade?.tags).toEqual([{ name: 'VIP', corpId: null, count: 2 }]);
        const rows = await book.assignments();
        expect(rows.map((r) => [r.subject, r.tag, r.group, r.addedBy])).toEqual([
          ['u1', 'VIP', '等级', 'cli'],
          ['wmCUSTOMER01', 'VIP', '等级', 'rule:r'],
        ]);
        expect(typeof rows[0]?.addedAt).toBe('number');
        const audit = await book.audit('u1');
        expect(audit.map((a) => `${a.action}:${a.tag}:${a.actor}`)).toEqual(['remove:上海:boss', 'add:上海:cli', 'add:VIP:cli']);
        expect(await book.deleteTag('VIP', { actor: 'cli', via: 'cli' })).toBe(2);
        expect(await book.tagsOf('wmCUSTOMER01')).toEqual([]);
      } finally {
        await cleanup();
      }
    });
  });
}

describeBook('SQLite (file)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tags-'));
  const store = await openStore({ databaseUrl: `sqlite:${join(dir, 'db.sqlite')}` });
  return { store, cleanup: async () => (await store.close(), rmSync(dir, { recursive: true, force: true })) };
});

if (await serviceAvailable('postgres', POSTGRES_URL)) {
  describeBook('PostgreSQL', async () => {
    const namespace = testNamespace('tags');
    const store = await openStore({ databaseUrl: POSTGRES_URL, namespace });
    return { store, cleanup: async () => (await store.close(), await dropPostgresNamespace(POSTGRES_URL, namespace)) };
  });
}
