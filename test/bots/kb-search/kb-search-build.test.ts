import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../../src/cli/commands/build.js';
import { EmbeddedEngine } from '../../../src/search/backends/embedded.js';
import { groupCallbackXml } from '../../../src/testing/fake-group/callbacks.js';
import { CallbackSigner, randomSecrets } from '../../../src/testing/fake-group/index.js';
import { invokeBundle } from '../../runtime/helpers.js';

const src = resolve(import.meta.dirname, '../../../src');
let project: string;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'wecombot-kb-build-'));
  const engine = new EmbeddedEngine(undefined, { baseUrl: 'https://docs.example.com/' });
  await engine.index([
    { path: 'billing.md', content: '# 计费说明\n\n云函数按调用次数和资源使用量计费。' },
    { path: 'deploy.md', content: '# 部署\n\n使用函数 URL 接收回调。' },
  ]);
  await engine.save(join(project, 'kb.idx'));
  await writeFile(
    join(project, 'wecombot.config.ts'),
    [
      `import { kbSearch, notifier } from ${JSON.stringify(join(src, 'bots/index.ts'))};`,
      'export default {',
      "  bots: [notifier({ weather: { provider: 'offline-sample', location: { city: '北京' } } }), kbSearch({ source: './kb.idx' })],",
      '};',
    ].join('\n'),
  );
});
afterAll(() => rm(project, { recursive: true, force: true }));

describe('one SCF function per scenario', () => {
  it('kb-search: a Function URL function with its index packed in, answering from any working directory', async () => {
    const built = await buildBundle({ target: 'scf', outDir: 'out-kb', cwd: project, bots: ['kb-search'] });
    expect(built.jobs).toEqual([]);
    const packed = join(project, 'out-kb', 'kb.idx');
    expect((await stat(packed)).size).toBe((await stat(join(project, 'kb.idx'))).size);
    expect(await readFile(join(project, 'out-kb', 'serverless.yml'), 'utf8')).toMatch(/- http:/);

    const secrets = randomSecrets();
    const signer = new CallbackSigner(secrets);
    const req = signer.post(
      '/wecom/callback',
      groupCallbackXml(
        { msgId: 'kb-1', webhookUrl: 'http://127.0.0.1:9/send?key=x', chatId: 'wrK', chatType: 'group', from: { userId: 'u' } },
        { kind: 'text', content: '@bot 函数计费' },
      ),
      'xml',
    );
    const event = {
      httpMethod: 'POST',
      path: '/wecom/callback',
      headers: {},
      queryString: { ...req.query },
      body: Buffer.from(req.body).toString('utf8'),
    };
    // Run from another folder: the index must be found next to the bundle, not in the cwd.
    const res = await invokeBundle(
      built.bundle,
      'main_handler',
      event,
      { WECOM_TOKEN: secrets.token, WECOM_ENCODING_AES_KEY: secrets.encodingAesKey },
      tmpdir(),
    );
    expect(res.statusCode).toBe(200);
    const reply = signer.openReply({ body: String(res.body) }, req);
    expect(reply?.msgtype).toBe('markdown');
    expect(reply?.content).toContain('[计费说明](https://docs.example.com/billing.md');
  });

  it('notifier: a timer-only function without the HTTP trigger', async () => {
    const built = await buildBundle({ target: 'scf', outDir: 'out-notifier', cwd: project, bots: ['notifier'], http: false });
    expect(built.jobs).toEqual([{ name: 'notifier', schedule: '0 0 8 * * *' }]);
    const yml = await readFile(join(project, 'out-notifier', 'serverless.yml'), 'utf8');
    expect(yml).not.toMatch(/- http:/);
    expect(yml).toMatch(/- timer:\n\s+parameters:\n\s+name: notifier\n[\s\S]*cronExpression: '0 0 8 \* \* \* \*'/);
    await expect(stat(join(project, 'out-notifier', 'kb.idx'))).rejects.toThrow();
  });

  it('refuses to build when a packed file is missing', async () => {
    await writeFile(
      join(project, 'missing.config.ts'),
      `import { kbSearch } from ${JSON.stringify(join(src, 'bots/index.ts'))};\nexport default { bots: [kbSearch({ source: './nope.idx' })] };\n`,
    );
    await expect(buildBundle({ target: 'scf', outDir: 'out-missing', cwd: project, configPath: 'missing.config.ts' })).rejects.toThrow(
      /asset \.\/nope\.idx does not exist/,
    );
  });
});
