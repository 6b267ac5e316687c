import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';

/**
 * The bytes of the regular file at `path`, read at once on the calling thread; undefined when there is none,
 * it cannot be read, or it is not a regular file. For the small files a hot command reads while its git calls
 * run (a session record, a gate's cached pass, git's index and config): an asynchronous read takes four trips
 * through the thread pool, each waiting behind git's output. Opened without blocking, then checked: a FIFO or
 * a device put at the path (the agent may write these folders) is refused, not waited on or read forever.
 */
export function readRegularFileSync(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    return fstatSync(fd).isFile() ? readFileSync(fd) : undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
