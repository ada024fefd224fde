import { expect } from 'vitest';
import { CallbackParseError } from '../../../src/protocol/callback/errors.js';

/** Run `fn`, expect a CallbackParseError, return it. */
export function parseErrorOf(fn: () => unknown): CallbackParseError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CallbackParseError);
    return error as CallbackParseError;
  }
  throw new Error('expected a CallbackParseError');
}
