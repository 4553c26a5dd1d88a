import { describe, expect, it } from 'vitest';
import { MemoryRateLimiter } from '../../src/core/infra/rate-limiter';

describe('MemoryRateLimiter (the login limit while Redis is away)', () => {
  it('allows up to the limit per subject and window, then refuses with the seconds left', async () => {
    let now = 1_000_000;
    const limiter = new MemoryRateLimiter('secret', () => now);
    for (let i = 1; i <= 3; i++) expect(await limiter.hit('login', 'a@example.org', 3, 60)).toMatchObject({ allowed: true, count: i });
    now += 20_000;
    expect(await limiter.hit('login', 'a@example.org', 3, 60)).toEqual({ allowed: false, count: 4, retryAfterSeconds: 40 });
    // Another subject, or another window name, counts apart.
    expect(await limiter.hit('login', 'b@example.org', 3, 60)).toMatchObject({ allowed: true, count: 1 });
    expect(await limiter.hit('forgot', 'a@example.org', 3, 60)).toMatchObject({ allowed: true, count: 1 });
    // The window ends: counting starts again.
    now += 40_000;
    expect(await limiter.hit('login', 'a@example.org', 3, 60)).toMatchObject({ allowed: true, count: 1 });
  });

  it('gives a released attempt back, never below zero, and not to a window that ended', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter('secret', () => now);
    await limiter.hit('login', 'a', 1, 10);
    await limiter.release('login', 'a');
    await limiter.release('login', 'a');
    expect(await limiter.hit('login', 'a', 1, 10)).toMatchObject({ allowed: true, count: 1 });
    now += 10_000;
    await limiter.release('login', 'a');
    expect(await limiter.hit('login', 'a', 1, 10)).toMatchObject({ allowed: true, count: 1 });
  });
});
