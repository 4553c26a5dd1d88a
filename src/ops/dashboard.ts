import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { MAINTENANCE_QUEUE } from '../core/infra/maintenance-queue';
import { FEEDBACK_QUEUE } from '../mailings/feedback/queue';
import { MAIL_QUEUE } from '../mail/mail-queue';
import { SENDING_QUEUE } from '../mailings/engine/queue';
import { SUBSCRIPTION_REQUEST_QUEUE } from '../site/subscription/request-queue';
import { KoaBoardAdapter } from './koa-adapter';

/** Where the dashboard is served (by src/middlewares/queue-dashboard.ts), outside /admin and /api. */
export const QUEUE_BOARD_PATH = '/queue-board';

/** Every queue the worker consumes (workers/index.ts), in the order an operator looks at them. */
export const DASHBOARD_QUEUES = [SENDING_QUEUE, MAIL_QUEUE, SUBSCRIPTION_REQUEST_QUEUE, FEEDBACK_QUEUE, MAINTENANCE_QUEUE] as const;

export interface QueueDashboard {
  adapter: KoaBoardAdapter;
  close(): Promise<void>;
}

/** Bull Board over the worker's queues, on one Redis connection of the CMS. */
export function createQueueDashboard(redis: Redis, prefix: string): QueueDashboard {
  const queues = DASHBOARD_QUEUES.map((name) => new Queue(name, { connection: redis, prefix }));
  const adapter = new KoaBoardAdapter(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: queues.map((queue) => new BullMQAdapter(queue)),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Netwerkpost: wachtrijen / queues' } },
  });
  return {
    adapter,
    async close() {
      await Promise.all(queues.map((queue) => queue.close()));
    },
  };
}
