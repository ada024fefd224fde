import { Command, CommanderError } from 'commander';
import { WecombotError } from '../errors.js';
import { commands } from './commands/index.js';
import { EXIT, isUsageError } from './exit-codes.js';
import { addGroupEnvHelp } from './help-env.js';

/**
 * Builds the `wecombot` program. Each sub-command registers itself from `commands/`, following
 * the CLI conventions (exit-codes.ts, file-arg.ts for `-`, help-env.ts for "Environment:",
 * color.ts for NO_COLOR, interrupt.ts for Ctrl-C).
 */
export function buildProgram(): Command {
  const program = new Command('wecombot')
    .description('WeCom (企业微信) group robot toolkit: send, serve, build, search, crypto tools')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText(
      'after',
      `\nExit codes: ${EXIT.ok} done, ${EXIT.failed} failed, ${EXIT.usage} usage error (bad arguments or environment), ${EXIT.interrupted} interrupted (Ctrl-C).\nA file argument "-" reads stdin. NO_COLOR turns colours off. Each command's --help lists the environment variables it reads.`,
    );
  for (const register of commands) register(program);
  addGroupEnvHelp(program);
  return program;
}

const guarded = new WeakSet<NodeJS.WritableStream>();

/**
 * `wecombot serve --help | head -1`: when the reader of stdout or stderr goes away, writing
 * fails with EPIPE, an 'error' event that crashed the process with a stack (exit 1). It is
 * ignored instead, so the command ends as it would have (what the reader wanted it has); any
 * other stream error still throws. Installed once per stream, by {@link run}.
 */
export function ignoreEpipe(streams: NodeJS.WritableStream[] = [process.stdout, process.stderr]): void {
  for (const stream of streams) {
    if (guarded.has(stream)) continue;
    guarded.add(stream);
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'EPIPE') throw err;
    });
  }
}

/**
 * Runs the CLI and resolves to the process exit code (see exit-codes.ts). Errors become one
 * line, never a stack. The code a command sets on `process.exitCode` is returned and cleared, so
 * an embedding process (a test) keeps its own.
 */
export async function run(argv: string[]): Promise<number> {
  ignoreEpipe();
  const program = buildProgram();
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    // Commander's own: help and --version exit 0, every parse error (unknown option, missing
    // argument, a group without its sub-command) is a usage error.
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (err instanceof WecombotError) {
      process.stderr.write(`wecombot: ${err.describe()}\n`);
      return isUsageError(err) ? EXIT.usage : EXIT.failed;
    }
    throw err;
  } finally {
    process.exitCode = before;
  }
}
