import type { Core } from '@strapi/strapi';
import { errors } from '@strapi/utils';
import { readAllowedUploadKinds } from '../../settings/uploads';
import type { FileKind } from '../../core/file-kinds';
import { readUploadContent } from './read-upload';
import { judgeUpload, refusalMessage, storedFileName } from './upload-check';

/**
 * Every file that enters the media library is checked by its content before anything is stored:
 * the admin panel's upload, replacing a file, upload from a URL and the content API's `/api/upload`
 * all end in the upload service's `upload` or `replace`, so the check wraps those two. Strapi's own
 * `security.allowedTypes` is not used: for content it cannot recognise (HTML, JavaScript, SVG) it
 * falls back to the file's name, so `page.png` holding HTML would pass as an image.
 *
 * A refused file stops the whole request with a 400 before the service runs: no file is written,
 * no row is made. An accepted file is stored with its content's type and, when its name says
 * otherwise, its content's extension (a file is later served with the type its extension says).
 */
interface UploadedFile {
  filepath?: string;
  originalFilename?: string | null;
  detectedMimeType?: string;
}

interface AdminUser {
  preferedLanguage?: string | null;
}

type UploadService = {
  upload(input: { data: unknown; files: UploadedFile | UploadedFile[] }, opts?: { user?: AdminUser }): Promise<unknown>;
  replace(id: unknown, input: { data: unknown; file: UploadedFile }, opts?: { user?: AdminUser }): Promise<unknown>;
};

async function admit(file: UploadedFile, allowed: readonly FileKind[], user: AdminUser | undefined): Promise<void> {
  const verdict = file.filepath ? judgeUpload(await readUploadContent(file.filepath), allowed) : ({ allowed: false } as const);
  if (!verdict.allowed) {
    throw new errors.ValidationError(refusalMessage(allowed, user?.preferedLanguage), { fileName: file.originalFilename ?? null });
  }
  file.detectedMimeType = verdict.kind.mime;
  file.originalFilename = storedFileName(file.originalFilename || 'file', verdict.kind);
}

export function registerUploadGuard(strapi: Core.Strapi): void {
  const allowed = readAllowedUploadKinds();
  const service = strapi.plugin('upload').service('upload') as UploadService;
  const upload = service.upload.bind(service);
  const replace = service.replace.bind(service);
  service.upload = async (input, opts) => {
    for (const file of Array.isArray(input.files) ? input.files : [input.files]) await admit(file, allowed, opts?.user);
    return upload(input, opts);
  };
  service.replace = async (id, input, opts) => {
    await admit(input.file, allowed, opts?.user);
    return replace(id, input, opts);
  };
}
