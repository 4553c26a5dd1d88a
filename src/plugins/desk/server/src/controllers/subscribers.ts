import fs from 'node:fs';
import { PassThrough, Writable } from 'node:stream';
import type { Core } from '@strapi/strapi';
import { cmsServices } from '../../../../../app/cms';
import { IMPORT_FIELDS, type ImportField, type MappingOverride } from '../../../../../gdpr/import/columns';
import { ImportFileError, ImportMappingError, importSubscribers, type RefusedRow } from '../../../../../gdpr/import/import';
import { refusedRowsReport } from '../../../../../gdpr/import/refused-report';
import { exportSubscriberList, recentExports, type ListExportFilter } from '../../../../../gdpr/list-export';
import { checkSubscriberFilter } from '../../../../../gdpr/subscriber-filter';
import { answerError, type AdminContext } from './http';

/**
 * The subscriber list in and out of the admin panel (the desk's subscribers action): the import of
 * a CSV file (a dry run first, then for real, with the editor's column mapping), its progress, a
 * CSV of the rows it refused, and the export of the list by state, language and theme. The work is
 * src/gdpr/import/ and src/gdpr/list-export.ts, as for `npm run subscribers`.
 *
 *   POST /desk/subscribers/import   multipart: file, dryRun ('true' | 'false'), mapping (JSON
 *                                   field -> column header), importId (for progress), report ('csv':
 *                                   a dry run answering the refused rows as CSV text, `{ csv }`, with
 *                                   the reasons in `language`, nl or en)
 *   GET  /desk/subscribers/import/:importId/progress   { rows } done so far
 *   GET  /desk/subscribers/exports   the latest exports: who, when, which filter, how many rows
 *   GET  /desk/subscribers/export?state=&locale=&theme=  the list as a CSV download, logged
 */
interface UploadedFile {
  filepath: string;
  originalFilename?: string | null;
  size?: number;
}

interface SubscribersContext extends AdminContext {
  query: Record<string, unknown>;
  request: AdminContext['request'] & { files?: Record<string, UploadedFile | UploadedFile[] | undefined> };
}

/** The answer lists at most this many refused rows; all of them are in the CSV download. */
const REFUSED_SHOWN = 200;
const IMPORT_ID = /^[A-Za-z0-9-]{8,64}$/;
/** The page shows the latest exports; the table keeps all of them. */
const EXPORT_LOG_SHOWN = 20;

/** Collects what is written to it as text (a report small enough to answer in one piece). */
class TextCollector extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

