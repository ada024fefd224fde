/**
 * Drives one ping client of bench:ws (child.ts, in its own process, plain JavaScript) against a
 * fake long-connection server: sends text messages, waits for each one's reply frame, and reads
 * the child's heap and CPU time. Shared by bench:ws, ws/quick.ts and ws/heap-trace.ts.
 */
import { fork } from 'node:child_process';
import { startFakeLongConnection, type FakeLongConnection } from '../../src/testing/index.js';
import { buildChild } from './build.js';

export const BENCH_BOT = 'bench-bot';
const SECRET = 'bench-secret-123456';

let built: Promise<string> | undefined;

export interface PingDriver {
  fake: FakeLongConnection;
  /** Sends one message; resolves with the milliseconds to its reply frame. */
  one(): Promise<number>;
  /** `count` messages, `inFlight` at a time; `each` gets every round trip. */
  windowed(count: number, inFlight: number, each?: (ms: number) => void): Promise<void>;
  /** The child's heap after two GCs (bytes; needs --expose-gc in `execArgv`). */
  heapBytes(): Promise<number>;
  /** The child's CPU time so far (user + system, µs). */
  cpuUs(): Promise<number>;
  /** Sends the child a control message and waits for its answer (heap-start, heap-stop PATH). */
  control(message: string): Promise<void>;
  /** Stops the child and the fake server. */
  stop(): Promise<void>;
}

/** `storeUrl`: redis://… or sqlite:… for wecombot's de-duplication; default the memory store. */
export async function startPingDriver(options: {
  client: 'sdk' | 'wecombot';
  storeUrl?: string;
  execArgv?: string[];
}): Promise<PingDriver> {
  const childPath = await (built ??= buildChild());
  const waiting = new Map<string, () => void>();
  const fake = await startFakeLongConnection({
    bots: { [BENCH_BOT]: SECRET },
    record: false,
    onFrame: (f) => {
      if (f.cmd !== 'aibot_respond_msg' || f.errcode !== 0) return;
      const done = waiting.get(f.reqId);
      waiting.delete(f.reqId);
      done?.();
    },
  });
  const args = [options.client, fake.url, BENCH_BOT, SECRET, ...(options.storeUrl ? [options.storeUrl] : [])];
  const child = fork(childPath, args, { execArgv: options.execArgv ?? [] });
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  const ask = <T>(request: string, pick: (m: T) => number) =>
    new Promise<number>((resolve) => {
      child.once('message', (m: T) => resolve(pick(m)));
      child.send(request);
    });
  let seq = 0;
  const one = () =>
    new Promise<number>((resolve) => {
      const t0 = performance.now();
      const { reqId } = fake.text(`u${seq % 50}`, `ping ${seq++}`);
      waiting.set(reqId, () => resolve(performance.now() - t0));
    });
  return {
    fake,
    one,
    async windowed(count, inFlight, each) {
      let started = 0;
      const lane = async () => {
        while (started < count) {
          started++;
          const ms = await one();
          each?.(ms);
        }
      };
      await Promise.all(Array.from({ length: inFlight }, lane));
    },
    heapBytes: () => ask<{ heap: number }>('mem', (m) => m.heap),
    cpuUs: () => ask<{ cpuUs: number }>('cpu', (m) => m.cpuUs),
    control: async (message) => void (await ask<{ ok: number }>(message, (m) => m.ok)),
    async stop() {
      child.send('stop');
      await new Promise((resolve) => child.once('exit', resolve));
      await fake.close();
    },
  };
}
