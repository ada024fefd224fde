/**
 * The FAQ in `wecombot dev` / `npm start`: `/faq-demo` plays a short conversation through the
 * real pipeline (a question answered, one with suggestions and a click, a handoff, `/resume`),
 * and `/faq-ask` asks as another member.
 */
import type { EmulatorCommand } from '../../bot/emulator.js';
import type { FaqConfig } from './config.js';
import { openFaq } from './loader.js';

export function faqEmulatorCommands(config: FaqConfig): EmulatorCommand[] {
  const handoffWord = config.handoff.keywords[0] ?? '转人工';
  return [
    {
      name: 'faq-demo',
      description: 'FAQ 演示：提问、推荐问题并点击、转人工、/resume (an FAQ conversation)',
      usage: '[question]',
      async run(args, emulator) {
        const customer = emulator.member('customer-demo', '顾客小王');
        const question = args.trim();
        if (question) return customer.says(question);
        const { matcher } = await openFaq(config);
        const first = matcher.index.entries[0];
        emulator.print('— 顾客小王 asks in other words than the FAQ, then something vague, and clicks the first suggestion —');
        if (first) await customer.says(first.phrasings[0] ?? first.question);
        await customer.says('收费');
        await customer.click('1');
        emulator.print(`— 顾客小王 asks for a human (${handoffWord}), then resumes —`);
        await customer.says(handoffWord);
        await customer.says('还在吗');
        await customer.says('/resume');
      },
    },
    {
      name: 'faq-ask',
      description: 'ask the FAQ as another member (顾客小王)',
      usage: '<question>',
      run: (args, emulator) => emulator.member('customer-demo', '顾客小王').says(args.trim() || '怎么收费'),
    },
  ];
}
