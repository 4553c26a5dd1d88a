import type { Core } from '@strapi/strapi';
import { readSecret } from '../src/settings/secrets';

const config = ({ env }: Core.Config.Shared.ConfigParams): Core.Config.Admin => ({
  auth: {
    secret: readSecret('ADMIN_JWT_SECRET'),
  },
  apiToken: {
    salt: readSecret('API_TOKEN_SALT'),
  },
  transfer: {
    token: {
      salt: readSecret('TRANSFER_TOKEN_SALT'),
    },
  },
  secrets: {
    encryptionKey: readSecret('ENCRYPTION_KEY'),
  },
  // Strapi's own login limit counts logins that succeed (5 per address and IP in 5 minutes locked
  // out an editor who simply logged in again) and is walked around by changing either; the edge's
  // limit (src/middlewares/admin-login-limit.ts) counts failures per IP and per account instead.
  rateLimit: { enabled: false },
  flags: {
    nps: false,
    promoteEE: false,
  },
  autoOpen: env.bool('ADMIN_AUTO_OPEN', false),
});

export default config;
