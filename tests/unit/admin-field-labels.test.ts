import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fieldLabels } from '../../src/core/field-labels';
import en from '../../src/plugins/desk/admin/src/translations/en.json';
import nl from '../../src/plugins/desk/admin/src/translations/nl.json';

/**
 * Every attribute of our content types has a label in both admin languages (a new attribute without
 * one shows its raw name, e.g. `spamReportsCount`, to editors), and the desk's two translation
 * files hold the same keys.
 */
const API = path.join(__dirname, '..', '..', 'src', 'api');

function contentTypes(): Array<{ uid: string; attributes: string[] }> {
  const found: Array<{ uid: string; attributes: string[] }> = [];
  for (const api of fs.readdirSync(API)) {
    const dir = path.join(API, api, 'content-types');
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const schema = JSON.parse(fs.readFileSync(path.join(dir, name, 'schema.json'), 'utf8')) as { attributes: Record<string, unknown> };
      found.push({ uid: `api::${api}.${name}`, attributes: Object.keys(schema.attributes) });
    }
  }
  return found;
}

describe('admin labels', () => {
  it.each(['nl', 'en'] as const)('labels every attribute of every content type in %s', (locale) => {
    const labels = fieldLabels[locale] as Record<string, Record<string, string>>;
    const types = contentTypes();
    expect(types.map((type) => type.uid)).toContain('api::campaign.campaign');
    for (const { uid, attributes } of types) {
      const missing = attributes.filter((attribute) => !labels[uid]?.[attribute]);
      expect(missing, uid).toEqual([]);
    }
  });

  it("labels the delivery statistics, the tracking switch and the subscriber's suppression", () => {
    for (const uid of ['api::edition.edition', 'api::campaign.campaign']) {
      expect(fieldLabels.nl[uid as 'api::edition.edition']).toMatchObject({
        trackEngagement: 'Openingen en kliks meten',
        bouncedCount: 'Onbestelbaar',
        opensCount: 'Openingen (schatting)',
      });
      expect(fieldLabels.en[uid as 'api::edition.edition']).toMatchObject({
        trackEngagement: 'Track opens and clicks',
        deliveredCount: 'Delivered',
        bouncedCount: 'Bounced',
        machineOpensCount: 'Opened by mail software (not a reader)',
      });
    }
    expect(fieldLabels.en['api::subscriber.subscriber']).toMatchObject({ suppressionReason: 'Suppression reason', suppressedAt: 'Suppressed at' });
  });

  it("the desk's Dutch and English texts have the same keys", () => {
    expect(Object.keys(nl).sort()).toEqual(Object.keys(en).sort());
  });
});
