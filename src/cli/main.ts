import { Command, CommanderError } from 'commander';
import { WecombotError } from '../errors.js';
import { commands } from './commands/index.js';

/** Builds the `wecombot` program. Each sub-command registers itself from `commands/`. */
export function buildProgram(): Command {
  const program = new Command('wecombot')
    .description('WeCom (企业微信) group robot toolkit: send, serve, build, search, crypto tools')
    .version(process.env.npm_package_version ?? '0.1.0')
    .showHelpAfterError()
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

/** Runs the CLI and resolves to the process exit code. Errors become one line, never a stack. */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof WecombotError) {
      process.stderr.write(`wecombot: ${err.describe()}\n`);
      return 1;
    }
    throw err;
  }
}
