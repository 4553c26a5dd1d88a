/**
 * The request side of SendGrid's v3 mail send contract as the stand-in uses it: the shapes of a
 * request body that passed validation, SendGrid's error shape, and the limits SendGrid enforces
 * (shared/contracts/sendgrid-mail-v3.openapi.json, components.requestBodies.PostMailSend, plus
 * the limits the schema does not state, listed in shared/contracts/README.md).
 *
 * Types and constants only: shared by the validator, the mail-send handler, the inbox and the
 * event builder.
 */

export interface SendGridError {
  message: string;
  field: string | null;
  help: string | null;
}

/** Shapes of a request that passed validation (loosely typed: extra fields are kept). */
export interface EmailAddress {
  email: string;
  name?: string;
}

export interface Personalization {
  to: EmailAddress[];
  cc?: EmailAddress[];
  bcc?: EmailAddress[];
  from?: EmailAddress;
  subject?: string;
  headers?: Record<string, string>;
  substitutions?: Record<string, string>;
  dynamic_template_data?: Record<string, unknown>;
  custom_args?: Record<string, string>;
  send_at?: number;
  [key: string]: unknown;
}

export interface ContentPart {
  type: string;
  value: string;
}

export interface Attachment {
  content: string;
  filename: string;
  type?: string;
  disposition?: 'inline' | 'attachment';
  content_id?: string;
}

export interface MailSendBody {
  personalizations: Personalization[];
  from: EmailAddress;
  reply_to?: EmailAddress;
  reply_to_list?: EmailAddress[];
  subject?: string;
  content?: ContentPart[];
  attachments?: Attachment[];
  template_id?: string;
  headers?: Record<string, string>;
  categories?: string[];
  custom_args?: Record<string, string>;
  send_at?: number;
  batch_id?: string;
  asm?: { group_id: number; groups_to_display?: number[] };
  ip_pool_name?: string;
  mail_settings?: Record<string, unknown>;
  tracking_settings?: Record<string, unknown>;
  [key: string]: unknown;
}

export const LIMITS = {
  /** to + cc + bcc, summed over all personalizations. */
  maxRecipients: 1000,
  maxPersonalizations: 1000,
  maxCategories: 10,
  maxCategoryLength: 255,
  /**
   * Merged (message + personalization) custom_args, UTF-8 bytes of keys and
   * values, must stay under this ("under 10,000 bytes": 10,000 itself is rejected).
   */
  maxCustomArgsBytes: 10_000,
  /** Substitutions of one personalization, UTF-8 bytes of keys and values ("may not exceed"). */
  maxSubstitutionBytes: 10_000,
  maxSubstitutions: 10_000,
  maxSendAtAheadSeconds: 72 * 60 * 60,
  maxReplyToList: 1000,
  maxGroupsToDisplay: 25,
  ipPoolNameMin: 2,
  ipPoolNameMax: 64,
  maxEmailLength: 254,
  maxLocalPartLength: 64,
  /**
   * Request body size: a body of this many bytes or more gets 413 ("under 30 MB";
   * decimal megabytes, the stricter reading). Enforced by the server, not here.
   */
  bodyLimitBytes: 30_000_000,
} as const;
