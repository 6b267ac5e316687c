import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CommandAgent } from '../../../src/agents/command/command-agent.ts';
import { tempDir } from '../../support/temp-dir.ts';

function turn(dir: string, prompt: string) {
  return { prompt, cwd: dir, logPath: join(dir, 'agent.log'), timeoutMs: 10_000 };
}

describe('CommandAgent', () => {
  const awkwardPrompt = `Fix "quotes" and $HOME and \`ticks\`; it's fine\nsecond line`;

  it('passes the prompt as an argument, untouched by the shell', async () => {
    const dir = tempDir();
    const agent = new CommandAgent({
      command: `node -e "require('fs').writeFileSync('got.txt', process.argv[1])" {prompt}`,
      promptVia: 'argument',
    });
    const result = await agent.runTurn(turn(dir, awkwardPrompt));
    expect(result.status).toBe('finished');
    expect(readFileSync(join(dir, 'got.txt'), 'utf8')).toBe(awkwardPrompt);
  });

  it('passes the prompt on stdin and in a file', async () => {
    const dir = tempDir();
    await new CommandAgent({ command: 'cat > from-stdin.txt', promptVia: 'stdin' }).runTurn(turn(dir, awkwardPrompt));
    expect(readFileSync(join(dir, 'from-stdin.txt'), 'utf8')).toBe(awkwardPrompt);
    await new CommandAgent({ command: 'cp {prompt_file} from-file.txt', promptVia: 'file' }).runTurn(
      turn(dir, awkwardPrompt),
    );
    expect(readFileSync(join(dir, 'from-file.txt'), 'utf8')).toBe(awkwardPrompt);
  });

  it('reads usage the agent reports, and reports none when it reports none', async () => {
    const dir = tempDir();
    const seen: number[] = [];
    const reporting = new CommandAgent({
      command: `echo 'SLUICE_USAGE {"model":"m1","input_tokens":10,"output_tokens":5}'; echo 'SLUICE_USAGE {"model":"m1","input_tokens":30,"output_tokens":9,"cost_usd":0.02}'`,
      promptVia: 'stdin',
    });
    const result = await reporting.runTurn({
      ...turn(dir, 'p'),
      onUsage: (usage) => seen.push(usage[0]?.inputTokens ?? -1),
    });
    expect(result.usage).toEqual([
      {
        model: 'm1',
        inputTokens: 30,
        outputTokens: 9,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        costUsd: 0.02,
        apiMs: 0,
        turns: 1,
      },
    ]);
    expect(seen).toEqual([10, 30]);
    expect((await new CommandAgent({ command: 'true', promptVia: 'stdin' }).runTurn(turn(dir, 'p'))).usage).toEqual([]);
  });

  it('records a failing, a hanging and a stopped agent instead of throwing', async () => {
    const dir = tempDir();
    const failed = await new CommandAgent({ command: 'echo oops; exit 3', promptVia: 'stdin' }).runTurn(turn(dir, 'p'));
    expect(failed).toMatchObject({ status: 'failed', exitCode: 3, reason: 'the agent exited with 3' });
    expect(readFileSync(join(dir, 'agent.log'), 'utf8')).toContain('oops');
    const slow = await new CommandAgent({ command: 'sleep 30', promptVia: 'stdin' }).runTurn({
      ...turn(dir, 'p'),
      timeoutMs: 200,
    });
    expect(slow.status).toBe('timed-out');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const stopped = await new CommandAgent({ command: 'sleep 30', promptVia: 'stdin' }).runTurn({
      ...turn(dir, 'p'),
      signal: controller.signal,
    });
    expect(stopped.status).toBe('killed');
    expect(existsSync(join(dir, 'agent.log'))).toBe(true);
  });

  it('refuses an argument agent without {prompt}', () => {
    expect(() => new CommandAgent({ command: 'aider --yes', promptVia: 'argument' })).toThrow('needs {prompt}');
  });
});
