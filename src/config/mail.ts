import { retentionSettingsFromEnv, type RetentionSettings } from '../gdpr/retention';

/**
 * Settings of the mail path and of subscriptions, read from the environment by one pure function so
 * that the CMS, the worker and the tests agree on defaults.
 */
export interface MailSettings {
  sendgridApiKey: string;
  /** Base URL of the SendGrid API; tests and development point it at the local stand-in. */
  sendgridApiUrl: string;
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
}

type Env = Record<string, string | undefined>;

export function readMailSettings(env: Env = process.env): MailSettings {
  const publicUrl = (env.PUBLIC_URL || `http://${env.HOST || '127.0.0.1'}:${env.PORT || '1337'}`).replace(/\/+$/, '');
  return {
    sendgridApiKey: env.SENDGRID_API_KEY || (env.NODE_ENV === 'production' ? '' : 'SG.development-key'),
    sendgridApiUrl: (env.SENDGRID_API_URL || 'https://api.sendgrid.com').replace(/\/+$/, ''),
    from: parseAddress(env.MAIL_FROM || 'Netwerkpost <nieuwsbrief@example.org>'),
    publicUrl,
    organisation: {
      name: env.ORGANISATION_NAME || 'Zorgnetwerk Rotterdam',
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
