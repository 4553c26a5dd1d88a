import { describe, expect, it } from 'vitest';
import { explainSuppression, suppressionCause } from '../../src/core/domain/suppression-reason';
import { suppressionFor } from '../../src/mailings/feedback/events';

describe('the suppression reason in the admin', () => {
  it('names the cause of every reason the event webhook writes, in Dutch and English', () => {
    const written = [
      [suppressionFor({ reason: '550 5.1.1 <anna@example.org>: Recipient address rejected', status: '5.1.1' }, 'bounce'), 'hard-bounce'],
      [suppressionFor({ reason: 'Bounced Address' }, 'dropped'), 'dropped-invalid'],
      [suppressionFor({ reason: 'Invalid' }, 'dropped'), 'dropped-invalid'],
      [suppressionFor({ reason: 'Spam Reporting Address' }, 'dropped'), 'dropped-spam'],
      [suppressionFor({ reason: 'Unsubscribed Address' }, 'dropped'), 'dropped-unsubscribed'],
      [suppressionFor({}, 'spamreport'), 'spam-report'],
      [suppressionFor({ event: 'unsubscribe' }, 'unsubscribe'), 'mailbox-unsubscribe'],
      [suppressionFor({ event: 'group_unsubscribe' }, 'unsubscribe'), 'mailbox-unsubscribe'],
    ] as const;
    for (const [suppression, cause] of written) {
      expect(suppressionCause(suppression!.reason)).toBe(cause);
      expect(explainSuppression(suppression!.reason, 'nl')).not.toBe(explainSuppression(suppression!.reason, 'en'));
    }
    expect(explainSuppression('Bounce 5.1.1: no such user', 'nl')).toBe('Het adres bestaat niet (meer) of weigert mail blijvend (harde bounce).');
  });

  it('says plainly when it does not know the text, which is then shown as SendGrid gave it', () => {
    expect(suppressionCause('Something new from SendGrid')).toBe('other');
    expect(explainSuppression('Something new from SendGrid', 'nl')).toBe('Reden zoals SendGrid die gaf:');
  });
});
