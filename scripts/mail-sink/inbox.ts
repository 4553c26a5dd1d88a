/**
 * The inbox: what the stand-in keeps of the mail it accepts (keep mode) and the counters of every
 * answer it gives. Read by the control API, the pages and `MailSink`; written by the mail-send
 * handler.
 */
import { randomBytes } from 'node:crypto';
import type { MailSendBody } from './contract';

export type SinkMode = 'keep' | 'count';

export interface SinkCounts {
  /** Every POST /v3/mail/send received. */
  requests: number;
  /** Answered 202. */
  accepted: number;
  /** Answered 400, 401 or 413 (including rejectAddress faults). */
  rejected: number;
  /** Recipients (to + cc + bcc) of accepted requests. */
  recipientsAccepted: number;
  /** Answered 429 by fault injection. */
  status429: number;
  /** Answered 500 by fault injection. */
  status500: number;
}

export interface StoredMessage {
  messageId: string;
  /** ISO 8601 time the request was accepted. */
  receivedAt: string;
  /** to + cc + bcc over all personalizations. */
  recipients: number;
  /** The request body exactly as received (parsed JSON). */
  body: MailSendBody;
}

const DEFAULT_MAX_STORED = 5000;

export interface Inbox {
  readonly mode: SinkMode;
  /** The live counters; `reset` replaces them, so read them through the inbox each time. */
  readonly counts: SinkCounts;
  /** The live store, oldest first (empty in count mode); copy it before handing it out. */
  readonly stored: readonly StoredMessage[];
  /** Counts an accepted request and keeps it in keep mode (the oldest go first); returns its X-Message-Id. */
  accept(body: MailSendBody, recipients: number): string;
  /** The stored request with this X-Message-Id (searched from the newest). */
  find(messageId: string): StoredMessage | undefined;
  /** Clears stored requests and counts. */
  reset(): void;
}

function zeroCounts(): SinkCounts {
  return { requests: 0, accepted: 0, rejected: 0, recipientsAccepted: 0, status429: 0, status500: 0 };
}

/** `maxStored`: how many accepted requests keep mode keeps; default 5000. */
export function createInbox(mode: SinkMode, maxStoredOption?: number): Inbox {
  const maxStored = maxStoredOption ?? DEFAULT_MAX_STORED;
  let stored: StoredMessage[] = [];
  let counts = zeroCounts();
  return {
    mode,
    get counts(): SinkCounts {
      return counts;
    },
    get stored(): readonly StoredMessage[] {
      return stored;
    },
    accept(body: MailSendBody, recipients: number): string {
      const messageId = randomBytes(16).toString('base64url');
      counts.accepted++;
      counts.recipientsAccepted += recipients;
      if (mode === 'keep') {
        stored.push({ messageId, receivedAt: new Date().toISOString(), recipients, body });
        if (stored.length > maxStored) stored.splice(0, stored.length - maxStored);
      }
      return messageId;
    },
    find(messageId: string): StoredMessage | undefined {
      for (let i = stored.length - 1; i >= 0; i--) {
        if ((stored[i] as StoredMessage).messageId === messageId) return stored[i];
      }
      return undefined;
    },
    reset(): void {
      stored = [];
      counts = zeroCounts();
    },
  };
}
