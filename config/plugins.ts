import path from 'node:path';
import type { Core } from '@strapi/strapi';
import { readMailSettings } from '../src/settings/mail';
import { readSecret } from '../src/settings/secrets';
import { strapiProviderSpecifier, type EmailProviderOptions, type EmailProviderSettings } from '../src/mail/strapi-email-provider';

/**
 * Strapi's own mail (admin password reset) goes through the project's SendGrid provider instead of
 * the default sendmail (direct SMTP): same key, API URL and sender as every other mail, so in
 * development and tests it lands in the stand-in.
 */
function emailConfig() {
  const mail = readMailSettings();
  const providerOptions: EmailProviderOptions = { apiKey: mail.sendgridApiKey, apiUrl: mail.sendgridApiUrl };
  const settings: EmailProviderSettings = { defaultFrom: mail.from.name ? `${mail.from.name} <${mail.from.email}>` : mail.from.email };
  return {
    provider: strapiProviderSpecifier(require.resolve('../src/mail/strapi-email-provider'), path.dirname(require.resolve('@strapi/email/strapi-server'))),
    providerOptions,
    settings,
  };
}

const config = (_params: Core.Config.Shared.ConfigParams): Core.Config.Plugin => ({
  'users-permissions': {
    config: {
      jwtSecret: readSecret('JWT_SECRET'),
    },
  },
  email: {
    config: emailConfig(),
  },
  // The editors' desk (preview, test send, schedule, send now, cancel, progress, GDPR): src/plugins/desk.
  desk: {
    enabled: true,
    resolve: './src/plugins/desk',
  },
});

export default config;
