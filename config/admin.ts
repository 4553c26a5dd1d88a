import type { Core } from '@strapi/strapi';
import { readSecret } from '../src/settings/secrets';
import { cmsServices } from '../src/app/cms';
import { previewUrl, type PreviewRequest } from '../src/site/reading/preview';

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
  // Strapi's Preview: articles, resources and themes open their own reading page (draft or
  // published) behind a short-lived signed link on this origin; other types get no Preview box.
  preview: {
    enabled: true,
    config: {
      allowedOrigins: ["'self'"],
      handler: (uid: string, request: PreviewRequest) => {
        const services = cmsServices(strapi);
        return previewUrl(uid, request, { publicUrl: services.settings.publicUrl, tokenSecret: services.tokenSecret });
      },
    },
  },
  flags: {
    nps: false,
    promoteEE: false,
  },
  autoOpen: env.bool('ADMIN_AUTO_OPEN', false),
});

export default config;
