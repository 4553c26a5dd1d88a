import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Logger } from '../../core/infra/log';
import type { EditionVariantModel } from '../../mail/edition-renderer';
import type { RenderedMail } from '../../mail/renderer';
import type { SendingEngine } from './engine';
import type { EditorialProducer, MailingKind } from './mailing';
import type { LinkSettings } from '../../core/links';

/** The settings every mailing is sent with: sender, limits, links and the mail headers. */
export interface MailingSettings extends LinkSettings {
  from: { email: string; name?: string };
  timeZone: string;
  batchSize: number;
  reviewHours: number;
  /** How long a worker may hold a batch it is sending before others consider its fate unknown. */
  leaseMs: number;
  /** With the Event Webhook: how long a batch of unknown fate waits for an event before it is resent; null = never resent. */
  unknownFateQuietMs: number | null;
  engagementTrackingAllowed: boolean;
  /** MAIL_LINK_COUNTS: a mailing's links to our reading pages go through the counting redirect (src/settings/item-counts.ts). */
  itemCounts: boolean;
  /** List-Id and the optional unsubscribe mailbox of every newsletter mail (src/settings/mail.ts). */
  listId: string;
  unsubscribeMailbox: string | null;
}

export interface MailingDeps {
  strapi: Core.Strapi;
  db: Knex;
  render(model: EditionVariantModel): Promise<RenderedMail>;
  settings: MailingSettings;
  tokenSecret: string;
  log: Logger;
  /** The sending engine, with the edition and campaign producers (and any other this process sends). */
  engine: SendingEngine;
  /** The producer of a kind with its preview and test mail: the desk and the CLI look it up, never branch on the kind. */
  producer(kind: MailingKind): EditorialProducer;
}
