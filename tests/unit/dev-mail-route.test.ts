import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { devCmsUrl, devMailRoute, devWebhookUrl, ensureDevelopmentEnvFile, missingWebhookKeys, readEnvFile } from '../../scripts/lib/env-file';
import { generateWebhookKeys, webhookPublicKeyOf } from '../../scripts/mail-sink/events';

describe('npm run dev: one value decides where the CMS is', () => {
  const written = { HOST: '127.0.0.1', PORT: '1337', PUBLIC_URL: 'http://127.0.0.1:1337' }; // what npm run dev writes

  it('defaults to 1337, as the .env it writes says', () => {
    expect(devCmsUrl({}, written)).toEqual({ port: '1337', publicUrl: 'http://127.0.0.1:1337', notes: [] });
    expect(devCmsUrl({})).toEqual({ port: '1337', publicUrl: 'http://127.0.0.1:1337', notes: [] });
  });

  it('PORT from the shell moves PUBLIC_URL along when .env only restates its own port', () => {
    expect(devCmsUrl({ PORT: '1400' }, written)).toEqual({ port: '1400', publicUrl: 'http://127.0.0.1:1400', notes: [] });
    expect(devCmsUrl({}, { ...written, PORT: '1500', PUBLIC_URL: 'http://127.0.0.1:1500/' })).toMatchObject({
      port: '1500',
      publicUrl: 'http://127.0.0.1:1500',
    });
  });

  it("a PUBLIC_URL of its own is kept: the shell's always, .env's with a note when it points at another local port", () => {
    expect(devCmsUrl({ PORT: '1400', PUBLIC_URL: 'https://tunnel.example.org/' }, written)).toEqual({
      port: '1400',
      publicUrl: 'https://tunnel.example.org',
      notes: [],
    });
    expect(devCmsUrl({ PORT: '1400' }, { ...written, PUBLIC_URL: 'https://tunnel.example.org' })).toEqual({
      port: '1400',
      publicUrl: 'https://tunnel.example.org',
      notes: [],
    });
    const stale = devCmsUrl({ PORT: '1400' }, { ...written, PUBLIC_URL: 'http://localhost:1337' });
    expect(stale.publicUrl).toBe('http://localhost:1337');
    expect(stale.notes.join(' ')).toMatch(/listens at http:\/\/127\.0\.0\.1:1400/);
  });
});

