import { type Collection, collectedYes, notCollected } from './collection.ts';
import { type ConfigSide, foldersAbove } from './config-side.ts';

/**
 * Whether `go test ./...` collects the Go test file at `path`: the go tool skips folders named `testdata` or
 * `vendor`, files and folders whose names start with `.` or `_`, and a folder with a go.mod of its own is
 * another module, which `./...` from the old one does not enter.
 */
export function goCollection(path: string, after: ConfigSide, before: ConfigSide): Collection {
  const parts = path.split('/');
  const name = parts.pop() ?? '';
  if (name.startsWith('.') || name.startsWith('_')) {
    return notCollected('go test', `the go tool leaves out files whose names start with \`${name.charAt(0)}\``);
  }
  const skipped = parts.find(
    (part) => part === 'testdata' || part === 'vendor' || part.startsWith('.') || part.startsWith('_'),
  );
  if (skipped !== undefined) {
    return notCollected('go test', `\`go test ./...\` does not enter a folder named \`${skipped}\``);
  }
  const module = foldersAbove(path).find((folder) => after(`${folder}go.mod`) !== undefined);
  if (module !== undefined && module !== '' && before(`${module}go.mod`) === undefined) {
    return notCollected(
      'go test',
      `\`${module}go.mod\` is new: the folder is now a module of its own, which \`go test ./...\` from the old one does not enter`,
    );
  }
  return collectedYes;
}
