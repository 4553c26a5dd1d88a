/**
 * `npm run bench -- render [--runs 1000] [--mjml stub|real] [--cache on|off]`: what rendering one
 * edition variant costs through the real renderer (src/mail/renderer.ts): a realistic edition of 20
 * items over four sections (images, a bundle, two untranslated items), as the worker renders one
 * variant.
 *
 * `--mjml stub` (the default) replaces MJML with a function that returns its input, so the figure
 * is the template step alone; `--mjml real` includes MJML's compile, most of a real render.
 * `--cache on` (the default) is the worker's renderer: files read once, and every run a different
 * variant (the title is numbered), so no run is answered from the cache of rendered mails;
 * `--cache off` is development's: every run reads every file again. Nothing but this process runs;
 * CPU seconds say more than wall time on a busy machine.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { renderEditionVariant, type EditionItemView, type EditionVariantModel } from '../src/mail/edition-renderer';
import { createMailRenderer } from '../src/mail/renderer';

function option(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

const runs = Math.max(10, Number(option('runs', '1000')));
const mjml = option('mjml', 'stub');
if (mjml !== 'stub' && mjml !== 'real') throw new Error('--mjml is stub or real');
const cache = option('cache', 'on');
if (cache !== 'on' && cache !== 'off') throw new Error('--cache is on or off');

if (mjml === 'stub') {
  // The renderer loads MJML through require on first use; a module already in require's cache is
  // what it gets.
  const require = createRequire(__filename);
  const id = require.resolve('mjml');
  const stub = (source: string) => ({ html: source });
  require.cache[id] = { id, filename: id, loaded: true, exports: stub } as unknown as NodeJS.Module;
}

const summary =
  'In Rotterdam-Zuid werken wijkteams, huisartsen en thuiszorg sinds dit voorjaar samen in één overleg per wijk. ' +
  'Wat levert dat op voor cliënten met dementie en hun mantelzorgers, en wat kost het de professionals aan tijd?';

function item(i: number): EditionItemView {
  if (i === 7) {
    return {
      kind: 'resource',
      resourceKind: 'bundle',
      title: 'Inspiratiebundel wijkgericht werken',
      summary,
      url: 'https://zorgnetwerk.example/inspiratie/wijkgericht',
      imageUrl: 'https://cms.zorgnetwerk.example/uploads/bundel.jpg',
      imageAlt: 'Mensen in overleg rond een tafel',
      language: 'nl',
      bundleItems: Array.from({ length: 8 }, (_, j) => ({
        title: `Werkblad ${j + 1}: samen plannen`,
        url: `https://zorgnetwerk.example/inspiratie/werkblad-${j + 1}`,
        resourceKind: 'tool',
      })),
    };
  }
  if (i % 4 === 3) {
    const kinds = ['book', 'tool', 'video', 'report'] as const;
    return {
      kind: 'resource',
      resourceKind: kinds[i % 4],
      title: `Handreiking samenwerken in de wijk, deel ${i}`,
      summary,
      url: `https://zorgnetwerk.example/inspiratie/handreiking-${i}`,
      language: 'nl',
    };
  }
  return {
    kind: 'article',
    title: `Wijkgericht samenwerken rond dementie: ervaringen uit Feijenoord (${i})`,
    summary,
    url: `https://zorgnetwerk.example/nieuws/wijkgericht-${i}`,
    imageUrl: i % 3 === 0 ? `https://cms.zorgnetwerk.example/uploads/foto_${i}.jpg` : null,
    imageAlt: i % 2 === 0 ? 'Een wijkverpleegkundige in gesprek met een oudere vrouw' : null,
    language: i === 5 || i === 13 ? 'en' : 'nl',
  };
}

const items = Array.from({ length: 20 }, (_, i) => item(i));
const model: EditionVariantModel = {
  locale: 'nl',
  title: 'Nieuwsbrief november 2026',
  intro: 'Welkom bij de novembereditie.\n\nDeze maand staat in het teken van samenwerken in de wijk.\n\nVeel leesplezier!',
  preheader: 'Wijkgericht werken, mantelzorg en een nieuwe inspiratiebundel.',
  followed: [{ themeSlug: 'dementie', heading: 'Dementie', items: items.slice(0, 5) }],
  sections: [
    { themeSlug: 'mantelzorg', heading: 'Mantelzorg', items: items.slice(5, 11) },
    { themeSlug: 'jeugd', heading: 'Jeugd en gezin', items: items.slice(11, 16) },
    { themeSlug: null, heading: 'Meer uit het netwerk', items: items.slice(16) },
  ],
};

async function main(): Promise<void> {
  const renderer = createMailRenderer({
    templatesDir: path.resolve(__dirname, '..', 'emails'),
    organisation: {
      name: 'Zorgnetwerk Rotterdam',
      postalAddress: 'Postbus 1234, 3000 AA Rotterdam',
      websiteUrl: 'https://zorgnetwerk.example/',
      privacyUrl: 'https://zorgnetwerk.example/privacy',
    },
    cache: cache === 'on',
  });
  let run = 0;
  const next = () => renderEditionVariant(renderer, { ...model, title: `${model.title} (${++run})` });
  const warmUp = Math.min(50, Math.ceil(runs / 10));
  let bytes = 0;
  for (let i = 0; i < warmUp; i++) bytes = (await next()).html.length;
  const times: number[] = [];
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await next();
    times.push(performance.now() - t0);
  }
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(3);
  process.stdout.write(
    `render, mjml ${mjml}: ${runs} renders of a 20-item edition (cache ${cache}, ${warmUp} warm-up) in ${(wall / 1000).toFixed(2)} s, ` +
      `CPU ${((used.user + used.system) / 1e6).toFixed(2)} s; per render median ${at(0.5)} ms, p90 ${at(0.9)} ms, ` +
      `mean ${(wall / runs).toFixed(3)} ms; ${mjml === 'stub' ? 'MJML source' : 'html'} ${(bytes / 1024).toFixed(1)} KiB\n`,
  );
}

void main();
