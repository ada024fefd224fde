import net from 'node:net';

/** Where the real services live on development and CI machines; overridable for users. */
export const POSTGRES_URL = process.env.WECOMBOT_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.WECOMBOT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function reachable(url: string, timeoutMs = 1000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Decides whether a suite that needs a real server runs. On a user's machine without the
 * server it skips with a clear message; under `CI` an absent server is a failure, so CI can
 * never pass by skipping.
 */
export async function serviceAvailable(name: string, url: string): Promise<boolean> {
  if (await reachable(url)) return true;
  const message = `${name} is not reachable at ${new URL(url).host}`;
  if (process.env.CI) throw new Error(`${message}; CI requires it (the suite must not pass by skipping)`);
  console.warn(`skipping ${name} tests: ${message} (set WECOMBOT_TEST_${name.toUpperCase()}_URL to point elsewhere)`);
  return false;
}
