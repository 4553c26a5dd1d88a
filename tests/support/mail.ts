import { renderForRecipient, type MailSink, type RenderedMail } from '../../scripts/mail-sink/server';

/** Polls the stand-in until `count` mails to `address` have arrived (bounded), and returns them as that recipient sees them. */
export async function waitForMail(sink: MailSink, address: string, count = 1, timeoutMs = 30_000): Promise<RenderedMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const mails = mailsTo(sink, address);
    if (mails.length >= count) return mails;
    if (Date.now() > deadline) throw new Error(`expected ${count} mail(s) to ${address} at the stand-in, got ${mails.length}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function mailsTo(sink: MailSink, address: string): RenderedMail[] {
  return sink
    .messages()
    .map((message) => renderForRecipient(message, address))
    .filter((mail): mail is RenderedMail => mail !== null);
}

/** The first link in the mail's html whose URL contains `pathPart`. */
export function linkIn(mail: RenderedMail, pathPart: string): string {
  const escaped = pathPart.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = new RegExp(`href="([^"]*${escaped}[^"]*)"`).exec(mail.html ?? '');
  if (!match) throw new Error(`no link to ${pathPart} in the mail`);
  return match[1].replace(/&amp;/g, '&');
}
