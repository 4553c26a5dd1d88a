/**
 * The dev inbox pages: `GET /` lists the received mail, `GET /messages/:id?to=address` shows a
 * mail as that recipient gets it. All mail content is escaped, the HTML part sits in a sandboxed
 * srcdoc iframe, and the pages send a strict Content-Security-Policy and load nothing external.
 */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { escapeHtml } from '../../src/core/web/html';
import type { EmailAddress } from './contract';
import { publicFaults, type FaultSlot, type Faults } from './faults';
import { safeDecode, send } from './http';
import type { Inbox, SinkCounts, SinkMode, StoredMessage } from './inbox';
import { forEachRecipient, renderForRecipient, type RenderedMail } from './recipient-view';

const HTML_SECURITY_HEADERS: OutgoingHttpHeaders = {
  'Content-Type': 'text/html; charset=utf-8',
  // Inherited by the srcdoc iframe: no scripts anywhere, inline styles and images only.
  'Content-Security-Policy':
    "default-src 'none'; style-src 'unsafe-inline'; img-src * data:; font-src data:; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

function sendHtml(res: ServerResponse, status: number, html: string): void {
  send(res, status, html, HTML_SECURITY_HEADERS);
}

function formatAddress(a: EmailAddress | undefined): string {
  if (!a) return '';
  return a.name ? `${a.name} <${a.email}>` : a.email;
}

const PAGE_STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2430;background:#f5f6f8}
header{background:#1f3a5f;color:#fff;padding:.75rem 1.25rem}
header a{color:#fff;text-decoration:none;font-weight:600}
main{padding:1rem 1.25rem;max-width:1200px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #e1e4e8;vertical-align:top;font-size:.9rem}
th{background:#eef1f5}
td.k{white-space:nowrap;color:#555;width:12rem}
.muted{color:#666}
.pill{display:inline-block;background:#eef1f5;border-radius:.6rem;padding:0 .5rem;margin-right:.3rem}
iframe{width:100%;height:640px;border:1px solid #ccd2da;background:#fff}
pre{white-space:pre-wrap;word-break:break-word;background:#fff;border:1px solid #ccd2da;padding:.75rem}
form{margin:.75rem 0}
select{max-width:40rem}
.err{color:#a4121c}
`;

function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${PAGE_STYLE}</style></head>
<body><header><a href="/">Mail sink</a></header><main>${content}</main></body></html>`;
}

function countsTable(counts: SinkCounts, mode: SinkMode, faults: Faults): string {
  const cells = Object.entries(counts)
    .map(([k, v]) => `<span class="pill">${escapeHtml(k)}: ${v}</span>`)
    .join('');
  const active = faults.status429 !== undefined || faults.status500 !== undefined || faults.delayMs !== undefined || faults.rejectAddress !== undefined;
  const faultText = active ? ` &middot; faults: <code>${escapeHtml(JSON.stringify(faults))}</code>` : '';
  return `<p>Mode <b>${mode}</b> &middot; ${cells}${faultText}</p>`;
}

function indexPage(messages: readonly StoredMessage[], counts: SinkCounts, mode: SinkMode, faults: Faults): string {
  const shown = messages.slice(-500).reverse();
  const rows = shown
    .map((m) => {
      const subject = m.body.subject ?? m.body.personalizations[0]?.subject ?? (m.body.template_id ? `(template ${m.body.template_id})` : '');
      return `<tr><td>${escapeHtml(m.receivedAt)}</td>
<td><a href="/messages/${encodeURIComponent(m.messageId)}">${escapeHtml(subject || '(no subject)')}</a></td>
<td>${escapeHtml(formatAddress(m.body.from))}</td><td>${m.recipients}</td></tr>`;
    })
    .join('\n');
  const table =
    mode === 'count'
      ? '<p class="muted">Count mode: requests are validated and counted, not stored.</p>'
      : shown.length === 0
        ? '<p class="muted">No mail received yet.</p>'
        : `<table><thead><tr><th>Received</th><th>Subject</th><th>From</th><th>Recipients</th></tr></thead><tbody>${rows}</tbody></table>
${messages.length > shown.length ? `<p class="muted">Showing the newest ${shown.length} of ${messages.length}.</p>` : ''}`;
  return page('Mail sink', `<h1>Received mail</h1>${countsTable(counts, mode, faults)}${table}`);
}

function keyValueRows(entries: Array<[string, string]>): string {
  return entries.map(([k, v]) => `<tr><td class="k">${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join('');
}

function messagePage(message: StoredMessage, mail: RenderedMail): string {
  const options: string[] = [];
  forEachRecipient(message.body, (_p, index, type, a) => {
    const selected = a.email.toLowerCase() === mail.recipient.email.toLowerCase() ? ' selected' : '';
    options.push(`<option value="${escapeHtml(a.email)}"${selected}>${escapeHtml(`${formatAddress(a)} (${type}, #${index})`)}</option>`);
  });
  const headerRows: Array<[string, string]> = [
    ['From', formatAddress(mail.from)],
    ['To', mail.to.map(formatAddress).join(', ')],
  ];
  if (mail.cc.length > 0) headerRows.push(['Cc', mail.cc.map(formatAddress).join(', ')]);
  if (mail.type === 'bcc') headerRows.push(['Bcc', formatAddress(mail.recipient)]);
  if (mail.replyTo.length > 0) headerRows.push(['Reply-To', mail.replyTo.map(formatAddress).join(', ')]);
  headerRows.push(['Subject', mail.subject ?? '']);
  for (const [k, v] of Object.entries(mail.headers)) headerRows.push([k, v]);
  const metaRows: Array<[string, string]> = [
    ['Message id', mail.messageId],
    ['Received', mail.receivedAt],
    ['Personalization', String(mail.personalization)],
  ];
  if (mail.categories.length > 0) metaRows.push(['Categories', mail.categories.join(', ')]);
  for (const [k, v] of Object.entries(mail.customArgs)) metaRows.push([`custom_args.${k}`, v]);
  if (mail.sendAt !== null) metaRows.push(['send_at', `${mail.sendAt} (${new Date(mail.sendAt * 1000).toISOString()})`]);
  if (mail.templateId !== null) metaRows.push(['template_id', mail.templateId]);
  if (mail.dynamicTemplateData !== null) metaRows.push(['dynamic_template_data', JSON.stringify(mail.dynamicTemplateData)]);
  metaRows.push(['tracking_settings', mail.trackingSettings === null ? '(none: the account settings apply)' : JSON.stringify(mail.trackingSettings)]);
  for (const a of mail.attachments) {
    metaRows.push(['Attachment', `${a.filename} (${a.type ?? 'unknown type'}, ${a.disposition}, ${a.bytes} bytes)`]);
  }
  const htmlPart =
    mail.html === null
      ? '<p class="muted">No text/html part.</p>'
      : `<iframe sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer" title="HTML part" srcdoc="${escapeHtml(mail.html)}"></iframe>`;
  const textPart = mail.text === null ? '<p class="muted">No text/plain part.</p>' : `<pre>${escapeHtml(mail.text)}</pre>`;
  const other = mail.otherContent.map((c) => `<h3>${escapeHtml(c.type)}</h3><pre>${escapeHtml(c.value)}</pre>`).join('');
  const id = encodeURIComponent(message.messageId);
  return page(
    `${mail.subject ?? '(no subject)'} - mail sink`,
    `<h1>${escapeHtml(mail.subject ?? '(no subject)')}</h1>
<form method="get" action="/messages/${id}"><label>Recipient <select name="to">${options.join('')}</select></label> <button type="submit">Show</button>
<span class="muted"> &middot; <a href="/__sink/messages/${id}">raw JSON</a></span></form>
<h2>Headers as sent to ${escapeHtml(mail.recipient.email)}</h2><table>${keyValueRows(headerRows)}</table>
<h2>HTML</h2>${htmlPart}
<h2>Text</h2>${textPart}${other}
<h2>Details</h2><table>${keyValueRows(metaRows)}</table>`,
  );
}

/** Serves `/`, `/index.html` and `/messages/:id`; false for any other route. */
export function handlePage(res: ServerResponse, method: string, path: string, query: URLSearchParams, inbox: Inbox, faults: FaultSlot): boolean {
  if (method === 'GET' && (path === '/' || path === '/index.html')) {
    sendHtml(res, 200, indexPage(inbox.stored, inbox.counts, inbox.mode, publicFaults(faults.current)));
    return true;
  }
  if (method === 'GET' && path.startsWith('/messages/')) {
    const message = inbox.find(safeDecode(path.slice('/messages/'.length)));
    if (!message) sendHtml(res, 404, page('Not found', '<p class="err">No such message.</p>'));
    else {
      const mail = renderForRecipient(message, query.get('to') ?? undefined);
      if (!mail) sendHtml(res, 404, page('Not found', '<p class="err">That address is not a recipient of this message.</p>'));
      else sendHtml(res, 200, messagePage(message, mail));
    }
    return true;
  }
  return false;
}
