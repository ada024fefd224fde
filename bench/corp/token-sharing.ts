/**
 * Token fetches per 1,000 corp API calls made by separate processes sharing one store: each
 * store starts PROCESSES cold instances, which make CALLS calls between them (phase "cold"),
 * then the fake invalidates every token and they make CALLS more ("after invalidation").
 * Target: 1 gettoken per phase, whatever the number of processes.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startFakeCorp } from '../../src/testing/index.js';
import { table, type BenchSection } from './section.js';
import { BENCH_POSTGRES_URL as POSTGRES_URL, BENCH_REDIS_URL as REDIS_URL, reachable } from '../lib/services.js';

const worker = fileURLToPath(new URL('./token-worker.ts', import.meta.url));

interface StoreTarget {
  name: string;
  databaseUrl: string;
  redisUrl?: string;
  cleanup(namespace: string): Promise<void>;
}

async function targets(dir: string): Promise<{ list: StoreTarget[]; skipped: string[] }> {
  const list: StoreTarget[] = [{ name: 'sqlite (file)', databaseUrl: `sqlite:${path.join(dir, 'corp.db')}`, cleanup: async () => {} }];
  const skipped: string[] = [];
  if (await reachable(POSTGRES_URL)) {
    list.push({
      name: 'postgres',
      databaseUrl: POSTGRES_URL,
      cleanup: async (ns) => {
        const pg = (await import('pg')).default;
        const client = new pg.Client({ connectionString: POSTGRES_URL });
        await client.connect();
        for (const t of ['kv', 'counters', 'slots', 'locks', 'migrations']) await client.query(`drop table if exists "${ns}_${t}"`);
        await client.end();
      },
    });
  } else skipped.push(`postgres: not reachable at ${new URL(POSTGRES_URL).host}`);
  if (await reachable(REDIS_URL)) {
    list.push({
      name: 'redis+sqlite',
      databaseUrl: `sqlite:${path.join(dir, 'corp-redis.db')}`,
      redisUrl: REDIS_URL,
      cleanup: async (ns) => {
        const { Redis } = await import('ioredis');
        const r = new Redis(REDIS_URL);
        const keys = await r.keys(`${ns}:*`);
        if (keys.length) await r.del(...keys);
        r.disconnect();
      },
    });
  } else skipped.push(`redis: not reachable at ${new URL(REDIS_URL).host}`);
  return { list, skipped };
}

interface Worker {
  send(line: string): void;
  next(): Promise<string>;
  end(): Promise<void>;
}

function startWorker(config: unknown): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (l) => (waiting.shift() ?? ((x: string) => lines.push(x)))(l));
  child.on('exit', (code) => waiting.splice(0).forEach((w) => w(JSON.stringify({ exited: code }))));
  return {
    send: (l) => child.stdin.write(`${l}\n`),
    next: () => (lines.length ? Promise.resolve(lines.shift() as string) : new Promise((r) => waiting.push(r))),
    end: () => new Promise((r) => (child.stdin.end(), child.exitCode !== null ? r() : child.on('exit', () => r()))),
  };
}

interface Phase {
  ok: number;
  failed: number;
  fetches: number;
  ms: number;
}

export function tokenSharingSection(options: { processes: number; calls: number; concurrency: number }): BenchSection {
  const { processes, calls, concurrency } = options;
  return {
    key: 'tokenSharing',
    title: `token fetches per 1,000 calls across ${processes} processes (target 1)`,
    async run() {
      const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-bench-corp-'));
      const { list, skipped } = await targets(dir);
      const rows: Record<string, string | number>[] = [];
      const results: Record<string, unknown>[] = [];
      try {
        for (const target of list) {
          const fake = await startFakeCorp();
          const namespace = `bc_${randomBytes(4).toString('hex')}`;
          const per = Math.ceil(calls / processes);
          const workers = Array.from({ length: processes }, () =>
            startWorker({
              baseUrl: fake.baseUrl,
              corpId: fake.corpId,
              secret: fake.secret,
              databaseUrl: target.databaseUrl,
              redisUrl: target.redisUrl,
              namespace,
              calls: per,
              concurrency,
            }),
          );
          try {
            await Promise.all(workers.map((w) => w.next()));
            const phase = async (): Promise<Phase> => {
              const before = fake.tokenFetches();
              const started = performance.now();
              workers.forEach((w) => w.send('go'));
              const outs = (await Promise.all(workers.map((w) => w.next()))).map((l) => JSON.parse(l) as { ok: number; failed: number });
              return {
                ok: outs.reduce((a, o) => a + o.ok, 0),
                failed: outs.reduce((a, o) => a + o.failed, 0),
                fetches: fake.tokenFetches() - before,
                ms: Math.round(performance.now() - started),
              };
            };
            const cold = await phase();
            fake.invalidateTokens();
            const invalidated = await phase();
            const per1000 = (cold.fetches + invalidated.fetches) / ((cold.ok + invalidated.ok) / 1000);
            rows.push({
              store: target.name,
              'calls per phase': cold.ok + cold.failed,
              failed: cold.failed + invalidated.failed,
              'gettoken cold': cold.fetches,
              'gettoken after invalidation': invalidated.fetches,
              'per 1,000 calls': per1000.toFixed(2),
              'cold phase ms': cold.ms,
            });
            results.push({ store: target.name, processes, cold, afterInvalidation: invalidated, fetchesPer1000Calls: per1000 });
          } finally {
            await Promise.all(workers.map((w) => w.end()));
            await fake.close();
            await target.cleanup(namespace).catch(() => undefined);
          }
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const note = skipped.length ? skipped.map((s) => `skipped ${s}`).join('\n') + '\n' : '';
      return {
        table: table(rows) + note,
        json: { processes, callsPerPhase: calls, concurrencyPerProcess: concurrency, stores: results, skipped },
      };
    },
  };
}
