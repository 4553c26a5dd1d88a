import { describe, expect, it } from 'vitest';
import { chooseList, strapiDefaultList } from '../../src/boot/admin-layouts';

/** Which list the admin panel gets at a start: ours over one no editor chose, an editor's own kept. */
const ATTRIBUTES = {
  id: { type: 'integer' },
  documentId: { type: 'string' },
  title: { type: 'string' },
  themes: { type: 'json' },
  state: { type: 'enumeration' },
  sendAt: { type: 'datetime' },
  recipientsCount: { type: 'integer' },
};
const WANTED = ['title', 'state', 'sendAt', 'recipientsCount', 'deliveredCount'];

describe('admin list layouts', () => {
  it("knows Strapi's default list: the first four listable attributes, id first, never documentId or json", () => {
    expect(strapiDefaultList(ATTRIBUTES)).toEqual(['id', 'title', 'state', 'sendAt']);
  });

  it("replaces Strapi's default and a list set at an earlier start, keeps an editor's own", () => {
    const strapiDefault = strapiDefaultList(ATTRIBUTES);
    expect(chooseList(['id', 'title', 'state', 'sendAt'], WANTED, strapiDefault, undefined)).toBe(WANTED);
    const earlier = ['title', 'state', 'sendAt', 'recipientsCount'];
    expect(chooseList(earlier, WANTED, strapiDefault, earlier)).toBe(WANTED);
    const own = ['title', 'sendAt'];
    expect(chooseList(own, WANTED, strapiDefault, earlier)).toBe(own);
    expect(chooseList(['id', 'title'], undefined, strapiDefault, undefined)).toEqual(['id', 'title']);
  });
});
