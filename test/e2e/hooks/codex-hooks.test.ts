import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { hookSessionsDir } from '../../../src/hooks/hook-sessions.ts';
import { pidsWithEnv } from '../../support/claude-code.ts';
import { type RecordedRequest, startFakeResponsesServer } from '../../support/fake-openai-responses-server.ts';
import { waitFor } from '../../support/process-state.ts';
import { brokenAdderRepo, rightAdd } from '../../support/run-fixtures.ts';
import { repoRoot, runSluice, sluiceBin } from '../../support/sluice-cli.ts';
import { tempDir } from '../../support/temp-dir.ts';

const inputText = (request: RecordedRequest | undefined) =>
  JSON.stringify((request?.body as { input?: unknown } | undefined)?.input);

/**
 * A fake model that stops too early: it says it is done; once a request carries the Stop hook's
 * `<hook_prompt>`, it fixes src/add.js with Codex's shell tool (which Sluice's PreToolUse hook sees first),
 * and says done again.
 */
async function earlyStopper() {
  const fake = await startFakeResponsesServer((request) => {
    const input = inputText(request);
    if (!input.includes('<hook_prompt')) return { kind: 'text', text: 'All done, add() works.' };
    if (!input.includes('function_call_output'))
      return { kind: 'exec', cmd: `cat > src/add.js <<'EOF'\n${rightAdd}EOF` };
    return { kind: 'text', text: 'Fixed add(); the tests pass now.' };
  });
  onTestFinished(() => fake.close());
  return fake;
}

