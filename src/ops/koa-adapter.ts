import fs from 'node:fs';
import path from 'node:path';
import type { AppControllerRoute, AppViewRoute, BullBoardQueues, ControllerHandlerReturnType, IServerAdapter, UIConfig } from '@bull-board/api/dist/types';
import ejs from 'ejs';

/**
 * Bull Board's server side for Strapi's Koa 2. `@bull-board/koa` needs Koa 3, so this adapter
 * implements Bull Board's small server interface itself: its static files, its one HTML entry
 * (rendered with ejs, as Bull Board's own adapters do) and its JSON API routes, matched on
 * `:param` segments. `handle` answers a request below the board's base path, or says it did not.
 */
interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  run(params: Record<string, string>, ctx: BoardContext): Promise<void>;
}

/** What the adapter needs of a Koa context (kept small so it can be tested without a server). */
export interface BoardContext {
  method: string;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  request: { body?: unknown };
  status: number;
  body: unknown;
  type: string;
  set(field: string, value: string): void;
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'application/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

export class KoaBoardAdapter implements IServerAdapter {
  private queues: BullBoardQueues | undefined;
  private uiConfig: UIConfig = {};
  private viewsPath = '';
  private statics: Array<{ route: string; dir: string }> = [];
  private errorHandler: ((error: Error) => ControllerHandlerReturnType) | undefined;
  private readonly routes: Route[] = [];

  constructor(readonly basePath: string) {}

  setQueues(queues: BullBoardQueues): this {
    this.queues = queues;
    return this;
  }
  setViewsPath(viewPath: string): this {
    this.viewsPath = viewPath;
    return this;
  }
  setStaticPath(route: string, dir: string): this {
    // Real path: node_modules may be a symlink, and served files are compared with it.
    this.statics.push({ route, dir: fs.existsSync(dir) ? fs.realpathSync(dir) : path.resolve(dir) });
    return this;
  }
  setUIConfig(config: UIConfig = {}): this {
    this.uiConfig = config;
    return this;
  }
  setErrorHandler(handler: (error: Error) => ControllerHandlerReturnType): this {
    this.errorHandler = handler;
    return this;
  }

  setEntryRoute(route: AppViewRoute): this {
    this.add(route.method, route.route, async (_params, ctx) => {
      const { name, params } = route.handler({ basePath: this.basePath, uiConfig: this.uiConfig });
      ctx.type = 'text/html';
      ctx.body = await ejs.renderFile(path.join(this.viewsPath, name), params);
    });
    return this;
  }

  setApiRoutes(routes: AppControllerRoute[]): this {
    for (const route of routes) {
      for (const method of Array.isArray(route.method) ? route.method : [route.method]) {
        this.add(method, route.route, async (params, ctx) => {
          let response: ControllerHandlerReturnType;
          try {
            response = await route.handler({
              queues: this.queues!,
              uiConfig: this.uiConfig,
              query: ctx.query,
              params,
              body: (ctx.request.body ?? {}) as Record<string, unknown>,
              headers: ctx.headers as Record<string, string | undefined>,
            });
          } catch (error) {
            if (!this.errorHandler) throw error;
            response = this.errorHandler(error as Error);
          }
          ctx.status = response.status ?? 200;
          ctx.body = response.body;
        });
      }
    }
    return this;
  }

  /** Answers `subPath` (the request path below the base path, e.g. `/api/queues`); false if nothing matches. */
  async handle(subPath: string, ctx: BoardContext): Promise<boolean> {
    if (ctx.method === 'GET' && (await this.serveStatic(subPath, ctx))) return true;
    for (const route of this.routes) {
      if (route.method !== ctx.method.toLowerCase()) continue;
      const match = route.pattern.exec(subPath);
      if (!match) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, index) => (params[name] = decodeURIComponent(match[index + 1])));
      await route.run(params, ctx);
      return true;
    }
    return false;
  }

  private add(method: string, paths: string | string[], run: Route['run']): void {
    for (const route of Array.isArray(paths) ? paths : [paths]) {
      const names: string[] = [];
      const source = route
        .replace(/\/$/, '')
        .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        .replace(/:(\w+)/g, (_all, name: string) => {
          names.push(name);
          return '([^/]+)';
        });
      this.routes.push({ method, pattern: new RegExp(`^${source}/?$`), names, run });
    }
  }

  /** A file below one of the static directories, never outside it (`..` and symlinks out are refused). */
  private async serveStatic(subPath: string, ctx: BoardContext): Promise<boolean> {
    for (const { route, dir } of this.statics) {
      if (!subPath.startsWith(`${route}/`)) continue;
      const file = path.resolve(dir, `.${decodeURIComponent(subPath.slice(route.length))}`);
      if (!file.startsWith(`${dir}${path.sep}`)) return false;
      const real = await fs.promises.realpath(file).catch(() => null);
      if (!real || !real.startsWith(`${dir}${path.sep}`) || !(await fs.promises.stat(real)).isFile()) return false;
      ctx.type = CONTENT_TYPES[path.extname(real)] ?? 'application/octet-stream';
      ctx.set('Cache-Control', 'private, max-age=3600');
      ctx.body = fs.createReadStream(real);
      return true;
    }
    return false;
  }
}
