/**
 * MAIL_LINK_COUNTS: whether mails' links to our own items go through the counting redirect and
 * reading pages count their views (src/core/domain/item-counts.ts). `on` (the default): counted per
 * item per day, nothing about the reader. `off`: mails carry direct links and nothing is counted;
 * links of mails sent before still redirect (uncounted), so no link ever breaks. The privacy
 * statement reads this same setting, so what it says is what the product does.
 */
export interface ItemCountSettings {
  enabled: boolean;
}

type Env = Record<string, string | undefined>;

export function readItemCountSettings(env: Env = process.env): ItemCountSettings {
  const value = (env.MAIL_LINK_COUNTS ?? '').trim().toLowerCase();
  if (value === '' || value === 'on') return { enabled: true };
  if (value === 'off') return { enabled: false };
  throw new Error(`MAIL_LINK_COUNTS must be "on" or "off", got "${env.MAIL_LINK_COUNTS}"`);
}
