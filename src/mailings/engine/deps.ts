import type { OutgoingRequest } from '../../mail/outgoing-mail';
import type { Personalizer } from '../../mail/personalizer';
import type { Logger } from '../../core/infra/log';
import type { MailingKind, MailingProducer, MailingRef } from './mailing';
import type { SendingStore } from './store';

export interface EngineSettings {
  from: { email: string; name?: string };
  /** Recipients per SendGrid request (at most 1000). */
  batchSize: number;
  /** How long a worker may hold a batch it is sending before others consider its fate unknown. */
  leaseMs: number;
  /**
   * With SendGrid's Event Webhook configured: how long a batch of unknown fate waits for an event of
   * one of its deliveries before its request counts as never arrived and it is sent again. Null
   * without a webhook: such a batch is never sent again (nothing could tell that it did not arrive).
   */
  unknownFateQuietMs: number | null;
  /** Subscribers scanned per committed chunk of planning (src/mailings/engine/plan.ts CHUNK_SIZE when not set; tests set a few). */
  planChunkSize?: number;
  /** MAIL_ENGAGEMENT_TRACKING=per-mailing: a mailing's tracking switch takes effect; otherwise nothing is tracked. */
  engagementTrackingAllowed: boolean;
}

/** What the engine is made of: a store, the producers of what is sent, a way to build each recipient's personalization, and a way to send. */
export interface EngineDeps {
  store: SendingStore;
  producers: readonly MailingProducer[];
  /** In the worker a thread of its own (createThreadedPersonalizer); elsewhere in-process. */
  personalizer: Personalizer;
  send(request: OutgoingRequest): Promise<{ messageId: string | null }>;
  settings: EngineSettings;
  log: Logger;
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
}

export function producerFor(deps: EngineDeps, kind: MailingKind): MailingProducer {
  const producer = deps.producers.find((candidate) => candidate.kind === kind);
  if (!producer) throw new Error(`no producer for ${kind} mailings in this process`);
  return producer;
}

export const clock = (deps: EngineDeps): number => (deps.now ? deps.now() : Date.now());

export type { MailingRef };
