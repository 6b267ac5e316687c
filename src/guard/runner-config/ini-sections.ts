/** One `key = value` of an INI file; a value continued on indented lines holds them joined by newlines. */
export interface IniValue {
  value: string;
  line: number;
}

/**
 * The sections of an INI file (pytest.ini, tox.ini, setup.cfg) as pytest reads them: `[section]`,
 * `key = value` or `key: value`, indented continuation lines, whole-line `#` and `;` comments.
 */
export function iniSections(source: string): Map<string, Map<string, IniValue>> {
  const sections = new Map<string, Map<string, IniValue>>();
  let section: Map<string, IniValue> | undefined;
  let last: IniValue | undefined;
  source.split(/\r?\n/).forEach((text, index) => {
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) return;
    if (/^\s/.test(text)) {
      if (last) last.value = last.value === '' ? trimmed : `${last.value}\n${trimmed}`;
      return;
    }
    const header = /^\[([^\]]+)\]/.exec(trimmed);
    if (header) {
      section = sections.get(header[1] ?? '') ?? new Map();
      sections.set(header[1] ?? '', section);
      last = undefined;
      return;
    }
    const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(trimmed);
    if (!pair || !section) {
      last = undefined;
      return;
    }
    last = { value: pair[2] ?? '', line: index + 1 };
    section.set(pair[1] ?? '', last);
  });
  return sections;
}
