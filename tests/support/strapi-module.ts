import { createRequire } from 'node:module';

/**
 * Strapi's ES module build does not load under Node's ESM resolver (it imports `lodash/fp` as a
 * directory), so tests load its CommonJS build, exactly as the app's own commands do.
 */
const load = createRequire(__filename);
export const strapiModule: typeof import('@strapi/strapi') = load('@strapi/strapi');
