/**
 * The folder rule: folders depend one way, from the processes' entry points down to `core`.
 * Each layer may import the layers below it, never one above; peers named in PEERS_APART never
 * import each other. `npm run lint:deps` checks it, and tests/unit/folder-dependencies.test.ts
 * runs the same check and also fails on any cycle between folders.
 */
const LAYERS = [
  { name: 'core', path: '^src/core/', why: 'domain rules, infra and web helpers: imports nothing of ours' },
  { name: 'settings', path: '^src/settings/', why: 'reads the environment into typed settings' },
  { name: 'mail', path: '^src/mail/', why: 'MJML templates and the SendGrid path; knows no mailing' },
  { name: 'engine', path: '^src/mailings/engine/', why: 'the sending engine behind its store interface' },
  { name: 'mailings-shared', path: '^src/mailings/[^/]+$', why: 'what the producers share: published content' },
  { name: 'producers', path: '^src/mailings/(edition|campaign|feedback)/', why: 'the edition, the campaign and delivery feedback' },
  { name: 'desk', path: '^src/mailings/desk/', why: "the editors' actions on mailings" },
  { name: 'site', path: '^src/site/', why: 'pages readers open: reading, subscription, archive' },
  { name: 'gdpr', path: '^src/gdpr/', why: 'export, erasure and purge of subscriber data' },
  {
    name: 'growth',
    path: '^src/growth/',
    why: 'daily counts of subscribers for editors, never a person; above gdpr so that erasure and the purge cannot reach the snapshots',
  },
  { name: 'edge', path: '^src/edge/', why: 'checks on requests and uploads before they reach the app' },
  { name: 'ops', path: '^src/ops/', why: 'the queue dashboard and operator tools' },
  { name: 'boot', path: '^src/boot/', why: 'what the CMS sets up in itself at start' },
  { name: 'app', path: '^src/app/', why: 'composition roots: how each process is wired' },
  {
    name: 'entry',
    path: '^(src/(index\\.ts|api|admin|components|plugins|middlewares|policies)|workers|scripts|database|config|bench)',
    why: "Strapi's own places and the processes' entry points",
  },
];

/** Peers on one layer that stay independent of each other. */
const PEERS_APART = [
  ['^src/mailings/edition/', '^src/mailings/campaign/'],
  ['^src/mailings/campaign/', '^src/mailings/edition/'],
  ['^src/mailings/feedback/', '^src/mailings/(edition|campaign)/'],
];

const above = (index) =>
  LAYERS.slice(index + 1)
    .map((layer) => `(${layer.path})`)
    .join('|');

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Files that import each other in a loop cannot be understood, tested or moved one at a time (a loop closed only by type imports is allowed: types vanish at run time).',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    ...LAYERS.slice(0, -1).map((layer, index) => ({
      name: `${layer.name}-imports-upwards`,
      severity: 'error',
      comment: `${layer.name} (${layer.why}) may import only the layers below it.`,
      from: { path: layer.path },
      to: { path: above(index) },
    })),
    ...PEERS_APART.map(([from, to], index) => ({
      name: `peers-apart-${index + 1}`,
      severity: 'error',
      comment: 'Mailing producers and feedback stay independent of each other.',
      from: { path: from },
      to: { path: to },
    })),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|build|\\.cache|\\.tmp)/' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.json'] },
  },
};
