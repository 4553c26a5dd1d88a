import type { Knex } from 'knex';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../src/core/infra/log';
import { assembleEdition } from '../../src/mailings/edition/assemble';
import { createMailingDeps } from '../../src/app/mailing-deps';
import { useCms } from '../support/harness';

/**
 * What a cancelled edition does to the next one: cancelled before anyone got it, its items go into
 * the next edition; cancelled mid-send (some readers got it), its items are not sent again.
 */
const app = useCms({ name: 'edition-window', seed: true });
let db: Knex;
const quiet = createJsonLogger('test', () => undefined);
const assemble = (key: string) => assembleEdition(createMailingDeps(app.strapi, quiet), { now: new Date(), periodKey: `window:${key}:${Date.now()}` });

describe('the assembly window after a cancelled edition', () => {
  beforeAll(async () => {
    db = app.strapi.db.connection as unknown as Knex;
  });

  it('cancelled before sending: the next edition carries the same items', async () => {
    const first = await assemble('a');
    expect(first.state).toBe('scheduled');
    await db('editions').where({ id: first.editionId }).update({ state: 'cancelled' });
    const next = await assemble('b');
    expect(next.state).toBe('scheduled');
    expect(next.items).toBe(first.items);
  });

  it('cancelled mid-send: its items count as sent, nobody gets them twice', async () => {
    // The previous test's second edition is cancelled too (unsent), so its items come round again.
    await db('editions').where({ state: 'scheduled' }).update({ state: 'cancelled' });
    const sending = await assemble('c');
    expect(sending.state).toBe('scheduled');
    await db('editions').where({ id: sending.editionId }).update({ state: 'cancelled', submitted_count: 3 });
    const next = await assemble('d');
    expect(next.state).toBe('skipped');
    expect(next.items).toBe(0);
  });
});
