// Writes a node:test project (no dependencies) with many passing tests and a few realistic
// failures, and says exactly where each failure is, so the feedback can be checked against it.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A failing test the feedback must name: where it is and a piece of its message. */
export interface ExpectedFailure {
  /** The test's own name (unique in the project). */
  test: string;
  /** Path of the test file, relative to the project. */
  file: string;
  /** 1-based line of the statement that fails, in the test file. */
  line: number;
  /** Text that only this failure's message contains. */
  messageParts: string[];
  kind: string;
}

export interface GeneratedProject {
  passing: number;
  failing: ExpectedFailure[];
}

interface FailingCase {
  kind: string;
  test: string;
  /** Test body; the line with the `@fails` marker is the one the failure points at (marker removed). */
  body: string[];
  async?: boolean;
  messageParts: string[];
}

interface TestFileSpec {
  name: string;
  suite: string;
  imports: string[];
  /** The assertion of the i-th passing test. */
  passing: (i: number) => string;
  async?: boolean;
  failing?: FailingCase;
}

const shopModule = `// The code under test: a small shop, with a few real bugs.
export function linePrice(unitCents, quantity) {
  return unitCents * quantity; // bug: a negative quantity is not rejected
}

export function applyDiscount(cents, percent) {
  return Math.round((cents * (100 - percent)) / 100);
}

export function formatCents(cents) {
  return \`\${cents / 100} EUR\`; // bug: not always two decimals
}

export function parseSku(text) {
  const sku = text.trim();
  if (sku.length === 0) throw new TypeError(\`sku must not be blank: \${JSON.stringify(text)}\`);
  return sku.toUpperCase();
}

const stock = new Map([
  ['apple', 12],
  ['pear', 0],
  ['plum', 3],
]);

export function isInStock(sku) {
  return (stock.get(sku) ?? 0) > 0;
}

export function cartLine(sku, quantity) {
  return { sku, quantity, unitCents: sku === 'apple' ? 55 : 80 };
}

const shippingZones = { DE: 490, FR: 690, NL: 590 };

export async function quoteShipping(country) {
  await new Promise((resolve) => setImmediate(resolve));
  const cents = shippingZones[country];
  if (cents === undefined) throw new Error(\`no shipping zone for country "\${country}"\`);
  return cents;
}
`;

const marker = ' // @fails';

const specs: TestFileSpec[] = [
  {
    name: 'pricing.test.js',
    suite: 'pricing',
    imports: ['applyDiscount', 'linePrice'],
    passing: (i) => `assert.strictEqual(linePrice(${i + 1}, 3), ${(i + 1) * 3});`,
    failing: {
      kind: 'strictEqual on numbers',
      test: 'applies a 15% discount to an odd price',
      body: [`assert.strictEqual(applyDiscount(1999, 15), 1700);${marker}`],
      messageParts: ['1699', '1700'],
    },
  },
  {
    name: 'cart.test.js',
    suite: 'cart',
    imports: ['cartLine'],
    passing: (i) =>
      `assert.deepStrictEqual(cartLine('plum', ${i + 1}), { sku: 'plum', quantity: ${i + 1}, unitCents: 80 });`,
    failing: {
      kind: 'deepStrictEqual on objects',
      test: 'prices an apple line at 50 cents',
      body: [
        "const line = cartLine('apple', 3);",
        `assert.deepStrictEqual(line, { sku: 'apple', quantity: 3, unitCents: 50 });${marker}`,
      ],
      // The diff is the distinctive part: the field and both values.
      messageParts: ['unitCents: 55', 'unitCents: 50'],
    },
  },
  {
    name: 'format.test.js',
    suite: 'formatCents',
    imports: ['formatCents'],
    passing: (i) => `assert.strictEqual(formatCents(${(i + 1) * 100}), '${i + 1} EUR');`,
    failing: {
      kind: 'match on a string',
      test: 'always prints two decimals',
      body: [`assert.match(formatCents(1250), /^\\d+\\.\\d{2} EUR$/);${marker}`],
      messageParts: ['did not match the regular expression'],
    },
  },
  {
    name: 'sku.test.js',
    suite: 'parseSku',
    imports: ['parseSku'],
    passing: (i) => `assert.strictEqual(parseSku(' sku-${i} '), 'SKU-${i}');`,
    failing: {
      kind: 'thrown error (from the code under test)',
      test: 'treats a blank sku as "no sku"',
      body: [`const sku = parseSku('   ');${marker}`, 'assert.strictEqual(sku, undefined);'],
      messageParts: ['sku must not be blank'],
    },
  },
  {
    name: 'inventory.test.js',
    suite: 'inventory',
    imports: ['isInStock'],
    passing: (i) => `assert.ok(isInStock('${i % 2 === 0 ? 'apple' : 'plum'}'));`,
    failing: {
      kind: 'ok(false)',
      test: 'has pears in stock after the delivery',
      body: [`assert.ok(isInStock('pear'));${marker}`],
      messageParts: ['falsy value'],
    },
  },
  {
    name: 'orders.test.js',
    suite: 'orders',
    imports: ['applyDiscount', 'linePrice'],
    passing: (i) => `assert.strictEqual(applyDiscount(${i * 100}, 10), ${Math.round((i * 100 * 90) / 100)});`,
    failing: {
      kind: 'throws: missing expected exception',
      test: 'rejects a negative quantity',
      body: [`assert.throws(() => linePrice(100, -1), RangeError);${marker}`],
      messageParts: ['Missing expected exception'],
    },
  },
  {
    name: 'shipping.test.js',
    suite: 'shipping',
    imports: ['quoteShipping'],
    async: true,
    passing: () => "assert.strictEqual(await quoteShipping('DE'), 490);",
    failing: {
      kind: 'async rejection',
      test: 'quotes shipping to Belgium',
      async: true,
      body: [`const cents = await quoteShipping('BE');${marker}`, 'assert.strictEqual(cents, 590);'],
      messageParts: ['no shipping zone for country'],
    },
  },
  {
    name: 'totals.test.js',
    suite: 'totals',
    imports: ['linePrice'],
    passing: (i) => `assert.strictEqual(linePrice(${i}, 0), 0);`,
  },
];

