/**
 * How many cases each fuzz property runs: a bounded number in `npm test` (the whole suite stays
 * within ~20 s), more under `npm run fuzz` (WECOMBOT_FUZZ_RUNS, e.g. 20000). A failure prints
 * fast-check's seed and path; rerun it with WECOMBOT_FUZZ_SEED.
 */
export function fuzzParams(defaultRuns: number): { numRuns: number; seed?: number } {
  const runs = Number(process.env.WECOMBOT_FUZZ_RUNS);
  const seed = Number(process.env.WECOMBOT_FUZZ_SEED);
  return { numRuns: Number.isInteger(runs) && runs > 0 ? runs : defaultRuns, ...(Number.isInteger(seed) && { seed }) };
}

/** Per-test timeout for a fuzz property: generous when the run count was raised. */
export const FUZZ_TIMEOUT_MS = process.env.WECOMBOT_FUZZ_RUNS ? 30 * 60_000 : 20_000;
