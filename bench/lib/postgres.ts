/** PostgreSQL helpers the benchmarks share: whether the server is there, and dropping a run's tables. */
import pg from 'pg';

export { dropPostgresNamespace } from '../../test/store/cleanup.js';

/** True when a connection to `url` opens within a second. */
export async function postgresReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}
