/** How a command the launcher ran ended, as its `end` reply says. */
export type LauncherOutcome =
  | { kind: 'exit'; code: number }
  | { kind: 'signal'; signal: number }
  /** chdir or exec failed, or the launcher could not fork: the errno. */
  | { kind: 'spawn-failed'; errno: number };

/** One reply of the launcher (launcher-script.ts). */
export type LauncherReply =
  | { kind: 'started'; id: string; pid: number }
  | { kind: 'end'; id: string; outcome: LauncherOutcome; stdout: Buffer; stderr: Buffer };

const endHeader = /^end (\d+) (exit|signal|spawn-failed) (\d+) (\d+) (\d+)$/;
const startedHeader = /^started (\d+) (\d+)$/;
const newline = 0x0a;

/**
 * Cuts the launcher's stdout into replies: header lines, each `end` followed by exactly the number of
 * stdout and stderr bytes its header gives. Bytes, never text: a command's stdout comes back exact.
 * A chunk waiting for a large body is kept as a list and joined once the body is complete.
 */
export class LauncherReplyReader {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private body: { id: string; outcome: LauncherOutcome; stdoutSize: number; stderrSize: number } | undefined;

  /** The replies complete with `chunk`; throws on anything that is not a reply (a launcher gone wrong). */
  read(chunk: Buffer): LauncherReply[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const replies: LauncherReply[] = [];
    while (true) {
      if (this.body) {
        const { id, outcome, stdoutSize, stderrSize } = this.body;
        if (this.buffered < stdoutSize + stderrSize) return replies;
        const bytes = this.take(stdoutSize + stderrSize);
        this.body = undefined;
        // Copies: a view would keep the whole chunk it came in alive as long as the caller keeps stdout.
        replies.push({
          kind: 'end',
          id,
          outcome,
          stdout: Buffer.from(bytes.subarray(0, stdoutSize)),
          stderr: Buffer.from(bytes.subarray(stdoutSize)),
        });
        continue;
      }
      const joined = this.joined();
      const end = joined.indexOf(newline);
      if (end < 0) return replies;
      const header = this.take(end + 1)
        .toString('latin1')
        .slice(0, -1);
      const started = startedHeader.exec(header);
      if (started) {
        replies.push({ kind: 'started', id: started[1] ?? '', pid: Number(started[2]) });
        continue;
      }
      const ended = endHeader.exec(header);
      if (!ended) throw new Error(`the process launcher wrote an unknown reply: ${header.slice(0, 80)}`);
      const [, id = '', kind, number, stdoutSize, stderrSize] = ended;
      const value = Number(number);
      this.body = {
        id,
        outcome:
          kind === 'exit'
            ? { kind: 'exit', code: value }
            : kind === 'signal'
              ? { kind: 'signal', signal: value }
              : { kind: 'spawn-failed', errno: value },
        stdoutSize: Number(stdoutSize),
        stderrSize: Number(stderrSize),
      };
    }
  }

  private joined(): Buffer {
    if (this.chunks.length !== 1) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  /** The first `size` buffered bytes, removed from the buffer. */
  private take(size: number): Buffer {
    const joined = this.joined();
    this.chunks = size < joined.length ? [joined.subarray(size)] : [];
    this.buffered -= size;
    return joined.subarray(0, size);
  }
}
