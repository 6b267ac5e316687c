import { closeSync, constants, openSync, rmSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** After the command's namespace is gone, how long its stdout gets to reach its end (only a writer that got out waits). */
const drainLimitMs = 2000;

let nextName = 1;

/**
 * A spawned command's stdin and streamed stdout, through the contained spawner's private dir: the input
 * in a file the command gets as stdin, its stdout through a FIFO the spawner makes, read here, copied to
 * the output file and handed over line by line, as runProcess's pipes do for a spawn of its own.
 */
export class SpawnedStreams {
  /** The file the command reads as stdin; undefined: /dev/null. */
  readonly stdinPath: string | undefined;
  /** Where the spawner makes the stdout FIFO; undefined: stdout goes straight to the output file. */
  readonly stdoutFifo: string | undefined;
  readonly #output: number | undefined;
  readonly #onStdoutLine: ((line: string) => void) | undefined;
  #reader: Socket | undefined;
  #readerClosed: Promise<void> = Promise.resolve();
  #closed = false;

  /**
   * Writes the input file and, for streamed stdout, opens (creates, truncates) the output file, appending:
   * the command's stderr is appended to it by the command itself.
   */
  constructor(
    privateDir: string,
    options: { outputPath: string; input: string | undefined; onStdoutLine: ((line: string) => void) | undefined },
  ) {
    const name = join(privateDir, String(nextName++));
    if (options.input !== undefined) {
      this.stdinPath = `${name}.in`;
      // A name of our own in our 0700 dir: anything already there (a link) is not written through.
      const input = openSync(
        this.stdinPath,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        0o600,
      );
      try {
        writeSync(input, options.input);
      } finally {
        closeSync(input);
      }
    }
    if (options.onStdoutLine) {
      this.stdoutFifo = `${name}.out`;
      this.#onStdoutLine = options.onStdoutLine;
      this.#output = openSync(
        options.outputPath,
        constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_APPEND,
        0o666,
      );
    }
  }

  /**
   * The FIFO exists (the spawner said `started`): open it to read, without waiting for the command, which
   * waits for this to open its end.
   */
  open(): void {
    if (!this.stdoutFifo || this.#reader || this.#output === undefined) return;
    const output = this.#output;
    const fd = openSync(this.stdoutFifo, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    const reader = new Socket({ fd, readable: true, writable: false });
    this.#reader = reader;
    this.#readerClosed = new Promise<void>((resolve) => {
      reader.on('data', (chunk: Buffer) => writeSync(output, chunk));
      reader.once('close', () => resolve());
      reader.once('error', () => resolve());
    });
    const onLine = this.#onStdoutLine;
    if (onLine) createInterface({ input: reader, crlfDelay: Number.POSITIVE_INFINITY }).on('line', onLine);
  }

  /**
   * The command's namespace is gone, so is every writer of its stdout: read what is left, every line handed
   * over (the last one without a newline too). A FIFO that never had a writer never reports its end by
   * itself: opening and closing a writer here makes it.
   */
  async finish(): Promise<void> {
    const reader = this.#reader;
    if (reader && this.stdoutFifo) {
      try {
        closeSync(openSync(this.stdoutFifo, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW));
      } catch {
        // No reader any more (ENXIO): the stream has already ended.
      }
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        this.#readerClosed,
        new Promise((resolve) => {
          timer = setTimeout(resolve, drainLimitMs);
        }),
      ]);
      clearTimeout(timer);
      reader.destroy();
    }
    this.close();
  }

  /** Remove the files and close the output file (also when the command never started). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#reader?.destroy();
    if (this.#output !== undefined) closeSync(this.#output);
    for (const path of [this.stdinPath, this.stdoutFifo]) if (path) rmSync(path, { force: true });
  }
}
