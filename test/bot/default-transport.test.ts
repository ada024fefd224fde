import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultTransport } from '../../src/bot/default-transport.js';
import { WebhookApiError } from '../../src/client/index.js';
import { openStore } from '../../src/store/index.js';
import { startFakeWecom, type FakeWecom } from '../../src/testing/fake-wecom/index.js';
import { captureLogger } from './helpers.js';

describe('default transport: GetChatInfoUrl through the webhook client', () => {
  let fake: FakeWecom;
  beforeAll(async () => {
    fake = await startFakeWecom();
  });
  afterAll(async () => {
    await fake.close();
  });

  it('maps the answer to ChatDetails; a used code is the client’s typed, redacted WebhookApiError', async () => {
    const store = await openStore({ databaseUrl: 'memory:' });
    const transport = createDefaultTransport(async () => store, captureLogger().logger);
    try {
      const url = fake.registerChatInfo('CHATCODE-7f3a', {
        chatid: 'wrOPS',
        chattype: 'group',
        name: 'ops',
        members: [
          { userid: 'alice', name: 'Alice' },
          { userid: 'bob', alias: 'B' },
        ],
      });
      expect(await transport.get().getChatInfo(url)).toEqual({
        chatId: 'wrOPS',
        chatType: 'group',
        name: 'ops',
        members: [
          { userId: 'alice', name: 'Alice' },
          { userId: 'bob', alias: 'B' },
        ],
      });

      const err = await transport
        .get()
        .getChatInfo(url)
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(WebhookApiError);
      expect(err).toMatchObject({ code: 'wecom_invalid_code', errcode: 40029 });
      expect(`${(err as WebhookApiError).message} ${(err as WebhookApiError).describe()}`).not.toContain('CHATCODE-7f3a');
      expect(fake.received.filter((r) => r.endpoint === 'get_chat_info')).toHaveLength(2);
    } finally {
      await transport.close();
      await store.close();
    }
  });
});
