import { parse } from '@ast-grep/napi';
import { DynamicLanguages, ensureTreeSitterLanguages } from '../tests/tree-sitter-languages.ts';
import { type RunnerSetting, SettingKinds } from './runner-setting.ts';

const mentionsCollectIgnore = /\bcollect_ignore(?:_glob)?\b/;

/**
 * The paths a conftest.py keeps pytest from collecting: the strings of every statement that assigns or
 * extends `collect_ignore` or `collect_ignore_glob` (`= [...]`, `+= [...]`, `.append(...)`, `.extend(...)`).
 */
export function conftestSettings(source: string): RunnerSetting[] {
  ensureTreeSitterLanguages();
  const root = parse(DynamicLanguages.python, source).root();
  const statements = root
    .findAll({ rule: { kind: 'expression_statement' } })
    .filter((statement) => mentionsCollectIgnore.test(statement.text()));
  const [first] = statements;
  if (!first) return [];
  const values = statements.flatMap((statement) =>
    statement.findAll({ rule: { kind: 'string' } }).map((literal) => pythonStringContent(literal.text())),
  );
  return [
    {
      kind: SettingKinds.excludes,
      name: 'collect_ignore',
      line: first.range().start.line + 1,
      values,
      hasDefault: false,
    },
  ];
}

function pythonStringContent(text: string): string {
  return /^[A-Za-z]{0,2}("""|'''|["'])([\s\S]*)\1$/.exec(text)?.[2] ?? text;
}
