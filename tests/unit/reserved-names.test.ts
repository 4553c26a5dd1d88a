import fs from 'node:fs';
import path from 'node:path';
import { contentTypes } from '@strapi/utils';
import { describe, expect, it } from 'vitest';

/**
 * Strapi 5 gives some attribute names its own meaning (`status` is a document's draft/published
 * version, `locale` its language, ...). An attribute of ours with such a name looks fine in the
 * database and breaks in the admin panel, so every schema is checked against Strapi's own list.
 */
const ROOT = path.resolve(__dirname, '..', '..', 'src');

function schemaFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return schemaFiles(full);
    return entry.name === 'schema.json' || (dir.includes(`${path.sep}components${path.sep}`) && entry.name.endsWith('.json')) ? [full] : [];
  });
}

const files = [...schemaFiles(path.join(ROOT, 'api')), ...schemaFiles(path.join(ROOT, 'components'))];

describe('attribute names', () => {
  it('finds the schemas', () => {
    expect(files.map((file) => path.relative(ROOT, file))).toEqual(
      expect.arrayContaining(['api/edition/content-types/edition/schema.json', 'api/subscriber/content-types/subscriber/schema.json']),
    );
  });

  it.each(files.map((file) => [path.relative(ROOT, file), file]))('%s uses no name Strapi 5 reserves', (_name, file) => {
    const attributes = Object.keys((JSON.parse(fs.readFileSync(file, 'utf8')) as { attributes: Record<string, unknown> }).attributes);
    expect(attributes.filter((name) => contentTypes.isReservedAttributeName(name))).toEqual([]);
  });
});
