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

/** Runs the page until SIGINT/SIGTERM. */
export async function runWebDev(options: DevSessionOptions & { webPort?: number }): Promise<void> {
  const emulator = await startWebEmulator(options);
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
