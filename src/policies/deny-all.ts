/** Refuses every request it guards (Strapi answers 403). Used for content that has no public API. */
export default function denyAll(): boolean {
  return false;
}
