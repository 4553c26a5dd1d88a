import { retentionSettingsFromEnv, type RetentionSettings } from '../core/retention';

/**
 * Settings of the mail path and of subscriptions, read from the environment by one pure function so
 * that the CMS, the worker and the tests agree on defaults.
 */
export interface MailSettings {
  sendgridApiKey: string;
  /** Base URL of the SendGrid API; tests and development point it at the local stand-in. */
  sendgridApiUrl: string;
  /**
   * How long a request to SendGrid may take before its answer counts as lost (the batch's fate is
   * then unknown, never sent again blindly). SendGrid answers in well under a second.
   */
  sendgridTimeoutMs: number;
  from: { email: string; name: string };
  /** Base of every link in mail and on the hosted pages. */
  publicUrl: string;
  organisation: { name: string; postalAddress: string; websiteUrl: string; privacyUrl: string };
  confirmTokenTtlDays: number;
  redisUrl: string;
  /** Prefix of every Redis key this deployment uses (queues and limits). */
  redisPrefix: string;
  limits: {
    subscribePerIpHour: number;
    confirmationMailsPerEmailDay: number;
    alreadySubscribedMailsPerEmailDay: number;
  };
  retention: RetentionSettings;
  /** Lock time of a mail job; a job whose worker died is picked up again after about this long. */
  jobLockMs: number;
  /**
   * Whether editors may switch on open and click tracking for a mailing (MAIL_ENGAGEMENT_TRACKING
   * `per-mailing`; default `off`: no mail is ever tracked, whatever a mailing's switch says). The
   * privacy statement reads this same setting, so what it promises is what the engine does.
   */
  engagementTrackingAllowed: boolean;
  /**
   * RFC 2919 `List-Id` of the newsletter (MAIL_LIST_ID; default the organisation's name and the
   * sender's address as its identifier): mail apps file and filter the list by it.
   */
  listId: string;
  /**
   * MAIL_UNSUBSCRIBE_MAILBOX: an address whose mail is processed as unsubscribes (e.g. SendGrid's
   * Inbound Parse to a handler), offered as `mailto:` in List-Unsubscribe beside the https link.
   * Unset by default: a mailbox that nobody processes would be a promise the product breaks.
   */
  unsubscribeMailbox: string | null;
}

type Env = Record<string, string | undefined>;

export function readMailSettings(env: Env = process.env): MailSettings {
  const publicUrl = (env.PUBLIC_URL || `http://${env.HOST || '127.0.0.1'}:${env.PORT || '1337'}`).replace(/\/+$/, '');
  const organisationName = env.ORGANISATION_NAME || 'Zorgnetwerk Rotterdam';
  // The sender's name is the organisation's unless MAIL_FROM names one: readers see who writes.
  const sender = parseAddress(env.MAIL_FROM || 'nieuwsbrief@example.org');
  const from = { email: sender.email, name: sender.name || organisationName };
  return {
    sendgridApiKey: env.SENDGRID_API_KEY || (env.NODE_ENV === 'production' ? '' : 'SG.development-key'),
    sendgridApiUrl: (env.SENDGRID_API_URL || 'https://api.sendgrid.com').replace(/\/+$/, ''),
    sendgridTimeoutMs: positive(env.SENDGRID_TIMEOUT_MS, 30_000),
    from,
    publicUrl,
    organisation: {
      name: organisationName,
      postalAddress: env.ORGANISATION_ADDRESS || 'Postbus 1234, 3000 AA Rotterdam',
      websiteUrl: env.ORGANISATION_WEBSITE || publicUrl,
      privacyUrl: env.PRIVACY_URL || `${publicUrl}/newsletter/privacy`,
    },
    confirmTokenTtlDays: positive(env.CONFIRM_TOKEN_TTL_DAYS, 7),
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    redisPrefix: env.REDIS_PREFIX || 'netwerkpost',
    limits: {
      subscribePerIpHour: positive(env.SUBSCRIBE_LIMIT_PER_IP_HOUR, 20),
      confirmationMailsPerEmailDay: positive(env.SUBSCRIBE_LIMIT_PER_EMAIL_DAY, 3),
      alreadySubscribedMailsPerEmailDay: positive(env.ALREADY_SUBSCRIBED_MAILS_PER_DAY, 1),
    },
    // The one reader of the retention periods (the purge, the CLI and the privacy page all use it).
    retention: retentionSettingsFromEnv(env),
    jobLockMs: positive(env.MAIL_JOB_LOCK_MS, 30_000),
    engagementTrackingAllowed: engagementTracking(env.MAIL_ENGAGEMENT_TRACKING),
    listId: env.MAIL_LIST_ID?.trim() || `${organisationName} <${from.email.replace('@', '.')}>`,
    unsubscribeMailbox: mailbox(env.MAIL_UNSUBSCRIBE_MAILBOX),
  };
}

function positive(raw: string | undefined, fallback: number): number {
  const value = Number(raw);
  return raw !== undefined && raw !== '' && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** "Name <address>" or a bare address. */
export function parseAddress(raw: string): { email: string; name: string } {
  const match = /^\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(raw);
  if (match) return { name: match[1].replace(/^"|"$/g, ''), email: match[2] };
  return { name: '', email: raw.trim() };
}

function engagementTracking(raw: string | undefined): boolean {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '' || value === 'off') return false;
  if (value === 'per-mailing') return true;
  throw new Error(`MAIL_ENGAGEMENT_TRACKING must be "off" or "per-mailing", got "${raw}"`);
}

function mailbox(raw: string | undefined): string | null {
  const value = raw?.trim();
  if (!value) return null;
  if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(value)) throw new Error(`MAIL_UNSUBSCRIBE_MAILBOX must be an email address, got "${raw}"`);
  return value;
}
