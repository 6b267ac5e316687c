import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';

let crypto: typeof Crypto | undefined;

/**
 * `createHash` of node:crypto, which is loaded at the first call. Loading it takes about twenty of Node's
 * own modules (3 ms): a cached check or Stop hook starts its git calls first, and loads it while git works.
 */
export function createHash(algorithm: string): Crypto.Hash {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof Crypto;
  return crypto.createHash(algorithm);
}

export type Hash = Crypto.Hash;
