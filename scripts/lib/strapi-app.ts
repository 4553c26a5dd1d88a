/** Strapi headless for the development commands (seed): the same loader as the product's commands. */
export { loadCommandStrapi as loadStrapi } from '../../src/app/load-strapi';
