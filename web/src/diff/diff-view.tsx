import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { highlightLine, languageOf } from './highlight.ts';
import { filePath, lineText, type ParsedFile, parsePatch, type SideLine, splitRows } from './parse.ts';

export type DiffMode = 'split' | 'unified';
const modeKey = 'sluice-diff-mode';

function initialMode(): DiffMode {
  const stored = localStorage.getItem(modeKey);
  if (stored === 'split' || stored === 'unified') return stored;
  return 'unified';
}

function Code({ text, language }: { text: string; language: string | null }) {
  return <span dangerouslySetInnerHTML={{ __html: highlightLine(text, language) || ' ' }} />;
}

function UnifiedTable({ file, language }: { file: ParsedFile; language: string | null }) {
  return (
    <table class="diff-table">
      <colgroup>
        <col style={{ width: '52px' }} />
        <col style={{ width: '52px' }} />
        <col style={{ width: '22px' }} />
        <col />
      </colgroup>
      <tbody>
        {file.blocks.map((block) => [
          <tr class="hunk" key={`h${block.header}`}>
            <td class="ln" />
            <td class="ln" />
            <td colSpan={2}>{block.header}</td>
          </tr>,
          ...block.lines.map((line, index) => {
            const kind = line.type === 'insert' ? 'add' : line.type === 'delete' ? 'del' : '';
            return (
              <tr key={`${block.header}:${index}`}>
                <td class={`ln ${kind}`}>{line.oldNumber ?? ''}</td>
                <td class={`ln ${kind}`}>{line.newNumber ?? ''}</td>
                <td class={`sign ${kind}`}>{kind === 'add' ? '+' : kind === 'del' ? '−' : ' '}</td>
                <td class={kind}>
                  <Code text={lineText(line.content)} language={language} />
                </td>
              </tr>
            );
          }),
        ])}
      </tbody>
    </table>
  );
}

function Side({ line, language }: { line: SideLine | null; language: string | null }) {
  if (!line) return [<td class="ln blank" key="n" />, <td class="blank" key="c" />];
  const kind = line.kind === 'ctx' ? '' : line.kind;
  return [
    <td class={`ln ${kind}`} key="n">
      {line.number}
    </td>,
    <td class={kind} key="c">
      <Code text={line.text} language={language} />
    </td>,
  ];
}

function SplitTable({ file, language }: { file: ParsedFile; language: string | null }) {
  return (
    <table class="diff-table split">
      <colgroup>
        <col style={{ width: '52px' }} />
        <col />
        <col style={{ width: '52px' }} />
        <col />
      </colgroup>
      <tbody>
        {file.blocks.map((block) => [
          <tr class="hunk" key={`h${block.header}`}>
            <td colSpan={4}>{block.header}</td>
          </tr>,
          ...splitRows(block.lines).map((row, index) => (
            <tr key={`${block.header}:${index}`}>
              <Side line={row.left} language={language} />
              <Side line={row.right} language={language} />
            </tr>
          )),
        ])}
      </tbody>
    </table>
  );
}

/** Past this many lines a file's diff waits for a click: one lockfile must not make the page slow to open. */
const largeFileLines = 1500;

function lineCount(file: ParsedFile): number {
  return file.blocks.reduce((sum, block) => sum + block.lines.length, 0);
}

function fileStatus(file: ParsedFile): string {
  if (file.isNew) return 'added';
  if (file.isDeleted) return 'deleted';
  if (file.isRename) return 'renamed';
  return 'modified';
}

function FileTree(props: { files: ParsedFile[]; current: number; onSelect: (index: number) => void }) {
  const groups = new Map<string, number[]>();
  props.files.forEach((file, index) => {
    const path = filePath(file);
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    groups.set(dir, [...(groups.get(dir) ?? []), index]);
  });
  return (
    <nav class="diff-tree" aria-label="Changed files" data-testid="file-tree">
      {[...groups.entries()].map(([dir, indexes]) => (
        <div key={dir}>
          {dir && <div class="tree-dir">{dir}/</div>}
          {indexes.map((index) => {
            const file = props.files[index] as ParsedFile;
            const path = filePath(file);
            return (
              <button
                type="button"
                key={path}
                class={`tree-file${index === props.current ? ' current' : ''}`}
                onClick={() => props.onSelect(index)}
                title={`${path} (${fileStatus(file)})`}
                data-testid="tree-file"
              >
                <span class="name">{path.slice(path.lastIndexOf('/') + 1)}</span>
                <span class="adds">+{file.addedLines}</span>
                <span class="dels">−{file.deletedLines}</span>
              </button>
            );
          })}
        </div>
      ))}
    </nav>
  );
}

