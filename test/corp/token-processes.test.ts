import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCorp, type FakeCorp } from '../../src/testing/index.js';
import { POSTGRES_URL, REDIS_URL, serviceAvailable } from '../helpers/services.js';
import { deleteRedisNamespace, dropPostgresNamespace } from '../store/cleanup.js';
import { testNamespace } from '../store/conformance.js';

const fixture = fileURLToPath(new URL('./fixtures/token-instance.ts', import.meta.url));
const INSTANCES = 20;

const postgres = await serviceAvailable('postgres', POSTGRES_URL);
const redis = await serviceAvailable('redis', REDIS_URL);

/** A started instance: its stdout lines come in through `next()`. */
interface Instance {
  child: ChildProcessWithoutNullStreams;
  next(): Promise<string>;
}

function startInstance(config: unknown): Instance {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, JSON.stringify(config)], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const w = waiting.shift();
    if (w) w(line);
    else lines.push(line);
  });
  child.on('exit', (code) => {
    for (const w of waiting.splice(0)) w(JSON.stringify({ exited: code, stderr: stderr.slice(0, 2000) }));
  });
  return {
    child,
    next: () => {
      const line = lines.shift();
      return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

interface Outcome {
  name: string;
  ok: boolean;
  code?: string;
}

/** Sends "go" to every instance at once and collects one line of outcomes from each. */
async function goAll(instances: Instance[]): Promise<Outcome[]> {
  for (const i of instances) i.child.stdin.write('go\n');
  const lines = await Promise.all(instances.map((i) => i.next()));
  return lines.flatMap((l) => JSON.parse(l) as Outcome[]);
}

// The two shared stores run side by side in the same 20 processes, each under its own app
// (secret) of the fake corp, so the counts are per store while the suite starts 20 processes, not 40.
describe.skipIf(!postgres && !redis)('the token across separate processes', () => {
  let fake: FakeCorp;
  let instances: Instance[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'wecombot-corp-token-'));
  const apps = [
    ...(postgres ? [{ name: 'postgres', secret: 'P'.repeat(43), databaseUrl: POSTGRES_URL, namespace: testNamespace('ctp') }] : []),
    ...(redis
      ? [
          {
            name: 'redis+sqlite',
            secret: 'R'.repeat(43),
            databaseUrl: `sqlite:${path.join(dir, 'corp.db')}`,
            redisUrl: REDIS_URL,
            namespace: testNamespace('ctr'),
          },
        ]
      : []),
  ];
  const fetchesOf = (name: string) => {
    const secret = apps.find((a) => a.name === name)!.secret;
    return fake.requests('gettoken').filter((r) => r.query.corpsecret === secret && r.outcome.errcode === 0).length;
  };

  beforeAll(async () => {
    fake = await startFakeCorp({ secrets: apps.map((a) => a.secret) });
    instances = Array.from({ length: INSTANCES }, () => startInstance({ baseUrl: fake.baseUrl, corpId: fake.corpId, apps }));
    const ready = await Promise.all(instances.map((i) => i.next()));
    expect(ready).toEqual(Array(INSTANCES).fill('ready'));
  }, 120_000);

  afterAll(async () => {
    for (const i of instances) i.child.stdin.end();
    await Promise.all(
      instances.map((i) => new Promise((resolve) => (i.child.exitCode !== null ? resolve(null) : i.child.on('exit', resolve)))),
    );
    await fake?.close();
    for (const app of apps) {
      if (app.name === 'postgres') await dropPostgresNamespace(POSTGRES_URL, app.namespace);
      else await deleteRedisNamespace(REDIS_URL, app.namespace);
    }
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it(`${INSTANCES} cold instances make exactly one gettoken call per shared store`, async () => {
    const outcomes = await goAll(instances);
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    expect(outcomes).toHaveLength(INSTANCES * apps.length);
    for (const app of apps) expect({ store: app.name, fetches: fetchesOf(app.name) }).toEqual({ store: app.name, fetches: 1 });
  }, 60_000);

  it(`a token invalidated under ${INSTANCES} warm instances is refreshed once per store, not ${INSTANCES} times`, async () => {
    fake.invalidateTokens();
    const refusedBefore = fake.stats().errcodes[40014] ?? 0;
    const outcomes = await goAll(instances);
    expect(outcomes.filter((o) => !o.ok)).toEqual([]);
    // Every instance still held the old token, so each met one 40014 …
    expect((fake.stats().errcodes[40014] ?? 0) - refusedBefore).toBe(INSTANCES * apps.length);
    // … and among them they asked for one new token per store.
    for (const app of apps) expect({ store: app.name, fetches: fetchesOf(app.name) }).toEqual({ store: app.name, fetches: 2 });
  }, 60_000);
});
