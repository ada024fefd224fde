/**
 * Question intent. A customer asking `nat网关怎么收钱的` wants the answer to a question, and
 * documentation keeps those in FAQ sections, under headings that are questions
 * (`NAT 网关如何计费？`). The words that make a question (怎么, 能不能, 为什么, 吗…) say
 * nothing about the topic, so they are not matched (query.ts drops them); they only steer the
 * ranking towards question headings (see rerank.ts).
 */
import { normalize } from './normalize.js';

// Question words and particles. Single characters only where they end a question or rarely
// appear otherwise in a customer's message (吗, 啥, 咋); `?` covers the rest.
const INTENT =
  /怎么|怎样|如何|为什么|为啥|为何|能不能|能否|可不可以|可以|是否|是不是|有没有|会不会|要不要|什么|哪些|哪个|哪里|多少|多久|吗|啥|咋|\?/;

/** True when the query asks a question (a question word, a question particle or `?`). */
export function hasQuestionIntent(query: string): boolean {
  return INTENT.test(normalize(query));
}

const QUESTION_HEADING = /[?？]\s*$|^(?:如何|怎么|怎样|为什么|为何|是否|能否|什么是)|(?:吗|呢|么|是什么|有哪些|怎么办)\s*$/;

/** True when a heading is a question: what FAQ sections are titled with. */
export function isQuestionHeading(heading: string): boolean {
  return QUESTION_HEADING.test(heading.trim());
}
