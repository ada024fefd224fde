#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` (the `prepare` script).
import { run } from '../dist/cli/main.js';

run(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`wecombot: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
