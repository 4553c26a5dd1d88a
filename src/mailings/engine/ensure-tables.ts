import type { Core } from '@strapi/strapi';
import type { Knex } from 'knex';
import { ensureSendingTables } from './schema';

export async function ensureEditionStorage(strapi: Core.Strapi): Promise<void> {
  const db = strapi.db.connection as unknown as Knex;
  await ensureSendingTables(db);
  await db.raw('CREATE UNIQUE INDEX IF NOT EXISTS editions_period_key_unique ON editions (period_key)');
}
