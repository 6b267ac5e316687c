import { ensureDebianPackages } from './debian-packages.ts';

/** Where Debian's `chromium` package puts the browser, and the browser gate's default executable. */
export const chromiumPath = '/usr/bin/chromium';

/** Make sure the real Chromium is there for the browser gate tests (installed once on a fresh CI machine). */
export async function ensureChromium(): Promise<string> {
  await ensureDebianPackages(
    [{ binary: chromiumPath, pkg: 'chromium' }],
    'the browser gate tests drive the real browser',
  );
  return chromiumPath;
}
