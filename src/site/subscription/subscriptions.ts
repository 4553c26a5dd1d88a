import type { Core } from '@strapi/strapi';
import { hashIp } from '../../core/domain/ip-hash';
import { verifyLinkToken, type TokenPurpose } from '../../core/domain/tokens';
import type { PreferencesChange, SubscriptionRequest } from '../../core/domain/subscription-request';
import { enqueueSubscriptionRequest } from './request-queue';
import { enqueueWelcomeMail } from '../../mail/mail-queue';
import type { SubscriptionRuntime } from './runtime';
import type { SubscriberState } from '../../core/domain/subscriber-state';
import { CONTENT_TYPES } from '../../core/content-types';
import { CONSENT_TEXT_VERSION } from '../strings';

/** The consent record's source when the confirmation itself is the consent (an imported reader). */
export const CONFIRMATION_SOURCE = 'confirmation';
import type { Locale } from '../../core/domain/locale';

const SUBSCRIBER = CONTENT_TYPES.subscriber;
const THEMES_TTL_MS = 30_000;

type ThemeOption = { slug: string; name: string; description: string | null };
const themeCache = new Map<Locale, { at: number; themes: ThemeOption[] }>();
const HOUR = 3600;

export interface SubscriberRecord {
  id: number;
  documentId: string;
  email: string;
  name: string | null;
  preferredLocale: Locale;
  themes: string[] | null;
  state: SubscriberState;
  linkKey: string | null;
}

export interface RequestMeta {
  ip: string;
  /** The page the request came from (Referer), without its query string. */
  source: string | null;
  consentTextVersion: string;
}

export type TokenLookup = { ok: true; subscriber: SubscriberRecord } | { ok: false; reason: 'expired' | 'invalid' };

/**
 * Subscription flows: double opt-in, preferences, unsubscribe. Every answer to the public is the same
 * whether an address is known or not; what differs happens out of sight (which mail, if any, is sent).
 */
export class Subscriptions {
  constructor(
    private readonly strapi: Core.Strapi,
    readonly runtime: SubscriptionRuntime,
  ) {}

  /** The settings the subscription pages are made with (the organisation, retention). */
  get settings(): SubscriptionRuntime['settings'] {
    return this.runtime.settings;
  }

  /**
   * Slugs and names of the published themes, in the given locale. Every sign-up checks its themes
   * against this list, so it is kept for THEMES_TTL_MS: a newly published theme is offered and
   * accepted within that time.
   */
  async themes(locale: Locale): Promise<ThemeOption[]> {
    const cached = themeCache.get(locale);
    if (cached && Date.now() - cached.at < THEMES_TTL_MS) return cached.themes;
    const found = (await this.strapi
      .documents(CONTENT_TYPES.theme)
      .findMany({ locale, status: 'published', fields: ['slug', 'name', 'description'], sort: 'name:asc' } as never)) as unknown as ThemeOption[];
    const themes = found.map(({ slug, name, description }) => ({ slug, name, description }));
    themeCache.set(locale, { at: Date.now(), themes });
    return themes;
  }

  async themeSlugs(): Promise<Set<string>> {
    return new Set((await this.themes('nl')).map((theme) => theme.slug));
  }

  /** Counts a request against the per-IP limit shared by subscribe and resend. */
  async limitByIp(ip: string): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
    const result = await this.runtime.limiter.hit('subscribe-ip', ip, this.runtime.settings.limits.subscribePerIpHour, HOUR);
    return result.allowed ? { allowed: true } : { allowed: false, retryAfterSeconds: result.retryAfterSeconds };
  }

  /**
   * Hands a valid sign-up to the worker and returns: the same work for every address, so the answer
   * time tells nothing about it (what happens next is decided in request-handler.ts). A bot that
   * filled in the honeypot gets the same answer and nothing is kept.
   */
  async requestSubscription(request: SubscriptionRequest, meta: RequestMeta): Promise<void> {
    if (request.isBot) return;
    const consent = {
      givenAt: new Date().toISOString(),
      source: meta.source,
      textVersion: meta.consentTextVersion,
      ipHash: hashIp(meta.ip, this.runtime.tokenSecret),
    };
    await enqueueSubscriptionRequest(this.runtime.requestQueue, {
      kind: 'subscribe',
      email: request.email,
      name: request.name,
      locale: request.locale,
      themes: request.themes,
      consent,
    });
  }

  /** Hands a resend request to the worker (only a pending address gets a mail). */
  async requestResend(email: string): Promise<void> {
    await enqueueSubscriptionRequest(this.runtime.requestQueue, { kind: 'resend', email, requestedAt: new Date().toISOString() });
  }

  async lookupToken(token: unknown, purpose: TokenPurpose): Promise<TokenLookup> {
    const check = verifyLinkToken(token, purpose, this.runtime.tokenSecret);
    if (!check.ok) return { ok: false, reason: check.reason === 'expired' ? 'expired' : 'invalid' };
    const subscriber = (await this.strapi.db.query(SUBSCRIBER).findOne({ where: { linkKey: check.linkKey } })) as SubscriberRecord | null;
    return subscriber ? { ok: true, subscriber } : { ok: false, reason: 'invalid' };
  }

  /**
   * pending -> active. Idempotent for active subscribers; refused for any other state. A reader who
   * never filled in our form (imported without evidence of consent) has no consent record yet: the
   * confirmation is their consent, recorded now, from the confirmation page, with the hashed IP.
   * A confirmed reader gets the welcome mail (the worker sends it, or skips it when the editors left
   * it empty). Queueing it is best effort: the confirmation is what the reader asked for and is
   * stored already, so Redis being away costs the welcome, never the confirmation.
   */
  async confirm(subscriber: SubscriberRecord, meta: { ip: string }): Promise<'confirmed' | 'already-active' | 'not-pending'> {
    if (subscriber.state === 'active') return 'already-active';
    if (subscriber.state !== 'pending') return 'not-pending';
    const now = new Date().toISOString();
    const stored = (await this.strapi.db.query(SUBSCRIBER).findOne({ where: { id: subscriber.id }, populate: { consent: true } })) as {
      consent?: unknown;
    } | null;
    const consent = stored?.consent
      ? {}
      : { consent: { givenAt: now, source: CONFIRMATION_SOURCE, textVersion: CONSENT_TEXT_VERSION, ipHash: hashIp(meta.ip, this.runtime.tokenSecret) } };
    await this.update(subscriber.documentId, { state: 'active', confirmedAt: now, ...consent });
    await enqueueWelcomeMail(this.runtime.mailQueue, subscriber.documentId, now).catch((error: unknown) =>
      this.strapi.log.warn(`[subscriptions] the welcome mail of a confirmed reader was not queued: ${error instanceof Error ? error.message : String(error)}`),
    );
    return 'confirmed';
  }

  async changePreferences(subscriber: SubscriberRecord, change: PreferencesChange): Promise<void> {
    await this.update(subscriber.documentId, { preferredLocale: change.locale, themes: change.themes });
  }

  /**
   * Unsubscribes and minimises what is kept: the address stays (to honour the unsubscribe during
   * the retention period), name and themes go. Idempotent.
   */
  async unsubscribe(subscriber: SubscriberRecord): Promise<void> {
    if (subscriber.state === 'unsubscribed') return;
    await this.update(subscriber.documentId, { state: 'unsubscribed', unsubscribedAt: new Date().toISOString(), name: null, themes: [] });
  }

  private async update(documentId: string, data: Record<string, unknown>): Promise<void> {
    await this.strapi.documents(SUBSCRIBER).update({ documentId, data } as never);
  }
}
