/**
 * The round trip of one send_welcome_msg with a warm token (cached, connection open): what a
 * handler spends of the WelcomeCode's 20 seconds once it runs. Against the fake on loopback,
 * so it measures the client, not WeCom's servers.
 */
import { median, percentile } from '../lib/timing.js';
import { createCorpClient } from '../../src/corp/index.js';
import { openStore } from '../../src/store/index.js';
import { startFakeCorp } from '../../src/testing/index.js';
import { table, type BenchSection } from './section.js';

export function warmWelcomeSection(options: { rounds: number }): BenchSection {
  return {
    key: 'warmWelcome',
    title: `warm send_welcome_msg round trip against the fake (n=${options.rounds})`,
    async run() {
      const fake = await startFakeCorp();
      const store = await openStore({ databaseUrl: 'memory:' });
      const corp = createCorpClient({ corpId: fake.corpId, secret: fake.secret, store, baseUrl: fake.baseUrl, proxy: false });
      try {
        await corp.tags.list(); // token and connection warm
        const times: number[] = [];
        for (let i = 0; i < options.rounds; i++) {
          const code = fake.issueWelcomeCode({ userid: 'zhangsan', externalUserId: `wm${i}` });
          const started = performance.now();
          await corp.welcome.send({
            welcome_code: code,
            text: { content: '你好，欢迎！' },
            attachments: [{ msgtype: 'link', link: { title: '新人礼包', url: 'https://example.com' } }],
          });
          times.push(performance.now() - started);
        }
        if (fake.welcomes().length !== options.rounds)
          throw new Error(`expected ${options.rounds} welcomes, the fake got ${fake.welcomes().length}`);
        const result = {
          rounds: options.rounds,
          medianMs: round(median(times)),
          p99Ms: round(percentile(times, 99)),
          maxMs: round(Math.max(...times)),
          gettokenCalls: fake.tokenFetches(),
        };
        return {
          table: table([
            {
              n: result.rounds,
              'median ms': result.medianMs,
              'p99 ms': result.p99Ms,
              'max ms': result.maxMs,
              gettoken: result.gettokenCalls,
            },
          ]),
          json: result,
        };
      } finally {
        await corp.close();
        await store.close();
        await fake.close();
      }
    },
  };
}

const round = (ms: number) => Math.round(ms * 100) / 100;
