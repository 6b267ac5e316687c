import { parse } from 'diff2html/lib-esm/diff-parser.js';
import type { DiffFile as ParsedFile } from 'diff2html/lib-esm/types.js';

export type { ParsedFile };

export interface SideLine {
  number: number;
  text: string;
  kind: 'add' | 'del' | 'ctx';
}

/** One row of the side-by-side view: a deleted line beside the line that replaced it. */
export interface SplitRow {
  left: SideLine | null;
  right: SideLine | null;
}

export function parsePatch(patch: string): ParsedFile[] {
  if (!patch.trim()) return [];
  return parse(patch);
}

export function filePath(file: ParsedFile): string {
  return file.newName === '/dev/null' ? file.oldName : file.newName;
}

/** Lines without their +/-/space prefix. */
export function lineText(content: string): string {
  return content.length > 0 ? content.slice(1) : content;
}

/** Pair each run of deletions with the run of insertions after it, line by line. */
export function splitRows(lines: ParsedFile['blocks'][number]['lines']): SplitRow[] {
  const rows: SplitRow[] = [];
  let deleted: SideLine[] = [];
  let inserted: SideLine[] = [];
  const flush = () => {
    const count = Math.max(deleted.length, inserted.length);
    for (let index = 0; index < count; index++)
      rows.push({ left: deleted[index] ?? null, right: inserted[index] ?? null });
    deleted = [];
    inserted = [];
  };
  for (const line of lines) {
    const text = lineText(line.content);
    if (line.type === 'delete') {
      if (inserted.length > 0) flush();
      deleted.push({ number: line.oldNumber, text, kind: 'del' });
    } else if (line.type === 'insert') {
      inserted.push({ number: line.newNumber, text, kind: 'add' });
    } else {
      flush();
      rows.push({
        left: { number: line.oldNumber, text, kind: 'ctx' },
        right: { number: line.newNumber, text, kind: 'ctx' },
      });
    }
  }
  flush();
  return rows;
}
