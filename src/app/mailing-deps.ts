import path from 'node:path';
import { readWebhookSettings } from '../settings/webhook';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { APP_ROOT } from '../settings/app-root';
import { readMailSettings } from '../settings/mail';
import { readMailingConfig, type MailingConfig } from '../settings/mailings';
import { readSecret } from '../settings/secrets';
import { readItemCountSettings } from '../settings/item-counts';
import type { Logger } from '../core/infra/log';
import { renderEditionVariant } from '../mail/edition-renderer';
import { createSendGridProvider } from '../mail/provider';
import { createPersonalizer, type Personalizer } from '../mail/personalizer';
import { createMailRenderer, type MailRenderer } from '../mail/renderer';
import { createSendingEngine } from '../mailings/engine/engine';
import { createKnexSendingStore } from '../mailings/engine/knex-store';
import type { EditorialProducer, MailingKind, MailingProducer } from '../mailings/engine/mailing';
import type { MailingDeps } from '../mailings/engine/mailing-deps';
import { createCampaignProducer } from '../mailings/campaign/campaign-mailing';
import { createEditionProducer } from '../mailings/edition/edition-mailing';

/**
 * Wires the sending engine to this deployment's database, renderer and SendGrid, with its
 * producers: the edition and the campaign (worker, CLI and tests alike, so every process can plan,
 * send, cancel and reconcile both). Further producers come in through `producers`, built from the
 * same parts.
 */
export function createMailingDeps(
  strapi: Core.Strapi,
  log: Logger,
  renderer?: MailRenderer,
  producers: (parts: Omit<MailingDeps, 'engine' | 'producer'> & { renderer: MailRenderer }) => MailingProducer[] = () => [],
  /** The worker passes a threaded one (createThreadedPersonalizer); by default personalizations are built in this thread. */
  personalizer?: (tokenSecret: string) => Personalizer,
): MailingDeps & { config: MailingConfig; renderer: MailRenderer } {
  const mail = readMailSettings();
  const config = readMailingConfig();
  const mailRenderer = renderer ?? createMailRenderer({ templatesDir: path.join(APP_ROOT, 'emails'), organisation: mail.organisation });
  const provider = createSendGridProvider({ apiKey: mail.sendgridApiKey, apiUrl: mail.sendgridApiUrl, timeoutMs: mail.sendgridTimeoutMs });
  const db = strapi.db.connection as unknown as Knex;
  const parts = {
    strapi,
    db,
    render: (model: Parameters<typeof renderEditionVariant>[1]) => renderEditionVariant(mailRenderer, model),
    // One settings object: the engine reads batch size, lease and sender from it (tests adjust it).
    settings: {
      from: mail.from,
      publicUrl: mail.publicUrl,
      siteUrl: config.siteUrl,
      timeZone: config.timeZone,
      batchSize: config.batchSize,
      reviewHours: config.reviewHours,
      leaseMs: config.leaseMs,
      unknownFateQuietMs: readWebhookSettings().unknownFateQuietMs,
      engagementTrackingAllowed: mail.engagementTrackingAllowed,
      itemCounts: readItemCountSettings().enabled,
      listId: mail.listId,
      unsubscribeMailbox: mail.unsubscribeMailbox,
    },
    tokenSecret: readSecret('TOKEN_SECRET'),
    log,
    renderer: mailRenderer,
  };
  const editorial = [createEditionProducer(parts), createCampaignProducer(parts)];
  const engine = createSendingEngine({
    store: createKnexSendingStore(db),
    producers: [...editorial, ...producers(parts)],
    personalizer: (personalizer ?? createPersonalizer)(parts.tokenSecret),
    send: (request) => provider.send(request),
    settings: parts.settings,
    log,
  });
  const producer = (kind: MailingKind): EditorialProducer => {
    const found = editorial.find((candidate) => candidate.kind === kind);
    if (!found) throw new Error(`no producer for ${kind} mailings`);
    return found;
  };
  return { ...parts, engine, config, producer };
}
