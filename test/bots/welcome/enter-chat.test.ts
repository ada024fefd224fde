/**
 * `enter-chat`: a member opening the AI bot's single chat is welcomed privately in the passive
 * answer to the event, code included: as text, or as a text_notice card with the code as its
 * emphasis (AI bot events carry no name: `memberName` is used). Once per member within suppressFor (WeCom sends the event at every opening).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { exportCoupons } from '../../../src/bots/welcome/coupons/report.js';
import { openCouponLedger } from '../../../src/bots/welcome/coupons/open.js';
import { welcomeRig, type Rig } from './rig.js';

let rig: Rig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const codeOf = async (r: Rig, member: string) =>
  (await exportCoupons(await openCouponLedger(r.store, 'default'), 'issued')).find((c) => c.customer === member)?.code;

describe('welcome on enter_chat', () => {
  it('answers the event with a private welcome text and the code, once', async () => {
    rig = await welcomeRig(
      () => ({ text: '你好 {name}，有问题直接问我。\n新人券：{coupon}', coupons: { pattern: 'NEW-{XXXXXX}', count: 5 } }),
      { robot: 'aibot', chatType: 'single' },
    );
    const first = await rig.group.entersChat('gina');
    const code = await codeOf(rig, 'gina');
    expect(code).toBeDefined();
    expect(first.reply?.content).toBe(`你好 新朋友，有问题直接问我。\n新人券：${code}`);
    const again = await rig.group.entersChat('gina');
    expect(again.reply).toBeUndefined();
    expect(rig.logged('welcome sent')).toEqual([
      expect.objectContaining({ trigger: 'enter-chat', member: 'gina', robot: 'aibot', coupon: 'issued' }),
    ]);
  });

  it('enterChat.card: a text_notice card whose emphasis is the code, and the card action the configured page', async () => {
    rig = await welcomeRig(
      () => ({
        coupons: { pattern: 'NEW-{XXXXXX}', count: 5 },
        enterChat: { card: { title: '欢迎来到小店', url: 'https://shop.example.com/coupons' } },
      }),
      { robot: 'aibot', chatType: 'single' },
    );
    const ex = await rig.group.entersChat('hank');
    const code = await codeOf(rig, 'hank');
    expect(ex.reply?.msgtype).toBe('template_card');
    const card = (JSON.parse(ex.reply!.plaintext) as { template_card: Record<string, unknown> }).template_card;
    expect(card).toMatchObject({
      card_type: 'text_notice',
      main_title: { title: '欢迎来到小店' },
      emphasis_content: { title: code, desc: '你的新人券' },
      sub_title_text: `欢迎 新朋友！\n你的新人券：${code}`,
      card_action: { type: 1, url: 'https://shop.example.com/coupons' },
    });
  });
});
