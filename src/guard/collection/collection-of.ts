import type { Collection } from './collection.ts';
import { collectedUnknown } from './collection.ts';
import type { ConfigSide } from './config-side.ts';
import { goCollection } from './go-collection.ts';
import { jsCollection } from './js-collection.ts';
import { pythonCollection } from './python-collection.ts';

/**
 * Whether the test runner collects the file at `path` that holds tests, by the runner configuration of `side`
 * (`baseSide`: the same files at the base, which tell a new Go module). Rust's module tree is not read: unknown.
 */
export function collectionOf(path: string, side: ConfigSide, baseSide: ConfigSide): Collection {
  if (path.endsWith('.go')) return goCollection(path, side, baseSide);
  if (path.endsWith('.py')) return pythonCollection(path, side, baseSide);
  if (/\.[cm]?[jt]sx?$/.test(path)) return jsCollection(path, side, baseSide);
  return collectedUnknown;
}
