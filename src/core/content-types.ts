/**
 * The content types' ids (Strapi UIDs): the one place they are spelled. Strapi's own factories in
 * src/api/<type>/ name their type themselves, as Strapi expects.
 */
export const CONTENT_TYPES = {
  article: 'api::article.article',
  resource: 'api::resource.resource',
  theme: 'api::theme.theme',
  edition: 'api::edition.edition',
  campaign: 'api::campaign.campaign',
  subscriber: 'api::subscriber.subscriber',
  welcomeMail: 'api::welcome-mail.welcome-mail',
} as const;

export type ContentTypeName = keyof typeof CONTENT_TYPES;
export type ContentTypeUid = (typeof CONTENT_TYPES)[ContentTypeName];

/**
 * The component lists that hold a mailing's items, by mailing kind: an edition's items and a
 * campaign's featured items (the labeller, the desk's item picker routes and its admin input).
 */
export const MAILING_ITEM_LISTS = {
  edition: { field: 'items', component: 'edition.item' },
  campaign: { field: 'featuredItems', component: 'campaign.featured-item' },
} as const;
