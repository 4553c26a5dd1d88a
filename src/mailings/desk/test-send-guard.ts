import type { BudgetWindow } from '../../core/infra/rate-limiter';
import type { TestSendSettings } from '../../settings/test-send';
import type { Locale } from '../../core/domain/locale';

/**
 * Who may send a test of a mailing to which addresses, and when: the rules that keep the desk's
 * test send (the organisation's sender, editor-written content, [TEST] subject) from being an open
 * relay. Pure; the desk (desk.ts) looks up the mailing's state, the admin users' addresses and the
 * Redis budget, and throws what these return.
 */

/** A reason a test send is refused, in both languages; `status` is the HTTP answer the desk route gives. */
export class TestSendRefusal extends Error {
  constructor(
    readonly status: 403 | 409 | 429,
    readonly code: 'mailing-finished' | 'address-not-allowed' | 'test-send-limit' | 'nothing-to-test',
    readonly messages: Record<Locale, string>,
    readonly details: Record<string, unknown> = {},
  ) {
    super(`${messages.nl} / ${messages.en}`);
    this.name = 'TestSendRefusal';
  }
}

export function isTestSendRefusal(error: unknown): error is TestSendRefusal {
  return error instanceof TestSendRefusal;
}

/**
 * States whose mailing went (or is going) out to readers, or was stopped: a test of it now would
 * test nothing that will still be sent. Editors duplicate it to test it again.
 */
const FINISHED: Record<string, Record<Locale, string>> = {
  sending: { nl: 'wordt al verzonden', en: 'is already being sent' },
  sent: { nl: 'is al verzonden', en: 'has already been sent' },
  cancelled: { nl: 'is geannuleerd', en: 'was cancelled' },
  failed: { nl: 'is mislukt', en: 'failed' },
};

/** The refusal for a mailing in a state that cannot be tested any more, or null. */
export function stateRefusal(state: string): TestSendRefusal | null {
  const words = Object.hasOwn(FINISHED, state) ? FINISHED[state] : undefined;
  if (!words) return null;
  return new TestSendRefusal(
    409,
    'mailing-finished',
    {
      nl: `Deze mailing ${words.nl}; dupliceer hem eerst om hem opnieuw te testen.`,
      en: `This mailing ${words.en}; duplicate it first to test it again.`,
    },
    { state },
  );
}

export interface AddressRule {
  /** An admin holding the desk's send permission (an Editor): may test to any address. */
  mayTestAnyAddress: boolean;
  /** Lower-case addresses of admin users, among those asked for. */
  adminAddresses: ReadonlySet<string>;
  /** Lower-case domains anyone at the desk may test to (TEST_SEND_ALLOWED_DOMAINS). */
  allowedDomains: readonly string[];
}

/** The addresses this admin may not send a test to (none for an Editor). Addresses come checked and lower-cased. */
export function refusedTestAddresses(addresses: readonly string[], rule: AddressRule): string[] {
  if (rule.mayTestAnyAddress) return [];
  return addresses.filter((address) => {
    const email = address.toLowerCase();
    const domain = email.slice(email.lastIndexOf('@') + 1);
    return !rule.adminAddresses.has(email) && !rule.allowedDomains.includes(domain);
  });
}

export function addressRefusal(refused: readonly string[], allowedDomains: readonly string[]): TestSendRefusal {
  const list = refused.join(', ');
  const domains = allowedDomains.map((domain) => `@${domain}`).join(', ');
  return new TestSendRefusal(
    403,
    'address-not-allowed',
    {
      nl: `Je mag testmails alleen sturen naar adressen van beheerders of eindigend op ${domains}. Niet toegestaan: ${list}.`,
      en: `You may only send test mails to admin users' addresses or addresses ending in ${domains}. Not allowed: ${list}.`,
    },
    { addresses: [...refused] },
  );
}

/** The two windows of an admin's test-send budget, counted in recipients. */
export function testSendWindows(settings: Pick<TestSendSettings, 'recipientsPerHour' | 'recipientsPerDay'>): BudgetWindow[] {
  return [
    { name: 'test-send-hour', limit: settings.recipientsPerHour, windowSeconds: 3600 },
    { name: 'test-send-day', limit: settings.recipientsPerDay, windowSeconds: 86_400 },
  ];
}

export function limitRefusal(window: BudgetWindow, requested: number, retryAfterSeconds: number, now: Date = new Date()): TestSendRefusal {
  const per = window.windowSeconds >= 86_400 ? { nl: 'per dag', en: 'per day' } : { nl: 'per uur', en: 'per hour' };
  const count = { nl: requested === 1 ? '1 adres' : `${requested} adressen`, en: requested === 1 ? '1 address' : `${requested} addresses` };
  return new TestSendRefusal(
    429,
    'test-send-limit',
    {
      nl: `Deze test naar ${count.nl} gaat over het maximum van ${window.limit} testontvangers ${per.nl}. Probeer het over ${waitText(retryAfterSeconds, 'nl')} opnieuw.`,
      en: `This test to ${count.en} would go over the limit of ${window.limit} test recipients ${per.en}. Try again in ${waitText(retryAfterSeconds, 'en')}.`,
    },
    { limit: window.limit, windowSeconds: window.windowSeconds, retryAfterSeconds, retryAt: new Date(now.getTime() + retryAfterSeconds * 1000).toISOString() },
  );
}

/** "42 minuten" / "2 uur en 5 minuten": how long until the window ends, rounded up to the minute. */
export function waitText(seconds: number, locale: Locale): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const minuteText = (n: number) => (locale === 'nl' ? (n === 1 ? '1 minuut' : `${n} minuten`) : n === 1 ? '1 minute' : `${n} minutes`);
  const hourText = (n: number) => (locale === 'nl' ? `${n} uur` : n === 1 ? '1 hour' : `${n} hours`);
  if (hours === 0) return minuteText(minutes);
  if (rest === 0) return hourText(hours);
  return `${hourText(hours)} ${locale === 'nl' ? 'en' : 'and'} ${minuteText(rest)}`;
}
