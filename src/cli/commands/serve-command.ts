import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { findConfigFile, loadConfig } from '../../config/config-file.ts';
import { UsageError } from '../../errors.ts';
import { loadBaseConfig } from '../../loop/run-config.ts';
import { startBackgroundProcess } from '../../process/start-background-process.ts';
import { dispatch } from '../../queue/dispatcher.ts';
import { newServeToken, removeServeFile, writeServeFile } from '../../server/serve-token.ts';
import { type RunningServer, startServer, urlWithToken } from '../../server/start-server.ts';
import type { RunStore } from '../../store/run-store.ts';
import { currentBranch } from '../../workspace/refs.ts';
import { declareCommand } from '../declare-command.ts';
import { writeError, writeOut } from '../output/write.ts';
import type { RunOverrides } from '../prepare-run.ts';
import { withInterruptSignal } from './interrupt.ts';
import { openProjectRunStore } from './open-run-store.ts';
import { holdWorkLock } from './work-lock.ts';

export const defaultServePort = 7420;

/** `sluice serve`: the HTTP API and dashboard over the run store, and with --work the dispatcher too. */
export const command = declareCommand({
  name: 'serve',
  description: `The dashboard: watch runs live, review and decide changes, queue tasks, see usage and bench trends.
Prints the address with a one-time token; changing anything (approve, reject, cancel, add a task) needs
that token, which is also stored for the CLI in .sluice/serve.json (mode 0600). Ctrl-C stops it.`,
  flags: {
    dir: { type: 'string', alias: 'C', placeholder: 'path', description: 'Project folder (default: current folder)' },
    port: { type: 'whole', alias: 'p', min: 0, description: 'Port (default 7420; 0 picks a free one)' },
    host: {
      type: 'string',
      placeholder: 'address',
      description: 'Address to listen on (default 127.0.0.1: this machine only)',
    },
    open: { type: 'boolean', description: 'Open the dashboard in the default browser' },
    work: { type: 'boolean', description: 'Also run the dispatcher ("sluice work") in this process' },
    concurrency: { type: 'whole', alias: 'j', description: 'With --work: runs at once (default: queue.concurrency)' },
    base: {
      type: 'string',
      placeholder: 'branch',
      description: 'With --work: the branch runs start from (default: the current branch)',
    },
    agent: { type: 'string', placeholder: 'name', description: 'With --work: the agent, as for "sluice work"' },
    'agent-command': {
      type: 'string',
      placeholder: 'cmd',
      description: 'With --work: the agent command, as for "sluice work"',
    },
    'prompt-via': {
      type: 'string',
      placeholder: 'how',
      description: 'With --work: how the agent command gets the prompt, as for "sluice work"',
    },
  },
  async run(values) {
    const port = values.port ?? defaultServePort;
    if (port > 65_535) throw new UsageError(`--port expects a port number (0-65535), got "${values.port}"`);
    const configPath = findConfigFile(resolve(values.dir ?? '.'));
    if (!configPath) throw new UsageError('no sluice.yaml here or above; run "sluice init" and commit it');
    const probe = await loadBaseConfig(configPath, 'HEAD');
    const config = (await loadConfig(configPath)).config;
    const configFolder = dirname(configPath);
    const store = await openProjectRunStore(values.dir);
    const releaseLock = values.work ? await holdWorkLock(store.path) : undefined;
    let server: RunningServer | undefined;
    try {
      return await withInterruptSignal(async (signal) => {
        const token = newServeToken();
        const work = values.work
          ? await workPorts(store, configPath, await workBase(probe.repoRoot, values.base), {
              ...(values.agent ? { agent: values.agent } : {}),
              ...(values['agent-command'] ? { agentCommand: values['agent-command'] } : {}),
              ...(values['prompt-via'] ? { promptVia: values['prompt-via'] } : {}),
            })
          : undefined;
        const version = await readVersion();
        server = await listenOrExplain(port, () =>
          startServer({
            store,
            repoRoot: probe.repoRoot,
            configDir: probe.configDir,
            config,
            version,
            token,
            host: values.host ?? '127.0.0.1',
            port,
            ...(work ? { cancelInProcess: (runId: string) => work.cancel(runId) } : {}),
            reportInternalError: (error) =>
              writeError(
                `sluice serve: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
              ),
          }),
        );
        const address = urlWithToken(server, token);
        await writeServeFile(configFolder, {
          url: server.url,
          host: server.host,
          port: server.port,
          token,
          pid: process.pid,
          startedAt: new Date().toISOString(),
        });
        writeOut(`sluice serve: ${address}`);
        writeOut(`token ${token} (also in ${join(configFolder, '.sluice', 'serve.json')}); Ctrl-C to stop`);
        if (values.open) openBrowser(address, configFolder);
        const dispatcher = work
          ? dispatch({
              store,
              ports: work.ports,
              policy: {
                concurrency: values.concurrency ?? probe.config.queue.concurrency,
                ...(config.queue.max_usd_per_day !== undefined ? { maxUsdPerDay: config.queue.max_usd_per_day } : {}),
                targetLatencyMs: config.review.target_latency,
              },
              ...(config.review.capacity_minutes_per_day !== undefined
                ? { capacityMinutesPerDay: config.review.capacity_minutes_per_day }
                : {}),
              pollMs: probe.config.queue.poll,
              signal,
              onEvent: (event) => writeOut(`work: ${JSON.stringify(event)}`),
            }).catch((error: unknown) =>
              writeError(`sluice serve: the dispatcher stopped: ${(error as Error).message}`),
            )
          : undefined;
        await new Promise<void>((done) => {
          if (signal.aborted) done();
          else signal.addEventListener('abort', () => done(), { once: true });
        });
        await dispatcher;
        writeOut('sluice serve: stopped');
        return 0;
      });
    } finally {
      await server?.close();
      await removeServeFile(configFolder);
      await releaseLock?.();
      await store.close();
    }
  },
});

export const run = command.run;

/** The dispatcher's ports, loaded only with --work (they bring every agent adapter along). */
async function workPorts(store: RunStore, configPath: string, baseRef: string, overrides: RunOverrides) {
  const [{ cancellablePorts }, { createWorkPorts }] = await Promise.all([
    import('../serve-work.ts'),
    import('../work-ports.ts'),
  ]);
  return cancellablePorts(store, createWorkPorts({ store, configPath, baseRef, overrides }));
}

/** A port already taken is the user's to fix, not a crash. */
async function listenOrExplain(port: number, listen: () => Promise<RunningServer>): Promise<RunningServer> {
  try {
    return await listen();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new UsageError(`port ${port} is in use: pick another with --port (0 picks a free one)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
      throw new UsageError(`cannot listen on that --host: ${(error as Error).message}`);
    throw error;
  }
}

async function workBase(repoRoot: string, base: string | undefined): Promise<string> {
  const branch = base ?? (await currentBranch(repoRoot));
  if (!branch) throw new UsageError('HEAD is detached: name the branch runs start from with --base <branch>');
  return branch;
}

/** Best effort: the address is printed either way. */
function openBrowser(address: string, configFolder: string): void {
  const opener = process.platform === 'darwin' ? 'open' : 'xdg-open';
  startBackgroundProcess({
    command: `${opener} "$SLUICE_SERVE_URL"`,
    cwd: configFolder,
    env: { SLUICE_SERVE_URL: address },
    outputPath: join(configFolder, '.sluice', 'serve-open.log'),
  });
}

async function readVersion(): Promise<string> {
  const manifest = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
