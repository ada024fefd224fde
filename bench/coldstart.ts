/**
 * Cold start of the built SCF bundle: process start to the first answered callback, against
 * `node -e 0` (bare Node start and exit) and the hand-written floor (coldstart/floor.cjs: an
 * SCF handler with node:crypto only that verifies, decrypts and answers an encrypted `pong`),
 * medians over several runs, plus the bundle size.
 *
 *   npm run bench:coldstart                 # table
 *   npm run bench:coldstart -- --json       # one JSON object
 *   npm run bench:coldstart -- --runs 21
 *
 * The bundle is the diagnostic bot (no config), built with `wecombot build --target scf` into a
 * temporary directory. Each run spawns a fresh `node` that requires index.js, calls
 * `main_handler` with a signed, encrypted Function URL event (`@bot ping`), checks that the
 * decrypted passive reply is `pong`, and exits. Runs alternate between the bundle and the
 * baseline so machine noise hits both alike. Target (issue 20): the bundle <= 1.20x the floor.
 *
 * `--instructions` also counts the instructions of one bare start and one cold callback under
 * valgrind (callgrind): unlike wall time, the count barely moves with the load of a shared
 * machine, so two builds can be compared exactly (needs valgrind on PATH; slow, ~1 min).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildBundle } from '../src/cli/commands/build.js';
import { groupCallbackXml } from '../src/testing/fake-group/callbacks.js';
import { CallbackSigner, randomSecrets } from '../src/testing/fake-group/index.js';
import { dirBytes, median, timedNode as timed } from './lib/timing.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const json = process.argv.includes('--json');
const runs = arg('runs', 15);
const instructions = process.argv.includes('--instructions');

/** Instructions of one `node <args>` run under callgrind (JIT code included: --smc-check=all). */
async function countInstructions(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const { stderr } = await promisify(execFile)(
    'valgrind',
    ['--tool=callgrind', '--callgrind-out-file=/dev/null', '--smc-check=all', process.execPath, ...args],
    {
      env,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const m = /Collected : (\d+)/.exec(stderr);
  if (!m) throw new Error(`callgrind printed no count: ${stderr.slice(-300)}`);
  return Number(m[1]);
}

async function main(): Promise<void> {
  const out = await mkdtemp(join(tmpdir(), 'wecombot-coldstart-'));
  const empty = await mkdtemp(join(tmpdir(), 'wecombot-coldstart-cfg-'));
  try {
    const built = await buildBundle({ target: 'scf', outDir: out, cwd: empty });
    const secrets = randomSecrets();
    const signer = new CallbackSigner(secrets);
    const plaintext = groupCallbackXml(
      {
        msgId: 'coldstart-1',
        webhookUrl: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=00000000-0000-0000-0000-000000000000',
        chatId: 'wrCOLD',
        chatType: 'group',
        from: { userId: 'alice', name: 'Alice' },
      },
      { kind: 'text', content: '@bot ping' },
    );
    const req = signer.post('/', plaintext, 'xml');
    const event = {
      httpMethod: 'POST',
      path: '/',
      headers: { 'content-type': 'text/xml' },
      queryString: { ...req.query },
      body: Buffer.from(req.body).toString('base64'),
      isBase64Encoded: true,
    };
    const env = {
      PATH: process.env.PATH,
      WECOM_TOKEN: secrets.token,
      WECOM_ENCODING_AES_KEY: secrets.encodingAesKey,
      WECOMBOT_LOG_LEVEL: 'error',
      EVENT: JSON.stringify(event),
    };
    // The harness verifies the answer so a broken bundle cannot look fast.
    const harnessFor = (file: string) =>
      [
        `const { main_handler } = require(${JSON.stringify(file)});`,
        'main_handler(JSON.parse(process.env.EVENT)).then((r) => {',
        "  if (r.statusCode !== 200 || !r.body.includes('<Encrypt>')) { console.error(JSON.stringify(r)); process.exit(2); }",
        '  process.exit(0);',
        '}, (e) => { console.error(e); process.exit(3); });',
      ].join('\n');
    const harness = harnessFor(built.bundle);
    const floorFile = resolve(import.meta.dirname, 'coldstart/floor.cjs');
    const floorHarness = harnessFor(floorFile);
    // Check the reply once, in-process, with the signer (pong, decrypted).
    const { createRequire } = await import('node:module');
    const mod = createRequire(import.meta.url)(built.bundle) as { main_handler: (e: unknown) => Promise<{ body: string }> };
    Object.assign(process.env, { WECOM_TOKEN: secrets.token, WECOM_ENCODING_AES_KEY: secrets.encodingAesKey, WECOMBOT_LOG_LEVEL: 'error' });
    const check = await mod.main_handler(event);
    const reply = signer.openReply(check, req);
    if (reply?.content !== 'pong') throw new Error(`the bundle answered ${JSON.stringify(reply)} instead of pong`);
    const floorMod = createRequire(import.meta.url)(floorFile) as typeof mod;
    const floorReply = signer.openReply(await floorMod.main_handler(event), req);
    if (floorReply?.content !== 'pong') throw new Error(`the floor answered ${JSON.stringify(floorReply)} instead of pong`);

    const bundleMs: number[] = [];
    const bareMs: number[] = [];
    const floorMs: number[] = [];
    await timed(['-e', '0'], env); // warm the file cache
    await timed(['-e', harness], env);
    await timed(['-e', floorHarness], env);
    for (let i = 0; i < runs; i++) {
      bareMs.push(await timed(['-e', '0'], env));
      floorMs.push(await timed(['-e', floorHarness], env));
      bundleMs.push(await timed(['-e', harness], env));
    }
    const counted = instructions
      ? { bareNode: await countInstructions(['-e', '0'], env), firstCallback: await countInstructions(['-e', harness], env) }
      : undefined;
    const result = {
      runs,
      node: process.version,
      bareNodeMs: Number(median(bareMs).toFixed(1)),
      floorMs: Number(median(floorMs).toFixed(1)),
      bundleFirstCallbackMs: Number(median(bundleMs).toFixed(1)),
      overheadMs: Number((median(bundleMs) - median(bareMs)).toFixed(1)),
      vsFloor: Number((median(bundleMs) / median(floorMs)).toFixed(2)),
      targetVsFloor: 1.2,
      bundleBytes: built.bytes,
      deployBytes: await dirBytes(out),
      vendorFiles: built.files.filter((f) => f.includes('/vendor/')).map((f) => f.slice(f.lastIndexOf('/') + 1)),
      ...(counted ? { instructions: { ...counted, overhead: counted.firstCallback - counted.bareNode } } : {}),
    };
    if (json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return;
    }
    const rows: [string, string][] = [
      ['bare node -e 0 (median)', `${result.bareNodeMs} ms`],
      ['floor: node:crypto handler, start → first encrypted reply (median)', `${result.floorMs} ms`],
      ['SCF bundle, start → first answered callback (median)', `${result.bundleFirstCallbackMs} ms`],
      ['bundle vs floor', `${result.vsFloor}x (target <= 1.20x)`],
      ['overhead over bare Node', `${result.overheadMs} ms`],
      ['index.js size', `${(result.bundleBytes / 1024).toFixed(1)} KiB`],
      ['whole deploy directory (incl. lazy vendor/*.js)', `${(result.deployBytes / 1024).toFixed(1)} KiB`],
      ...(counted
        ? ([
            ['instructions, bare node -e 0 (callgrind)', `${(counted.bareNode / 1e6).toFixed(1)} M`],
            ['instructions, start → first answered callback', `${(counted.firstCallback / 1e6).toFixed(1)} M`],
            ['instruction overhead over bare Node', `${((counted.firstCallback - counted.bareNode) / 1e6).toFixed(1)} M`],
          ] as [string, string][])
        : []),
    ];
    const w = Math.max(...rows.map((r) => r[0].length));
    process.stdout.write(`cold start, ${runs} runs each, ${process.version}\n`);
    for (const [k, v] of rows) process.stdout.write(`${k.padEnd(w)}  ${v}\n`);
  } finally {
    await rm(out, { recursive: true, force: true });
    await rm(empty, { recursive: true, force: true });
  }
}

await main();
