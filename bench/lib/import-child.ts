/**
 * One database's run of `npm run bench -- import`, in a process of its own loaded as the command
 * loads itself (the compiled app, no TypeScript compiler in memory): the demo seed, then the
 * import twice through the command's function, timed. Prints one JSON line for bench/import.ts.
 */
import { seedDemoContent } from '../../database/seed/seed';
import { runSubscribersCommand } from '../../src/app/cli/subscribers-commands';
import { loadStrapi } from '../../src/app/load-strapi';

async function importOnce(strapi: Awaited<ReturnType<typeof loadStrapi>>, file: string) {
  let last = '';
  const io = { stdout: (text: string) => void (text.startsWith('{"rows"') && (last = text)), stderr: () => undefined, terminal: false };
  const started = process.hrtime.bigint();
  const code = await runSubscribersCommand(strapi, ['import', file, '--json'], io);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (code !== 0) throw new Error(`the import exited ${code}`);
  return { seconds, counts: JSON.parse(last) as Record<string, number> };
}

async function main(): Promise<void> {
  const file = process.argv[2];
  const strapi = await loadStrapi({ compile: false, logLevel: 'error' });
  try {
    await seedDemoContent(strapi);
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 25);
    const cpu = process.cpuUsage();
    const first = await importOnce(strapi, file);
    const used = process.cpuUsage(cpu);
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    const second = await importOnce(strapi, file);
    process.stdout.write(`${JSON.stringify({ first, second, rssBefore, rssPeak, cpuSeconds: (used.user + used.system) / 1e6 })}\n`);
  } finally {
    await strapi.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