/** The real Codex CLI, headless, on the fake model, with the project's hooks trusted for this run only. */
function runCodex(repo: string, baseUrl: string, codexHome: string) {
  const provider = `model_providers.fake={name="fake",base_url="${baseUrl}",env_key="FAKE_KEY",wire_api="responses"}`;
  const args = ['exec', '--json', '--trust', '--dangerously-bypass-hook-trust', '--skip-git-repo-check'];
  args.push('--dangerously-bypass-approvals-and-sandbox', '--disable', 'plugins');
  args.push('-c', 'model_provider="fake"', '-c', provider, '-m', 'gpt-5', '-');
  return new Promise<{ exitCode: number | null; events: Array<Record<string, unknown>> }>((resolve, reject) => {
    const child = spawn(join(repoRoot, 'node_modules/.bin/codex'), args, {
      cwd: repo,
      // HOME without the machine's dotfiles: a login shell killed mid `pyenv init` would stall later ones.
      env: { ...process.env, CODEX_HOME: codexHome, FAKE_KEY: 'x', HOME: tempDir('sluice-codex-shell-home-') },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (exitCode) => {
      const events = stdout.split('\n').filter((line) => line.startsWith('{'));
      resolve({ exitCode, events: events.map((line) => JSON.parse(line) as Record<string, unknown>) });
    });
    child.stdin.end('Make add() add.');
  });
}

describe('sluice hooks install --codex under the real Codex CLI', () => {
  it('blocks a stop on a failing test with the feedback in <hook_prompt>, allows it once fixed, runs the user’s hooks beside Sluice’s, and uninstall restores the file', async () => {
    const repo = await brokenAdderRepo();
    const codexHome = tempDir('sluice-codex-home-');
    onTestFinished(async () => {
      await waitFor(() => pidsWithEnv('CODEX_HOME', codexHome).length === 0, 2000);
      expect(pidsWithEnv('CODEX_HOME', codexHome)).toEqual([]);
    });
    // The user's own hooks record what Codex writes on a hook's stdin.
    const logs = tempDir('sluice-codex-stdin-');
    const record = (name: string) => ({
      hooks: [{ type: 'command', command: `cat >> ${logs}/${name}; echo >> ${logs}/${name}` }],
    });
    const userHooks = `${JSON.stringify({ hooks: { Stop: [record('stop')], PreToolUse: [{ matcher: 'Bash', ...record('pre') }] } })}\n`;
    const logged = (name: string) =>
      readFileSync(join(logs, name), 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    mkdirSync(join(repo, '.codex'));
    writeFileSync(join(repo, '.codex/hooks.json'), userHooks);

    const install = await runSluice(['hooks', 'install', '--codex'], { cwd: repo });
    expect(install).toMatchObject({ exitCode: 0, stderr: '' });
    const installed = JSON.parse(readFileSync(join(repo, '.codex/hooks.json'), 'utf8'));
    expect(installed.hooks.Stop[1].hooks[0].command).toBe(`${process.execPath} ${sluiceBin} hook stop`);
    expect(installed.hooks.PreToolUse[1]).toMatchObject({ matcher: 'Write|Edit|MultiEdit|NotebookEdit|Bash' });

    const fake = await earlyStopper();
    const codex = await runCodex(repo, fake.baseUrl, codexHome);
    expect(codex.exitCode).toBe(0);
    const messages = codex.events.flatMap((event) => {
      const item = event.item as { type?: string; text?: string } | undefined;
      return event.type === 'item.completed' && item?.type === 'agent_message' ? [item.text] : [];
    });
    expect(messages).toEqual(['All done, add() works.', 'Fixed add(); the tests pass now.']);

    // Stop (blocked) -> the fix -> stop (allowed): three requests; the second carries Sluice's feedback.
    const requests = fake.responseRequests();
    expect(requests).toHaveLength(3);
    expect(readFileSync(join(repo, 'src/add.js'), 'utf8')).toBe(rightAdd);
    expect(inputText(requests[0])).not.toContain('<hook_prompt');
    const fed = inputText(requests[1]);
    expect(fed).toMatch(/<hook_prompt hook_run_id=\\"stop:[^"]*\.codex\/hooks\.json\\">Sluice: the work is not done/);
    expect(fed).toContain('adds two numbers (test/add.test.js:6)');
    expect(fed).toContain('expected: 5  received: -1');

    // What Codex sent the hooks: the fields Sluice's handlers read, named as Claude Code names them.
    const thread = codex.events.find((event) => event.type === 'thread.started')?.thread_id;
    expect(logged('pre')).toEqual([
      expect.objectContaining({
        session_id: thread,
        cwd: repo,
        hook_event_name: 'PreToolUse',
        tool_name: 'Bash',
        tool_input: { command: `cat > src/add.js <<'EOF'\n${rightAdd}EOF` },
      }),
    ]);
    expect(logged('stop')).toEqual([
      expect.objectContaining({ session_id: thread, cwd: repo, hook_event_name: 'Stop', stop_hook_active: false }),
      expect.objectContaining({ session_id: thread, cwd: repo, hook_event_name: 'Stop', stop_hook_active: true }),
    ]);
    const records = readdirSync(hookSessionsDir(repo));
    expect(records).toContain(`${thread}.json`);
    const session = JSON.parse(readFileSync(join(hookSessionsDir(repo), `${thread}.json`), 'utf8'));
    expect(session).toMatchObject({ session_id: thread, status: 'done', blocks: 0, total_blocks: 1 });

    expect((await runSluice(['hooks', 'uninstall', '--codex'], { cwd: repo })).stdout).toContain('restored');
    expect(readFileSync(join(repo, '.codex/hooks.json'), 'utf8')).toBe(userHooks);
  });

  it('creates .codex/hooks.json with both hooks, and uninstall removes the file and the folder it created', async () => {
    const repo = await brokenAdderRepo();
    expect((await runSluice(['hooks', 'install', '--codex', '--claude'], { cwd: repo })).exitCode).toBe(0);
    const hooks = JSON.parse(readFileSync(join(repo, '.codex/hooks.json'), 'utf8')).hooks;
    expect(Object.keys(hooks)).toEqual(['Stop', 'PreToolUse']);
    expect(hooks.PreToolUse[0].hooks[0].command).toBe(`${process.execPath} ${sluiceBin} hook pre-tool-use`);
    expect(readFileSync(join(repo, '.claude/settings.json'), 'utf8')).toContain('hook pre-tool-use');
    const uninstall = await runSluice(['hooks', 'uninstall', '--codex', '--claude'], { cwd: repo });
    expect(uninstall.stdout).toBe(
      `removed file: ${join(repo, '.claude/settings.json')}\nremoved file: ${join(repo, '.codex/hooks.json')}\n`,
    );
    expect(existsSync(join(repo, '.codex'))).toBe(false);
    expect(existsSync(join(repo, '.claude'))).toBe(false);
  });
});
