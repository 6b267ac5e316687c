import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as library from '../../src/index.ts';
import { repoRoot, runSluice } from '../support/sluice-cli.ts';

// dist/ is the esbuild bundle of scripts/build.mjs (the test setup builds it). These are the ways a
// bundle breaks that the command tests would only show as odd failures far away.
const dist = join(repoRoot, 'dist');
const bundleFiles = readdirSync(dist, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.js') && !entry.parentPath.includes(`${dist}/web`))
  .map((entry) => join(entry.parentPath, entry.name));

describe('the bundled dist/', () => {
  it('offers the library API of src/index.ts from dist/index.js, the package export', () => {
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      exports: { '.': { default: string } };
    };
    const script = `
      const built = await import(${JSON.stringify(join(repoRoot, manifest.exports['.'].default))});
      const config = built.parseConfigText('gates:\\n  ok: { run: "true" }\\n', 'x');
      process.stdout.write(JSON.stringify({ names: Object.keys(built).sort(), gates: Object.keys(config.gates) }));`;
    const built = JSON.parse(node(script)) as { names: string[]; gates: string[] };
    expect(built.names).toEqual(Object.keys(library).sort());
    expect(built.gates).toEqual(['ok']);
  });

  it('imports only files that are there: every chunk an entry or chunk names exists', () => {
    // Statements at the start of a line and import() calls, as esbuild writes them (comments may quote imports).
    const relativeImport =
      /^(?:import|export)\b[^;]*?["'](\.{1,2}\/[^"']+)["'];|\bimport\(\s*["'](\.{1,2}\/[^"']+)["']\s*\)/gm;
    const missing: string[] = [];
    let imports = 0;
    for (const file of bundleFiles) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(relativeImport)) {
        const specifier = match[1] ?? match[2] ?? '';
        imports++;
        if (!existsSync(resolve(dirname(file), specifier))) missing.push(`${file} -> ${specifier}`);
      }
      // A module URL the build could not place (see scripts/build.mjs) would point nowhere.
      expect(text, file).not.toContain('@@sluice-dist-root@@');
    }
    expect(missing).toEqual([]);
    // The CLI's commands alone are imported lazily from their chunks: far more than a handful.
    expect(imports).toBeGreaterThan(50);
  });

  it('finds the package files relative to the modules that name them, from inside the chunks', async () => {
    const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    const run = await runSluice(['--version'], { cwd: repoRoot });
    expect(run.stdout.trim()).toBe(version);
    // The browser gate starts its harness as a process of its own, by path.
    expect(existsSync(join(dist, 'gates', 'browser', 'browser-harness.js'))).toBe(true);
  });

  it('maps stack traces back to src/ with --enable-source-maps', () => {
    const script = `
      const { parseConfigText } = await import(${JSON.stringify(join(dist, 'index.js'))});
      try { parseConfigText('gates: [', 'broken.yaml'); } catch (error) { process.stdout.write(error.stack); }`;
    const stack = node(script, '--enable-source-maps');
    // The frame of parseConfigText names the line of load-config.ts that calls parseYamlText.
    const frame = /at parseConfigText \((.*src\/config\/load-config\.ts):(\d+):\d+\)/.exec(stack);
    expect(frame, stack).not.toBeNull();
    const line = readFileSync(frame?.[1] ?? '', 'utf8').split('\n')[Number(frame?.[2]) - 1];
    expect(line).toContain('parseYamlText(');
  });
});

/** Run an ES module script with the tests' Node, in a process of its own (not through Vite); its stdout. */
function node(script: string, ...flags: string[]): string {
  return execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script], { encoding: 'utf8' });
}
