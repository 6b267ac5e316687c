import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { isProcessAlive, waitFor } from '../../support/process-state.ts';

/** A port nothing listens on right now (the OS picks it; it is closed again before it is returned). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The node binary running the tests, quoted for a shell command. */
export const node = JSON.stringify(process.execPath);

/**
 * An HTTP server: `node server.mjs <port> [failures]` answers 503 to the first `failures` requests,
 * then 204, and logs "listening" and each hit.
 */
export const httpServerScript = `import { createServer } from 'node:http';
const port = Number(process.argv[2]);
const failures = Number(process.argv[3] ?? 0);
let hits = 0;
createServer((request, response) => {
  hits += 1;
  console.log('hit ' + hits);
  response.statusCode = hits > failures ? 204 : 503;
  response.end();
}).listen(port, '127.0.0.1', () => console.log('listening on ' + port));
`;

/**
 * A service that records its processes in services.pids: the shell ($$), a child in its group, and a
 * grandchild that left the group with setsid; then it runs the HTTP server in the foreground.
 */
export function pidRecordingService(port: number): string {
  return [
    'echo $$ >> services.pids',
    'sleep 300 &',
    'echo $! >> services.pids',
    'setsid sleep 300 &',
    'echo $! >> services.pids',
    `${node} server.mjs ${port}`,
  ].join('\n');
}

/** The pids a service wrote (one a line), once it wrote `count` of them; survivors are killed after the test. */
export async function recordedPids(dir: string, count = 3, file = 'services.pids'): Promise<number[]> {
  const path = join(dir, file);
  const read = () => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean).map(Number) : []);
  await waitFor(() => read().length >= count);
  const pids = read();
  onTestFinished(() => {
    for (const pid of alivePids(pids)) process.kill(pid, 'SIGKILL');
  });
  return pids;
}

/** Which of the pids still run (zombies count as gone). */
export function alivePids(pids: number[]): number[] {
  return pids.filter(isProcessAlive);
}
