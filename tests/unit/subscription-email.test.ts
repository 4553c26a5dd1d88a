import { describe, expect, it } from 'vitest';
import { canonicalMailbox } from '../../src/core/domain/email';

describe('canonicalMailbox: the inbox per-address limits count', () => {
  it.each([
    ['anna@example.org', 'anna@example.org'],
    ['  Anna@Example.ORG ', 'anna@example.org'],
    ['anna+news@example.org', 'anna@example.org'],
    ['anna+a+b@example.org', 'anna@example.org'],
    // Outside Gmail a dot may name another mailbox: kept.
    ['anna.jansen@example.org', 'anna.jansen@example.org'],
    ['anna.jansen+x@example.org', 'anna.jansen@example.org'],
    ['a.n.n.a@gmail.com', 'anna@gmail.com'],
    ['A.Nna+Tag@GoogleMail.com', 'anna@gmail.com'],
    ['anna@googlemail.com', 'anna@gmail.com'],
    // Only gmail.com itself, not a look-alike domain or a subdomain.
    ['a.nna@gmail.com.example', 'a.nna@gmail.com.example'],
    ['a.nna@mail.gmail.com', 'a.nna@mail.gmail.com'],
    // Nothing before the tag: there is no shorter mailbox name to fall back to.
    ['+tag@example.org', '+tag@example.org'],
  ])('%s -> %s', (address, mailbox) => {
    expect(canonicalMailbox(address)).toBe(mailbox);
  });

  it('gives every tag and dot variant of one Gmail inbox the same key', () => {
    const variants = ['jan.de.vries@gmail.com', 'jandevries@gmail.com', 'j.a.n.devries+1@googlemail.com', 'JanDeVries+newsletter@Gmail.com'];
    expect(new Set(variants.map(canonicalMailbox))).toEqual(new Set(['jandevries@gmail.com']));
  });
});
