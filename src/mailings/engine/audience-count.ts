import { producerFor, type EngineDeps } from './deps';
import { isNothingToSend, scanAudience, type MailingRef } from './mailing';
import { PAGE_SIZE } from './plan';
import { MailingRefusal } from './refusal';

/**
 * How many readers a mailing would reach if it were planned now: the producer's audience over the
 * active subscribers, with the same scan and rule as planning (suppressed and pending readers are
 * never counted). The admin panel's confirmation dialogs say this number before anyone sends.
 * A producer's refusal (a campaign's featured draft, no subject in a language) is thrown as it is.
 */
export async function countAudience(deps: EngineDeps, ref: MailingRef): Promise<number> {
  const mailing = await deps.store.mailing(ref);
  if (!mailing) throw new MailingRefusal('missing', `no ${ref.kind} ${ref.id}`);
  const prepared = await producerFor(deps, ref.kind).prepare(mailing);
  if (isNothingToSend(prepared)) throw new MailingRefusal('nothing-to-send', `${ref.kind} ${ref.id}: ${prepared.nothing.note}`);
  let count = 0;
  for (let lastId = 0; ;) {
    const page = await deps.store.subscribers(scanAudience(mailing, prepared.audience), lastId, PAGE_SIZE);
    if (page.length === 0) break;
    for (const subscriber of page) if (prepared.variantFor(subscriber) !== null) count += 1;
    lastId = page[page.length - 1].id;
  }
  return count;
}
