import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { maxDurationMs } from '../../../src/config/duration.ts';
import { parseConfigText } from '../../../src/config/load-config.ts';
import type { SluiceConfig } from '../../../src/config/schema.ts';
import { ConfigError } from '../../../src/errors.ts';

/** A config, or a ConfigError with a message: never another exception (the CLI's exit 70). */
function expectConfigOrConfigError(text: string): SluiceConfig | undefined {
  let config: SluiceConfig;
  try {
    config = parseConfigText(text, 'sluice.yaml');
  } catch (error) {
    if (!(error instanceof ConfigError)) {
      throw new Error(`not a ConfigError for ${JSON.stringify(text.slice(0, 300))}: ${String(error)}`, {
        cause: error,
      });
    }
    expect(error.message.length).toBeGreaterThan(0);
    expect(error.message).not.toMatch(/\[object Object\]/);
    return undefined;
  }
  expect(config).toBeTypeOf('object');
  return config;
}

const names = fc.constantFrom(
  'test',
  'lint',
  'a.b',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  'a/b',
  '-x',
);
const durations = fc.oneof(
  fc.constantFrom(
    '90s',
    '5m',
    '1h',
    '1d',
    '24d',
    '25d',
    '30d',
    '2147483647ms',
    '2147483648ms',
    '0s',
    '1e3s',
    'forever',
  ),
  fc.double(),
  fc.integer(),
  fc.string(),
);
const scalar = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
const globs = fc.array(fc.constantFrom('src/**', '../**', '/etc/x', '**/*', '', 'a/../../b', '~/x'), { maxLength: 3 });

const gate = fc.record(
  {
    run: fc.oneof(fc.constantFrom('npm test', 'true'), scalar),
    timeout: durations,
    needs: fc.oneof(fc.array(names, { maxLength: 3 }), scalar),
    services: fc.array(names, { maxLength: 2 }),
    tier: fc.oneof(fc.integer({ min: -2, max: 5 }), scalar),
    inputs: globs,
    cwd: fc.constantFrom('.', '..', '/', 'sub', '../..'),
    env: fc.dictionary(fc.oneof(names, fc.string()), scalar, { maxKeys: 3 }),
    kind: fc.constantFrom('test', 'lint', 'bench', 'invariant', 'http', 'browser', 'log', 'other', 'nope'),
    report: fc.record({ format: fc.constantFrom('junit', 'tap', 'bogus'), path: fc.string() }, { requiredKeys: [] }),
    invariant: fc.record(
      { assert: fc.array(fc.oneof(fc.string(), fc.record({ that: fc.string(), name: scalar })), { maxLength: 2 }) },
      { requiredKeys: [] },
    ),
    log: fc.record({ of: names, must: fc.array(fc.string(), { maxLength: 2 }) }, { requiredKeys: [] }),
    bench: fc.anything({ maxDepth: 2 }),
  },
  { requiredKeys: [] },
);

const configLike = fc.record(
  {
    gates: fc.oneof(fc.dictionary(names, gate, { maxKeys: 4 }), scalar),
    services: fc.dictionary(
      names,
      fc.record(
        { run: fc.string(), ready: fc.anything({ maxDepth: 2 }), stop_timeout: durations },
        { requiredKeys: [] },
      ),
      { maxKeys: 2 },
    ),
    agent: fc.record({ turn_timeout: durations, command: scalar }, { requiredKeys: [] }),
    budgets: fc.record({ max_time: durations, max_iterations: scalar }, { requiredKeys: [] }),
    review: fc.record({ target_latency: durations, land: fc.string() }, { requiredKeys: [] }),
    queue: fc.record({ poll: durations, concurrency: scalar }, { requiredKeys: [] }),
    pricing: fc.dictionary(names, fc.record({ input: scalar, output: scalar }), { maxKeys: 2 }),
    guard: fc.record(
      { protect: globs, rules: fc.dictionary(fc.string(), scalar, { maxKeys: 2 }) },
      { requiredKeys: [] },
    ),
    setup: fc.array(fc.oneof(fc.string(), fc.record({ run: scalar, inputs: globs })), { maxLength: 2 }),
    feedback: fc.anything({ maxDepth: 2 }),
    version: scalar,
  },
  { requiredKeys: [] },
);

const validConfig =
  'gates:\n  test:\n    run: npm test\n    timeout: 90s\n    needs: [lint]\n  lint: { run: npm run lint }\n';

