import { readMailSettings } from './mail';

/**
 * Limits on failed admin logins: per client IP, and per account whatever the IP, so that guessing
 * one editor's password from many addresses, or many editors' passwords from one, both stop.
 * Failures count in Redis, shared by every CMS instance.
 */
export interface AdminLoginLimits {
  perIp: number;
  perAccount: number;
  windowSeconds: number;
  redisUrl: string;
  redisPrefix: string;
}

type Env = Record<string, string | undefined>;

function positiveInteger(raw: string | undefined, fallback: number, variable: string): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${variable} must be a whole number of at least 1 (got "${raw}").`);
  return value;
}

export function readAdminLoginLimits(env: Env = process.env): AdminLoginLimits {
  const { redisUrl, redisPrefix } = readMailSettings(env);
  return {
    perIp: positiveInteger(env.ADMIN_LOGIN_LIMIT_PER_IP, 10, 'ADMIN_LOGIN_LIMIT_PER_IP'),
    perAccount: positiveInteger(env.ADMIN_LOGIN_LIMIT_PER_ACCOUNT, 10, 'ADMIN_LOGIN_LIMIT_PER_ACCOUNT'),
    windowSeconds: positiveInteger(env.ADMIN_LOGIN_WINDOW_MINUTES, 15, 'ADMIN_LOGIN_WINDOW_MINUTES') * 60,
    redisUrl,
    redisPrefix,
  };
}
