/**
 * Out-of-process HTTP load for the server benchmarks: wrk (Debian package `wrk`) when it is on
 * the PATH, otherwise autocannon in a child process. Either way the generator is not the
 * benchmark's own process, and the server's cost is read from /proc/<pid>/stat of the server
 * (the generator shares the cores, so req/s alone says little).
 *
 * Requests come from a pool file, one `path body` line each, sent in order: a pool of distinct
 * signed callbacks means every request carries its own MsgId.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export type LoadGenerator = 'wrk' | 'autocannon';

export interface PoolEntry {
  /** Path with query string. */
  path: string;
  body: string;
}

export interface LoadResult {
  generator: LoadGenerator;
  requests: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  /** Server CPU (user + system) over the run, ms; undefined without /proc. */
  serverCpuMs: number | undefined;
  /** Requests per server CPU-second: the server's own cost, whatever the generator does. */
  reqPerCpuSec: number | undefined;
  /** Server CPU per request, µs. */
  cpuUsPerReq: number | undefined;
  errors: number;
  non2xx: number;
  /** Requests sent after the pool ran out (they repeat a MsgId); a valid run has 0. */
  reused: number;
}

const luaScript = fileURLToPath(new URL('./wrk-pool.lua', import.meta.url));
const autocannonChild = fileURLToPath(new URL('./autocannon-load.ts', import.meta.url));

/** wrk when installed (`apt-get install wrk`), else autocannon; `WECOMBOT_BENCH_GENERATOR` forces one. */
export function pickGenerator(): LoadGenerator {
  const forced = process.env.WECOMBOT_BENCH_GENERATOR;
  if (forced === 'wrk' || forced === 'autocannon') return forced;
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error ? 'autocannon' : 'wrk';
}

/** Writes a pool file; refuses entries the line format cannot carry. */
export async function writePool(file: string, entries: readonly PoolEntry[]): Promise<void> {
  const lines: string[] = [];
  for (const e of entries) {
    if (/[\s]/.test(e.path) || /[\r\n ]/.test(e.body)) throw new Error(`pool entry for ${e.path.slice(0, 40)} contains a space or newline`);
    lines.push(`${e.path} ${e.body}`);
  }
  await writeFile(file, `${lines.join('\n')}\n`);
}

/** Reads a pool file back (the autocannon child). */
export async function readPool(file: string): Promise<PoolEntry[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const sp = l.indexOf(' ');
      return { path: l.slice(0, sp), body: l.slice(sp + 1) };
    });
}

/**
 * CPU time (user + system, ms) a process has used so far, every thread included, from
 * /proc/<pid>/stat; undefined off Linux.
 */
export async function processCpuMs(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of proc(5), in clock ticks (USER_HZ = 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

interface RawResult {
  requests: number;
  durationUs: number;
  p50Us: number;
  p99Us: number;
  errors: number;
  non2xx: number;
  reused: number;
}

function runGenerator(generator: LoadGenerator, url: string, poolFile: string, target: number, connections: number): Promise<RawResult> {
  const [cmd, args] =
    generator === 'wrk'
      ? ['wrk', ['-t1', `-c${connections}`, '-d300s', '--timeout', '10s', '-s', luaScript, url, '--', poolFile, String(target)]]
      : [process.execPath, ['--import', 'tsx', autocannonChild, url, poolFile, String(target), String(connections)]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let stopped = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      // wrk runs for a duration, not a count: the script says when the target is reached.
      if (!stopped && out.includes('DONE\n')) {
        stopped = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('WRK_RESULT '));
      if (!line) {
        reject(new Error(`${generator} exited ${code} without a result: ${(err || out).slice(0, 500)}`));
        return;
      }
      resolve(JSON.parse(line.slice('WRK_RESULT '.length)) as RawResult);
    });
  });
}

/** Sends `target` requests from the pool with `connections` connections; measures the server process `pid`. */
export async function runLoad(options: {
  generator: LoadGenerator;
  url: string;
  poolFile: string;
  target: number;
  connections: number;
  serverPid: number | undefined;
}): Promise<LoadResult> {
  const before = await processCpuMs(options.serverPid);
  const raw = await runGenerator(options.generator, options.url, options.poolFile, options.target, options.connections);
  const after = await processCpuMs(options.serverPid);
  const cpu = before !== undefined && after !== undefined ? after - before : undefined;
  const ok = raw.requests - raw.errors;
  return {
    generator: options.generator,
    requests: raw.requests,
    reqPerSec: Math.round(ok / (raw.durationUs / 1e6)),
    p50Ms: Number((raw.p50Us / 1000).toFixed(2)),
    p99Ms: Number((raw.p99Us / 1000).toFixed(2)),
    serverCpuMs: cpu,
    reqPerCpuSec: cpu ? Math.round(ok / (cpu / 1000)) : undefined,
    cpuUsPerReq: cpu ? Number(((cpu * 1000) / ok).toFixed(1)) : undefined,
    errors: raw.errors,
    non2xx: raw.non2xx,
    reused: raw.reused,
  };
}
