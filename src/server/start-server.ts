import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { SluiceConfig } from '../config/schema.ts';
import type { RunStore } from '../store/run-store.ts';
import { apiTokenQueryParam } from './api-types.ts';
import { registerApprovalRoutes } from './approval-routes.ts';
import { eventStream } from './event-stream.ts';
import { errorResponse, HttpError } from './http-error.ts';
import { registerReportRoutes } from './report-routes.ts';
import { agentGuard, changeGuard, originGuard, securityHeaders, tokenLanding } from './request-guard.ts';
import { ReviewClock } from './review-clock.ts';
import { registerReviewRoutes } from './review-routes.ts';
import { registerRunRoutes } from './run-routes.ts';
import type { ServerContext } from './server-context.ts';
import { defaultWebRoot, serveAsset } from './static-assets.ts';
import { StoreWatch } from './store-watch.ts';
import { registerTaskRoutes } from './task-routes.ts';
import { WorkflowDriving } from './workflow-driving.ts';

export interface StartServerOptions {
  store: RunStore;
  repoRoot: string;
  configDir: string;
  config: SluiceConfig;
  version: string;
  token: string;
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  /** The built front end; default dist/web/ of the package. */
  webRoot?: string;
  /** `--work`: abort one run the dispatcher of this process drives. */
  cancelInProcess?: (runId: string) => boolean;
  reportInternalError: (error: unknown) => void;
  now?: () => Date;
}

export interface RunningServer {
  /** http://host:port, without the token. */
  url: string;
  host: string;
  port: number;
  /** Stops accepting, ends the event streams, and resolves once closed. */
  close(): Promise<void>;
}

/** Build the app and listen; resolves once the port is bound. */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  let port = options.port;
  const closing = new AbortController();
  const ctx: ServerContext = {
    store: options.store,
    repoRoot: options.repoRoot,
    configDir: options.configDir,
    config: options.config,
    version: options.version,
    token: options.token,
    now: options.now ?? (() => new Date()),
    ...(options.cancelInProcess ? { cancelInProcess: options.cancelInProcess } : {}),
    deciding: new Set(),
    reviewClock: new ReviewClock(),
    reportInternalError: options.reportInternalError,
  };
  const watch = new StoreWatch(options.store, options.reportInternalError);
  const driving = new WorkflowDriving(options.store, options.reportInternalError);
  const app = new Hono();
  app.onError((error, c) => {
    const answer = errorResponse(error);
    if (answer.internal) options.reportInternalError(error);
    return c.json(answer.body, answer.status);
  });
  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}` } }, 404));
  app.use('*', securityHeaders());
  app.use('*', originGuard({ host, port: () => port }));
  app.use('*', changeGuard(options.token));
  app.use('*', agentGuard());
  registerReportRoutes(app, ctx, options.cancelInProcess !== undefined);
  registerRunRoutes(app, ctx);
  registerReviewRoutes(app, ctx);
  registerTaskRoutes(app, ctx);
  registerApprovalRoutes(app, ctx, driving);
  app.get('/api/events', (c) => eventStream(c, ctx, watch, closing.signal));
  app.all('/api/*', (c) => {
    throw new HttpError(404, 'NOT_FOUND', `no route ${c.req.method} ${c.req.path}`);
  });
  app.use('*', tokenLanding(options.token));
  const webRoot = options.webRoot ?? defaultWebRoot;
  app.get('*', (c) => serveAsset(c, webRoot));

  const server = await listen(app, host, options.port);
  port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    host,
    port,
    close: async () => {
      closing.abort();
      watch.stop();
      driving.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Event streams are long-lived: the abort above ends them; idle keep-alive sockets go now.
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      });
    },
  };
}

function listen(app: Hono, host: string, port: number): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, () => resolve(server));
    server.once('error', reject);
  });
}

/** The address to open in a browser: the page takes the token from it once (see tokenLanding). */
export function urlWithToken(server: RunningServer, token: string): string {
  return `${server.url}/?${apiTokenQueryParam}=${encodeURIComponent(token)}`;
}