const testsPerSuite = 25;

/** Write the project into `dir`: `passingTotal` passing tests spread evenly over the files, plus the failures. */
export async function generateTestProject(dir: string, passingTotal: number): Promise<GeneratedProject> {
  await mkdir(join(dir, 'src'), { recursive: true });
  await mkdir(join(dir, 'test'), { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'bench-shop', private: true, type: 'module' }, null, 2)}\n`,
  );
  await writeFile(join(dir, 'src', 'shop.js'), shopModule);
  const failing: ExpectedFailure[] = [];
  let written = 0;
  for (const [index, spec] of specs.entries()) {
    const count = Math.floor(passingTotal / specs.length) + (index < passingTotal % specs.length ? 1 : 0);
    const { text, failure } = renderTestFile(spec, count);
    await writeFile(join(dir, 'test', spec.name), text);
    if (failure) failing.push(failure);
    written += count;
  }
  return { passing: written, failing };
}

function renderTestFile(spec: TestFileSpec, passingCount: number): { text: string; failure?: ExpectedFailure } {
  const lines = [
    "import assert from 'node:assert/strict';",
    "import { describe, it } from 'node:test';",
    `import { ${spec.imports.join(', ')} } from '../src/shop.js';`,
    '',
  ];
  let failure: ExpectedFailure | undefined;
  const suites = Math.max(1, Math.ceil(passingCount / testsPerSuite));
  // The failing test sits in the middle of the file, among passing ones, as real failures do.
  const failingSuite = Math.floor(suites / 2);
  let next = 0;
  for (let suite = 0; suite < suites; suite++) {
    lines.push(`describe('${spec.suite} group ${suite + 1}', () => {`);
    const inThisSuite = Math.min(testsPerSuite, passingCount - next);
    for (let k = 0; k < inThisSuite; k++, next++) {
      if (spec.failing && suite === failingSuite && k === Math.floor(inThisSuite / 2)) {
        const { failing } = spec;
        lines.push(`  it('${failing.test}', ${failing.async ? 'async ' : ''}() => {`);
        for (const bodyLine of failing.body) {
          if (bodyLine.endsWith(marker)) {
            failure = {
              test: failing.test,
              file: `test/${spec.name}`,
              line: lines.length + 1,
              messageParts: failing.messageParts,
              kind: failing.kind,
            };
          }
          lines.push(`    ${bodyLine.replace(marker, '')}`);
        }
        lines.push('  });', '');
      }
      lines.push(`  it('${spec.suite} case ${next + 1}', ${spec.async ? 'async ' : ''}() => {`);
      lines.push(`    ${spec.passing(next)}`);
      lines.push('  });');
    }
    lines.push('});', '');
  }
  return { text: lines.join('\n'), ...(failure ? { failure } : {}) };
}
