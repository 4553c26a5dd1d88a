/**
 * Strapi's email plugin provider (admin password reset, and whatever else calls
 * `strapi.plugin('email').service('email').send`). It sends through the project's own SendGrid path
 * (toSendGridRequest + createSendGridProvider: same API key, SENDGRID_API_URL and MAIL_FROM, tracking
 * off), so admin mail lands in the stand-in in development and tests instead of going out by direct
 * SMTP. It sends at once rather than through the mail queue: the admin is waiting for it, and Strapi
 * logs a failure itself. Configured in config/plugins.ts.
 */
import path from 'node:path';
import { parseAddress } from '../settings/mail';
import { toSendGridRequest } from './outgoing-mail';
import { createSendGridProvider, type MailProvider } from './provider';

export interface EmailProviderOptions {
  apiKey: string;
  apiUrl: string;
  timeoutMs?: number;
}

export interface EmailProviderSettings {
  /** "Name <address>" or an address: MAIL_FROM. */
  defaultFrom: string;
  defaultReplyTo?: string;
}

/** What Strapi passes to `send` (its EmailConfig / SendOptions). */
export interface StrapiSendOptions {
  to: string | string[];
  from?: string;
  replyTo?: string;
  subject: string;
  text?: string;
  html?: string;
  [key: string]: unknown;
}

/** Options this provider does not carry over; refused rather than silently dropped. */
const UNSUPPORTED = ['cc', 'bcc', 'attachments'] as const;

export function createStrapiEmailProvider(
  options: EmailProviderOptions,
  settings: EmailProviderSettings,
  provider: MailProvider = createSendGridProvider(options),
): { send(mail: StrapiSendOptions): Promise<void> } {
  const defaultFrom = parseAddress(settings.defaultFrom);
  return {
    async send(mail) {
      const unsupported = UNSUPPORTED.filter((key) => mail[key] !== undefined && mail[key] !== null);
      if (unsupported.length > 0) throw new Error(`The email provider does not send ${unsupported.join(', ')}.`);
      const to = (Array.isArray(mail.to) ? mail.to : String(mail.to ?? '').split(',')).map((value) => value.trim()).filter(Boolean);
      const replyTo = mail.replyTo || settings.defaultReplyTo;
      await provider.send(
        toSendGridRequest({
          from: nameOptional(mail.from ? parseAddress(mail.from) : defaultFrom),
          ...(replyTo ? { replyTo: nameOptional(parseAddress(replyTo)) } : {}),
          subject: mail.subject,
          html: mail.html ?? '',
          text: mail.text ?? '',
          // One personalization per address: several recipients never see each other's address.
          recipients: to.map((email) => ({ email: parseAddress(email).email, substitutions: {} })),
          categories: ['admin'],
        }),
      );
    },
  };
}

function nameOptional(value: { email: string; name: string }): { email: string; name?: string } {
  return value.name ? value : { email: value.email };
}

/**
 * The module shape Strapi's email plugin requires: it `require`s the module and calls
 * `init(providerOptions, settings)` on it, so this is a named export (a default export would sit
 * under `.default` in the compiled CommonJS).
 */
export function init(providerOptions: EmailProviderOptions, settings: EmailProviderSettings): ReturnType<typeof createStrapiEmailProvider> {
  return createStrapiEmailProvider(providerOptions, settings);
}

/**
 * How to name this module in `email.config.provider`. Strapi lower-cases the name and then
 * `require`s it from its own plugin's folder, so an absolute path only works when it has no capital
 * letters (a checkout under /home/Anna would break); otherwise the path relative to the plugin's
 * folder is used (inside the project every name is lower-case).
 */
export function strapiProviderSpecifier(file: string, requiringDir: string): string {
  if (file === file.toLowerCase()) return file;
  const relative = path.relative(requiringDir, file).split(path.sep).join('/');
  const specifier = relative.startsWith('.') ? relative : `./${relative}`;
  if (!path.isAbsolute(relative) && specifier === specifier.toLowerCase()) return specifier;
  throw new Error(`Strapi's email plugin lower-cases provider paths and cannot load ${file}; move the project to a path without capital letters.`);
}
