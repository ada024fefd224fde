import pg from 'pg';
import { Redis } from 'ioredis';

/** Drops every table of a test namespace (`<ns>_…`) from the shared PostgreSQL database. */
export async function dropPostgresNamespace(url: string, namespace: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ tablename: string }>(
      `select tablename from pg_tables where schemaname = current_schema() and tablename like $1`,
      [`${namespace}\\_%`],
    );
    for (const { tablename } of rows) await client.query(`drop table if exists "${tablename}" cascade`);
  } finally {
    await client.end();
  }
}

/** Deletes every key of a test namespace (`<ns>:…`) from the shared Redis. */
export async function deleteRedisNamespace(url: string, namespace: string): Promise<number> {
  const client = new Redis(url, { lazyConnect: true });
  await client.connect();
  let deleted = 0;
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) deleted += await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
  return deleted;
}
