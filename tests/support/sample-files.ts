/**
 * Small real files of every kind the media library accepts (4x4 pixel images written by sharp, a
 * one-page PDF), and files it must refuse. Shared by the unit, integration and browser tests.
 */
import zlib from 'node:zlib';

const base64 = (text: string) => Buffer.from(text, 'base64');

export const ALLOWED_SAMPLES: Record<'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'pdf', { name: string; mime: string; bytes: Buffer }> = {
  jpeg: {
    name: 'foto.jpg',
    mime: 'image/jpeg',
    bytes: base64(
      '/9j/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAEAAQDASIAAhEBAxEB/8QAFQABAQAAAAAAAAAAAAAAAAAAAAP/xAAUEAEAAAAAAAAAAAAAAAAAAAAA/8QAFQEBAQAAAAAAAAAAAAAAAAAAAgf/xAAUEQEAAAAAAAAAAAAAAAAAAAAA/9oADAMBAAIRAxEAPwCQAJs//9k=',
    ),
  },
  png: {
    name: 'logo.png',
    mime: 'image/png',
    bytes: base64('iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAACXBIWXMAAAPoAAAD6AG1e1JrAAAAEElEQVQImWNQWlUORwzEcQAH4hQxYF5W6AAAAABJRU5ErkJggg=='),
  },
  webp: { name: 'banner.webp', mime: 'image/webp', bytes: base64('UklGRjQAAABXRUJQVlA4ICgAAABwAQCdASoEAAQAAUAmJaACdAFAAAD+y6dX//Yzf/89H//no/1DAAAA') },
  gif: { name: 'icoon.gif', mime: 'image/gif', bytes: base64('R0lGODlhBAAEAIAAAExpcSKqdyH5BAUAAAAALAAAAAAEAAQAAAIEjI8ZBQA7') },
  avif: {
    name: 'kaart.avif',
    mime: 'image/avif',
    bytes: base64(
      'AAAAHGZ0eXBhdmlmAAAAAG1pZjFhdmlmbWlhZgAAANZtZXRhAAAAAAAAACFoZGxyAAAAAAAAAABwaWN0AAAAAAAAAAAAAAAAAAAAACJpbG9jAAAAAERAAAEAAQAAAAAA+gABAAAAAAAAACAAAAAjaWluZgAAAAAAAQAAABVpbmZlAgAAAAABAABhdjAxAAAAAA5waXRtAAAAAAABAAAAVmlwcnAAAAA4aXBjbwAAAAxhdjFDgSACAAAAABRpc3BlAAAAAAAAAAQAAAAEAAAAEHBpeGkAAAAAAwgICAAAABZpcG1hAAAAAAAAAAEAAQOBAgMAAAAobWRhdBIACgg4BH2kBDQaQDISGUJjBMAANAAAkEDJGN5CLsNO',
    ),
  },
  pdf: {
    name: 'folder.pdf',
    mime: 'application/pdf',
    bytes: Buffer.from(
      '%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 200 200]>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n',
      'latin1',
    ),
  },
};

/** A script that, run on the CMS's origin, marks that it ran and asks for an admin access token. */
export const TOKEN_SCRIPT = `document.title = 'script-ran';
fetch('/admin/access-token', { method: 'POST', credentials: 'include' }).then((r) => { document.title = 'token-' + r.status; });
`;

/** A page running TOKEN_SCRIPT inline. */
export const SCRIPT_PAGE = `<!doctype html><html><body><p>Hallo</p><script>${TOKEN_SCRIPT}</script></body></html>`;

/**
 * A page loading its script from the origin itself, as an upload can: the CMS's policy
 * (`script-src 'self'`) stops an inline script, not this one.
 */
export const pageWithScriptFrom = (src: string) => `<!doctype html><html><body><p>Hallo</p><script src="${src}"></script></body></html>`;

export const REFUSED_SAMPLES: Array<{ what: string; name: string; mime: string; bytes: Buffer }> = [
  { what: 'an HTML page', name: 'pagina.html', mime: 'text/html', bytes: Buffer.from(SCRIPT_PAGE) },
  { what: 'JavaScript', name: 'script.js', mime: 'text/javascript', bytes: Buffer.from("fetch('/admin/access-token', { method: 'POST' });\n") },
  {
    what: 'an SVG image',
    name: 'tekening.svg',
    mime: 'image/svg+xml',
    bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
  },
  { what: 'an HTML page named .png', name: 'vermomd.png', mime: 'image/png', bytes: Buffer.from(SCRIPT_PAGE) },
  {
    what: 'a PNG that is also a page (script in a text chunk)',
    name: 'polyglot.png',
    mime: 'image/png',
    bytes: Buffer.concat([ALLOWED_SAMPLES.png.bytes.subarray(0, 33), Buffer.from(SCRIPT_PAGE), ALLOWED_SAMPLES.png.bytes.subarray(33)]),
  },
  { what: 'HTML after a GIF header', name: 'polyglot.gif', mime: 'image/gif', bytes: Buffer.from(`GIF89a${SCRIPT_PAGE}`) },
  { what: 'an empty file', name: 'leeg.png', mime: 'image/png', bytes: Buffer.alloc(0) },
];

/**
 * A real PNG of the given size in one colour, so the media library makes its resized copies
 * (thumbnail, small, medium, large) the way it does for an editor's photo.
 */
export function solidPng(width: number, height: number, rgb: [number, number, number] = [11, 95, 90]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, RGB, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(width * 3).map((_, index) => rgb[index % 3])]);
  const pixels = zlib.deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', pixels),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
