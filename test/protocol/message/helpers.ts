import { expect } from 'vitest';
import { MessageValidationError } from '../../../src/protocol/message/errors.js';

/** Run `fn`, expect a MessageValidationError, return it. */
export function validationError(fn: () => unknown): MessageValidationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(MessageValidationError);
    return error as MessageValidationError;
  }
  throw new Error('expected a MessageValidationError');
}
