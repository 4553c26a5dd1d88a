/**
 * robots.txt of the reading pages: crawlers are pointed at the sitemap and kept out of what is no
 * page to find (the admin panel, the APIs, the webhook, a reader's own links, the mails' counted
 * item links: a crawler there would only add openings no reader made). Not a protection:
 * those are guarded by login and signed tokens, and the personal pages also say noindex.
 */
const NOT_FOR_CRAWLERS = ['/admin', '/api/', '/webhooks/', '/queue-board/', '/newsletter/confirm', '/newsletter/preferences', '/newsletter/unsubscribe', '/r/'];

export function renderRobots(publicUrl: string): string {
  return ['User-agent: *', ...NOT_FOR_CRAWLERS.map((path) => `Disallow: ${path}`), '', `Sitemap: ${publicUrl}/sitemap.xml`, ''].join('\n');
}
