import type { Context } from 'koa';
import type { Core } from '@strapi/strapi';
import { CONTENT_TYPES } from '../../core/content-types';
import { PREVIEW_TOKEN_SECONDS, signPreviewToken, verifyPreviewToken, type PreviewKind } from '../../core/domain/preview-token';
import { sendPage } from '../page-response';
import type { Locale } from '../../core/domain/locale';

/**
 * Strapi's Preview for articles, resources and themes: the admin panel asks `previewUrl` for the
 * address of a document's language version (draft or published) and shows it in a frame; the
 * address is our own reading page behind a short-lived signed token, so a draft can be read before
 * it is published without making drafts public. Mailings and subscribers have no such page
 * (their Preview is the desk's, in the Sending panel): null, and Strapi then shows no Preview box.
 */
const KINDS: Record<string, PreviewKind> = { [CONTENT_TYPES.article]: 'article', [CONTENT_TYPES.resource]: 'resource', [CONTENT_TYPES.theme]: 'theme' };

export const PREVIEW_PATH = '/preview';

export interface PreviewRequest {
  documentId?: string;
  locale?: string | null;
  status?: string | null;
}

export function previewUrl(uid: string, request: PreviewRequest, settings: { publicUrl: string; tokenSecret: string }, now: Date = new Date()): string | null {
  const kind = KINDS[uid];
  if (!kind || typeof request.documentId !== 'string') return null;
  const locale: Locale = request.locale === 'en' ? 'en' : 'nl';
  const token = signPreviewToken(
    {
      kind,
      documentId: request.documentId,
      locale,
      version: request.status === 'published' ? 'published' : 'draft',
      expiresAt: Math.floor(now.getTime() / 1000) + PREVIEW_TOKEN_SECONDS,
    },
    settings.tokenSecret,
  );
  return `${settings.publicUrl}${PREVIEW_PATH}/${token}`;
}

/** What the reading routes need to show one page (src/site/reading/routes.ts). */
export interface PreviewPages {
  notFound(ctx: Context, locale: Locale, reason: 'notFound' | 'previewGone', status: number): void;
  show(ctx: Context, kind: PreviewKind, locale: Locale, slug: string, version: { status: 'draft' | 'published'; documentId: string }): Promise<boolean>;
}

export async function answerPreview(strapi: Core.Strapi, ctx: Context, tokenSecret: string, pages: PreviewPages): Promise<void> {
  const check = verifyPreviewToken(ctx.params?.token, tokenSecret);
  if (!check.ok) return pages.notFound(ctx, 'nl', check.reason === 'expired' ? 'previewGone' : 'notFound', check.reason === 'expired' ? 410 : 404);
  const uid = Object.keys(KINDS).find((candidate) => KINDS[candidate] === check.kind)!;
  const stored = (await strapi.documents(uid as never).findOne({
    documentId: check.documentId,
    locale: check.locale,
    status: check.version,
    fields: ['slug'],
  } as never)) as { slug?: string | null } | null;
  const version = { status: check.version, documentId: check.documentId };
  if (!stored?.slug || !(await pages.show(ctx, check.kind, check.locale, stored.slug, version))) return pages.notFound(ctx, check.locale, 'notFound', 404);
}

/** A preview is for the editor who opened it: never cached, never indexed, framed only by our own admin. */
export function sendPreviewPage(ctx: Context, status: number, body: string): void {
  sendPage(ctx, status, body, 'same-origin');
  ctx.set('X-Robots-Tag', 'noindex, nofollow');
}
