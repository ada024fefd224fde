/**
 * A Q&A set written for these tests: an imaginary online tea shop (茶铺小程序), with alternate
 * phrasings. Nothing here comes from the benchmark corpus.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TEA_SHOP_YAML = `# 茶铺小程序 FAQ
synonyms:
  - 年卡 = 会员卡
entries:
  - id: 1
    question: 怎么申请退款？
    phrasings: [退款流程是什么, 买错了能退吗]
    answer: |
      在「我的订单」里点击**申请退款**，审核通过后 1–3 个工作日原路退回。
    group: 售后
  - id: 2
    question: 会员怎么收费？
    phrasings: [开会员要多少钱, 年卡价格]
    answer: 月卡 15 元，年卡 128 元，开通后全场九折。
    group: 会员
  - id: 3
    question: 忘记登录密码怎么办？
    phrasings: [密码找回, 账号登不上]
    answer: 在登录页点「忘记密码」，用绑定的手机号接收验证码即可重设。
    group: 账号
  - id: 4
    question: 下单后多久发货？
    phrasings: [几天能发货, 什么时候寄出]
    answer: 工作日 16 点前付款当天发货，其余次日发货；顺丰 2–3 天送达。
    group: 物流
  - id: 5
    question: 可以开发票吗？
    phrasings: [能开增值税发票吗]
    answer: 可以。在订单详情页点「申请发票」，电子发票 24 小时内发到邮箱。
    group: 售后
  - id: 6
    question: 茶叶怎么保存？
    phrasings: [茶叶放冰箱可以吗]
    answer: 绿茶密封冷藏，乌龙和红茶常温避光防潮即可。
    group: 冲泡
  - id: 7
    question: 会员积分怎么兑换礼品？
    phrasings: [积分能换什么]
    answer: 在「会员中心 → 积分商城」选择礼品，100 积分起兑。
    group: 会员
`;

/** A tea shop Q&A set in CSV, the same entries in short. */
export const TEA_SHOP_CSV = `question,phrasings,answer,group
怎么申请退款？,退款流程是什么|买错了能退吗,在「我的订单」里申请退款。,售后
"会员怎么收费？",开会员要多少钱,"月卡 15 元，
年卡 128 元。",会员
`;

/** A tea shop FAQ page in Markdown. */
export const TEA_SHOP_MD = `# 茶铺常见问题

## 售后

### 怎么申请退款？
也问：退款流程是什么 | 买错了能退吗

在「我的订单」里点击**申请退款**。

### 可以开发票吗？
可以，在订单详情页申请。

## 冲泡

### 茶叶怎么保存？
密封冷藏。

\`\`\`
# 这不是标题？
\`\`\`
`;

/** Writes `files` into a new temporary folder; returns its path. */
export function writeFixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wecombot-faq-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Monday 2025-01-06 10:00 in Shanghai (02:00 UTC): inside a 9-18 weekday shift. */
export const MONDAY_10AM = Date.UTC(2025, 0, 6, 2, 0);
/** Saturday 2025-01-11 10:00 in Shanghai. */
export const SATURDAY_10AM = Date.UTC(2025, 0, 11, 2, 0);
