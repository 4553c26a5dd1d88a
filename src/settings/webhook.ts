import type { KeyObject } from 'node:crypto';
import { parseWebhookPublicKey } from '../core/webhook-signature';

/**
 * SendGrid's Event Webhook, from the environment. Without SENDGRID_WEBHOOK_PUBLIC_KEY the endpoint
 * answers 404 and batches of unknown fate are never sent again (nothing could tell that they did
 * not arrive). A key that is not a P-256 public key stops the start with a message.
 */
export interface WebhookSettings {
  publicKey: KeyObject | null;
  /** Posts whose timestamp is further from now are refused (a replay, or a clock far off). */
  toleranceSeconds: number;
  /** SendGrid posts up to about 768 KB; larger bodies are refused (413) before they are read whole. */
  maxBodyBytes: number;
  /** With a key: how long a batch of unknown fate waits for an event before it is sent again. */
  unknownFateQuietMs: number | null;
}

type Env = Record<string, string | undefined>;

export const DEFAULT_QUIET_MINUTES = 60;

export function readWebhookSettings(env: Env = process.env): WebhookSettings {
  const raw = env.SENDGRID_WEBHOOK_PUBLIC_KEY?.trim();
  const publicKey = raw ? parseWebhookPublicKey(raw) : null;
  return {
    publicKey,
    toleranceSeconds: Math.floor(number(env, 'SENDGRID_WEBHOOK_TOLERANCE_SECONDS', 600, 10, 86_400)),
    maxBodyBytes: Math.floor(number(env, 'SENDGRID_WEBHOOK_MAX_BYTES', 1024 * 1024, 64 * 1024, 16 * 1024 * 1024)),
    // Minutes, fractions allowed (tests use a few seconds).
    unknownFateQuietMs: publicKey ? Math.round(number(env, 'UNKNOWN_FATE_QUIET_MINUTES', DEFAULT_QUIET_MINUTES, 0.01, 7 * 24 * 60) * 60_000) : null,
  };
}

function number(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`${name} must be a number from ${min} to ${max}, got "${raw}"`);
  return value;
}
