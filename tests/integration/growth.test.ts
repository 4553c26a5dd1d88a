import type { Knex } from 'knex';
import { beforeAll, describe, expect, it } from 'vitest';
import { addDays, dayWindow, networkDay, type GrowthSnapshot } from '../../src/growth/counting';
import { GROWTH_TABLE, takeGrowthSnapshot } from '../../src/growth/store';
import { useCms } from '../support/harness';
import { adminSessionTokenFor } from '../support/admin-session';
import { until } from '../support/until';

/**
 * Growth snapshots (src/growth/) against the real database and the desk's route: subscribers with
 * known states and moments are counted per network day, an Editor reads the days (JSON and CSV),
 * an Author may not, erasing a person leaves the stored days as they were, and `days` is checked.
 */
const TZ = 'Europe/Amsterdam';
const app = useCms({ name: 'growth', listen: true, env: { NEWSLETTER_TZ: TZ } });
let db: Knex;
const tokens = { editor: '', author: '' };

const today = networkDay(new Date(), TZ);
/** The day under test and the one before it: in the past, so only the stored snapshot speaks for them. */
const day = addDays(today, -3);
const dayBefore = addDays(day, -1);
const DAYS = 5; // today and the four days before it: `dayBefore` is the first
const at = (d: string, hours: number) => new Date(dayWindow(d, TZ).start.getTime() + hours * 3_600_000);

const adminToken = (email: string, roleCode: string) => adminSessionTokenFor(app, email, roleCode);

const get = (token: string | null, path: string) => fetch(`${app.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

let nextId = 0;
async function subscriber(fields: {
  state: string;
  locale?: string;
  themes?: string[];
  created: Date;
  confirmed?: Date;
  unsubscribed?: Date;
  suppressed?: Date;
}) {
  const documentId = `growth-${++nextId}`;
  await db('subscribers').insert({
    document_id: documentId,
    email: `growth.${nextId}@example.org`,
    state: fields.state,
    preferred_locale: fields.locale ?? 'nl',
    themes: JSON.stringify(fields.themes ?? []),
    created_at: fields.created,
    updated_at: fields.created,
    confirmed_at: fields.confirmed ?? null,
    unsubscribed_at: fields.unsubscribed ?? null,
    suppressed_at: fields.suppressed ?? null,
  });
  return documentId;
}

let erasable = '';

beforeAll(async () => {
  db = app.strapi.db.connection as unknown as Knex;
  tokens.editor = await adminToken('growth.editor@example.org', 'strapi-editor');
  tokens.author = await adminToken('growth.author@example.org', 'strapi-author');
  for (const slug of ['wonen', 'zorg']) await app.strapi.documents('api::theme.theme').create({ data: { name: slug, slug }, status: 'published' } as never);

  // The day before: one reader signs up and confirms.
  await subscriber({ state: 'active', themes: ['wonen', 'zorg'], created: at(dayBefore, 9), confirmed: at(dayBefore, 10) });
  // The day: two sign-ups (one confirms, one does not), a confirmation of an earlier sign-up, one unsubscribe, a bounce and a spam report.
  erasable = await subscriber({ state: 'active', themes: ['zorg'], created: at(day, 8), confirmed: at(day, 9) });
  await subscriber({ state: 'pending', created: at(day, 23.5) });
  await subscriber({ state: 'active', locale: 'en', created: at(dayBefore, 20), confirmed: at(day, 0) });
  await subscriber({ state: 'unsubscribed', created: at(dayBefore, 1), confirmed: at(dayBefore, 2), unsubscribed: at(day, 12) });
  await subscriber({ state: 'bounced', created: at(dayBefore, 1), confirmed: at(dayBefore, 2), suppressed: at(day, 13) });
  await subscriber({ state: 'complained', created: at(dayBefore, 1), confirmed: at(dayBefore, 2), suppressed: at(day, 14) });
  // Just after the day ended: belongs to the next day.
  await subscriber({ state: 'pending', created: dayWindow(day, TZ).end });
});

describe('the daily snapshot', () => {
  it('counts a day from the moments in it and the active readers per language and theme', async () => {
    const snapshot = await takeGrowthSnapshot(db, day, TZ);
    expect(snapshot).toEqual({
      day,
      activeTotal: 3,
      activeNl: 2,
      activeEn: 1,
      // wonen: the one who chose it and the one who chose none; zorg: both who chose it and the one who chose none.
      activeByTheme: { wonen: 2, zorg: 3 },
      signedUp: 2,
      confirmed: 2,
      unsubscribed: 1,
      bounced: 1,
      complained: 1,
    } satisfies GrowthSnapshot);
    expect((await takeGrowthSnapshot(db, dayBefore, TZ)).signedUp).toBe(5);
  });

  it('replaces the row when a day is taken again', async () => {
    const extra = await subscriber({ state: 'active', created: at(dayBefore, 3), confirmed: at(dayBefore, 4) });
    expect((await takeGrowthSnapshot(db, day, TZ)).activeTotal).toBe(4);
    expect(await db(GROWTH_TABLE).where({ day }).select('active_total')).toEqual([{ active_total: 4 }]);
    await db('subscribers').where({ document_id: extra }).delete();
    await takeGrowthSnapshot(db, day, TZ);
    expect(await db(GROWTH_TABLE).where({ day }).select('active_total')).toEqual([{ active_total: 3 }]);
  });

  it('counts a subscriber Strapi itself wrote on today’s live row', async () => {
    await app.strapi
      .documents('api::subscriber.subscriber')
      .create({ data: { email: 'growth.strapi@example.org', preferredLocale: 'en', state: 'active', confirmedAt: new Date().toISOString() } } as never);
    const response = await get(tokens.editor, `/desk/statistics/growth?days=1`);
    const { data } = (await response.json()) as { data: GrowthSnapshot[] };
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({ day: today, signedUp: 1, confirmed: 1, activeTotal: 4, activeEn: 2 });
  });

  it('holds no column for a person', async () => {
    const columns = Object.keys(await db(GROWTH_TABLE).columnInfo()).sort();
    expect(columns).toEqual(
      [
        'day',
        'active_total',
        'active_nl',
        'active_en',
        'active_by_theme',
        'signed_up',
        'confirmed',
        'unsubscribed',
        'bounced',
        'complained',
        'computed_at',
      ].sort(),
    );
    for (const column of columns) expect(column).not.toMatch(/subscriber|email|address|document|link|name|_id$/);
  });
});

describe('GET /desk/statistics/growth', () => {
  it('answers an Editor the stored days oldest first, days without a snapshot absent, today live', async () => {
    const response = await get(tokens.editor, `/desk/statistics/growth?days=${DAYS}`);
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as { data: GrowthSnapshot[] };
    expect(data.map((entry) => entry.day)).toEqual([dayBefore, day, today]);
    expect(data[1]).toEqual(await storedDay());
    // A window that starts after `dayBefore` leaves it out.
    const shorter = (await (await get(tokens.editor, `/desk/statistics/growth?days=${DAYS - 1}`)).json()) as { data: GrowthSnapshot[] };
    expect(shorter.data.map((entry) => entry.day)).toEqual([day, today]);
  });

  it('answers the same days as CSV, at growth.csv and with ?format=csv', async () => {
    const response = await get(tokens.editor, `/desk/statistics/growth.csv?days=${DAYS}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="groei-5-dagen\.csv"$/);
    const lines = (await response.text()).split('\r\n');
    expect(lines[0]).toBe('day,active_total,active_nl,active_en,signed_up,confirmed,unsubscribed,bounced,complained,theme:wonen,theme:zorg');
    expect(lines[2]).toBe(`${day},3,2,1,2,2,1,1,1,2,3`);
    expect(lines).toHaveLength(5); // header, three days, the final line end
    expect(await (await get(tokens.editor, `/desk/statistics/growth?days=${DAYS}&format=csv`)).text()).toBe(lines.join('\r\n'));
  });

  it('refuses an Author (403) and anyone without an admin session (401)', async () => {
    for (const path of ['/desk/statistics/growth', '/desk/statistics/growth.csv']) {
      expect((await get(tokens.author, path)).status, path).toBe(403);
      expect((await get(null, path)).status, path).toBe(401);
    }
  });

  it.each(['0', '367', 'abc', '1.5', '-1'])('answers days=%s with 400 and a sentence', async (days) => {
    for (const path of ['/desk/statistics/growth', '/desk/statistics/growth.csv']) {
      const response = await get(tokens.editor, `${path}?days=${days}`);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { message: string } };
      expect(body.error.message).toContain('The number of days must be a whole number from 1 to 366.');
    }
  });

  it('answers an unknown format with 400', async () => {
    const response = await get(tokens.editor, '/desk/statistics/growth?format=xml');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toMatch(/format must be json or csv/);
  });
});

