/**
 * The load of `npm run bench -- redirect`, in a process of its own that holds nothing but the
 * sockets and the clock: an open loop of GET requests at a fixed rate (request n leaves at
 * start + n/rate whatever the answers do, its time runs from that planned moment). Apart from the
 * bench process, whose heap held a whole Strapi, so that a garbage collection there cannot pause the
 * clock and be charged to the CMS. It reports its own event-loop delay and collection pauses, so a
 * stall can be told apart: the client's, or the server's.
 *
 * Input: one JSON line on stdin `{ urls, rate, count, userAgent }`; output: one JSON line (LoadResult).
 */
import http from 'node:http';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

export interface LoadRequest {
  urls: string[];
  rate: number;
  count: number;
  userAgent: string;
}

export interface LoadResult {
  /** Answer times in ms from each request's planned moment, sorted. */
  times: number[];
  /** Answers by status (0 = the request failed). */
  statuses: Array<[number, number]>;
  errors: Array<[string, number]>;
  seconds: number;
  /** Answers over 50 ms: when they were planned (s into the run) and how long they took. */
  slow: Array<{ at: number; ms: number }>;
  /** This process's own pauses: the longest event-loop delay and garbage collection seen. */
  client: { loopDelayMaxMs: number; gcMaxMs: number; gcCount: number };
}

async function run(job: LoadRequest): Promise<LoadResult> {
  // Keep-alive sockets, as a browser reuses them; enough that no request waits for a free one.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const get = (url: string) =>
    new Promise<number>((resolve, reject) => {
      const req = http.get(url, { agent, headers: { 'user-agent': job.userAgent } }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      req.on('error', reject);
    });

  const loop = monitorEventLoopDelay({ resolution: 5 });
  let gcMaxMs = 0;
  let gcCount = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcCount += 1;
      gcMaxMs = Math.max(gcMaxMs, entry.duration);
    }
  });
  gc.observe({ entryTypes: ['gc'] });
  loop.enable();

  const interval = 1000 / job.rate;
  const times: number[] = [];
  const slow: LoadResult['slow'] = [];
  const statuses = new Map<number, number>();
  const errors = new Map<string, number>();
  const pending: Array<Promise<void>> = [];
  const start = performance.now();
  for (let n = 0; n < job.count; n++) {
    const planned = start + n * interval;
    const wait = planned - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(
      get(job.urls[n % job.urls.length]).then(
        (status) => {
          const ms = performance.now() - planned;
          times.push(ms);
          if (ms > 50) slow.push({ at: (planned - start) / 1000, ms });
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
        },
        (error: Error & { code?: string }) => {
          statuses.set(0, (statuses.get(0) ?? 0) + 1);
          const why = error.code ?? error.message;
          errors.set(why, (errors.get(why) ?? 0) + 1);
        },
      ),
    );
  }
  await Promise.all(pending);
  const seconds = (performance.now() - start) / 1000;
  loop.disable();
  gc.disconnect();
  agent.destroy();
  return {
    times: times.sort((a, b) => a - b),
    statuses: [...statuses],
    errors: [...errors],
    seconds,
    slow,
    client: { loopDelayMaxMs: loop.max / 1e6, gcMaxMs, gcCount },
  };
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => (input += chunk));
process.stdin.on('end', () => {
  run(JSON.parse(input) as LoadRequest).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