function checkMapping(raw: unknown): Checked<MappingOverride> {
  if (raw === undefined || raw === '') return { ok: true, value: {} };
  let parsed: unknown;
  try {
    parsed = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    return { ok: false, message: 'The column mapping is not valid JSON. / De kolomindeling is geen geldige JSON.' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { ok: false, message: 'The column mapping must map fields to column headers. / De kolomindeling moet velden aan kolomkoppen koppelen.' };
  const value: MappingOverride = {};
  for (const [field, header] of Object.entries(parsed)) {
    if (!(IMPORT_FIELDS as readonly string[]).includes(field) || typeof header !== 'string')
      return { ok: false, message: `The column mapping names an unknown field "${field}". / De kolomindeling noemt een onbekend veld "${field}".` };
    value[field as ImportField] = header;
  }
  return { ok: true, value };
}

function checkFilter(query: Record<string, unknown>): Checked<ListExportFilter> {
  const checked = checkSubscriberFilter(query);
  if (checked.ok) return checked;
  const en = checked.message.en;
  return { ok: false, message: `${en.charAt(0).toUpperCase()}${en.slice(1)}. / ${checked.message.nl}.` };
}

/** The mapping errors an editor can meet in the panel, in both languages; the panel only offers columns the file has. */
function mappingMessage(error: ImportMappingError): string {
  if (/no column with email addresses/.test(error.message))
    return 'No column holds the email addresses: choose it at "email". / Geen kolom met e-mailadressen: kies die bij "email".';
  return error.message;
}

export default ({ strapi }: { strapi: Core.Strapi }) => ({
  async importFile(ctx: SubscribersContext) {
    const body = (typeof ctx.request.body === 'object' && ctx.request.body !== null ? ctx.request.body : {}) as Record<string, unknown>;
    const uploaded = ctx.request.files?.file;
    const file = Array.isArray(uploaded) ? uploaded[0] : uploaded;
    try {
      if (!file?.filepath) return answerError(ctx, 400, 'Choose a CSV file to import. / Kies een CSV-bestand om te importeren.');
      if (Array.isArray(uploaded) && uploaded.length > 1) return answerError(ctx, 400, 'Import one file at a time. / Importeer één bestand tegelijk.');
      const mapping = checkMapping(body.mapping);
      if (!mapping.ok) return answerError(ctx, 400, mapping.message);
      if (body.dryRun !== undefined && body.dryRun !== 'true' && body.dryRun !== 'false')
        return answerError(ctx, 400, 'dryRun must be true or false. / dryRun moet true of false zijn.');
      const importId = typeof body.importId === 'string' && IMPORT_ID.test(body.importId) ? body.importId : null;
      if (body.importId !== undefined && !importId) return answerError(ctx, 400, 'The import id is not valid. / Het importnummer is ongeldig.');
      // Without an explicit "false" nothing is written: a dry run is the safe default.
      const dryRun = body.dryRun !== 'false';
      const report = body.report === 'csv';
      const services = cmsServices(strapi);
      const fileName = (file.originalFilename || 'import.csv').slice(0, 200);

      const csv = report ? new TextCollector() : null;
      // The downloaded reasons in the panel's language (the JSON answer carries both).
      const reportWriter = csv ? refusedRowsReport(csv, body.language === 'en' ? 'en' : 'nl') : null;
      const refused: RefusedRow[] = [];
      let columns: { kind: string; headers: string[]; fields: MappingOverride; separator: string } | null = null;
      let lastProgress = 0;
      const run = importSubscribers(services.subscriberImport, {
        file: file.filepath,
        fileName,
        dryRun: report ? true : dryRun,
        mapping: mapping.value,
        onColumns: ({ kind, headers, fields, separator }) => (columns = { kind, headers, fields, separator }),
        onRefused: (row) => {
          if (reportWriter) reportWriter.write(row);
          else if (refused.length < REFUSED_SHOWN) refused.push(row);
        },
        onProgress: (rows) => {
          if (!importId || rows - lastProgress < 1000) return;
          lastProgress = rows;
          void services.importProgress.set(importId, rows).catch(() => undefined);
        },
      });
      if (csv && reportWriter) {
        // In the JSON answer: the admin's fetch client reads a POST's answer as JSON; the panel saves it as a file.
        const result = await run;
        await reportWriter.close();
        ctx.set('Cache-Control', 'no-store');
        ctx.body = {
          data: { fileName: 'geweigerde-rijen.csv', csv: csv.text, rows: result.counts.invalid + result.counts.duplicates + result.counts.suppressed },
        };
        return;
      }
      const result = await run;
      if (importId) await services.importProgress.set(importId, result.counts.rows).catch(() => undefined);
      if (!dryRun)
        strapi.log.info(
          `[desk] import of ${result.counts.rows} rows by admin user ${String(ctx.state.user?.id ?? 'unknown')}: ${result.counts.new} new, ${result.mails.queued} confirmation mails queued`,
        );
      ctx.set('Cache-Control', 'no-store');
      ctx.body = {
        data: {
          dryRun,
          fileName,
          columns,
          counts: result.counts,
          suppressedNew: result.suppressedNew,
          mails: result.mails,
          refused,
          refusedTotal: result.counts.invalid + result.counts.duplicates + result.counts.suppressed,
        },
      };
    } catch (error) {
      if (error instanceof ImportMappingError) return answerError(ctx, 400, mappingMessage(error));
      if (error instanceof ImportFileError) return answerError(ctx, 400, error.message);
      throw error;
    } finally {
      // The upload's temporary copy holds addresses: gone once read.
      if (file?.filepath) await fs.promises.rm(file.filepath, { force: true }).catch(() => undefined);
    }
  },

  async importProgress(ctx: SubscribersContext) {
    const importId = String(ctx.params.importId ?? '');
    if (!IMPORT_ID.test(importId)) return answerError(ctx, 400, 'The import id is not valid. / Het importnummer is ongeldig.');
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data: { rows: (await cmsServices(strapi).importProgress.get(importId)) ?? 0 } };
  },

  async exportList(ctx: SubscribersContext) {
    const filter = checkFilter(ctx.query);
    if (!filter.ok) return answerError(ctx, 400, filter.message);
    const who = `admin:${String(ctx.state.user?.id ?? 'unknown')}`;
    const csv = new PassThrough();
    const db = strapi.db.connection as never;
    ctx.set('Cache-Control', 'no-store');
    ctx.set('Content-Disposition', `attachment; filename="abonnees.csv"`);
    ctx.type = 'text/csv; charset=utf-8';
    ctx.body = csv;
    // Streamed as it is read: a million readers never sit in memory. Logged before the first row (list-export.ts).
    exportSubscriberList(db, { out: 'admin panel download', destination: csv, filter: filter.value, exportedBy: who }).then(
      (result) => strapi.log.info(`[desk] subscriber list exported (${result.rows} rows, filter ${JSON.stringify(filter.value)}) by ${who}`),
      (error: unknown) => {
        strapi.log.error(`[desk] subscriber list export failed: ${error instanceof Error ? error.message : String(error)}`);
        csv.destroy(error instanceof Error ? error : new Error(String(error)));
      },
    );
  },

  /** The latest exports (who, when, which filter, how many rows), newest first; admins by their name. */
  async exportLog(ctx: SubscribersContext) {
    const db = strapi.db.connection as never;
    const logged = await recentExports(db, EXPORT_LOG_SHOWN);
    const adminIds = [...new Set(logged.map((entry) => /^admin:(\d+)$/.exec(entry.exportedBy)?.[1]).filter((id): id is string => Boolean(id)))];
    const admins = (await strapi.db.query('admin::user').findMany({
      where: { id: { $in: adminIds.map(Number) } },
      select: ['id', 'firstname', 'lastname', 'email'],
    })) as Array<{ id: number; firstname: string | null; lastname: string | null; email: string }>;
    const nameOf = new Map(admins.map((admin) => [`admin:${admin.id}`, [admin.firstname, admin.lastname].filter(Boolean).join(' ') || admin.email]));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = {
      data: {
        exports: logged.map((entry) => ({
          ...entry,
          // An admin removed since is still named by their number; the command line by its user, marked.
          by: nameOf.get(entry.exportedBy) ?? (entry.exportedBy.startsWith('cli:') ? `${entry.exportedBy.slice('cli:'.length)} (CLI)` : entry.exportedBy),
        })),
      },
    };
  },
});
