/** node-nlp ships no types; bench/faq/engines.ts describes the little it uses. */
declare module 'node-nlp';
