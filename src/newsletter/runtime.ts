import path from 'node:path';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { APP_ROOT } from '../config/app-root';
import { readMailSettings } from '../config/mail';
import { readNewsletterConfig, type NewsletterConfig } from '../config/newsletter';
import { readSecret } from '../config/secrets';
import type { Logger } from '../infra/log';
import { createMailRenderer, type MailRenderer } from '../mail/renderer';
import { renderEditionVariant } from '../mail/edition-renderer';
import { createSendGridProvider } from '../mail/provider';
import type { NewsletterDeps } from './pipeline';

/** Wires the pipeline to this deployment's Strapi, renderer and SendGrid (worker and CLI alike). */
export function createNewsletterDeps(strapi: Core.Strapi, log: Logger, renderer?: MailRenderer): NewsletterDeps & { config: NewsletterConfig; renderer: MailRenderer } {
  const mail = readMailSettings();
  const config = readNewsletterConfig();
  const mailRenderer = renderer ?? createMailRenderer({ templatesDir: path.join(APP_ROOT, 'emails'), organisation: mail.organisation });
  const provider = createSendGridProvider({ apiKey: mail.sendgridApiKey, apiUrl: mail.sendgridApiUrl });
  return {
    strapi,
    db: strapi.db.connection as unknown as Knex,
    render: (model) => renderEditionVariant(mailRenderer, model),
    send: (request) => provider.send(request),
    settings: {
      from: mail.from,
      publicUrl: mail.publicUrl,
      siteUrl: config.siteUrl,
      timeZone: config.timeZone,
      batchSize: config.batchSize,
      reviewHours: config.reviewHours,
      leaseMs: config.leaseMs,
    },
    tokenSecret: readSecret('TOKEN_SECRET'),
    log,
    config,
    renderer: mailRenderer,
  };
}
