/**
 * The mail templates in `emails/` as Handlebars templates: reading the files, compiling them in an
 * isolated Handlebars environment, and filling them with values (values.ts) and slots. See
 * emails/README.md for the syntax the templates use.
 *
 * Decisions:
 * - Escaping is ours, not Handlebars': in the html part every value is escaped with `escapeHtml`
 *   (the five characters `& < > " '`, as on the hosted pages) before it reaches the template, and
 *   handed over as already safe; Handlebars' own escaping stays on behind it for anything else. The
 *   text part is compiled with `noEscape`.
 * - Strict: a placeholder without a value is an error, never a silent blank. Placeholders outside
 *   blocks are checked against the values before rendering, so the error names the placeholder as
 *   written; Handlebars' `strict` mode catches the rest.
 * - Partials are named by their path in `emails/` (`{{> partials/footer.mjml}}`), read when a
 *   template that names them is loaded, never from outside the folder, and passed to each render
 *   (nothing is registered globally). The layout wraps every mail with `{{> @partial-block}}`.
 * - Slots (`{{@name}}`) are Handlebars data variables holding markup or text the caller has already
 *   filled (lists of cards); they are inserted as they are. A slot without contents, or contents
 *   without a slot, is an error.
 * - Whitespace is kept as written: no standalone-line stripping, no indenting of partials, so a
 *   partial's output is exactly its file with the values in.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type Handlebars from 'handlebars';
import { escapeHtml } from '../core/web/html';
import type { Values } from './values';

export type Extension = 'mjml' | 'txt';

/** Already filled markup (html part) or text (text part) for `{{@name}}` slots. */
export type SlotContents = Readonly<Record<string, string>>;

/** A loaded template with everything it includes, ready to fill. */
export interface Template {
  /**
   * Fills the template with `shared` (the mail's values, the same map for every partial of a mail)
   * plus `own` (one partial's values); `where` starts every error message.
   */
  fill(shared: Values, own: Values, slots: SlotContents, where: string): string;
}

export interface Templates {
  /** A file of the emails folder (cached unless `cache` is off). */
  read(relativePath: string): Promise<string>;
  /** `templates/<name>.<extension>` inside `layouts/base.<extension>`. */
  mail(name: string, extension: Extension): Promise<Template>;
  /** One file (`partials/….mjml` or `.txt`) and what it includes. */
  partial(relativePath: string): Promise<Template>;
  /** A string from the strings files: placeholders only, nothing escaped. */
  text(source: string, values: Values, where: string): string;
}

/** Partials within partials, counted from the layout; a loop of includes ends here. */
const MAX_INCLUDE_DEPTH = 5;
/** Data variables Handlebars sets itself (`@index` in `{{#each}}`, …): never slots. */
const ENGINE_DATA = new Set(['root', 'index', 'key', 'first', 'last', 'level', 'partial-block']);
const COMPILE_OPTIONS = { strict: true, knownHelpersOnly: true, ignoreStandalone: true, preventIndent: true } as const;
const RUNTIME_OPTIONS = { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false } as const;
const NONE: Values = new Map();

type Delegate = Handlebars.TemplateDelegate;
type Environment = typeof Handlebars;

let handlebars: Environment | undefined;

/**
 * Loaded on first use (its compiler takes ~100 ms to load), so that a process that never renders
 * a mail (a CLI command that only reports) does not pay for it at start.
 */
function createEnvironment(): Environment {
  handlebars ??= createRequire(__filename)('handlebars') as Environment;
  return handlebars.create();
}
type Node = hbs.AST.Node;

/** What one source uses, read from its syntax tree. */
interface Compiled {
  render: Delegate;
  /** Partials it names; `plain` when called in the same context (no block around, no arguments). */
  includes: Array<{ name: string; plain: boolean }>;
  /** Placeholders outside blocks, as written, with the value name they need. */
  placeholders: Array<{ written: string; key: string }>;
  slots: string[];
  hasPartialBlock: boolean;
}

