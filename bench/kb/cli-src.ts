// The CLI from the source tree (node --import tsx bench/kb/cli-src.ts kb index …): a bench
// measures the code it sits next to, not whatever dist/ was last compiled from.
import { run } from '../../src/cli/main.js';

process.exitCode = await run(process.argv);
