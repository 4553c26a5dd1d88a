import type { Knex } from 'knex';
import type { RenderedMail } from '../../mail/renderer';
import { greetingFor, applySubstitutions } from '../../mail/substitutions';
import { countAudience } from '../engine/audience-count';
import type { SendingEngine } from '../engine/engine';
import type { MailingKind, MailingRef } from '../engine/mailing';
import { findMailing, mailingReport } from '../engine/mailings';
import { isMailingRefusal } from '../engine/refusal';
import { sendMailing } from '../engine/send-mailing';
import type { TestSendSettings } from '../../settings/test-send';
import type { RateLimiter } from '../../core/infra/rate-limiter';
import { progressOf, type MailingProgress } from './progress';
import { addressRefusal, limitRefusal, refusedTestAddresses, stateRefusal, testSendWindows } from './test-send-guard';
import type { Locale } from '../../core/domain/locale';

/**
 * The editors' desk: what the admin panel does with one edition or campaign (preview, test send,
 * audience count, schedule, send now, unschedule, cancel, progress), each a small function over injected deps,
 * on the same code as the CLI and the worker: the producers' previews and test mails, the engine's
 * schedule, unschedule and cancel, the queue producer for "now". The plugin's
 * controllers (src/plugins/desk/server) only check input and call these.
 */
export interface PreviewVariant {
  key: string;
  locale: Locale;
  /** An edition's theme selection of this variant (empty: all themes); a campaign's is empty. */
  themes: string[];
  /** Those themes' names in both languages, in the same order, for tabs an editor reads. */
  themeNames: Array<Record<Locale, string>>;
  subject: string;
  preheader: string;
  /** The html and text as a sample reader gets them: greeting filled in, personal links general. */
  html: string;
  text: string;
  greeting: string;
}

/** The audience a send would reach now, or why it would be refused. */
export interface Audience {
  recipients: number;
  refusal: string | null;
}

export interface DeskDeps {
  engine: SendingEngine;
  db: Knex;
  publicUrl: string;
  /** Every variant of the mailing, rendered by the send's own code (its producer's previewVariants). */
  renderVariants(ref: MailingRef): Promise<Array<{ key: string; locale: Locale; themes?: string[]; rendered: RenderedMail }>>;
  /** The themes' names per language, by slug (published themes). */
  themeNames(): Promise<Array<{ slug: string; name: Record<Locale, string> }>>;
  /** The mailing's test send (its producer's testMail, sent by sendTestMail): `[TEST]` subject, no deliveries. */
  sendTest(ref: MailingRef, addresses: readonly string[], locale: Locale): Promise<void>;
  enqueuePlan(ref: MailingRef): Promise<void>;
  /** What keeps test sends tests (src/mailings/desk/test-send-guard.ts): the settings, the shared budget, the admin users' addresses. */
  testSends: {
    settings: TestSendSettings;
    limiter: RateLimiter;
    /** Which of these (lower-case) addresses belong to admin users. */
    adminAddresses(addresses: readonly string[]): Promise<string[]>;
  };
  now?: () => number;
}

/** Who asks for a test send: their admin account (whose budget it spends) and whether they may send to any address. */
export interface TestSender {
  account: string;
  mayTestAnyAddress: boolean;
}

/** The sample reader of a preview: a first name, so editors see the greeting as readers do. */
export const SAMPLE_READER_NAME: Record<Locale, string> = { nl: 'Sanne', en: 'Sam' };

