import { describe, expect, it } from 'vitest';
import { codeDetectsTests } from '../../../src/guard/rules/code-detects-tests.ts';
import { foldConstantStrings } from '../../../src/guard/rules/constant-strings.ts';
import { contextForChange } from './changed-context.ts';

/** The severities reported when `line` is added to a source file at `path`, by line. */
function reported(path: string, after: string): string[] {
  return codeDetectsTests
    .check(contextForChange(path, 'first\n', `first\n${after}`))
    .map((finding) => `${finding.line} ${finding.severity}`);
}

describe('code-detects-tests: names spelled in pieces', () => {
  it.each([
    ['src/a.ts', "if (process.env['VIT' + 'EST']) return 1;"],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: JS source text as data, not a template
    ['src/a.ts', "if (process.env[`VIT${'EST'}`]) return 1;"],
    [
      'src/a.js',
      "const worker = process.env[['JEST', 'WORKER', 'ID'].join('_')] ?? process.env[['JEST_', 'WORKER_ID'].join('')];",
    ],
    ['src/a.js', "if (process.env['JEST_WORKER'.concat('_ID')]) return 1;"],
    ['src/a.js', "if (globalThis['desc' + 'ribe']) return 1;"],
    ['app/a.py', 'if os.environ.get("PY" "TEST_CURRENT_TEST"): return 1'],
    ['app/a.py', "if 'py' + 'test' in getattr(sys, 'modules'): return 1"],
    ['app/a.py', 'if getattr(sys, "_called_from_test", False): return 1'],
    ['pkg/a.go', 'if os.Getenv("PYTEST_" + "CURRENT_TEST") != "" { return 1 }'],
  ])('blocks %s: %s', (path, line) => {
    expect(reported(path, `${line}\n`)).toEqual(['2 block']);
  });

  it('reads a name bound to sys.modules through getattr', () => {
    expect(
      reported('app/a.py', 'mods = getattr(sys, "mod" "ules")\nx = 1\ny = 2\nif "pytest" in mods:\n    pass\n'),
    ).toEqual(['5 block']);
  });

  it('reads a name in pieces over several lines', () => {
    expect(reported('app/a.py', 'if os.environ.get(\n    "PYTEST_"\n    "CURRENT_TEST"\n):\n    pass\n')).toEqual([
      '2 block',
    ]);
  });

  it('leaves other concatenations alone', () => {
    expect(reported('src/a.ts', "const greeting = 'Hello ' + name + '!';\nconst key = ['a', 'b'].join('');\n")).toEqual(
      [],
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: JS source text as data, not a template
    expect(foldConstantStrings("log('te' + 'st', `x${y}`)")).toBe("log('test', `x${y}`)");
  });
});

describe('code-detects-tests: NODE_ENV that only keeps a server from listening or a log from printing', () => {
  it.each([
    "if (process.env.NODE_ENV !== 'test') app.listen(3000);\n",
    // biome-ignore lint/suspicious/noTemplateCurlyInString: JS source text as data, not a template
    "if (process.env.NODE_ENV !== 'test') {\n  app.listen(PORT, () => {\n    console.log(`listening on ${PORT}`);\n  });\n}\n",
    "if (process.env.NODE_ENV !== 'test')\n  app.use(morgan('dev'));\n",
    "if (import.meta.env.MODE !== 'test') {\n  logger.info('started');\n}\n",
    "if (process.env.NODE_ENV !== 'test') {\n  const port = Number(process.env.PORT ?? 3000);\n  app.listen(port);\n}\n",
  ])('warns: %s', (after) => {
    expect(reported('src/server.ts', after)).toEqual(['2 warn']);
  });

  it.each([
    "if (process.env.NODE_ENV === 'test') return 5;\n",
    "if (process.env.NODE_ENV !== 'test') {\n  app.listen(3000);\n} else {\n  return fake;\n}\n",
    "if (process.env.NODE_ENV !== 'test') {\n  app.listen(3000);\n  validate(input);\n}\n",
    "if (process.env.NODE_ENV !== 'test') app.use(rateLimit({ max: 10 }));\n",
    "if (process.env.NODE_ENV !== 'test') {\n  const limits = loadLimits();\n  app.listen(3000);\n}\n",
    "const port = process.env.NODE_ENV === 'test' ? 0 : 3000;\n",
    // A runner's own name blocks whatever it guards.
    'if (!process.env.VITEST) app.listen(3000);\n',
    "if (process.env.NODE_ENV !== 'test' && !process.env['JEST' + '_WORKER_ID']) app.listen(3000);\n",
  ])('blocks: %s', (after) => {
    expect(reported('src/server.ts', after)).toEqual(['2 block']);
  });
});