describe('npm run dev: one value decides where development mail goes', () => {
  it('defaults to the stand-in on 3025', () => {
    expect(devMailRoute({})).toEqual({ sinkPort: 3025, standInUrl: 'http://127.0.0.1:3025', sendgridApiUrl: 'http://127.0.0.1:3025', notes: [] });
  });

  it('MAIL_SINK_PORT moves the stand-in and the API URL together, also over an older .env', () => {
    const route = devMailRoute({ MAIL_SINK_PORT: '16025' }, { SENDGRID_API_URL: 'http://127.0.0.1:3025' });
    expect(route).toMatchObject({ sinkPort: 16025, standInUrl: 'http://127.0.0.1:16025', sendgridApiUrl: 'http://127.0.0.1:16025' });
    expect(route.notes.join(' ')).toMatch(/\.env sets SENDGRID_API_URL=http:\/\/127\.0\.0\.1:3025/);
    expect(devMailRoute({}, { MAIL_SINK_PORT: '16025', SENDGRID_API_URL: 'http://127.0.0.1:16025' })).toMatchObject({
      sendgridApiUrl: 'http://127.0.0.1:16025',
      notes: [],
    });
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

  function tempEnv(content?: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'netwerkpost-env-'));
    dirs.push(dir);
    for (const key of ['SENDGRID_WEBHOOK_PUBLIC_KEY', 'MAIL_SINK_WEBHOOK_PRIVATE_KEY']) delete process.env[key];
    if (content !== undefined) fs.writeFileSync(path.join(dir, '.env'), content);
    return dir;
  }

  it('holds a matching Event Webhook key pair: the public half for the CMS, the private half for the stand-in', () => {
    const written = ensureDevelopmentEnvFile(tempEnv());
    const values = readEnvFile(written.path);
    expect(values.SENDGRID_WEBHOOK_PUBLIC_KEY).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(webhookPublicKeyOf(values.MAIL_SINK_WEBHOOK_PRIVATE_KEY as string)).toBe(values.SENDGRID_WEBHOOK_PUBLIC_KEY);
    expect(process.env.SENDGRID_WEBHOOK_PUBLIC_KEY).toBe(values.SENDGRID_WEBHOOK_PUBLIC_KEY);
    expect(written.notes).toEqual([]);
  });

  it("an older .env gains the pair once; a developer's keys are never replaced", () => {
    const dir = tempEnv('PORT=1337');
    const first = ensureDevelopmentEnvFile(dir);
    expect(first.notes.join(' ')).toMatch(/added an Event Webhook key pair/);
    const afterFirst = fs.readFileSync(first.path, 'utf8');
    const values = readEnvFile(first.path);
    expect(values.PORT).toBe('1337');
    expect(webhookPublicKeyOf(values.MAIL_SINK_WEBHOOK_PRIVATE_KEY as string)).toBe(values.SENDGRID_WEBHOOK_PUBLIC_KEY);
    for (const key of ['SENDGRID_WEBHOOK_PUBLIC_KEY', 'MAIL_SINK_WEBHOOK_PRIVATE_KEY']) delete process.env[key];
    expect(ensureDevelopmentEnvFile(dir).notes).toEqual([]);
    expect(fs.readFileSync(first.path, 'utf8')).toBe(afterFirst);

    const own = generateWebhookKeys();
    const half = tempEnv(`SENDGRID_WEBHOOK_PUBLIC_KEY=${own.publicKey}\n`);
    const kept = ensureDevelopmentEnvFile(half);
    expect(readEnvFile(kept.path)).not.toHaveProperty('MAIL_SINK_WEBHOOK_PRIVATE_KEY');
    expect(readEnvFile(kept.path).SENDGRID_WEBHOOK_PUBLIC_KEY).toBe(own.publicKey);
    expect(kept.notes.join(' ')).toMatch(/SENDGRID_WEBHOOK_PUBLIC_KEY is set but MAIL_SINK_WEBHOOK_PRIVATE_KEY is not/);
  });

  it('says so when the pair does not match, and adds nothing when the shell sets the keys', () => {
    const a = generateWebhookKeys();
    const b = generateWebhookKeys();
    expect(missingWebhookKeys({ SENDGRID_WEBHOOK_PUBLIC_KEY: a.publicKey, MAIL_SINK_WEBHOOK_PRIVATE_KEY: a.privateKey }, {})).toEqual({ add: {}, notes: [] });
    expect(missingWebhookKeys({ SENDGRID_WEBHOOK_PUBLIC_KEY: a.publicKey, MAIL_SINK_WEBHOOK_PRIVATE_KEY: b.privateKey }, {}).notes.join(' ')).toMatch(
      /not the public key/,
    );
    expect(missingWebhookKeys({}, { SENDGRID_WEBHOOK_PUBLIC_KEY: a.publicKey, MAIL_SINK_WEBHOOK_PRIVATE_KEY: a.privateKey })).toEqual({ add: {}, notes: [] });
    expect(Object.keys(missingWebhookKeys({}, {}).add).sort()).toEqual(['MAIL_SINK_WEBHOOK_PRIVATE_KEY', 'SENDGRID_WEBHOOK_PUBLIC_KEY']);
  });
});

describe('npm run dev: where the stand-in posts events', () => {
  it("is the CMS's webhook endpoint, unless the shell sets MAIL_SINK_WEBHOOK_URL", () => {
    expect(devWebhookUrl('http://127.0.0.1:1337', {})).toBe('http://127.0.0.1:1337/webhooks/sendgrid');
    expect(devWebhookUrl('https://cms.example.org/', {})).toBe('https://cms.example.org/webhooks/sendgrid');
    expect(devWebhookUrl('http://127.0.0.1:1337', { MAIL_SINK_WEBHOOK_URL: 'http://127.0.0.1:9999/hook' })).toBe('http://127.0.0.1:9999/hook');
  });
});
