import { createCorpClient, type CorpClient, type CorpClientOptions } from '../../src/corp/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { startFakeCorp, type FakeCorp, type FakeCorpOptions } from '../../src/testing/index.js';

/** Every log line a client wrote, as JSON text (what a log file would hold). */
export interface CapturedLogs {
  logger: NonNullable<CorpClientOptions['logger']>;
  lines: string[];
  text(): string;
}

export function captureLogs(): CapturedLogs {
  const lines: string[] = [];
  const record = (level: string) => (obj: Record<string, unknown>, msg: string) => void lines.push(JSON.stringify({ level, ...obj, msg }));
  return {
    logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
    lines,
    text: () => lines.join('\n'),
  };
}

/** Everything an error shows: message, hint, stack and the causes, serialised. */
export function errorText(err: unknown): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e && depth < 5; depth++) {
    const x = e as { message?: string; hint?: string; stack?: string; cause?: unknown };
    parts.push(String(x.message), String(x.hint), String(x.stack), JSON.stringify(e));
    e = x.cause;
  }
  return parts.join('\n');
}

export interface CorpSetup {
  fake: FakeCorp;
  store: Store;
  corp: CorpClient;
  logs: CapturedLogs;
  /** Another client (another "instance") on the same store. */
  another(options?: Partial<CorpClientOptions>): CorpClient;
  close(): Promise<void>;
}

/** A fake corp API, a memory store and a client with fast retries and captured logs. */
export async function corpSetup(fakeOptions: FakeCorpOptions = {}, clientOptions: Partial<CorpClientOptions> = {}): Promise<CorpSetup> {
  const fake = await startFakeCorp(fakeOptions);
  const store = await openStore({ databaseUrl: 'memory:' });
  const logs = captureLogs();
  const clients: CorpClient[] = [];
  const make = (extra: Partial<CorpClientOptions> = {}) => {
    const c = createCorpClient({
      corpId: fake.corpId,
      secret: fake.secret,
      store,
      baseUrl: fake.baseUrl,
      proxy: false,
      logger: logs.logger,
      retry: { baseDelayMs: 5, maxDelayMs: 20 },
      timeoutMs: 2000,
      ...clientOptions,
      ...extra,
    });
    clients.push(c);
    return c;
  };
  const corp = make();
  return {
    fake,
    store,
    corp,
    logs,
    another: make,
    async close() {
      await Promise.all(clients.map((c) => c.close()));
      await store.close();
      await fake.close();
    },
  };
}
