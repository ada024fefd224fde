/**
 * The page's script. The front end is plain TypeScript DOM code bundled by esbuild: no
 * framework, because this is a developer tool and the package's install size matters (esbuild
 * is a devDependency; users of the package get the built file, not the tool).
 *
 * Where the bundle comes from: `npm install` runs `prepare`, which compiles the CLI to dist/
 * and then runs this file (`node dist/cli/dev/web/bundle.js`) to write
 * dist/cli/dev/web/assets/app.js — so a fresh clone's `npm install && npm start -- --web` has
 * it with no extra step, and no generated file sits in git drifting from its source. Run from
 * the sources (tests, tsx), the server bundles the client in memory with the same options.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
/** The built bundle next to the compiled server (dist/cli/dev/web/assets/app.js). */
export const BUILT_BUNDLE = join(here, 'assets', 'app.js');

/** Where the client sources are: next to this file in src/, or in src/ beside dist/. */
function clientEntry(): string {
  const local = join(here, 'client', 'main.ts');
  if (existsSync(local)) return local;
  return join(here, '..', '..', '..', '..', 'src', 'cli', 'dev', 'web', 'client', 'main.ts');
}

/** Bundles the client with esbuild (a devDependency: only present in a source checkout). */
export async function bundleClient(): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [clientEntry()],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    minify: true,
    write: false,
    legalComments: 'none',
  });
  return result.outputFiles[0]!.text;
}

/** The page script: the built file when there is one, else bundled now from the sources. */
export async function clientScript(): Promise<string> {
  if (existsSync(BUILT_BUNDLE) && !existsSync(join(here, 'client', 'main.ts'))) return readFile(BUILT_BUNDLE, 'utf8');
  return bundleClient();
}

// `node dist/cli/dev/web/bundle.js` (the prepare script) writes the bundle.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const code = await bundleClient();
  await mkdir(dirname(BUILT_BUNDLE), { recursive: true });
  await writeFile(BUILT_BUNDLE, code);
  process.stdout.write(`wrote ${BUILT_BUNDLE} (${Math.round(code.length / 1024)} kB)\n`);
}
