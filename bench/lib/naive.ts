import path from 'node:path';
import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { readMailSettings } from '../../src/settings/mail';
import { readMailingConfig } from '../../src/settings/mailings';
import { renderEditionVariant } from '../../src/mail/edition-renderer';
import { toSendGridRequest } from '../../src/mail/outgoing-mail';
import { createSendGridProvider } from '../../src/mail/provider';
import { createMailRenderer } from '../../src/mail/renderer';
import type { EditionRow } from '../../src/mailings/edition/edition-row';
import { loadEditionSource, readerLocale } from '../../src/mailings/edition/edition-source';
import { mailingHeaders, mailingRecipient } from '../../src/mail/personalization';
import { parseJson } from '../../src/mailings/engine/values';
import type { SinkProcess } from './processes';

export interface NaiveResult {
  recipients: number;
  seconds: number;
  recipientsPerSecond: number;
  renders: number;
  requests: number;
  extrapolated100kSeconds: number;
}

/**
 * The naive reference: for each subscriber, a fresh MJML render of their variant (renderer cache
 * off) and one mail/send request through @sendgrid/mail (createSendGridProvider), 4 at a time.
 * Edition content is read once before timing; the subscriber read is timed.
 */
export async function runNaive(options: {
  strapi: Core.Strapi;
  db: Knex;
  sink: SinkProcess;
  apiKey: string;
  editionId: number;
  count: number;
  concurrency: number;
  tokenSecret: string;
}): Promise<NaiveResult> {
  const { strapi, db, sink } = options;
  const mail = readMailSettings();
  const config = readMailingConfig();
  const settings = { publicUrl: mail.publicUrl, siteUrl: config.siteUrl };
  const renderer = createMailRenderer({ templatesDir: path.resolve(__dirname, '..', '..', 'emails'), organisation: mail.organisation, cache: false });
  const provider = createSendGridProvider({ apiKey: options.apiKey, apiUrl: sink.url });
  const edition = (await db('editions').where({ id: options.editionId }).first()) as EditionRow;
  const source = await loadEditionSource(strapi, edition, { ...settings, timeZone: config.timeZone });
  await sink.reset();
  const rendersBefore = renderer.mjmlRenders;

  const started = performance.now();
  const rows: Array<{ id: number; document_id: string; email: string; name: string | null; preferred_locale: string; themes: unknown; link_key: string }> =
    await db('subscribers')
      .where('state', 'active')
      .orderBy('id')
      .limit(options.count)
      .select('id', 'document_id', 'email', 'name', 'preferred_locale', 'themes', 'link_key');
  let next = 0;
  const lane = async () => {
    while (next < rows.length) {
      const row = rows[next++];
      const locale = readerLocale(row.preferred_locale);
      const key = source.variantKeyFor(locale, parseJson<string[]>(row.themes, []));
      const rendered = await renderEditionVariant(renderer, source.model(key));
      const viewUrl = `${mail.publicUrl}/newsletter/editions/${edition.document_id}?variant=${encodeURIComponent(key)}`;
      const recipient = mailingRecipient(
        { publicUrl: mail.publicUrl, viewUrl, locale, unsubscribeMailbox: mail.unsubscribeMailbox },
        { subscriberDocumentId: row.document_id, email: row.email, name: row.name, linkKey: row.link_key },
        options.tokenSecret,
      );
      await provider.send(
        toSendGridRequest({
          from: mail.from,
          subject: rendered.subject,
          html: rendered.html,
          text: rendered.text,
          recipients: [recipient],
          headers: mailingHeaders(mail.listId),
          categories: ['edition'],
          customArgs: { edition_id: edition.document_id },
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  const seconds = (performance.now() - started) / 1000;

  const counts = await sink.counts();
  if (counts.recipientsAccepted !== rows.length) throw new Error(`naive: the stand-in accepted ${counts.recipientsAccepted} of ${rows.length}`);
  return {
    recipients: rows.length,
    seconds,
    recipientsPerSecond: rows.length / seconds,
    renders: renderer.mjmlRenders - rendersBefore,
    requests: counts.accepted,
    extrapolated100kSeconds: (seconds / rows.length) * 100_000,
  };
}
