/** One client of bench:ws in its own process, so its memory is its own: `child.ts sdk|wecombot URL BOT SECRET`. */
import { startSdkPing, startWecombotPing } from './clients.js';

const [which, url, botId, secret, storeUrl] = process.argv.slice(2) as [string, string, string, string, string?];
const client = which === 'sdk' ? await startSdkPing(url, botId, secret) : await startWecombotPing(url, botId, secret, storeUrl);
process.on('message', (m: string) => {
  if (m === 'mem') {
    globalThis.gc?.();
    globalThis.gc?.();
    process.send?.({ heap: process.memoryUsage().heapUsed, rss: process.memoryUsage().rss });
  } else if (m === 'cpu') {
    const u = process.cpuUsage();
    process.send?.({ cpuUs: u.user + u.system });
  } else if (m === 'stop') void client.close().then(() => process.exit(0));
});
process.send?.('ready');
