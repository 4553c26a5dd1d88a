import type { RenderedMail } from '../../mail/renderer';
import type { PersonalizationRecipe } from '../../mail/personalization';
import type { MailingState } from './mailing-state';
import type { Locale } from '../../core/domain/locale';

/**
 * A mailing is what the sending engine sends: an edition or a campaign. The engine knows how to
 * send (plan, batches, leases, settling, cancel, recovery); a producer (src/mailings/edition/ for
 * editions, src/mailings/campaign/ for campaigns) knows what is sent: who is in the audience, which variant
 * each recipient gets, how a variant renders, and what each recipient's personalization says.
 */
export const MAILING_KINDS = ['edition', 'campaign'] as const;
export type MailingKind = (typeof MAILING_KINDS)[number];

export interface MailingRef {
  kind: MailingKind;
  id: number;
}

/** `edition:12`: how logs, job data and custom_args name a mailing. */
export function mailingKey(ref: MailingRef): string {
  return `${ref.kind}:${ref.id}`;
}

export function parseMailingKey(key: string): MailingRef | null {
  const match = /^(edition|campaign):(\d+)$/.exec(key);
  return match ? { kind: match[1] as MailingKind, id: Number(match[2]) } : null;
}

/** What the engine reads of a mailing's own row (`editions`, `campaigns`). */
export interface MailingRecord {
  ref: MailingRef;
  documentId: string;
  title: string;
  /** A mailing state; editions may also be `skipped`. */
  state: MailingState | 'skipped';
  sendAt: Date | null;
  /** When planning ended; null before it began and while it is under way (state `sending`). */
  plannedAt: Date | null;
  /** Opens and clicks tracked by SendGrid for this mailing (off unless an editor switched it on). */
  trackEngagement: boolean;
  /**
   * For a send "to those who did not get it": the id of the original mailing (same kind). Readers who
   * got the original or any of its remainders are left out of this one's audience.
   */
  remainderOf: number | null;
}

/** The counters kept on the mailing's row for the admin panel, moved with every state change. */
export interface MailingCounts {
  recipients: number;
  queued: number;
  submitted: number;
  failed: number;
  suppressed: number;
  unknown: number;
  /** Planned recipients whose batch was cancelled before it was leased: not sent. */
  cancelled: number;
  variants: number;
}

/**
 * What SendGrid's events said about a mailing's recipients, each counted once per reader (a
 * reader's second `delivered` or third `open` changes nothing). `deferred`: readers whose mail a
 * receiving server delayed at least once (most are delivered later); `bounced` includes soft
 * bounces (`blocked`), which do not suppress. Opens and clicks only when the mailing tracked them;
 * `machineOpens` are opens by mail software (e.g. Apple Mail Privacy Protection), not by a reader.
 */
export interface DeliveryStatistics {
  delivered: number;
  deferred: number;
  bounced: number;
  dropped: number;
  spamReports: number;
  unsubscribes: number;
  opens: number;
  machineOpens: number;
  clicks: number;
}

export const DELIVERY_STATISTICS: ReadonlyArray<keyof DeliveryStatistics> = [
  'delivered',
  'deferred',
  'bounced',
  'dropped',
  'spamReports',
  'unsubscribes',
  'opens',
  'machineOpens',
  'clicks',
];

/** A batch of unknown fate waiting for SendGrid's events to say whether its request arrived. */
export interface AwaitingBatch {
  batchNo: number;
  recipients: number;
  /** When its fate became unknown (ms since the epoch). */
  since: number;
}

/** The SQL-level part of an audience: the engine scans only `active` subscribers, narrowed by this. */
export interface AudienceFilter {
  /** Only subscribers whose `preferred_locale` is this; null = every locale. */
  preferredLocale: Locale | null;
  /**
   * Leave out whoever got this mailing or one of its remainders (a delivery queued, submitted or of
   * unknown fate): a remainder reaches each reader of the audience once across all of them.
   */
  notReceivedFrom?: MailingRef;
}

/** The audience the engine scans for a mailing: the producer's filter, and for a remainder, without the original's receivers. */
export function scanAudience(mailing: Pick<MailingRecord, 'ref' | 'remainderOf'>, audience: AudienceFilter): AudienceFilter {
  return mailing.remainderOf ? { ...audience, notReceivedFrom: { kind: mailing.ref.kind, id: mailing.remainderOf } } : audience;
}

export const EVERYONE: AudienceFilter = Object.freeze({ preferredLocale: null });

/** What the planning scan gives a producer of each active subscriber. */
export interface AudienceSubscriber {
  id: number;
  preferredLocale: string | null;
  /** Theme slugs the subscriber follows (parsed); empty = no preference. */
  themes: string[];
}

/** One rendering of a mailing, made once at planning and stored. */
export interface RenderedVariant {
  subject: string;
  html: string;
  text: string;
}

/** What a batch needs of one recipient, read at send time (so a changed address or state counts). */
export interface RecipientRecord {
  deliveryId: number;
  subscriberId: number;
  subscriberDocumentId: string;
  email: string;
  name: string | null;
  preferredLocale: string | null;
  linkKey: string;
  state: string;
}

/** A mailing whose planning began and has not ended: it cannot finish yet, and planning it again resumes it. */
export function isPlanning(mailing: Pick<MailingRecord, 'state' | 'plannedAt'>): boolean {
  return mailing.state === 'sending' && mailing.plannedAt === null;
}

/** A mailing ready to plan: read once per planning (content resolved, themes known). */
export interface PreparedMailing {
  audience: AudienceFilter;
  /** The variant key of one subscriber, or null: outside the audience (no delivery is written). */
  variantFor(subscriber: AudienceSubscriber): string | null;
  /** Renders one variant; called once per variant key met. */
  render(variantKey: string): Promise<RenderedVariant>;
}

/** Nothing left to send (e.g. every item of an edition was unpublished): the mailing ends so, with a note. */
export interface NothingToSend {
  nothing: { state: 'skipped' | 'failed'; note: string };
}

/** What every request of one variant carries, and each recipient's personalization. */
export interface MailingEnvelope {
  categories: string[];
  /** Custom args of every recipient (message level); the engine adds the mailing's key. */
  customArgs: Record<string, string>;
  /** Headers of every recipient (message level), e.g. List-Id. */
  headers: Record<string, string>;
  /** What each recipient's personalization is made of besides their own record: plain data (built in the worker's personalizer thread). */
  personalization: PersonalizationRecipe;
}

export interface MailingProducer {
  readonly kind: MailingKind;
  prepare(mailing: MailingRecord): Promise<PreparedMailing | NothingToSend>;
  envelope(mailing: MailingRecord, variantKey: string): MailingEnvelope;
}

/** One variant as editors preview it before the send, rendered on the send's own path. */
export interface VariantPreview {
  key: string;
  locale: Locale;
  /** An edition's theme selection of this variant (empty: all themes); a campaign's is empty. */
  themes: string[];
  /** The file name, without extension, the CLI writes this variant to. */
  fileName: string;
  rendered: RenderedMail;
}

/**
 * A producer as editors meet it: besides what the engine sends, its preview and its test mail, made
 * by the same code as the send. The desk and the CLI look it up by kind and never branch on it.
 */
export interface EditorialProducer extends MailingProducer {
  previewVariants(ref: MailingRef): Promise<VariantPreview[]>;
  /** The variant a test send in `locale` shows: a reader of that language without themes. */
  testMail(ref: MailingRef, locale: Locale): Promise<RenderedMail>;
}

export function isNothingToSend(value: PreparedMailing | NothingToSend): value is NothingToSend {
  return 'nothing' in value;
}
