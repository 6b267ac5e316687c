import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context } from 'hono';

/** The built front end (web/ built by Vite), beside the compiled server in the package. */
export const defaultWebRoot = fileURLToPath(new URL('../web/', import.meta.url));

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Shown when the front end was not built: the API works, the page says how to get the real one. */
export const placeholderPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sluice</title></head>
<body><main><h1>Sluice</h1>
<p>The dashboard's front end is not built in this installation (no dist/web/index.html).</p>
<p>Build it with <code>npm run build</code> in the Sluice source, or use the API: <a href="/api/overview">/api/overview</a>.</p>
</main></body></html>
`;

/**
 * A file of the built front end, or index.html for the page routes (the front end routes by path);
 * dotfiles, paths that leave the folder, links and non-files are never served.
 */
export async function serveAsset(c: Context, webRoot: string): Promise<Response> {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(c.req.url).pathname);
  } catch {
    return c.json({ error: { code: 'BAD_REQUEST', message: 'malformed path' } }, 400);
  }
  const root = resolve(webRoot);
  const wanted = resolve(root, `.${pathname}`);
  const inside = wanted === root || wanted.startsWith(root + sep);
  const hidden = pathname.split('/').some((part) => part.startsWith('.'));
  if (inside && !hidden && extname(wanted) !== '') {
    const file = await readRegularFile(wanted);
    if (file) {
      const immutable = pathname.startsWith('/assets/');
      return c.body(new Uint8Array(file), 200, {
        'Content-Type': contentTypes[extname(wanted).toLowerCase()] ?? 'application/octet-stream',
        'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
    }
    return c.json({ error: { code: 'NOT_FOUND', message: `no file ${pathname}` } }, 404);
  }
  const index = await readRegularFile(resolve(root, 'index.html'));
  return c.html(index ? index.toString('utf8') : placeholderPage, 200, { 'Cache-Control': 'no-cache' });
}

async function readRegularFile(path: string): Promise<Buffer | undefined> {
  try {
    const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const stats = await handle.stat();
      return stats.isFile() ? await handle.readFile() : undefined;
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}
