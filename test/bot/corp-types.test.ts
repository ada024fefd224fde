/**
 * Type tests of the corp filters: `tsc --noEmit` (part of `npm test`) fails when a corp filter
 * stops narrowing `ctx.message`. The runtime part only registers the handlers.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { createBot } from '../../src/bot/bot.js';
import type { WelcomeOutcome } from '../../src/bot/corp/welcome.js';
import type { FilterMessage } from '../../src/bot/filters.js';
import type { CorpClient } from '../../src/corp/client.js';
import type { CustomerIdentity } from '../../src/identity/identities.js';
import type { CorpCustomerAddCallback, CorpGroupChatJoinCallback, CorpTagShuffleCallback } from '../../src/protocol/callback/corp-types.js';

describe('corp filters narrow ctx.message', () => {
  it('customer filters', () => {
    const bot = createBot();
    bot.on('customer:add', (ctx) => {
      expectTypeOf(ctx.message).toEqualTypeOf<FilterMessage<'customer:add'>>();
      expectTypeOf(ctx.message).toMatchTypeOf<CorpCustomerAddCallback>();
      expectTypeOf(ctx.message.changeType).toEqualTypeOf<'add_external_contact'>();
      expectTypeOf(ctx.message.welcomeCode).toEqualTypeOf<string | undefined>();
      expectTypeOf(ctx.message.state).toEqualTypeOf<string | undefined>();
      expectTypeOf(ctx.message.externalUserId).toBeString();
      expectTypeOf(ctx.sendWelcome).returns.resolves.toEqualTypeOf<WelcomeOutcome>();
      expectTypeOf(ctx.corp).toEqualTypeOf<CorpClient>();
      expectTypeOf(ctx.identity).returns.resolves.toEqualTypeOf<CustomerIdentity | undefined>();
    });
    bot.on('customer:half-add', (ctx) => expectTypeOf(ctx.message.welcomeCode).toEqualTypeOf<string | undefined>());
    bot.on('customer:edit', (ctx) => expectTypeOf(ctx.message.changeType).toEqualTypeOf<'edit_external_contact'>());
    bot.on('customer:delete', (ctx) => expectTypeOf(ctx.message.source).toEqualTypeOf<'DELETE_BY_TRANSFER' | (string & {}) | undefined>());
    bot.on('customer:deleted-by', (ctx) => expectTypeOf(ctx.message.changeType).toEqualTypeOf<'del_follow_user'>());
    bot.on('customer:transfer-fail', (ctx) =>
      expectTypeOf(ctx.message.failReason).toEqualTypeOf<'customer_refused' | 'customer_limit_exceed' | (string & {}) | undefined>(),
    );
    bot.on(['customer:add', 'customer:deleted-by'], (ctx) => {
      expectTypeOf(ctx.message.changeType).toEqualTypeOf<'add_external_contact' | 'del_follow_user'>();
      expectTypeOf(ctx.message.userId).toBeString();
    });
  });

  it('group filters', () => {
    const bot = createBot();
    bot.on('group:join', (ctx) => {
      expectTypeOf(ctx.message).toMatchTypeOf<CorpGroupChatJoinCallback>();
      expectTypeOf(ctx.message.updateDetail).toEqualTypeOf<'add_member'>();
      expectTypeOf(ctx.message.joinScene).toEqualTypeOf<number | undefined>();
      expectTypeOf(ctx.message.memberIds).toEqualTypeOf<string[]>();
    });
    bot.on('group:leave', (ctx) => expectTypeOf(ctx.message.quitScene).toEqualTypeOf<number | undefined>());
    bot.on('group:update', (ctx) => {
      expectTypeOf(ctx.message.changeType).toEqualTypeOf<'update'>();
      expectTypeOf(ctx.message.updateDetail).toEqualTypeOf<
        'add_member' | 'del_member' | 'change_owner' | 'change_name' | 'change_notice' | 'other'
      >();
      expectTypeOf(ctx.message.chatId).toBeString();
    });
    bot.on(['group:create', 'group:dismiss'], (ctx) => expectTypeOf(ctx.message.changeType).toEqualTypeOf<'create' | 'dismiss'>());
  });

  it('tag filters and robot:corp', () => {
    const bot = createBot();
    bot.on('tag:create', (ctx) => {
      expectTypeOf(ctx.message.changeType).toEqualTypeOf<'create'>();
      expectTypeOf(ctx.message.id).toBeString();
      expectTypeOf(ctx.message.strategyId).toEqualTypeOf<string | undefined>();
    });
    bot.on(['tag:update', 'tag:delete'], (ctx) => expectTypeOf(ctx.message.changeType).toEqualTypeOf<'update' | 'delete'>());
    bot.on('tag:shuffle', (ctx) => {
      expectTypeOf(ctx.message).toMatchTypeOf<CorpTagShuffleCallback>();
      expectTypeOf(ctx.message.id).toEqualTypeOf<string | undefined>();
    });
    bot.on('robot:corp', (ctx) => {
      expectTypeOf(ctx.message.robot).toEqualTypeOf<'corp'>();
      expectTypeOf(ctx.message.type).toEqualTypeOf<'external_contact' | 'external_chat' | 'external_tag'>();
      expectTypeOf(ctx.message.createTime).toBeNumber();
    });
  });

  it('robot filters do not admit corp events', () => {
    const bot = createBot();
    bot.on('event', (ctx) => expectTypeOf(ctx.message.robot).toEqualTypeOf<'group' | 'aibot'>());
    bot.on('message', (ctx) => expectTypeOf(ctx.message.robot).toEqualTypeOf<'group' | 'aibot'>());
  });
});
