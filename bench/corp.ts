/**
 * The corp API client under the load that matters on serverless: many instances sharing one
 * access token, and the time a welcome takes once the handler runs.
 *
 *   npm run bench:corp                      # tables
 *   npm run bench:corp -- --json            # one JSON object, a key per section
 *   npm run bench:corp -- --processes 4 --calls 1000 --concurrency 8 --rounds 200 --cold-runs 30
 *
 * Sections (each in bench/corp/, added to SECTIONS below):
 * - tokenSharing: gettoken calls per 1,000 API calls made by separate processes on one store
 *   (SQLite file, and PostgreSQL / Redis when reachable: WECOMBOT_BENCH_POSTGRES_URL /
 *   WECOMBOT_BENCH_REDIS_URL), cold and after the fake invalidated every token; target 1;
 * - warmWelcome: one send_welcome_msg round trip with a warm token, median and p99.
 * - coldWelcome: a `customer:add` callback on a cold SCF bundle (a fresh node per run) to the
 *   welcome the fake accepted, median and p99 over --cold-runs cold starts; target p99 <= 1 s.
 */
import { coldWelcomeSection } from './corp/cold-welcome.js';
import { arg, type BenchSection } from './corp/section.js';
import { tokenSharingSection } from './corp/token-sharing.js';
import { warmWelcomeSection } from './corp/warm-welcome.js';

const json = process.argv.includes('--json');

const SECTIONS: BenchSection[] = [
  tokenSharingSection({ processes: arg('processes', 4), calls: arg('calls', 1000), concurrency: arg('concurrency', 8) }),
  warmWelcomeSection({ rounds: arg('rounds', 200) }),
  coldWelcomeSection({ runs: arg('cold-runs', 30) }),
];

const out: Record<string, unknown> = {};
for (const section of SECTIONS) {
  const { table, json: value } = await section.run();
  out[section.key] = value;
  if (!json) process.stdout.write(`\n${section.title}\n${table}`);
}
if (json) process.stdout.write(`${JSON.stringify({ node: process.version, ...out }, null, 2)}\n`);