/**
 * A reviewer's diff: file tree, split or unified, syntax colour. `current` is the file the keyboard
 * (n/p) is on; choosing one scrolls to it.
 */
export function DiffView(props: {
  patch: string;
  truncated?: boolean;
  current?: number;
  onCurrentChange?: (index: number) => void;
  testId?: string;
}) {
  const files = useMemo(() => parsePatch(props.patch), [props.patch]);
  const [mode, setMode] = useState<DiffMode>(initialMode);
  const [ownCurrent, setOwnCurrent] = useState(0);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const current = props.current ?? ownCurrent;
  const fileRefs = useRef<(HTMLElement | null)[]>([]);
  const firstRender = useRef(true);

  const select = (index: number) => {
    setOwnCurrent(index);
    props.onCurrentChange?.(index);
  };

  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    fileRefs.current[current]?.scrollIntoView({ block: 'start', behavior: 'smooth' });
  }, [current]);

  const chooseMode = (next: DiffMode) => {
    localStorage.setItem(modeKey, next);
    setMode(next);
  };

  const added = files.reduce((sum, file) => sum + file.addedLines, 0);
  const deleted = files.reduce((sum, file) => sum + file.deletedLines, 0);

  if (files.length === 0) {
    return (
      <div class="empty" data-testid={props.testId ?? 'diff'}>
        <strong>No changes</strong>
        <span>This diff is empty.</span>
      </div>
    );
  }

  return (
    <div data-testid={props.testId ?? 'diff'}>
      <div class="card-head">
        <div class="row-meta">
          <strong style={{ color: 'var(--text)' }}>
            {files.length} {files.length === 1 ? 'file' : 'files'}
          </strong>
          <span class="adds">+{added}</span>
          <span class="dels">−{deleted}</span>
          {props.truncated && <span class="badge warn">cut at 2 MB</span>}
        </div>
        <div class="seg">
          <button type="button" class={mode === 'split' ? 'on' : ''} onClick={() => chooseMode('split')}>
            Split
          </button>
          <button type="button" class={mode === 'unified' ? 'on' : ''} onClick={() => chooseMode('unified')}>
            Unified
          </button>
        </div>
      </div>
      <div class="diff">
        <FileTree files={files} current={current} onSelect={select} />
        <div class="diff-files">
          {files.map((file, index) => {
            const path = filePath(file);
            const language = languageOf(path);
            return (
              <section
                key={path}
                class={`diff-file${index === current ? ' current' : ''}`}
                ref={(element) => {
                  fileRefs.current[index] = element;
                }}
                data-testid="diff-file"
                data-path={path}
              >
                <div class="diff-file-head">
                  <span class="path" title={path}>
                    {file.isRename ? `${file.oldName} → ${file.newName}` : path}
                  </span>
                  <span class="badge">{fileStatus(file)}</span>
                  <span class="adds">+{file.addedLines}</span>
                  <span class="dels">−{file.deletedLines}</span>
                </div>
                <div class="diff-body">
                  {file.isBinary ? (
                    <div class="empty">Binary file</div>
                  ) : lineCount(file) > largeFileLines && !expanded.has(path) ? (
                    <div class="empty">
                      <span>Large diff: {lineCount(file).toLocaleString()} lines (generated or vendored?)</span>
                      <button
                        type="button"
                        class="btn small"
                        onClick={() => setExpanded((old) => new Set(old).add(path))}
                        data-testid="expand-file"
                      >
                        Show it
                      </button>
                    </div>
                  ) : mode === 'split' ? (
                    <SplitTable file={file} language={language} />
                  ) : (
                    <UnifiedTable file={file} language={language} />
                  )}
                </div>
              </section>
            );
          })}
        </div>
      </div>
    </div>
  );
}

export function fileCount(patch: string): number {
  return parsePatch(patch).length;
}
