/**
 * The two ways `wecombot dev` uses the web emulator: `--web` (the page, until Ctrl-C) and
 * `--script FILE` with a transcript the page saved (played headless: every step's bot
 * messages compared with the recorded ones, so a transcript is a test; exit code 1 on a
 * difference).
 */
import { startDevRuntime, type DevSessionOptions } from '../session.js';
import { startWebEmulator } from './start.js';
import { parseTranscript, type TranscriptStep } from './transcript.js';
import { WebChat } from './web-chat.js';

/**
 * Runs the page until SIGINT/SIGTERM. An error the bot throws in the background (a promise
 * nobody awaits, a throw in a timer) would end the process and leave the page stale: it is
 * printed and shown in the inspector instead, and the page stays up.
 */
export async function runWebDev(options: DevSessionOptions & { webPort?: number }): Promise<void> {
  const out = options.print ?? ((line: string) => process.stderr.write(`${line}\n`));
  const emulator = await startWebEmulator(options);
  const onException = (err: unknown) => background(emulator.chat, out, 'uncaughtException', err);
  const onRejection = (reason: unknown) => background(emulator.chat, out, 'unhandledRejection', reason);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  try {
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await emulator.close();
  } finally {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  }
}

function background(chat: WebChat, out: (line: string) => void, kind: string, err: unknown): void {
  const text = err instanceof Error ? (err.stack ?? `${err.name}: ${err.message}`) : String(err);
  out(`! ${kind} in the bot (the dev server keeps running): ${text}`);
  try {
    chat.backgroundError(kind, err);
  } catch {
    // The inspector is best effort: the line above is printed whatever happens.
  }
}

function describe(step: TranscriptStep): string {
  switch (step.type) {
    case 'say':
      return `says ${JSON.stringify(step.text)} to the ${step.robot} robot in ${step.conversationId}`;
    case 'click':
      return `clicks ${JSON.stringify(step.label)}`;
    case 'command':
      return step.line;
    default:
      return `${step.type} ${JSON.stringify({ ...step, type: undefined })}`;
  }
}

/**
 * Plays a transcript; resolves to the exit code (0 when every step produced what was
 * recorded). A malformed file throws before anything starts, naming the line.
 */
export async function replayTranscriptScript(text: string, file: string, options: DevSessionOptions): Promise<number> {
  const lines = parseTranscript(text, file);
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const quiet = (line: string) => {
    if (/^\(log (error|fatal)\)/.test(line)) print(line);
  };
  const rt = await startDevRuntime({ ...options, print: quiet });
  try {
    const chat = await WebChat.start(rt);
    try {
      const result = await chat.replay(lines);
      for (const s of result.steps) {
        const who = lines[s.n - 1]!.as;
        print(`${s.ok ? '✓' : '✗'} ${s.n}. ${who.userId} ${describe(s.step)}`);
        for (const got of s.got) print(`    bot › ${got.replace(/\n/g, '\n          ')}`);
        if (s.error) print(`    ! ${s.error}`);
        if (!s.ok && !s.error) print(`    expected: ${JSON.stringify(s.expected)}`);
      }
      print(result.ok ? `transcript ${file}: ${result.steps.length} steps, same result` : `transcript ${file}: differs from the recording`);
      return result.ok ? 0 : 1;
    } finally {
      await chat.close();
    }
  } finally {
    for (const stop of rt.stops) await stop();
  }
}