function scan(node: Node, plain: boolean, out: Omit<Compiled, 'render'>): void {
  switch (node.type) {
    case 'Program':
      for (const statement of (node as hbs.AST.Program).body) scan(statement, plain, out);
      return;
    case 'MustacheStatement': {
      const { path: target, params, hash } = node as hbs.AST.MustacheStatement;
      if (target.type !== 'PathExpression') return;
      const { data, depth, parts, original } = target as hbs.AST.PathExpression;
      if (data && !ENGINE_DATA.has(parts[0])) out.slots.push(parts.join('.'));
      else if (!data && plain && depth === 0 && parts.length > 0 && params.length === 0 && !hash)
        out.placeholders.push({ written: original, key: parts.join('.') });
      return;
    }
    case 'BlockStatement': {
      // Blocks may change the context (`each`, `with`): what is inside is left to strict mode.
      const block = node as hbs.AST.BlockStatement;
      if (block.program) scan(block.program, false, out);
      if (block.inverse) scan(block.inverse, false, out);
      return;
    }
    case 'PartialStatement':
    case 'PartialBlockStatement': {
      const partial = node as hbs.AST.PartialStatement | hbs.AST.PartialBlockStatement;
      if (partial.name.type !== 'PathExpression') throw new Error('a partial is named by its path, not computed');
      const { original } = partial.name as hbs.AST.PathExpression;
      if (original === '@partial-block') out.hasPartialBlock = true;
      else out.includes.push({ name: original, plain: plain && partial.params.length === 0 && !partial.hash });
      if (partial.type === 'PartialBlockStatement') scan(partial.program, plain, out);
      return;
    }
    default:
      return; // text, comments
  }
}

function resolveInside(root: string, relativePath: string): string {
  const resolved = path.resolve(root, relativePath);
  const relative = path.relative(root, resolved);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(`Mail include "${relativePath}" points outside ${root}`);
  }
  return resolved;
}

function extensionOf(relativePath: string): Extension | undefined {
  return relativePath.endsWith('.mjml') ? 'mjml' : relativePath.endsWith('.txt') ? 'txt' : undefined;
}

