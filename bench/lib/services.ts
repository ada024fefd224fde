/**
 * The services benchmarks talk to (PostgreSQL and Redis on loopback unless
 * WECOMBOT_BENCH_POSTGRES_URL / WECOMBOT_BENCH_REDIS_URL say otherwise), whether they answer,
 * and dropping a run's tables.
 */
import net from 'node:net';
import pg from 'pg';

export { dropPostgresNamespace } from '../../test/store/cleanup.js';

export const BENCH_POSTGRES_URL = process.env.WECOMBOT_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const BENCH_REDIS_URL = process.env.WECOMBOT_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when a TCP connection to the URL's host and port opens within a second. */
export function reachable(url: string, defaultPort = 5432): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port || defaultPort) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** True when a PostgreSQL connection to `url` opens within a second (the server answers, not only the port). */
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
