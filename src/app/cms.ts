import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { hashIp } from '../core/domain/ip-hash';
import type { ImportDeps } from '../gdpr/import/import';
import { queueConfirmationMails } from '../site/subscription/request-handler';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createJsonLogger } from '../core/infra/log';
import { MemoryRateLimiter, RateLimiter } from '../core/infra/rate-limiter';
import { createRedis } from '../core/infra/redis';
import { createDesk, type Desk, type DeskDeps } from '../mailings/desk/desk';
import { createEditorialActions, type EditorialActions } from '../mailings/desk/editorial-actions';
import { enqueuePlan, sendingQueue } from '../mailings/engine/queue';
import { sendTestMail } from '../mailings/engine/test-send';
import { feedbackQueue, type FeedbackJob } from '../mailings/feedback/queue';
import { createQueueDashboard, type QueueDashboard } from '../ops/dashboard';
import { readAdminLoginLimits, type AdminLoginLimits } from '../settings/admin-login';
import { readMailSettings, type MailSettings } from '../settings/mail';
import { readSecret } from '../settings/secrets';
import { readTestSendSettings } from '../settings/test-send';
import { createSubscriptionRuntime } from '../site/subscription/runtime';
import { createItemCounter, type ItemCounter } from '../site/counts/counter';
import { Subscriptions } from '../site/subscription/subscriptions';
import { createWelcomeDesk, type WelcomeDesk } from '../site/welcome/welcome-desk';
import { createMailingDeps } from './mailing-deps';
import { themeInfos } from '../mailings/edition/edition-content';

/** Where the CMS keeps its services in Strapi's own container. */
const CMS_SERVICES = 'netwerkpost.cms';

/**
 * The CMS process's composition root: everything the CMS's routes, middlewares and the desk use
 * besides Strapi itself, built in one place, on ONE Redis connection that this object owns and
 * closes when Strapi stops. Parts are built on first use, so a CMS that never takes a sign-up, a
 * webhook post or a login never connects to Redis for them (a worker or the CLI loading Strapi
 * never connects at all).
 */
export class CmsServices {
  private connection?: Redis;
  private readonly built = new Map<string, unknown>();
  private readonly closers: Array<() => Promise<unknown>> = [];

  constructor(private readonly strapi: Core.Strapi) {}

  /**
   * The mail and organisation settings, read on first use rather than when Strapi registers: the
   * CMS's own address (PUBLIC_URL) may only be known once it listens.
   */
  get settings(): MailSettings {
    return this.once('settings', () => readMailSettings());
  }

  /** Signs and checks the links in mails (TOKEN_SECRET). */
  get tokenSecret(): string {
    return this.once('tokenSecret', () => readSecret('TOKEN_SECRET'));
  }

  /** Sign-up, confirmation, preferences and unsubscribe flows, with their shared rate limits and request queue. */
  get subscriptions(): Subscriptions {
    return this.once('subscriptions', () => {
      const runtime = createSubscriptionRuntime(this.redis(), this.settings, this.tokenSecret);
      this.closers.push(
        () => runtime.requestQueue.close(),
        () => runtime.mailQueue.close(),
      );
      return new Subscriptions(this.strapi, runtime);
    });
  }

  /** The admin login limits of the HTTP edge: windows shared in Redis, and this process's own while Redis is away. */
  get adminLogin(): { limits: AdminLoginLimits; limiter: RateLimiter; local: MemoryRateLimiter } {
    return this.once('adminLogin', () => {
      const limits = readAdminLoginLimits();
      return { limits, limiter: new RateLimiter(this.redis(), limits.redisPrefix, this.tokenSecret), local: new MemoryRateLimiter(this.tokenSecret) };
    });
  }

  /** The CMS's end of the feedback queue: verified SendGrid event posts go there for the worker. */
  get feedbackQueue(): Queue<FeedbackJob> {
    return this.once('feedbackQueue', () => {
      const queue = feedbackQueue(this.redis(), this.settings.redisPrefix);
      this.closers.push(() => queue.close());
      return queue;
    });
  }

  /** Item counts (src/site/counts/): the counting redirect and page views; what is waiting goes to Redis when the CMS stops. */
  get itemCounter(): ItemCounter {
    return this.once('itemCounter', () => {
      const counter = createItemCounter(
        this.strapi,
        () => this.tokenSecret,
        () => this.redis(),
        this.settings.redisPrefix,
      );
      this.closers.push(() => counter.close());
      return counter;
    });
  }

  /** The queue dashboard (Bull Board) over the worker's queues. */
  get queueDashboard(): QueueDashboard {
    return this.once('queueDashboard', () => {
      const dashboard = createQueueDashboard(this.redis(), this.settings.redisPrefix);
      this.closers.push(() => dashboard.close());
      return dashboard;
    });
  }

  /**
   * The editors' desk, on the same mailing wiring as the worker and the CLI (createMailingDeps).
   * Preview and test send come from the mailing's producer, looked up by kind.
   */
  get desk(): Desk {
    return this.once('desk', () => {
      const deps = this.deskMailingDeps();
      const queue = this.sendingQueue();
      return createDesk({
        engine: deps.engine,
        db: deps.db,
        publicUrl: deps.settings.publicUrl,
        renderVariants: (ref) => deps.producer(ref.kind).previewVariants(ref),
        themeNames: () => themeInfos(this.strapi),
        sendTest: async (ref, addresses, locale) => sendTestMail(deps, await deps.producer(ref.kind).testMail(ref, locale), addresses, locale, ref.kind),
        enqueuePlan: (ref) => enqueuePlan(queue, ref, true),
        testSends: this.testSends(),
      });
    });
  }

