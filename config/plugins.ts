import type { Core } from '@strapi/strapi';
import { readSecret } from '../src/config/secrets';

const config = (_params: Core.Config.Shared.ConfigParams): Core.Config.Plugin => ({
  'users-permissions': {
    config: {
      jwtSecret: readSecret('JWT_SECRET'),
    },
  },
});

export default config;