describe('erasure', () => {
  it('leaves the stored days as they were when a person in them is erased', async () => {
    const before = await db(GROWTH_TABLE).orderBy('day').select('*');
    const response = await fetch(`${app.url}/desk/gdpr/subscribers/${erasable}/erase`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.editor}` },
    });
    expect(response.status).toBe(200);
    expect(await db('subscribers').where({ document_id: erasable }).first()).toBeUndefined();
    expect(await db(GROWTH_TABLE).orderBy('day').select('*')).toEqual(before);
    const { data } = (await (await get(tokens.editor, `/desk/statistics/growth?days=${DAYS}`)).json()) as { data: GrowthSnapshot[] };
    expect(data.find((entry) => entry.day === day)).toMatchObject({ activeTotal: 3, signedUp: 2, confirmed: 2 });
  });
});

// Last in the file: the day it stores (yesterday) would otherwise show up in the route's answers above.
describe('the worker', () => {
  it('stores the day that just ended on its schedule', async () => {
    const yesterday = addDays(today, -1);
    expect(await db(GROWTH_TABLE).where({ day: yesterday }).first()).toBeUndefined();
    // Every second instead of just after midnight: the job stores the day before the one it runs on.
    await app.startWorker({ GROWTH_SNAPSHOT_CRON: '* * * * * *' });
    const row = await until(
      'the worker stored yesterday',
      async () => (await db(GROWTH_TABLE).where({ day: yesterday }).first()) as { active_total: number } | undefined,
    );
    expect(Number(row.active_total)).toBe(
      Number(((await db('subscribers').where({ state: 'active' }).count({ n: '*' })) as Array<{ n: number | string }>)[0].n),
    );
  });
});

/** The stored row of `day` as the route answers it. */
async function storedDay(): Promise<GrowthSnapshot> {
  const row = (await db(GROWTH_TABLE).where({ day }).first()) as Record<string, unknown>;
  return {
    day,
    activeTotal: Number(row.active_total),
    activeNl: Number(row.active_nl),
    activeEn: Number(row.active_en),
    activeByTheme: JSON.parse(String(row.active_by_theme)) as Record<string, number>,
    signedUp: Number(row.signed_up),
    confirmed: Number(row.confirmed),
    unsubscribed: Number(row.unsubscribed),
    bounced: Number(row.bounced),
    complained: Number(row.complained),
  };
}
