import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the slowest test files at the end of a run, so that a file that got slow is seen where it
 * is: its import, its hooks (a CMS boot, a seed, a worker) and its tests, in seconds.
 */
export default class SlowestFilesReporter implements Reporter {
  private readonly count: number;

  constructor(options: { count?: number } = {}) {
    this.count = options.count ?? 10;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const rows = testModules
      .map((module) => {
        const d = module.diagnostic();
        const seconds = (d.environmentSetupDuration + d.prepareDuration + d.collectDuration + d.setupDuration + d.duration) / 1000;
        return { file: path.relative(process.cwd(), module.moduleId), project: module.project.name, seconds };
      })
      .sort((a, b) => b.seconds - a.seconds);
    if (rows.length === 0) return;
    const total = rows.reduce((sum, row) => sum + row.seconds, 0);
    const lines = rows.slice(0, this.count).map((row) => `${row.seconds.toFixed(1).padStart(7)} s  ${row.file}${row.project ? `  (${row.project})` : ''}`);
    process.stdout.write(`\nSlowest test files (of ${rows.length}, together ${total.toFixed(0)} s):\n${lines.join('\n')}\n`);
  }
}
