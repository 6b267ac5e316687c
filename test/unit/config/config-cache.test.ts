import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validConfig } from '../../../src/config/config-file.ts';
import { parseConfigText } from '../../../src/config/load-config.ts';
import { tempDir } from '../../support/temp-dir.ts';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const shop = readFileSync(new URL('../../../examples/shop/sluice.yaml', import.meta.url), 'utf8');
/** Every sluice.yaml example of the README: between them they use every section and gate kind. */
const examples = [shop, ...[...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1] ?? '')].filter(
  (text) => /^gates:/m.test(text),
);

describe('validated configs, cached in the user cache folder', () => {
  let previous: string | undefined;
  let cacheHome: string;
  beforeEach(() => {
    previous = process.env.XDG_CACHE_HOME;
    cacheHome = tempDir('sluice-config-cache-');
    process.env.XDG_CACHE_HOME = cacheHome;
  });
  afterEach(() => {
    if (previous === undefined) delete process.env.XDG_CACHE_HOME;
    else process.env.XDG_CACHE_HOME = previous;
  });
  const entries = () => readdirSync(join(cacheHome, 'sluice', 'config'));

  it('reads back exactly the config the parser made, for every example of the README', async () => {
    expect(examples.length).toBeGreaterThan(2);
    for (const text of examples) {
      const parsed = parseConfigText(text, 'sluice.yaml');
      expect(await validConfig(text, 'sluice.yaml')).toStrictEqual(parsed);
      // The second call is answered by the cache, and must be the same object graph.
      expect(await validConfig(text, 'sluice.yaml')).toStrictEqual(parsed);
    }
    expect(entries()).toHaveLength(examples.length);
  });

  it('keys entries by the bytes: an edited config is validated again, errors and all', async () => {
    await validConfig(shop, 'sluice.yaml');
    const broken = shop.replace('gates:', 'gatez:');
    await expect(validConfig(broken, 'sluice.yaml')).rejects.toThrow(/gatez/);
    await expect(validConfig(broken, 'sluice.yaml')).rejects.toThrow(/gatez/);
    expect(entries()).toHaveLength(1);
  });

  it('parses again when an entry is unreadable, and repairs it', async () => {
    const parsed = await validConfig(shop, 'sluice.yaml');
    const [entry] = entries();
    writeFileSync(join(cacheHome, 'sluice', 'config', entry ?? ''), '{"config": tru');
    expect(await validConfig(shop, 'sluice.yaml')).toStrictEqual(parsed);
    expect(JSON.parse(readFileSync(join(cacheHome, 'sluice', 'config', entry ?? ''), 'utf8')).config).toStrictEqual(
      parsed,
    );
  });
});
