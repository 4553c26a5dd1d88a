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
