/**
 * Which browser origins may call the CMS. Credentialed cross-origin requests (cookies, the admin
 * panel's refresh token) are only ever answered for the origins listed in `CORS_ORIGINS`; by
 * default that is the CMS's own origin. `CORS_PUBLIC_READ` lets any origin *read* the public
 * content API (GET/HEAD under /api) without credentials, for a website on another origin.
 */
export interface CorsSettings {
  /** Exact origins (scheme://host[:port]) that may send credentialed requests. */
  origins: string[];
  /** Any origin may GET/HEAD /api/... without credentials. */
  publicRead: boolean;
}

type Env = Record<string, string | undefined>;

export class CorsConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorsConfigError';
  }
}

function toOrigin(value: string, variable: string): string {
  if (value === '*' || value.includes('*')) {
    throw new CorsConfigError(`${variable}: "*" is not allowed; list the exact origins (credentials are never sent to every origin).`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CorsConfigError(`${variable}: "${value}" is not an origin such as https://www.example.org.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CorsConfigError(`${variable}: "${value}" must start with http:// or https://.`);
  }
  return url.origin;
}

/** The CMS's own origin: PUBLIC_URL's, else http://HOST:PORT (a wildcard host means localhost). */
export function ownOrigin(env: Env = process.env): string {
  const publicUrl = env.PUBLIC_URL?.trim();
  if (publicUrl) return toOrigin(publicUrl, 'PUBLIC_URL');
  const host = env.HOST?.trim() || '127.0.0.1';
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return toOrigin(`http://${shownHost}:${env.PORT?.trim() || '1337'}`, 'HOST/PORT');
}

export function readCorsSettings(env: Env = process.env): CorsSettings {
  const listed = (env.CORS_ORIGINS ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => toOrigin(entry, 'CORS_ORIGINS'));
  const publicRead = (env.CORS_PUBLIC_READ ?? 'true').trim().toLowerCase();
  if (!['true', 'false'].includes(publicRead)) throw new CorsConfigError('CORS_PUBLIC_READ must be true or false.');
  return {
    origins: listed.length ? [...new Set(listed)] : [ownOrigin(env)],
    publicRead: publicRead === 'true',
  };
}
