/** WeCom callback crypto (WXBizMsgCrypt): pure functions over node:crypto, no I/O. */
export { AesKey, parseEncodingAESKey } from './aes-key.js';
export { decodeBase64Strict } from './base64.js';
export { CRYPTO_ERRORS, WecomCryptoError, type WecomCryptoErrorCode } from './crypto-error.js';
export { decrypt, decryptMedia, type DecryptOptions, type Decrypted } from './decrypt.js';
export { encrypt, encryptMedia, type EncryptOptions } from './encrypt.js';
export { renderJsonEnvelope, renderXmlEnvelope, type EncryptedReply } from './envelope.js';
export { parseCallbackQuery, type CallbackQuery } from './query.js';
export { compareUtf8, computeSignature } from './signature.js';
export { checkTimestamp, signaturesEqual, verifySignature, type SignedValues, type TimestampWindow } from './verify.js';
export { WecomCrypto, type ReplyOptions, type WecomCryptoOptions } from './wecom-crypto.js';
