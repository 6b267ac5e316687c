import { isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { peerIsContained } from '../process/socket-peer.ts';
import { apiTokenCookie, apiTokenHeader, apiTokenQueryParam } from './api-types.ts';
import { HttpError } from './http-error.ts';
import { tokenMatches } from './serve-token.ts';

/** Everything the page needs comes from the server itself; nothing inline, nothing framed. */
export const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every response, JSON included. */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('Content-Security-Policy', contentSecurityPolicy);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  };
}

export interface OriginRules {
  /** The port the server listens on (known once it listens: --port 0 picks one). */
  port: () => number;
  /** The --host it was bound to. */
  host: string;
}

/**
 * The Host a browser sends to this server: an IP literal or `localhost` (or the --host name) with the
 * server's port. A DNS-rebinding page reaches us under its own domain name, which this refuses.
 */
export function isOwnHost(hostHeader: string | undefined, rules: OriginRules): boolean {
  if (!hostHeader) return false;
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d+))?$/i.exec(hostHeader.trim());
  if (!match) return false;
  const name = (match[1] ?? '').toLowerCase().replace(/^\[|\]$/g, '');
  const port = match[2] === undefined ? 80 : Number(match[2]);
  if (port !== rules.port()) return false;
  return name === 'localhost' || name === rules.host.toLowerCase() || isIP(name) !== 0;
}

/**
 * Refuse foreign Host headers (DNS rebinding) and requests another site started (CSRF): an Origin
 * other than our own, or a Sec-Fetch-Site of `cross-site` / `same-site` (another port on this host).
 */
export function originGuard(rules: OriginRules): MiddlewareHandler {
  return async (c, next) => {
    const host = c.req.header('host');
    if (!isOwnHost(host, rules))
      throw new HttpError(403, 'FORBIDDEN_HOST', `refused: Host "${host ?? ''}" is not this server`);
    const origin = c.req.header('origin');
    if (origin !== undefined && origin.toLowerCase() !== `http://${(host ?? '').toLowerCase()}`) {
      throw new HttpError(403, 'FORBIDDEN_ORIGIN', `refused: Origin "${origin}" is not this server`);
    }
    const site = c.req.header('sec-fetch-site');
    if (site === 'cross-site' || site === 'same-site') {
      throw new HttpError(403, 'FORBIDDEN_ORIGIN', 'refused: a request started by another site');
    }
    if (isChanging(c.req.method) && site !== undefined && site !== 'same-origin') {
      throw new HttpError(403, 'FORBIDDEN_ORIGIN', `refused: a changing request from "${site}"`);
    }
    await next();
  };
}

/**
 * The token of a request: the header (scripts, the CLI), `Authorization: Bearer <token>` (what webhook
 * senders know how to send), or the cookie the page was given.
 */
export function requestToken(c: Context): string | undefined {
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1];
  return c.req.header(apiTokenHeader) ?? bearer ?? getCookie(c, apiTokenCookie);
}

/** Changing requests carry the token and a JSON body (a form post from elsewhere can do neither). */
export function changeGuard(token: string): MiddlewareHandler {
  return async (c, next) => {
    if (isChanging(c.req.method)) {
      if (!tokenMatches(token, requestToken(c))) {
        throw new HttpError(
          401,
          'UNAUTHORIZED',
          `a changing request needs the token sluice serve printed (${apiTokenHeader} header, or Authorization: Bearer <token>)`,
        );
      }
      const type = c.req.header('content-type') ?? '';
      if (!/^application\/json(\s*;|$)/i.test(type)) {
        throw new HttpError(415, 'BAD_CONTENT_TYPE', 'send the body as application/json');
      }
    }
    await next();
  };
}

/**
 * A changing request from a process inside an agent turn (or a gate: anything Sluice contains in a PID
 * namespace) is refused whatever token it carries: the sandboxes leave the filesystem readable, so an agent can read
 * the token in .sluice/serve.json, and approving a checkpoint or landing a change must stay a person's
 * decision. Where /proc cannot tell, the request goes on (the threat model says so).
 */
export function agentGuard(): MiddlewareHandler {
  return async (c, next) => {
    if (isChanging(c.req.method)) {
      const socket = (c.env as { incoming?: { socket?: { remotePort?: number; localPort?: number } } } | undefined)
        ?.incoming?.socket;
      if (socket?.remotePort && socket.localPort && peerIsContained(socket.remotePort, socket.localPort)) {
        throw new HttpError(
          403,
          'FORBIDDEN_AGENT',
          "refused: this request comes from a process Sluice contains (an agent turn or a gate); deciding is a person's job",
        );
      }
    }
    await next();
  };
}

/**
 * A page opened with `?token=` (the URL sluice serve printed) gets the token as a strict, HTTP-only
 * cookie and is sent to the same address without it, so the token does not stay in the address bar.
 */
export function tokenLanding(token: string): MiddlewareHandler {
  return async (c, next) => {
    const given = c.req.query(apiTokenQueryParam);
    if (c.req.method !== 'GET' || given === undefined) return next();
    const url = new URL(c.req.url);
    url.searchParams.delete(apiTokenQueryParam);
    if (tokenMatches(token, given)) {
      setCookie(c, apiTokenCookie, token, { httpOnly: true, sameSite: 'Strict', path: '/' });
    }
    return c.redirect(`${url.pathname}${url.search}`, 302);
  };
}

function isChanging(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}