export function createDesk(deps: DeskDeps) {
  return {
    find: (kind: MailingKind, documentId: string) => findMailing(deps.db, kind, documentId),

    /** Every variant, Dutch first, then by theme selection (all themes first), as the tabs show them. */
    async previews(ref: MailingRef): Promise<PreviewVariant[]> {
      const [variants, themes] = await Promise.all([deps.renderVariants(ref), deps.themeNames()]);
      const names = new Map(themes.map((theme) => [theme.slug, theme.name]));
      const order = (locale: Locale) => (locale === 'nl' ? 0 : 1);
      const sorted = [...variants].sort((a, b) => order(a.locale) - order(b.locale) || (a.themes?.length ?? 0) - (b.themes?.length ?? 0));
      return sorted.map((variant) =>
        previewForSampleReader(deps.publicUrl, {
          ...variant,
          themeNames: (variant.themes ?? []).map((slug) => names.get(slug) ?? { nl: slug, en: slug }),
        }),
      );
    },

    /**
     * A test send, or a TestSendRefusal: a mailing that went out or was stopped (409), or what every
     * test mail is refused for (guardTestSend: an address this admin may not test to, a used-up budget).
     */
    async sendTest(ref: MailingRef, addresses: readonly string[], locale: Locale, sender: TestSender): Promise<void> {
      const mailing = await deps.engine.deps.store.mailing(ref);
      const finished = mailing && stateRefusal(mailing.state);
      if (finished) throw finished;
      await guardTestSend(deps.testSends, addresses, sender, () => deps.sendTest(ref, addresses, locale), deps.now);
    },

    /** The audience now, or the refusal that would stop the send (shown in the confirmation dialog). */
    async audience(ref: MailingRef): Promise<Audience> {
      try {
        return { recipients: await countAudience(deps.engine.deps, ref), refusal: null };
      } catch (error) {
        if (isMailingRefusal(error) && error.code !== 'missing') return { recipients: 0, refusal: error.message };
        throw error;
      }
    },

    schedule: (ref: MailingRef, at: Date) => sendMailing(deps, ref, at),
    sendNow: (ref: MailingRef) => sendMailing(deps, ref),
    /** "Planning intrekken": scheduled -> draft, so editors can change it and schedule it again. */
    unschedule: (ref: MailingRef) => deps.engine.unschedule(ref),
    cancel: (ref: MailingRef) => deps.engine.cancel(ref),
    progress: async (ref: MailingRef): Promise<MailingProgress> => progressOf(await mailingReport(deps.engine, deps.db, ref)),
  };
}

export type Desk = ReturnType<typeof createDesk>;

/**
 * A rendered mail as the preview shows it: a sample reader's greeting, and the personal links
 * pointing at the manage page (which works for anyone).
 */
export function previewForSampleReader(
  publicUrl: string,
  variant: { key: string; locale: Locale; themes?: string[]; themeNames?: PreviewVariant['themeNames']; rendered: RenderedMail },
): PreviewVariant {
  const greeting = greetingFor(variant.locale, SAMPLE_READER_NAME[variant.locale]);
  const general = `${publicUrl}/newsletter/manage?lang=${variant.locale}`;
  const values = { '%greeting%': greeting, '%unsubscribe_url%': general, '%preferences_url%': general, '%view_url%': general };
  return {
    key: variant.key,
    locale: variant.locale,
    themes: variant.themes ?? [],
    themeNames: variant.themeNames ?? [],
    subject: variant.rendered.subject,
    preheader: variant.rendered.preheader,
    html: applySubstitutions(variant.rendered.html, values),
    text: applySubstitutions(variant.rendered.text, values),
    greeting,
  };
}

/**
 * What keeps any test mail a test, whatever it tests (a mailing, the welcome mail): someone without
 * the desk's send permission may test only to admin users' addresses and allowed domains (403), and
 * every admin account has a recipient budget (429; nothing sent, nothing counted). The budget is
 * taken before sending, so concurrent requests cannot all slip under it, and given back when the
 * provider refuses the mail.
 */
export async function guardTestSend(
  testSends: DeskDeps['testSends'],
  addresses: readonly string[],
  sender: TestSender,
  send: () => Promise<void>,
  now: () => number = Date.now,
): Promise<void> {
  const { settings, limiter, adminAddresses } = testSends;
  if (!sender.mayTestAnyAddress) {
    const admins = new Set((await adminAddresses(addresses)).map((address) => address.toLowerCase()));
    const refused = refusedTestAddresses(addresses, { mayTestAnyAddress: false, adminAddresses: admins, allowedDomains: settings.allowedDomains });
    if (refused.length > 0) throw addressRefusal(refused, settings.allowedDomains);
  }
  const windows = testSendWindows(settings);
  const budget = await limiter.take(sender.account, addresses.length, windows);
  if (!budget.allowed) throw limitRefusal(budget.window, addresses.length, budget.retryAfterSeconds, new Date(now()));
  try {
    await send();
  } catch (error) {
    await limiter.giveBack(sender.account, addresses.length, windows);
    throw error;
  }
}
