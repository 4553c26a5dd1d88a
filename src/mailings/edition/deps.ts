import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import type { Logger } from '../../core/infra/log';
import type { EditionVariantModel } from '../../mail/edition-renderer';
import type { RenderedMail } from '../../mail/renderer';
import type { SendingEngine } from '../engine/engine';
import type { LinkSettings } from '../content';

/** What the edition needs: Strapi for its content, the renderer, and the sending engine. */
export interface NewsletterSettings extends LinkSettings {
  from: { email: string; name?: string };
  timeZone: string;
  batchSize: number;
  reviewHours: number;
  /** How long a worker may hold a batch it is sending before others consider its fate unknown. */
  leaseMs: number;
  /** With the Event Webhook: how long a batch of unknown fate waits for an event before it is resent; null = never resent. */
  unknownFateQuietMs: number | null;
  engagementTrackingAllowed: boolean;
  /** List-Id and the optional unsubscribe mailbox of every newsletter mail (src/settings/mail.ts). */
  listId: string;
  unsubscribeMailbox: string | null;
}

export interface NewsletterDeps {
  strapi: Core.Strapi;
  db: Knex;
  render(model: EditionVariantModel): Promise<RenderedMail>;
  settings: NewsletterSettings;
  tokenSecret: string;
  log: Logger;
  /** The sending engine, with the edition producer (and any other this process sends). */
  engine: SendingEngine;
}

export interface EditionRow {
  id: number;
  document_id: string;
  state: import('./edition-state').EditionState;
  cutoff: unknown;
  scheduled_at: unknown;
  intro_nl: string | null;
  intro_en: string | null;
}

export const editionRef = (id: number) => ({ kind: 'edition' as const, id });
