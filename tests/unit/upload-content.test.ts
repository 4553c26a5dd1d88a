import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAllowedUploadKinds } from '../../src/settings/uploads';
import { FILE_KINDS, sniffFileKind } from '../../src/core/file-kinds';
import { containsMarkup, MarkupScanner } from '../../src/edge/uploads/markup-scan';
import { readUploadContent } from '../../src/edge/uploads/read-upload';
import { judgeUpload, refusalMessage, storedFileName } from '../../src/edge/uploads/upload-check';
import { uploadResponseHeaders } from '../../src/edge/upload-headers';
import { ALLOWED_SAMPLES, REFUSED_SAMPLES } from '../support/sample-files';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'upload-content-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function judgeBytes(bytes: Buffer, allowed = FILE_KINDS) {
  const file = path.join(dir, `f-${Math.random().toString(36).slice(2)}`);
  await writeFile(file, bytes);
  return judgeUpload(await readUploadContent(file), allowed);
}

describe('upload content check', () => {
  for (const [name, sample] of Object.entries(ALLOWED_SAMPLES)) {
    it(`accepts a real ${name} file as ${sample.mime}`, async () => {
      const verdict = await judgeBytes(sample.bytes);
      expect(verdict.allowed && verdict.kind.mime).toBe(sample.mime);
    });
  }

  for (const sample of REFUSED_SAMPLES) {
    it(`refuses ${sample.what}`, async () => {
      expect(await judgeBytes(sample.bytes)).toEqual({ allowed: false });
    });
  }

  it('refuses an allowed kind that the configuration leaves out', async () => {
    const imagesOnly = readAllowedUploadKinds({ UPLOAD_ALLOWED_TYPES: 'jpeg, png' });
    expect((await judgeBytes(ALLOWED_SAMPLES.png.bytes, imagesOnly)).allowed).toBe(true);
    expect((await judgeBytes(ALLOWED_SAMPLES.pdf.bytes, imagesOnly)).allowed).toBe(false);
  });

  it('does not take HEIC (an ISO media file like AVIF) for AVIF, nor a PDF signature after leading text', () => {
    const heic = Buffer.from(ALLOWED_SAMPLES.avif.bytes);
    heic.write('heic', 8, 'latin1');
    heic.write('mif1heic', 16, 'latin1');
    expect(sniffFileKind(heic)).toBeUndefined();
    expect(sniffFileKind(Buffer.from('<p>x</p>%PDF-1.4'))).toBeUndefined();
  });

  it('finds markup split across chunks, in any case, and not in tag-like text without a delimiter', () => {
    const scanner = new MarkupScanner();
    scanner.feed(Buffer.from('binary... <sCr'));
    expect(scanner.found).toBe(false);
    scanner.feed(Buffer.from('IpT>alert(1)'));
    expect(scanner.found).toBe(true);
    expect(containsMarkup(Buffer.from('<scripted and <svgx'))).toBe(false);
  });

  it('scans a file larger than one read chunk to its end', async () => {
    const big = Buffer.concat([ALLOWED_SAMPLES.pdf.bytes, Buffer.alloc(300_000, 0x20), Buffer.from('<iframe src=x>')]);
    expect(await judgeBytes(big)).toEqual({ allowed: false });
  });
});

describe('allowed kinds from UPLOAD_ALLOWED_TYPES', () => {
  it('defaults to JPEG, PNG, WebP, GIF, AVIF and PDF', () => {
    expect(readAllowedUploadKinds({}).map((k) => k.name)).toEqual(['jpeg', 'png', 'webp', 'gif', 'avif', 'pdf']);
    expect(readAllowedUploadKinds({ UPLOAD_ALLOWED_TYPES: ' ' }).map((k) => k.name)).toHaveLength(6);
  });

  it('refuses an unknown kind, naming it and the known ones', () => {
    expect(() => readAllowedUploadKinds({ UPLOAD_ALLOWED_TYPES: 'png,svg' })).toThrow(
      /UPLOAD_ALLOWED_TYPES lists "svg"; known kinds: jpeg, png, webp, gif, avif, pdf/,
    );
  });
});

describe('refusal message and stored name', () => {
  it('speaks the admin user’s language, else both', () => {
    expect(refusalMessage(FILE_KINDS, 'nl')).toBe('Dit bestandstype is niet toegestaan: alleen JPEG, PNG, WebP, GIF, AVIF en PDF.');
    expect(refusalMessage(FILE_KINDS, 'en')).toBe('This file type is not allowed: only JPEG, PNG, WebP, GIF, AVIF and PDF.');
    expect(refusalMessage(FILE_KINDS.slice(0, 1), null)).toBe('Dit bestandstype is niet toegestaan: alleen JPEG. / This file type is not allowed: only JPEG.');
  });

  it('gives a file its content’s extension when its name says otherwise', () => {
    const [jpeg, png] = FILE_KINDS;
    expect(storedFileName('Foto.JPEG', jpeg)).toBe('Foto.JPEG');
    expect(storedFileName('foto.png', jpeg)).toBe('foto.jpg');
    expect(storedFileName('x.html', png)).toBe('x.png');
    expect(storedFileName('zonder-extensie', png)).toBe('zonder-extensie.png');
  });
});

describe('headers of /uploads responses', () => {
  it('shows raster images inline and sends everything else as a download, always sandboxed and without sniffing', () => {
    const policy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";
    expect(uploadResponseHeaders('image/png')).toEqual({ 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': policy });
    for (const type of ['text/html; charset=utf-8', 'image/svg+xml', 'application/javascript', 'application/pdf', undefined]) {
      expect(uploadResponseHeaders(type)).toEqual({
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': policy,
        'Content-Disposition': 'attachment',
      });
    }
  });
});
