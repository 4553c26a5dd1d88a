import { LOCALES, type Locale } from '../core/domain/locale';
import { SUBSCRIBER_STATES, type SubscriberState } from '../core/domain/subscriber-state';
import { readSlug } from '../core/links';

/**
 * Which readers of the list: by state, by language, by theme (readers of that theme and those who
 * chose none, as a campaign's audience counts them). The one check for every way in: the command
 * line's export, the admin page's export and the integrations API's list. Each says a refusal its
 * own way (an option, a query parameter, a sentence in two languages), from the same words here.
 * An empty value is no filter (the admin page's "All").
 */
export interface SubscriberFilter {
  state?: SubscriberState;
  locale?: Locale;
  theme?: string;
}

export type FilterField = keyof SubscriberFilter;

export type FilterCheck = { ok: true; value: SubscriberFilter } | { ok: false; field: FilterField; message: { en: string; nl: string } };

const THEME_SLUG = /^[a-z0-9-]+$/;

export function checkSubscriberFilter(raw: { state?: unknown; locale?: unknown; theme?: unknown }): FilterCheck {
  const value: SubscriberFilter = {};
  const given = (input: unknown) => input !== undefined && input !== null && input !== '';
  if (given(raw.state)) {
    if (typeof raw.state !== 'string' || !(SUBSCRIBER_STATES as readonly string[]).includes(raw.state))
      return refused('state', `must be one of ${SUBSCRIBER_STATES.join(', ')}`, `De status moet een van ${SUBSCRIBER_STATES.join(', ')} zijn`);
    value.state = raw.state as SubscriberState;
  }
  if (given(raw.locale)) {
    if (typeof raw.locale !== 'string' || !(LOCALES as readonly string[]).includes(raw.locale))
      return refused('locale', `must be ${LOCALES.join(' or ')}`, `De taal moet ${LOCALES.join(' of ')} zijn`);
    value.locale = raw.locale as Locale;
  }
  if (given(raw.theme)) {
    const slug = readSlug(raw.theme);
    if (!slug || !THEME_SLUG.test(slug))
      return refused(
        'theme',
        'must be a theme slug (lower-case letters, digits and hyphens)',
        'Het thema moet de slug van een thema zijn (kleine letters, cijfers en streepjes)',
      );
    value.theme = slug;
  }
  return { ok: true, value };
}

function refused(field: FilterField, en: string, nl: string): FilterCheck {
  return { ok: false, field, message: { en: `${field} ${en}`, nl } };
}
