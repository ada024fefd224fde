/**
 * A campaign worker process for the crash test and the benchmark, meant to be SIGKILLed
 * mid-run and started again.
 *
 *   node --import tsx bench/campaign/child.ts '<json config>'
 *
 * mode `run`: runs the `bench` campaign for `firedAt`, then sweeps until nothing is pending;
 * mode `resume`: sweeps (reconcile, enqueue what is planned, deliver, settle) until nothing is
 * pending. Prints the delivery report as one JSON line, with `elapsedMs` from the runner's start.
 */
import pino from 'pino';
import { openCampaignRunner } from '../../src/bots/campaigns/open.js';
import { openStore } from '../../src/store/index.js';
import { benchConfig } from './seed.js';

export interface CampaignChildConfig {
  mode: 'run' | 'resume';
  databaseUrl: string;
  namespace: string;
  firedAt: number;
  limit: number;
  windowMs: number;
  leaseMs: number;
  /** Adds `startedAt` (epoch ms) to the report, for bench/campaign/profile.ts. */
  trace?: boolean;
}

const config = JSON.parse(process.argv[2] ?? '{}') as CampaignChildConfig;
const store = await openStore({ databaseUrl: config.databaseUrl, namespace: config.namespace });
const runner = await openCampaignRunner(store, benchConfig(config.limit, config.windowMs, config.leaseMs), pino({ level: 'silent' }));
// Timed from here: the process start (tsx, imports) is not the campaign's.
const t0 = performance.now();
const startedAt = Date.now();
if (config.mode === 'run') {
  const outcome = await runner.run('bench', config.firedAt);
  process.stdout.write(`ran ${outcome.status}\n`);
}
for (;;) {
  await runner.sweep();
  const report = await runner.report('bench');
  if (report.pending === 0) {
    process.stdout.write(
      `${JSON.stringify({ ...report, elapsedMs: performance.now() - t0, ...(config.trace ? { startedAt, cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000 } : {}) })}\n`,
    );
    break;
  }
  await new Promise((r) => setTimeout(r, 100));
}
await runner.close();
await store.close();
