import { readFile, writeFile } from 'node:fs/promises';
import { WecombotError } from '../errors.js';

/**
 * File arguments of every `wecombot` command: `-` reads stdin (or, for an output file, writes
 * stdout), anything else is a path. Use these instead of `readFile` in a command so `-` works the
 * same everywhere, and so an unreadable file is one clear line (`cli_read`, exit 1) and `-` at a
 * terminal or twice on one command line is a usage error (`cli_stdin_tty`/`cli_usage`, exit 2).
 *
 * @example
 * const text = await readTextFileArg(opts.script, '--script'); // `dev --script -` reads stdin
 * await writeFileArg(opts.out ?? '-', csv);                    // `--out -` (or none) prints it
 */

/** The stream `-` reads; a test passes its own. */
export interface FileArgOptions {
  stdin?: NodeJS.ReadableStream & { isTTY?: boolean };
}

// stdin can be read once: a second `-` would silently get nothing.
const consumed = new WeakSet<object>();

/** Reads a file argument as bytes; `-` reads stdin to its end. `flag` names the argument in errors. */
export async function readFileArg(path: string, flag: string, options: FileArgOptions = {}): Promise<Buffer> {
  if (path === '-') return readStdin(flag, options.stdin ?? process.stdin);
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new WecombotError('cli_read', `${flag}: cannot read ${path}: ${describeErrno(code)}`, {
      cause: err,
      hint: code === 'EISDIR' ? 'give a file, not a folder' : 'check the path, or pass - and pipe the content in',
    });
  }
}

/** Reads a file argument as UTF-8 text (a leading byte-order mark dropped); `-` reads stdin. */
export async function readTextFileArg(path: string, flag: string, options: FileArgOptions = {}): Promise<string> {
  return (await readFileArg(path, flag, options)).toString('utf8').replace(/^\uFEFF/, '');
}

/**
 * Refuses `-` for a binary output when stdout is a terminal (as gzip does): an index file
 * printed to the screen helps nobody and garbles the terminal. Call it before the work, so a
 * long build is not thrown away. Into a pipe or a redirect `-` is fine.
 */
export function refuseBinaryToTerminal(path: string, flag: string, stdout: { isTTY?: boolean } = process.stdout): void {
  if (path === '-' && stdout.isTTY) {
    throw new WecombotError('cli_usage', `${flag} - writes binary data to stdout, but stdout is a terminal`, {
      hint: `redirect or pipe it (\`… ${flag} - > kb.idx\`, \`… ${flag} - | ssh host 'cat > kb.idx'\`), or give a file name`,
    });
  }
}

/**
 * Writes an output file argument; `-` writes stdout. A reader that went away (`| head`, EPIPE)
 * is not an error: what it wanted it has.
 */
export async function writeFileArg(path: string, data: string | Uint8Array, flag = '--out'): Promise<void> {
  if (path === '-') {
    await new Promise<void>((resolve, reject) =>
      process.stdout.write(data, (err) => (err && (err as NodeJS.ErrnoException).code !== 'EPIPE' ? reject(err) : resolve())),
    );
    return;
  }
  try {
    await writeFile(path, data);
  } catch (err) {
    throw new WecombotError('cli_read', `${flag}: cannot write ${path}: ${describeErrno((err as NodeJS.ErrnoException).code)}`, {
      cause: err,
      hint: 'check that the folder exists and is writable, or pass - for stdout',
    });
  }
}

async function readStdin(flag: string, stdin: NodeJS.ReadableStream & { isTTY?: boolean }): Promise<Buffer> {
  if (stdin.isTTY) {
    throw new WecombotError('cli_stdin_tty', `${flag} - reads stdin, but stdin is a terminal`, {
      hint: `pipe the content in, e.g. \`cat FILE | wecombot … ${flag} -\``,
    });
  }
  if (consumed.has(stdin)) {
    throw new WecombotError('cli_usage', `${flag} - reads stdin, but another argument already read it`, {
      hint: 'only one argument per command line can be -; give the others as files',
    });
  }
  consumed.add(stdin);
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

function describeErrno(code: string | undefined): string {
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    default:
      return code ?? 'error';
  }
}
