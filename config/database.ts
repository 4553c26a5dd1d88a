import type { Core } from '@strapi/strapi';
import { databaseSettings } from '../src/config/database';

const config = (_params: Core.Config.Shared.ConfigParams) => {
  const settings = databaseSettings(process.env);
  return {
    connection: {
      client: settings.client,
      connection: settings.connection,
      ...(settings.pool ? { pool: settings.pool } : {}),
      ...(settings.client === 'sqlite' ? { useNullAsDefault: true } : {}),
      acquireConnectionTimeout: 60000,
    },
  } as unknown as Core.Config.Database;
};

export default config;
