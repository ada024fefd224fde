import { spawn } from 'node:child_process';
import { vi } from 'vitest';
import { run } from '../../src/cli/main.js';

/** What a CLI run printed and the exit code it ended with. */
export interface CliResult<Code = number> {
  code: Code;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in-process and captures what it prints. `process.exitCode` is cleared before and after,
 * so one command's failure does not leak into the next test (or into vitest's own exit code).
 */
export async function runCli(...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    process.exitCode = undefined;
    const code = await run(['node', 'wecombot', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

/**
 * Runs the CLI from source in a child process with `input` on stdin: the only way to test `-`.
 * Asynchronous, so servers living in the test process (fakes) keep answering while it runs.
 */
export function spawnCli(args: string[], input: string, env: Record<string, string> = {}): Promise<CliResult<number | null>> {
  const script =
    "const { run } = await import('./src/cli/main.ts'); process.exitCode = await run(['node', 'wecombot', ...process.argv.slice(1)]);";
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, ...args], {
    env: { ...process.env, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(input);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}
