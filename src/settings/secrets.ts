import { randomBytes } from 'node:crypto';

/**
 * Secrets always come from the environment. In production a missing secret stops the start with a
 * message naming the variable; elsewhere an ephemeral random value keeps a bare checkout usable
 * (the dev command writes a persistent `.env`, tests pass their own values).
 */
export const SECRET_VARIABLES = [
  'APP_KEYS',
  'API_TOKEN_SALT',
  'ADMIN_JWT_SECRET',
  'TRANSFER_TOKEN_SALT',
  'JWT_SECRET',
  'ENCRYPTION_KEY',
  'TOKEN_SECRET',
] as const;

export type SecretVariable = (typeof SECRET_VARIABLES)[number];

export class MissingSecretError extends Error {
  constructor(readonly variable: string) {
    super(
      `Missing secret: set the environment variable ${variable} (NODE_ENV=production refuses to start without it). ` +
        `Generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`,
    );
    this.name = 'MissingSecretError';
  }
}

const ephemeral = new Map<string, string>();

export function readSecret(name: SecretVariable, environment: NodeJS.ProcessEnv = process.env): string {
  const value = environment[name]?.trim();
  if (value) return value;
  if (environment.NODE_ENV === 'production') throw new MissingSecretError(name);
  let generated = ephemeral.get(name);
  if (!generated) {
    generated = name === 'APP_KEYS' ? [1, 2].map(() => randomBytes(16).toString('base64')).join(',') : randomBytes(32).toString('base64');
    ephemeral.set(name, generated);
    process.emitWarning(`${name} is not set: using an ephemeral random value until the process exits.`);
  }
  return generated;
}

export function readSecretList(name: SecretVariable, environment: NodeJS.ProcessEnv = process.env): string[] {
  return readSecret(name, environment)
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** The names of every secret that production would refuse to start without. */
export function missingSecrets(environment: NodeJS.ProcessEnv = process.env): SecretVariable[] {
  return SECRET_VARIABLES.filter((name) => !environment[name]?.trim());
}
