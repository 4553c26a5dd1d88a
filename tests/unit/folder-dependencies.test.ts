import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { cruise, type ICruiseResult, type IConfiguration } from 'dependency-cruiser';
import { afterAll, describe, expect, it } from 'vitest';

/*
 * The folder rule (.dependency-cruiser.cjs): folders depend one way. This test runs the same
 * check as `npm run lint:deps` and also finds cycles between folders, which the per-file rules
 * alone would let through when every file of a loop sits on one layer.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const CHECKED = ['src', 'workers', 'scripts', 'database', 'config', 'bench'];
const config = createRequire(__filename)(path.join(ROOT, '.dependency-cruiser.cjs')) as IConfiguration & { options: Record<string, unknown> };

/** Where a file belongs: src/<folder>, or src/<folder>/<part> in the folders that group parts. */
export function folderOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] !== 'src') return parts[0];
  if (parts.length <= 2) return parts.join('/');
  return ['mailings', 'site', 'core', 'app'].includes(parts[1]) && parts.length > 3 ? parts.slice(0, 3).join('/') : parts.slice(0, 2).join('/');
}

/** Groups of folders that import each other in a loop (Tarjan's strongly connected components). */
export function folderCycles(edges: ReadonlyArray<[string, string]>): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const [from, to] of edges) {
    if (from === to) continue;
    if (!graph.has(from)) graph.set(from, new Set());
    if (!graph.has(to)) graph.set(to, new Set());
    graph.get(from)!.add(to);
  }
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node)!) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

async function check(baseDir: string, folders: string[]) {
  const result = (
    await cruise(folders, {
      ...config.options,
      ruleSet: { forbidden: config.forbidden },
      validate: true,
      baseDir,
      tsConfig: { fileName: path.join(ROOT, 'tsconfig.json') },
    } as never)
  ).output as ICruiseResult;
  const violations = result.summary.violations.map((violation) => `${violation.rule.name}: ${violation.from} -> ${violation.to}`);
  const edges: Array<[string, string]> = [];
  for (const module of result.modules) {
    for (const dependency of module.dependencies) {
      if (dependency.coreModule || dependency.couldNotResolve || !dependency.resolved || dependency.resolved.includes('node_modules')) continue;
      if (dependency.dependencyTypes.includes('type-only')) continue;
      edges.push([folderOf(module.source), folderOf(dependency.resolved)]);
    }
  }
  return { violations, cycles: folderCycles(edges), modules: result.modules.length };
}

describe('folders depend one way', () => {
  it("the project's own code keeps the folder rule and has no cycle between folders", async () => {
    const { violations, cycles, modules } = await check(ROOT, CHECKED);
    expect(modules).toBeGreaterThan(200);
    expect(violations).toEqual([]);
    expect(cycles).toEqual([]);
  }, 120_000);

  describe('a planted cycle', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'folder-rule-'));
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('fails: core importing mail, and mail importing core', async () => {
      fs.mkdirSync(path.join(dir, 'src', 'core'), { recursive: true });
      fs.mkdirSync(path.join(dir, 'src', 'mail'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'src', 'core', 'a.ts'), "import { b } from '../mail/b';\nexport const a = () => b();\n");
      fs.writeFileSync(path.join(dir, 'src', 'mail', 'b.ts'), "import { a } from '../core/a';\nexport const b = (): unknown => a;\n");
      const { violations, cycles } = await check(dir, ['src']);
      expect(violations).toContain('core-imports-upwards: src/core/a.ts -> src/mail/b.ts');
      expect(violations.some((violation) => violation.startsWith('no-circular:'))).toBe(true);
      expect(cycles).toEqual([['src/core', 'src/mail']]);
    }, 60_000);

    it('finds a loop through three folders that no single import shows', () => {
      expect(
        folderCycles([
          ['src/site/reading', 'src/site/archive'],
          ['src/site/archive', 'src/site/subscription'],
          ['src/site/subscription', 'src/site/reading'],
          ['src/site/reading', 'src/core'],
        ]),
      ).toEqual([['src/site/archive', 'src/site/reading', 'src/site/subscription']]);
    });
  });
});