export function createTemplates(options: { root: string; cache: boolean }): Templates {
  const root = path.resolve(options.root);
  let environment: Environment | undefined;
  const hb = (): Environment => (environment ??= createEnvironment());
  const files = new Map<string, Promise<string>>();
  /** By source text, in both cache modes: an edited file is a new text and compiled again. */
  const compiled = new Map<string, Compiled>();
  const loaded = new Map<string, Promise<Template>>();
  /**
   * A mail's shared values as Handlebars context, built once per mail and part, not per partial
   * (the maps are read-only once filled, so the map itself is the key).
   */
  const contexts: Record<Extension, WeakMap<Values, Context>> = { mjml: new WeakMap(), txt: new WeakMap() };

  /** Html part: values escaped by us and marked safe; text part: values as they are. */
  const encoders: Record<Extension, (value: string) => unknown> = {
    mjml: (value) => new (hb().SafeString)(escapeHtml(value)),
    txt: (value) => value,
  };

  function read(relativePath: string): Promise<string> {
    const cached = files.get(relativePath);
    if (cached) return cached;
    const reading = readFile(resolveInside(root, relativePath), 'utf8');
    if (options.cache) {
      files.set(relativePath, reading);
      reading.catch(() => files.delete(relativePath));
    }
    return reading;
  }

  function compile(source: string, extension: Extension, name: string): Compiled {
    const key = `${extension}:${source}`;
    let entry = compiled.get(key);
    if (!entry) {
      let ast: hbs.AST.Program;
      const found: Omit<Compiled, 'render'> = { includes: [], placeholders: [], slots: [], hasPartialBlock: false };
      try {
        ast = hb().parse(source, { ignoreStandalone: true });
        scan(ast, true, found);
      } catch (error) {
        throw new Error(`${name}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      entry = { ...found, render: hb().compile(ast, { ...COMPILE_OPTIONS, noEscape: extension === 'txt' }) };
      compiled.set(key, entry);
    }
    return entry;
  }

  async function compileFile(relativePath: string): Promise<Compiled> {
    resolveInside(root, relativePath);
    const extension = extensionOf(relativePath);
    if (!extension) throw new Error(`Mail include "${relativePath}" must end in .mjml or .txt`);
    return compile(await read(relativePath), extension, `emails/${relativePath}`);
  }

  /** The entry and every partial it reaches, checked once per load. */
  async function assemble(entry: Compiled, extension: Extension): Promise<Template> {
    const partials: Record<string, Delegate> = {};
    const placeholders = new Map<string, string>();
    const slots = new Set<string>();
    async function visit(file: Compiled, plain: boolean, depth: number): Promise<void> {
      if (plain) for (const { written, key } of file.placeholders) placeholders.set(written, key);
      for (const slot of file.slots) slots.add(slot);
      await Promise.all(
        file.includes.map(async (include) => {
          if (depth > MAX_INCLUDE_DEPTH) throw new Error(`Mail include "${include.name}": nested too deeply`);
          const partial = await compileFile(include.name);
          partials[include.name] = partial.render;
          await visit(partial, plain && include.plain, depth + 1);
        }),
      );
    }
    await visit(entry, true, 0);
    return {
      fill(shared, own, contents, where) {
        for (const [written, key] of placeholders) {
          if (!own.has(key) && !shared.has(key)) throw new Error(`${where}: no value for placeholder {{${written}}}`);
        }
        for (const slot of slots) {
          if (!Object.hasOwn(contents, slot)) throw new Error(`${where}: no contents for slot {{@${slot}}}`);
        }
        const unused = Object.keys(contents).filter((slot) => !slots.has(slot));
        if (unused.length > 0) throw new Error(`${where}: no slot for ${unused.map((slot) => `{{@${slot}}}`).join(', ')}`);
        const data: Record<string, unknown> = {};
        for (const [slot, content] of Object.entries(contents)) data[slot] = new (hb().SafeString)(content);
        try {
          return entry.render(contextOf(shared, own, extension), { ...RUNTIME_OPTIONS, data, partials });
        } catch (error) {
          throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
      },
    };
  }

  function contextOf(shared: Values, own: Values, extension: Extension): Context {
    let base = contexts[extension].get(shared);
    if (!base) {
      base = addTo({}, shared, encoders[extension]);
      contexts[extension].set(shared, base);
    }
    // Object.assign rather than spread: V8 adds the partial's values to its copy several times faster.
    return own.size === 0 ? base : addTo(Object.assign({}, base), own, encoders[extension]);
  }

  function once(key: string, load: () => Promise<Template>): Promise<Template> {
    if (!options.cache) return load();
    let pending = loaded.get(key);
    if (!pending) {
      pending = load();
      loaded.set(key, pending);
      pending.catch(() => loaded.delete(key));
    }
    return pending;
  }

  return {
    read,
    mail(name, extension) {
      return once(`mail:${name}.${extension}`, async () => {
        const layout = `layouts/base.${extension}`;
        if (!(await compileFile(layout)).hasPartialBlock) throw new Error(`${layout} has no {{> @partial-block}} for the template`);
        // The layout as a partial block around the template: Handlebars' own way to wrap.
        const wrapper = compile(`{{#> ${layout}}}{{> templates/${name}.${extension}}}{{/${layout}}}`, extension, `templates/${name}.${extension}`);
        return assemble(wrapper, extension);
      });
    },
    partial(relativePath) {
      return once(`partial:${relativePath}`, async () => {
        const extension = extensionOf(relativePath);
        if (!extension) throw new Error(`partial "${relativePath}" must end in .mjml or .txt`);
        return assemble(await compileFile(relativePath), extension);
      });
    },
    text(source, values, where) {
      const string = compile(source, 'txt', where);
      if (string.includes.length > 0 || string.slots.length > 0) throw new Error(`${where}: a string has placeholders only, no partials or slots`);
      for (const { written, key } of string.placeholders) {
        if (!values.has(key)) throw new Error(`${where}: no value for placeholder {{${written}}}`);
      }
      try {
        return string.render(contextOf(values, NONE, 'txt'), RUNTIME_OPTIONS);
      } catch (error) {
        throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    },
  };
}

type Context = Record<string, unknown>;

/**
 * Adds the flat values (`org.name`) to a context as the objects Handlebars paths walk (`org` →
 * `name`); a group object it changes is copied first, so a shared context stays as it was.
 */
function addTo(context: Context, values: Values, encode: (value: string) => unknown): Context {
  let copied: Set<string> | undefined;
  for (const [key, value] of values) {
    const dot = key.indexOf('.');
    if (dot < 0) {
      context[key] = encode(value);
      continue;
    }
    const group = key.slice(0, dot);
    copied ??= new Set();
    if (!copied.has(group)) {
      context[group] = Object.assign({}, context[group]);
      copied.add(group);
    }
    (context[group] as Context)[key.slice(dot + 1)] = encode(value);
  }
  return context;
}
