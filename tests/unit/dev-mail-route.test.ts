import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { devMailRoute, ensureDevelopmentEnvFile, readEnvFile } from '../../scripts/lib/env-file';

describe('npm run dev: one value decides where development mail goes', () => {
  it('defaults to the stand-in on 3025', () => {
    expect(devMailRoute({})).toEqual({ sinkPort: 3025, standInUrl: 'http://127.0.0.1:3025', sendgridApiUrl: 'http://127.0.0.1:3025', notes: [] });
  });

  it('MAIL_SINK_PORT moves the stand-in and the API URL together, also over an older .env', () => {
    const route = devMailRoute({ MAIL_SINK_PORT: '16025' }, { SENDGRID_API_URL: 'http://127.0.0.1:3025' });
    expect(route).toMatchObject({ sinkPort: 16025, standInUrl: 'http://127.0.0.1:16025', sendgridApiUrl: 'http://127.0.0.1:16025' });
    expect(route.notes.join(' ')).toMatch(/\.env sets SENDGRID_API_URL=http:\/\/127\.0\.0\.1:3025/);
    expect(devMailRoute({}, { MAIL_SINK_PORT: '16025', SENDGRID_API_URL: 'http://127.0.0.1:16025' })).toMatchObject({ sendgridApiUrl: 'http://127.0.0.1:16025', notes: [] });
  });

  it('only the shell sends elsewhere on purpose, and it says so', () => {
    const route = devMailRoute({ SENDGRID_API_URL: 'https://api.sendgrid.com/' });
    expect(route).toMatchObject({ sinkPort: 3025, sendgridApiUrl: 'https://api.sendgrid.com' });
    expect(route.notes).toHaveLength(1);
  });

  it('refuses a port the CMS cannot be told in advance', () => {
    for (const port of ['0', 'abc', '70000', '-1']) expect(() => devMailRoute({ MAIL_SINK_PORT: port })).toThrow(/MAIL_SINK_PORT/);
  });
});

describe('the generated .env', () => {
  const dirs: string[] = [];
  const saved = { ...process.env };
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it('points mail at the port the stand-in gets', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netwerkpost-env-'));
    dirs.push(dir);
    delete process.env.SENDGRID_API_URL;
    delete process.env.MAIL_SINK_PORT;
    const written = ensureDevelopmentEnvFile(dir, devMailRoute({ MAIL_SINK_PORT: '16025' }));
    expect(written.created).toBe(true);
    const values = readEnvFile(written.path);
    expect(values).toMatchObject({ MAIL_SINK_PORT: '16025', SENDGRID_API_URL: 'http://127.0.0.1:16025' });
    // Read back as npm run dev does on its next start: the same route.
    expect(devMailRoute({}, values)).toMatchObject({ sinkPort: 16025, sendgridApiUrl: 'http://127.0.0.1:16025', notes: [] });
  });
});