  /**
   * What the admin panel's import needs besides the file: the database, the IP hash, and the
   * sign-up's confirmation path (its mail queue, under its per-inbox limit) for the new pending readers.
   */
  get subscriberImport(): ImportDeps {
    return this.once('subscriberImport', () => {
      const runtime = this.subscriptions.runtime;
      return {
        db: this.strapi.db.connection as unknown as Knex,
        hashIp: (ip: string) => hashIp(ip, this.tokenSecret),
        queueConfirmations: (subscribers, requestedAt) =>
          queueConfirmationMails({ limiter: runtime.limiter, mailQueue: runtime.mailQueue, limits: this.settings.limits }, subscribers, requestedAt),
      };
    });
  }

  /**
   * How far an import the admin panel started has come (rows done), by the id the panel gave it:
   * in Redis for an hour, so whichever CMS instance the panel's polls reach can answer.
   */
  get importProgress(): { set(importId: string, rows: number): Promise<void>; get(importId: string): Promise<number | null> } {
    const key = (importId: string) => `${this.settings.redisPrefix}:import-progress:${importId}`;
    return {
      set: async (importId, rows) => {
        await this.redis().set(key(importId), String(rows), 'EX', 3600);
      },
      get: async (importId) => {
        const rows = await this.redis().get(key(importId));
        return rows === null ? null : Number(rows);
      },
    };
  }

  /** The welcome mail's preview and test send, under the same test rules as a mailing's. */
  get welcomeDesk(): WelcomeDesk {
    return this.once('welcomeDesk', () => {
      const deps = this.deskMailingDeps();
      return createWelcomeDesk({
        strapi: this.strapi,
        links: deps.settings,
        renderer: deps.renderer,
        testSends: this.testSends(),
        sendTest: (rendered, addresses, locale) => sendTestMail(deps, rendered, addresses, locale, 'welcome'),
      });
    });
  }

  /** What keeps test sends tests (src/mailings/desk/test-send-guard.ts), one for the desk and the welcome mail: their budget is one. */
  private testSends(): DeskDeps['testSends'] {
    return this.once('testSends', () => ({
      settings: readTestSendSettings(),
      // Counted in Redis: the budget is shared by every CMS instance.
      limiter: new RateLimiter(this.redis(), this.settings.redisPrefix, this.tokenSecret),
      adminAddresses: async (addresses: readonly string[]) => {
        if (addresses.length === 0) return [];
        const rows = (await this.strapi.db
          .query('admin::user')
          .findMany({ where: { $or: addresses.map((email) => ({ email: { $eqi: email } })) }, select: ['email', 'blocked'] })) as Array<{
          email: string;
          blocked: boolean | null;
        }>;
        // A blocked admin's address is no longer the organisation's.
        return rows.filter((row) => !row.blocked).map((row) => row.email.toLowerCase());
      },
    }));
  }

  /** The desk's actions on whole mailings: assemble an edition, duplicate, send to those who did not get it. */
  get editorial(): EditorialActions {
    return this.once('editorial', () => {
      const deps = this.deskMailingDeps();
      const queue = this.sendingQueue();
      return createEditorialActions({ ...deps, organisationName: this.settings.organisation.name, enqueuePlan: (ref) => enqueuePlan(queue, ref, true) });
    });
  }

  /** The engine wired for the desk's actions (one per CMS). */
  private deskMailingDeps() {
    return this.once('deskMailingDeps', () => createMailingDeps(this.strapi, createJsonLogger('desk')));
  }

  /** The sending queue's producer end: the desk's "now" queues the planning job here. */
  private sendingQueue(): Queue {
    return this.once('sendingQueue', () => {
      const queue = sendingQueue(this.redis(), this.settings.redisPrefix);
      this.closers.push(() => queue.close());
      return queue;
    });
  }

  /** Closes every queue, then the one connection. Safe to call twice. */
  async close(): Promise<void> {
    const closers = this.closers.splice(0);
    this.built.clear();
    await Promise.all(closers.map((close) => close().catch(() => undefined)));
    const connection = this.connection;
    this.connection = undefined;
    await connection?.quit().catch(() => undefined);
  }

  private redis(): Redis {
    this.connection ??= createRedis(this.settings.redisUrl, 'client');
    return this.connection;
  }

  private once<T>(name: string, build: () => T): T {
    if (!this.built.has(name)) this.built.set(name, build());
    return this.built.get(name) as T;
  }
}

/** Builds the CMS's services into Strapi's container (src/index.ts, register). */
export function startCmsServices(strapi: Core.Strapi): CmsServices {
  const services = new CmsServices(strapi);
  strapi.add(CMS_SERVICES, services);
  return services;
}

/** The CMS's services, for routes, middlewares and the desk's controllers. */
export function cmsServices(strapi: Core.Strapi): CmsServices {
  return strapi.get(CMS_SERVICES) as CmsServices;
}
