/**
 * `npm run bench -- [newsletter|subscribe|subscribe-timing|feedback|personalizer|render|import|redirect] [options]`: one entry for the benchmarks.
 * Without a name it runs the newsletter benchmark, as before. See bench/README.md.
 */
const BENCHMARKS: Record<string, string> = {
  newsletter: './newsletter',
  subscribe: './subscribe-throughput',
  'subscribe-timing': './subscribe-timing',
  feedback: './feedback',
  personalizer: './personalizer',
  render: './render',
  import: './import',
  redirect: './redirect',
};

const name = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv.splice(2, 1)[0] : 'newsletter';
if (!BENCHMARKS[name]) {
  process.stderr.write(`unknown benchmark "${name}"; one of: ${Object.keys(BENCHMARKS).join(', ')}\n`);
  process.exit(2);
}
void import(BENCHMARKS[name]);
