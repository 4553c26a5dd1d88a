import { readMailSettings } from './mail';

/**
 * What keeps the desk's test send a test rather than a way to mail anyone from the organisation's
 * sender: a budget of recipients per admin account (per hour and per day, counted in Redis), and
 * the domains an admin without the send permission (an Author) may test to besides the admin
 * users' own addresses.
 */
export interface TestSendSettings {
  recipientsPerHour: number;
  recipientsPerDay: number;
  /** Lower-case domains (`example.org`); an address matches only its exact domain, not a subdomain. */
  allowedDomains: string[];
}

type Env = Record<string, string | undefined>;

const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

function wholeNumber(env: Env, variable: string, fallback: number): number {
  const raw = env[variable];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${variable} must be a whole number of at least 1 (got "${raw}").`);
  return value;
}

function domains(raw: string | undefined, senderDomain: string): string[] {
  if (raw === undefined || raw.trim() === '') return [senderDomain];
  const list = raw
    .split(',')
    .map((part) => part.trim().toLowerCase().replace(/^@/, ''))
    .filter(Boolean);
  const bad = list.filter((domain) => !DOMAIN.test(domain));
  if (bad.length > 0 || list.length === 0) throw new Error(`TEST_SEND_ALLOWED_DOMAINS must be comma-separated domains such as example.org (got "${raw}").`);
  return [...new Set(list)];
}

export function readTestSendSettings(env: Env = process.env): TestSendSettings {
  const sender = readMailSettings(env).from.email.toLowerCase();
  return {
    recipientsPerHour: wholeNumber(env, 'TEST_SEND_LIMIT_PER_HOUR', 25),
    recipientsPerDay: wholeNumber(env, 'TEST_SEND_LIMIT_PER_DAY', 100),
    allowedDomains: domains(env.TEST_SEND_ALLOWED_DOMAINS, sender.slice(sender.lastIndexOf('@') + 1)),
  };
}
