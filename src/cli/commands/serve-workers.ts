/**
 * `wecombot serve --workers N`: N processes answering on one port, through node:cluster.
 *
 * One Node process runs JavaScript on one core; a callback costs well under a millisecond of
 * it, so one process answers thousands a second and a second core only helps under a sustained
 * flood. The primary forks the workers (each loads the config and opens its own bot and store)
 * and hands out connections round-robin; it runs no bot itself.
 *
 * - Scheduled jobs run in one worker only (the first; a replacement of it takes the duty over).
 *   Their fire times are also de-duplicated through the store, so a job never runs twice on a
 *   shared store; with one runner it does not even race for them.
 * - The store must be shared for de-duplication to hold across workers: the default SQLite file
 *   or a database/Redis URL. `memory:` is per worker (a warning says so).
 * - SIGTERM/SIGINT on the primary reach every worker, which finish their late replies and exit;
 *   the primary exits once all have (0 after SIGTERM, 130 after Ctrl-C).
 * - A worker that dies while serving is replaced; one that fails before it listens (a bad
 *   config, a port in use) stops them all, with its exit code.
 */
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import { WecombotError } from '../../errors.js';
import { createLogger } from '../../bot/logger.js';
import { EXIT } from '../exit-codes.js';
import { onStopSignal } from '../interrupt.js';

/** Set on a worker's environment: its number (1…N) and whether it runs the scheduled jobs. */
export const WORKER_ID_VAR = 'WECOMBOT_WORKER_ID';
export const WORKER_JOBS_VAR = 'WECOMBOT_WORKER_JOBS';

/** Replacements allowed within RESTART_WINDOW_MS before the primary gives up (a crash loop). */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

/** `--workers` as a count: a positive integer, or `auto` (the cores this process may use). */
export function parseWorkers(value: string | undefined): number {
  if (value === undefined) return 1;
  if (value === 'auto') return availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw new WecombotError('cli_usage', `--workers ${value} is not a worker count`, {
      hint: 'give a whole number from 1, or auto (one per core)',
    });
  }
  return n;
}

/** Whether this process is a worker forked by {@link serveWorkers}. */
export function isServeWorker(): boolean {
  return cluster.isWorker && process.env[WORKER_ID_VAR] !== undefined;
}

/** In a worker: whether it runs the scheduled jobs (the primary picks one). */
export function workerRunsJobs(): boolean {
  return process.env[WORKER_JOBS_VAR] === '1';
}

/**
 * Runs the primary: forks `count` workers re-running this command line, waits until every one
 * listens, and resolves after a stop signal once all have exited.
 */
export async function serveWorkers(count: number, options: { jobs: boolean }): Promise<void> {
  const log = createLogger();
  const env = process.env;
  if (env.WECOMBOT_DATABASE_URL?.trim().startsWith('memory:')) {
    log.warn(
      `--workers ${count} with WECOMBOT_DATABASE_URL=memory:: each worker has its own memory store, so a retry reaching another worker is handled again; use the default SQLite file or a shared database`,
    );
  }
  // The workers run this same command line; they tell themselves apart by the variables.
  cluster.setupPrimary({ exec: process.argv[1], args: process.argv.slice(2) });
  let stopping = false;
  let jobsWorker: Worker | undefined;
  const restarts: number[] = [];
  const live = new Set<Worker>();
  const ids = new Map<Worker, number>();

  const fork = (id: number, runsJobs: boolean): Worker => {
    const worker = cluster.fork({ [WORKER_ID_VAR]: String(id), [WORKER_JOBS_VAR]: runsJobs ? '1' : '0' });
    live.add(worker);
    ids.set(worker, id);
    if (runsJobs) jobsWorker = worker;
    return worker;
  };

  // Every worker listening, or the first to die before it does.
  const started = await new Promise<{ url: string } | { failed: number }>((resolve) => {
    let listening = 0;
    let url = '';
    const onListening = (_w: Worker, address: { address: string | null; port: number; addressType: number | string }) => {
      const host = address.addressType === 6 || address.addressType === 'udp6' ? `[${address.address}]` : (address.address ?? '127.0.0.1');
      url = `http://${host}:${address.port}`;
      if (++listening === count) done({ url });
    };
    const onExit = (w: Worker, code: number | null) => done({ failed: code ?? 1 }, w);
    const done = (outcome: { url: string } | { failed: number }, dead?: Worker) => {
      cluster.off('listening', onListening);
      cluster.off('exit', onExit);
      if (dead) live.delete(dead);
      resolve(outcome);
    };
    cluster.on('listening', onListening);
    cluster.on('exit', onExit);
    for (let i = 1; i <= count; i++) fork(i, options.jobs && i === 1);
  });
  if ('failed' in started) {
    await stopAll(live);
    // The worker already printed why (the one-line error a single process prints); its code is ours.
    process.stderr.write(`wecombot: a worker exited with code ${started.failed} before listening; stopped the others\n`);
    process.exitCode = started.failed === 0 ? EXIT.failed : started.failed;
    return;
  }
  log.info({ url: started.url, workers: count }, `wecombot: ${count} workers listening on ${started.url}`);

  // A worker that dies while serving is replaced (the jobs go with it to its replacement).
  cluster.on('exit', (worker, code, signal) => {
    live.delete(worker);
    if (stopping) return;
    const now = Date.now();
    while (restarts.length > 0 && (restarts[0] as number) < now - RESTART_WINDOW_MS) restarts.shift();
    if (restarts.length >= MAX_RESTARTS) {
      log.error({ code, signal }, `a worker died ${MAX_RESTARTS + 1} times within a minute; stopping`);
      process.exitCode = 1;
      stopping = true;
      void stopAll(live);
      return;
    }
    restarts.push(now);
    const id = ids.get(worker) ?? worker.id;
    ids.delete(worker);
    log.error({ code, signal, worker: id }, 'a worker died; starting a replacement');
    fork(id, worker === jobsWorker);
  });

  await new Promise<void>((resolve) => {
    const finish = () => {
      if (live.size === 0) resolve();
    };
    cluster.on('exit', finish);
    const off = onStopSignal(() => {
      stopping = true;
      log.info('shutting down: workers finish their late replies');
      void stopAll(live).then(() => (off(), resolve()));
    });
    // The crash-loop branch above stops them itself.
    finish();
  });
}

/** SIGTERM to every worker (each finishes its late work), resolved when all have exited. */
async function stopAll(workers: Set<Worker>): Promise<void> {
  const exits = [...workers].map((w) => (w.isDead() ? Promise.resolve() : new Promise<void>((resolve) => w.once('exit', () => resolve()))));
  for (const w of workers) if (!w.isDead()) w.process.kill('SIGTERM');
  await Promise.all(exits);
}
