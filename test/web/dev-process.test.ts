/**
 * `wecombot dev --web --web-port N` as a real process, in Chromium: an error the bot throws
 * outside any handler is shown in the inspector and the server stays up; the page says when
 * the server is gone, and recovers when it is back on the same port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject } from './project.js';

const CHROMIUM = '/usr/bin/chromium';
const CLI = resolve('test/cli/fixtures/run-cli.ts');
const TSX = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;

let browser: Browser | undefined;
try {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
} catch (err) {
  const reason = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  if (process.env.CI === 'true') throw new Error(`Chromium (${CHROMIUM}) cannot start under CI: ${reason}`);
  console.warn(`skipping the dev --web process tests: Chromium (${CHROMIUM}) cannot start: ${reason}`);
}

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

interface Dev {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `wecombot dev --web --web-port port` in `cwd` and waits for its "open <url>" line. */
async function startDev(cwd: string, port: number): Promise<Dev> {
  // No WECOM_* / WECOMBOT_* from the outside: the local emulator, with its SQLite store in cwd.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^WECOM/.test(k)));
  const child = spawn(process.execPath, ['--import', TSX, CLI, 'dev', '--web', '--web-port', String(port)], {
    cwd,
    env: { ...env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const url = `open http://127.0.0.1:${port}/`;
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (!out.includes(url)) return;
      child.stdout!.off('data', check);
      resolve();
    };
    child.stdout!.on('data', check);
    void exited.then((code) => reject(new Error(`dev --web exited (${code}) before it was up:\n${out}`)));
  });
  return { child, output: () => out, exited };
}

async function stop(dev: Dev | undefined): Promise<void> {
  if (!dev || dev.child.exitCode !== null) return;
  dev.child.kill('SIGTERM');
  await dev.exited;
}

describe.skipIf(!browser)('wecombot dev --web as a process', () => {
  let project: string;
  let port: number;
  let dev: Dev | undefined;
  let page: Page;

  beforeAll(async () => {
    project = makeProject();
    port = await freePort();
    dev = await startDev(project, port);
    page = await browser!.newPage({ viewport: { width: 1440, height: 900 } });
  }, 90_000);

  afterAll(async () => {
    await page?.close();
    await browser?.close();
    await stop(dev);
    if (project) rmSync(project, { recursive: true, force: true });
  });

  const bot = () => page.locator('[data-testid=message][data-sender=bot]');
  async function say(text: string) {
    await page.getByTestId('robot-select').selectOption('group');
    await page.getByTestId('composer-input').fill(text);
    await page.getByTestId('send').click();
  }

  it('serves the page on the --web-port, with an icon (no favicon 404)', async () => {
    const notFound: string[] = [];
    page.on('response', (r) => {
      if (r.status() >= 400) notFound.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.getByTestId('composer-input').waitFor();
    expect(await page.locator('link[rel=icon]').getAttribute('href')).toMatch(/^data:image\/svg\+xml,/);
    await say('ping');
    await bot().filter({ hasText: 'pong' }).first().waitFor();
    expect(notFound).toEqual([]);
  }, 30_000);

  it('keeps running after a background exception and a rejected promise, and shows both in the inspector', async () => {
    await say('bg');
    await bot().filter({ hasText: 'ok, later' }).first().waitFor();
    const errors = page.getByTestId('exchange-errors');
    await errors.filter({ hasText: 'uncaughtException: Error: background boom' }).first().waitFor();
    await errors.filter({ hasText: 'unhandledRejection: Error: rejected boom' }).first().waitFor();
    expect(dev!.child.exitCode).toBeNull();
    expect(dev!.output()).toContain('uncaughtException in the bot (the dev server keeps running)');
    const pongs = await bot().filter({ hasText: 'pong' }).count();
    await say('ping');
    await expect.poll(() => bot().filter({ hasText: 'pong' }).count()).toBe(pongs + 1);
  }, 30_000);

  it('says the page is disconnected when the server stops, and recovers when it is back on the same port', async () => {
    expect(await page.getByTestId('offline').isVisible()).toBe(false);
    await stop(dev);
    await page.getByTestId('offline').waitFor({ state: 'visible', timeout: 20_000 });
    expect(await page.getByTestId('offline').textContent()).toContain('disconnected');
    dev = await startDev(project, port);
    await page.getByTestId('offline').waitFor({ state: 'hidden', timeout: 30_000 });
    // The session was saved in the project's store: the chat is still there, and answers.
    const pongs = await bot().filter({ hasText: 'pong' }).count();
    expect(pongs).toBeGreaterThan(0);
    await say('ping');
    await expect.poll(() => bot().filter({ hasText: 'pong' }).count(), { timeout: 10_000 }).toBe(pongs + 1);
  }, 120_000);
});
