/** The shared layout of the pages readers open: subscription pages, archive, reading pages. */
import { html, raw, safeUrl, type SafeHtml } from '../core/web/html';
import { SWITCH_TO, pageStrings } from './strings';
import type { Locale } from '../core/domain/locale';

const STYLES = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1b1b;--muted:#4a4a4a;--line:#6b6b6b;--accent:#0b5394;--on-accent:#fff;--focus:#0b5394;--error:#b3261e;--ok-bg:#e7f4ea;--ok-line:#1e7b34;--band:#f1f4f8}
@media (prefers-color-scheme:dark){:root{--bg:#121417;--fg:#ececec;--muted:#bdbdbd;--line:#9a9a9a;--accent:#8cb8ff;--on-accent:#0d1b2e;--focus:#ffd866;--error:#ff9c94;--ok-bg:#173a22;--ok-line:#5cc079;--band:#1c2026}}
*,*::before,*::after{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:1.0625rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;overflow-wrap:anywhere}
.wrap{max-width:40rem;margin:0 auto;padding:0 1rem}
.site-header,.site-footer{background:var(--band)}
.site-header .wrap{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.5rem 1rem;padding-top:.75rem;padding-bottom:.75rem}
.network-name{margin:0;font-weight:700;font-size:1.15rem}
main.wrap{padding-top:1.5rem;padding-bottom:2.5rem}
main:focus{outline:none}
.site-footer .wrap{padding-top:1rem;padding-bottom:1.5rem;font-size:.95rem}
h1{font-size:1.75rem;line-height:1.25;margin:0 0 1rem}
h2{font-size:1.25rem;margin:2rem 0 .5rem}
a{color:var(--accent);text-underline-offset:.15em}
:focus-visible,.error-summary:focus{outline:3px solid var(--focus);outline-offset:2px}
.skip-link{position:absolute;left:-10000px;top:0;padding:.5rem 1rem;background:var(--bg);color:var(--accent)}
.skip-link:focus{left:0;z-index:1}
.field{margin:0 0 1.5rem}
label,legend{display:block;font-weight:600;margin-bottom:.25rem}
fieldset{border:0;padding:0;margin:0 0 1.5rem;min-width:0}
legend{padding:0;font-size:1.1rem}
.hint{color:var(--muted);margin:0 0 .5rem;font-weight:400}
input[type=email],input[type=text]{display:block;width:100%;max-width:30rem;padding:.55rem .6rem;font:inherit;color:var(--fg);background:var(--bg);border:2px solid var(--line);border-radius:4px}
input[aria-invalid=true]{border-color:var(--error)}
.choice{display:flex;align-items:flex-start;gap:.6rem;margin:.5rem 0}
.choice input{flex:none;width:1.4rem;height:1.4rem;margin:.1rem 0 0;accent-color:var(--accent)}
.choice label{font-weight:400;margin:0}
.choice .hint{display:block;margin:0}
.field-error{color:var(--error);font-weight:600;margin:0 0 .4rem}
.error-summary{border:4px solid var(--error);padding:1rem 1.25rem;margin:0 0 2rem}
.error-summary h2{margin:0 0 .5rem;font-size:1.2rem}
.error-summary ul{margin:0;padding-left:1.25rem}
.error-summary a{color:var(--error);font-weight:600}
.notice{border-left:6px solid var(--ok-line);background:var(--ok-bg);padding:.75rem 1rem;margin:0 0 1.5rem}
button{font:inherit;font-weight:600;padding:.65rem 1.25rem;min-height:2.75rem;color:var(--on-accent);background:var(--accent);border:2px solid transparent;border-radius:4px;cursor:pointer}
button:hover{text-decoration:underline}
.vh,.hp{position:absolute!important;left:-10000px;width:1px;height:1px;overflow:hidden}
.crumbs{list-style:none;padding:0;margin:0 0 1.25rem;display:flex;flex-wrap:wrap;gap:.25rem .5rem;font-size:.95rem}
.crumbs li+li::before{content:"›";margin-right:.5rem;color:var(--muted)}
.meta{color:var(--muted);margin:0 0 .75rem;font-size:.95rem}
.lede{font-size:1.15rem}
.item-list{list-style:none;padding:0;margin:0}
.item-list>li{border-top:1px solid var(--line);padding:.75rem 0}
.item-list h3{font-size:1.1rem;margin:0 0 .25rem}
.item-list p{margin:.25rem 0}
.language-note{display:inline-block;border:1px solid var(--line);border-radius:4px;padding:.1rem .5rem;margin:0 0 .5rem;font-size:.9rem}
.tags{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.5rem}
.tags a{display:inline-block;padding:.4rem .8rem;border:2px solid var(--accent);border-radius:1.5rem;text-decoration:none}
.tags a:hover{text-decoration:underline}
.button-link{display:inline-block;padding:.65rem 1.25rem;background:var(--accent);color:var(--on-accent);font-weight:600;border-radius:4px;text-decoration:none}
.button-link:hover{text-decoration:underline}
.cover{margin:0 0 1rem}
.cover img,.article-body img{max-width:100%;height:auto}
.article-body blockquote{border-left:4px solid var(--line);margin:1rem 0;padding:0 1rem}
.article-body pre{overflow-x:auto}
`.replace(/\n/g, '');

export interface LayoutOptions {
  locale: Locale;
  /** Page title, without the network name. */
  title: string;
  networkName: string;
  privacyUrl: string;
  body: SafeHtml;
  /** Only the sign-up page belongs in search engines. */
  indexable?: boolean;
  /** Pages with a token in their URL must not leak it through the Referer header. */
  hideReferrer?: boolean;
  /** Link to this page in the other language. */
  languageSwitch?: { href: string; locale: Locale };
  /** `<link>` elements in the head: canonical, hreflang alternates, feeds (`rel="alternate" type="application/rss+xml"`). */
  headLinks?: ReadonlyArray<{ rel: string; href: string; hreflang?: string; type?: string; title?: string }>;
  /** Open Graph and similar `<meta property=…>` elements in the head. */
  metaProperties?: ReadonlyArray<{ property: string; content: string }>;
}

function headExtras(options: LayoutOptions): SafeHtml {
  const links = (options.headLinks ?? []).map(
    (
      link,
    ) => html`<link rel="${link.rel}" href="${safeUrl(link.href)}"${link.hreflang ? html` hreflang="${link.hreflang}"` : ''}${link.type ? html` type="${link.type}"` : ''}${link.title ? html` title="${link.title}"` : ''}>
`,
  );
  const metas = (options.metaProperties ?? []).map(
    (meta) => html`<meta property="${meta.property}" content="${meta.content}">
`,
  );
  return html`${links}${metas}`;
}

/** The page's own CSP: nothing from outside; images only from the CMS itself (covers and article images are its /uploads). */
export function renderLayout(options: LayoutOptions): string {
  const s = pageStrings(options.locale);
  const sw = options.languageSwitch;
  return (
    '<!doctype html>\n' +
    html`<html lang="${options.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'">
${!options.indexable && raw('<meta name="robots" content="noindex">\n')}${options.hideReferrer && raw('<meta name="referrer" content="no-referrer">\n')}<title>${options.title} – ${options.networkName}</title>
${headExtras(options)}<style>${raw(STYLES)}</style>
</head>
<body>
<a class="skip-link" href="#main">${s.skipLink}</a>
<header class="site-header"><div class="wrap">
<p class="network-name">${options.networkName}</p>
${sw && html`<a href="${safeUrl(sw.href)}" lang="${sw.locale}" hreflang="${sw.locale}">${SWITCH_TO[sw.locale]}</a>`}
</div></header>
<main id="main" class="wrap" tabindex="-1">
${options.body}
</main>
<footer class="site-footer"><div class="wrap">
<a href="${safeUrl(options.privacyUrl)}">${s.privacyStatement}</a>
</div></footer>
</body>
</html>
`.value
  );
}
