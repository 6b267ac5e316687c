import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { containmentInitMarker } from './containment.ts';

/**
 * Whether the local process at the other end of a TCP connection to this one runs inside a contained
 * command of Sluice's (an agent turn, a gate: it descends from a containment init, which a process in that
 * PID namespace cannot leave: orphans are reparented to the init). True only then; false for a process
 * beside us (a person's terminal, a browser, sandboxed or not, a script); undefined when /proc cannot tell
 * (no /proc, the socket already closed, a process we may not inspect).
 *
 * `clientPort` is the connection's port on the client side, `serverPort` ours. The client's socket is
 * found in /proc/net/tcp{,6} (sockets of this network namespace), its owners by the `socket:[inode]` link
 * among every process's open files.
 */
export function peerIsContained(clientPort: number, serverPort: number): boolean | undefined {
  const inode = clientSocketInode(clientPort, serverPort);
  if (inode === undefined) return undefined;
  const link = `socket:[${inode}]`;
  // A server that itself runs contained (inside a gate) is not judged by its own init.
  const ours = new Set(ancestors(process.pid));
  let found: boolean | undefined;
  for (const pid of processIds()) {
    if (!holdsSocket(pid, link)) continue;
    found = false;
    if (ancestors(pid).some((ancestor) => !ours.has(ancestor) && isContainmentInit(ancestor))) return true;
  }
  return found;
}

/** The clientPort-to-serverPort socket's inode. */
function clientSocketInode(clientPort: number, serverPort: number): string | undefined {
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      const [local, remote, inode] = [fields[1], fields[2], fields[9]];
      if (!local || !remote || !inode || inode === '0') continue;
      if (portOf(local) === clientPort && portOf(remote) === serverPort) return inode;
    }
  }
  return undefined;
}

function portOf(address: string): number {
  return Number.parseInt(address.slice(address.lastIndexOf(':') + 1), 16);
}

function processIds(): number[] {
  try {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number)
      .filter((pid) => pid !== process.pid);
  } catch {
    return [];
  }
}

function holdsSocket(pid: number, link: string): boolean {
  let descriptors: string[];
  try {
    descriptors = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false; // gone, or not ours to look into
  }
  for (const fd of descriptors) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) === link) return true;
    } catch {
      // closed meanwhile
    }
  }
  return false;
}

/** The process and its parents up to process 1, as this PID namespace numbers them. */
function ancestors(pid: number): number[] {
  const chain: number[] = [];
  let current = pid;
  while (current > 1 && chain.length < 256) {
    chain.push(current);
    try {
      const status = readFileSync(`/proc/${current}/status`, 'utf8');
      current = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
    } catch {
      break;
    }
  }
  return chain;
}

function isContainmentInit(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(containmentInitMarker);
  } catch {
    return false;
  }
}
