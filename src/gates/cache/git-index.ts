import type { ObjectFormat } from './git-blob-id.ts';

/** One entry of git's index (the staging area), as recorded on disk. */
export interface IndexEntry {
  /** Relative to the top of the work tree, `/`-separated. */
  path: string;
  /** Octal, as git prints it: 100644, 100755, 120000 (symlink), 160000 (submodule). */
  mode: string;
  /** Where the entry's object id is in the index data (hex-encoded only for the entries that need it). */
  idAt: number;
  stage: number;
  assumeUnchanged: boolean;
  skipWorktree: boolean;
  intentToAdd: boolean;
  /** The ctime git recorded is the mtime it recorded, to the nanosecond (see `gitComparedIt`). */
  ctimeIsMtime: boolean;
}

export class UnsupportedIndexError extends Error {
  readonly code = 'unsupported-git-index';
}

const hashSizes: Record<ObjectFormat, number> = { sha1: 20, sha256: 32 };
const modeNames = new Map([0o100644, 0o100755, 0o120000, 0o160000].map((mode) => [mode, mode.toString(8)]));

/**
 * Parse `.git/index` (versions 2 to 4). Read here rather than through `git ls-files -s --debug`: the
 * entries are fixed-size records, and a text listing of 50,000 of them is ten times the bytes to decode.
 * A split index or a sparse index (entries elsewhere, or folders as entries) is not supported: throws
 * `UnsupportedIndexError`, and the caller reads the files instead. `visit` sees each entry in index order
 * (sorted by path), in one object reused from entry to entry: 50,000 objects would cost more in garbage
 * collection than in parsing.
 */
export function visitGitIndex(data: Buffer, format: ObjectFormat, visit: (entry: Readonly<IndexEntry>) => void): void {
  if (data.length < 12 || data.toString('latin1', 0, 4) !== 'DIRC') throw new UnsupportedIndexError('not an index');
  const version = data.readUInt32BE(4);
  if (version < 2 || version > 4) throw new UnsupportedIndexError(`index version ${version}`);
  const count = data.readUInt32BE(8);
  const hashSize = hashSizes[format];
  const entry: IndexEntry = {
    path: '',
    mode: '',
    idAt: 0,
    stage: 0,
    assumeUnchanged: false,
    skipWorktree: false,
    intentToAdd: false,
    ctimeIsMtime: false,
  };
  let offset = 12;
  let previousName: Buffer = Buffer.alloc(0);
  for (let index = 0; index < count; index++) {
    const start = offset;
    const mode = data.readUInt32BE(start + 24);
    const flagsAt = start + 40 + hashSize;
    const flags = data.readUInt16BE(flagsAt);
    const extended = version >= 3 && (flags & 0x4000) !== 0;
    const extendedFlags = extended ? data.readUInt16BE(flagsAt + 2) : 0;
    const nameAt = flagsAt + 2 + (extended ? 2 : 0);
    let path: string;
    if (version === 4) {
      // The name is the previous one, less `strip` bytes at its end, plus a NUL-terminated suffix.
      let at = nameAt;
      let byte = data[at++] ?? 0;
      let strip = byte & 127;
      while (byte & 128) {
        byte = data[at++] ?? 0;
        strip = ((strip + 1) << 7) | (byte & 127);
      }
      const end = data.indexOf(0, at);
      previousName = Buffer.concat([previousName.subarray(0, previousName.length - strip), data.subarray(at, end)]);
      path = previousName.toString('utf8');
      offset = end + 1;
    } else {
      const length = flags & 0xfff;
      const end = length < 0xfff ? nameAt + length : data.indexOf(0, nameAt);
      path = data.toString('utf8', nameAt, end);
      // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
      offset = start + ((end - start + 8) & ~7);
    }
    if ((mode & 0o170000) === 0o040000) throw new UnsupportedIndexError('sparse index');
    entry.path = path;
    entry.mode = modeNames.get(mode) ?? mode.toString(8);
    entry.idAt = start + 40;
    entry.stage = (flags >> 12) & 3;
    entry.assumeUnchanged = (flags & 0x8000) !== 0;
    entry.skipWorktree = (extendedFlags & 0x4000) !== 0;
    entry.intentToAdd = (extendedFlags & 0x2000) !== 0;
    entry.ctimeIsMtime =
      data.readUInt32BE(start) === data.readUInt32BE(start + 8) &&
      data.readUInt32BE(start + 4) === data.readUInt32BE(start + 12);
    visit(entry);
  }
  // Extensions: a split index keeps most entries in another file.
  while (offset + 8 <= data.length - hashSize) {
    const signature = data.toString('latin1', offset, offset + 4);
    if (signature === 'link' || signature === 'sdir') throw new UnsupportedIndexError(`index extension ${signature}`);
    offset += 8 + data.readUInt32BE(offset + 4);
  }
}
