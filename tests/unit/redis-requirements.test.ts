import { describe, expect, it } from 'vitest';
import { judgeRedis } from '../../src/core/infra/redis-requirements';

describe('judgeRedis: what netwerkpost needs of its Redis', () => {
  const good = { maxmemoryPolicy: 'noeviction', aof: true, snapshotRules: '' };

  it('accepts noeviction with AOF or with snapshot rules', () => {
    expect(judgeRedis(good, true)).toEqual({ errors: [], warnings: [] });
    expect(judgeRedis({ ...good, aof: false, snapshotRules: '3600 1 300 100' }, true)).toEqual({ errors: [], warnings: [] });
  });

  it('production refuses an evicting policy and names noeviction; development only warns', () => {
    const lru = { ...good, maxmemoryPolicy: 'allkeys-lru' };
    const production = judgeRedis(lru, true);
    expect(production.errors).toHaveLength(1);
    expect(production.errors[0]).toMatch(/allkeys-lru.*noeviction/);
    const development = judgeRedis(lru, false);
    expect(development.errors).toEqual([]);
    expect(development.warnings[0]).toMatch(/noeviction/);
    expect(judgeRedis({ ...good, maxmemoryPolicy: null }, true).errors[0]).toMatch(/unknown/);
  });

  it('warns (never refuses) when nothing is kept on disk, or when that cannot be read', () => {
    const none = judgeRedis({ ...good, aof: false, snapshotRules: '' }, true);
    expect(none.errors).toEqual([]);
    expect(none.warnings[0]).toMatch(/appendonly yes/);
    expect(judgeRedis({ ...good, aof: false, snapshotRules: null }, true).warnings[0]).toMatch(/could not be read/);
  });
});
