/**
 * The SendGrid stand-in in count mode, in a child process of its own (so that its request parsing
 * and validation do not share an event loop with the code being measured). Started by
 * bench/lib/processes.ts; reports its URL over IPC and stops when the parent disconnects.
 */
import { startMailSink } from '../../scripts/mail-sink/server';

async function main(): Promise<void> {
  const sink = await startMailSink({ port: 0, host: '127.0.0.1', mode: 'count', apiKey: process.env.BENCH_SINK_API_KEY });
  const stop = () => void sink.close().finally(() => process.exit(0));
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.send?.({ url: sink.url });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