describe('the config loader on any input', () => {
  it('answers config-shaped values of every kind with a config or a ConfigError', () => {
    fc.assert(
      fc.property(configLike, (value) => {
        const config = expectConfigOrConfigError(stringify(value) ?? '');
        if (!config) return;
        // Accepted: no gate was dropped on the way, and every wait fits a timer (none fires at once).
        expect(Object.keys(config.gates).sort()).toEqual(Object.keys(value.gates ?? {}).sort());
        for (const gate of Object.values(config.gates)) expect(gate.timeout).toBeLessThanOrEqual(maxDurationMs);
        expect(config.agent?.turn_timeout).toBeLessThanOrEqual(maxDurationMs);
        expect(config.queue.poll).toBeLessThanOrEqual(maxDurationMs);
      }),
      { numRuns: 400 },
    );
  });

  it('accepts nearly valid configs only when they keep every gate and every wait fits a timer', () => {
    const wait = fc.constantFrom(
      '90s',
      '10m',
      '24d',
      '596h',
      '597h',
      '25d',
      '30d',
      '2147483648ms',
      2_147_483,
      2_147_484,
    );
    const nearlyValid = fc.record({
      gates: fc.dictionary(
        fc.constantFrom('test', 'lint', 'build', '__proto__', 'constructor', 'prototype', 'toString', 'valueOf'),
        fc.record({ run: fc.constant('true'), timeout: wait }),
        { minKeys: 1, maxKeys: 4 },
      ),
      agent: fc.record({ turn_timeout: wait }),
    });
    let accepted = 0;
    fc.assert(
      fc.property(nearlyValid, (value) => {
        const config = expectConfigOrConfigError(stringify(value) ?? '');
        if (!config) return;
        accepted += 1;
        expect(Object.keys(config.gates).sort()).toEqual(Object.keys(value.gates).sort());
        for (const gate of Object.values(config.gates)) expect(gate.timeout).toBeLessThanOrEqual(maxDurationMs);
        expect(config.agent?.turn_timeout).toBeLessThanOrEqual(maxDurationMs);
      }),
      // About 6% of these are accepted: 300 runs gave 10 to 20 (and once exactly 10, failing the bound
      // below); 1,000 give about 57, so the bound checks that acceptances happen at all, not the dice.
      { numRuns: 1000 },
    );
    expect(accepted).toBeGreaterThan(10);
  });

  it('answers arbitrary YAML values with a config or a ConfigError', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expectConfigOrConfigError(stringify(value) ?? '');
      }),
      { numRuns: 300 },
    );
  });

  it('answers arbitrary text, and a valid config with text spliced in, with a config or a ConfigError', () => {
    const splice = fc
      .tuple(fc.nat({ max: validConfig.length }), fc.string({ unit: 'binary' }))
      .map(([at, text]) => validConfig.slice(0, at) + text + validConfig.slice(at));
    const yamlSyntax = fc
      .array(
        fc.constantFrom(
          '&a ',
          '*a',
          '<<: ',
          '!!js/function ',
          '!!binary ',
          '? ',
          '- ',
          ': ',
          '{',
          '[',
          '"',
          "'",
          '\t',
          '\n',
          '  ',
          '%YAML 1.1\n',
          '---\n',
          '...\n',
          '#',
        ),
        { maxLength: 30 },
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), splice, yamlSyntax), (text) => {
        expectConfigOrConfigError(text);
      }),
      {
        numRuns: 600,
      },
    );
  });

  it.each([
    ['deeply nested lists', `gates: ${'['.repeat(5000)}${']'.repeat(5000)}\n`],
    ['deeply nested maps', `gates: ${'{a: '.repeat(3000)}1${'}'.repeat(3000)}\n`],
    [
      'deeply nested block maps',
      `gates:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n')} x\n`,
    ],
    [
      'a merge key bomb',
      `${Array.from({ length: 12 }, (_, i) => `m${i}: &m${i} { <<: [${i > 0 ? `*m${i - 1}, *m${i - 1}` : '{}'}] }`).join('\n')}\ngates: { a: { run: x } }\n`,
    ],
    ['a huge number', 'gates:\n  a: { run: x, timeout: 1e999 }\n'],
    // Found by the fuzz above (1 run in about 6,000): yaml threw a plain Error while building the value.
    ['a YAML 1.1 merge key given no map', '%YAML 1.1\n---\n<<: '],
    ['a YAML 1.1 merge key given a list of scalars', '%YAML 1.1\n---\n<<: [1, 2]\ngates: {}\n'],
    ['a NUL byte', 'gates:\n  a: { run: "x\0" }\n'],
    ['a byte-order mark', '\uFEFFgates:\n  a: { run: x }\n'],
  ])('answers %s with a config or a ConfigError', (_, text) => {
    expectConfigOrConfigError(text);
  });
});
