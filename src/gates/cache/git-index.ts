import type { ObjectFormat } from './git-blob-id.ts';

/** One entry of git's index (the staging area), as recorded on disk. */
export interface IndexEntry {
  /** Relative to the top of the work tree, `/`-separated; decoded when read (most walks never need it). */
  readonly path: string;
  /** The name's bytes are `nameBytes[nameAt, nameEnd)`: compared in place, without decoding. */
  nameBytes: Buffer;
  nameAt: number;
  nameEnd: number;
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

/** The entry `visitGitIndex` reuses from entry to entry; `path` is decoded only when read. */
class ReusedEntry implements IndexEntry {
  nameBytes: Buffer = Buffer.alloc(0);
  nameAt = 0;
  nameEnd = 0;
  mode = '';
  idAt = 0;
  stage = 0;
  assumeUnchanged = false;
  skipWorktree = false;
  intentToAdd = false;
  ctimeIsMtime = false;

  get path(): string {
    return this.nameBytes.toString('utf8', this.nameAt, this.nameEnd);
  }
}

/**
 * Parse `.git/index` (versions 2 to 4). Read here rather than through `git ls-files -s --debug`: the
 * entries are fixed-size records, and a text listing of 50,000 of them is ten times the bytes to decode.
 * A split index or a sparse index (entries elsewhere, or folders as entries) is not supported: throws
 * `UnsupportedIndexError`, and the caller reads the files instead. `visit` sees each entry in index order
 * (sorted by path), in one object reused from entry to entry, whose path is decoded only if asked for:
 * 50,000 objects or strings would cost more in garbage collection than the walk.
 */
export function visitGitIndex(data: Buffer, format: ObjectFormat, visit: (entry: Readonly<IndexEntry>) => void): void {
  if (data.length < 12 || data.toString('latin1', 0, 4) !== 'DIRC') throw new UnsupportedIndexError('not an index');
  const version = data.readUInt32BE(4);
  if (version < 2 || version > 4) throw new UnsupportedIndexError(`index version ${version}`);
  const count = data.readUInt32BE(8);
  const hashSize = hashSizes[format];
  const entry = new ReusedEntry();
  // Version 4 names are built in this buffer, each from the one before.
  let name = Buffer.alloc(version === 4 ? 4096 : 0);
  let nameLength = 0;
  let offset = 12;
  for (let index = 0; index < count; index++) {
    const start = offset;
    if (start + 62 + hashSize > data.length) throw new UnsupportedIndexError('malformed index entry');
    // Bytes read by hand: this loop runs once per check, mostly before V8 optimizes it, where every call costs.
    const mode =
      (data[start + 24] as number) * 0x1000000 +
      (((data[start + 25] as number) << 16) | ((data[start + 26] as number) << 8) | (data[start + 27] as number));
    const flagsAt = start + 40 + hashSize;
    const flags = ((data[flagsAt] as number) << 8) | (data[flagsAt + 1] as number);
    const extended = version >= 3 && (flags & 0x4000) !== 0;
    const extendedFlags = extended ? ((data[flagsAt + 2] as number) << 8) | (data[flagsAt + 3] as number) : 0;
    const nameAt = flagsAt + 2 + (extended ? 2 : 0);
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
      if (end === -1 || strip > nameLength) throw new UnsupportedIndexError('malformed index entry');
      const kept = nameLength - strip;
      if (kept + end - at > name.length) {
        const grown = Buffer.alloc(2 * (kept + end - at));
        name.copy(grown, 0, 0, kept);
        name = grown;
      }
      nameLength = kept + data.copy(name, kept, at, end);
      entry.nameBytes = name;
      entry.nameAt = 0;
      entry.nameEnd = nameLength;
      offset = end + 1;
    } else {
      const length = flags & 0xfff;
      const end = length < 0xfff ? nameAt + length : data.indexOf(0, nameAt);
      if (end === -1 || end > data.length) throw new UnsupportedIndexError('malformed index entry');
      entry.nameBytes = data;
      entry.nameAt = nameAt;
      entry.nameEnd = end;
      // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
      offset = start + ((end - start + 8) & ~7);
    }
    if ((mode & 0o170000) === 0o040000) throw new UnsupportedIndexError('sparse index');
    entry.mode =
      mode === 0o100644 ? '100644' : mode === 0o100755 ? '100755' : (modeNames.get(mode) ?? mode.toString(8));
    entry.idAt = start + 40;
    entry.stage = (flags >> 12) & 3;
    entry.assumeUnchanged = (flags & 0x8000) !== 0;
    entry.skipWorktree = (extendedFlags & 0x4000) !== 0;
    entry.intentToAdd = (extendedFlags & 0x2000) !== 0;
    entry.ctimeIsMtime = sameEightBytes(data, start, start + 8);
    visit(entry);
  }
  // Extensions: a split index keeps most entries in another file.
  while (offset + 8 <= data.length - hashSize) {
    const signature = data.toString('latin1', offset, offset + 4);
    if (signature === 'link' || signature === 'sdir') throw new UnsupportedIndexError(`index extension ${signature}`);
    offset += 8 + data.readUInt32BE(offset + 4);
  }
}

function sameEightBytes(data: Buffer, a: number, b: number): boolean {
  for (let at = 0; at < 8; at++) if (data[a + at] !== data[b + at]) return false;
  return true;
}
