/**
 * Checks the shape of a content-API read query (filters, sort, populate, fields, pagination,
 * locale, status) against the content type's attributes before Strapi's query layer sees it.
 * Strapi validates field names, but passes malformed shapes (`$between` with one value, a scalar
 * `$and`, `$eq` inside `$eq`) on to the database, which fails with a 500. Here each gets a 400
 * that names the parameter and what is wrong. Pure: attributes come from a lookup function.
 */
export interface AttributeShape {
  type: string;
  target?: string;
  component?: string;
  private?: boolean;
}

export type ModelLookup = (uid: string) => Record<string, AttributeShape> | undefined;

export class QueryShapeError extends Error {
  constructor(parameter: string, problem: string) {
    super(`${parameter}: ${problem}`);
    this.name = 'QueryShapeError';
  }
}

type Value = unknown;
type Plain = Record<string, unknown>;

const MAX_DEPTH = 5;
const TEXT_TYPES = new Set(['string', 'text', 'richtext', 'email', 'uid', 'enumeration']);
const SCALAR_TYPES = new Set([...TEXT_TYPES, 'integer', 'biginteger', 'float', 'decimal', 'boolean', 'date', 'time', 'datetime', 'timestamp']);
const NESTED_TYPES = new Set(['relation', 'media', 'component']);
const POPULATE_TYPES = new Set(['relation', 'media', 'component', 'dynamiczone']);
const COMPARISON = new Set(['$eq', '$ne', '$lt', '$lte', '$gt', '$gte']);
const TEXT_MATCH = new Set([
  '$eqi',
  '$nei',
  '$contains',
  '$notContains',
  '$containsi',
  '$notContainsi',
  '$startsWith',
  '$startsWithi',
  '$endsWith',
  '$endsWithi',
]);
const LISTS = new Set(['$in', '$notIn']);
const NULLS = new Set(['$null', '$notNull']);
const BOOLEAN = /^(true|false|1|0|t|f)$/i;
const IMPLICIT: Record<string, AttributeShape> = { id: { type: 'integer' }, documentId: { type: 'string' } };

const isPlain = (value: Value): value is Plain => typeof value === 'object' && value !== null && !Array.isArray(value);
const isScalar = (value: Value) => typeof value === 'string';
const describe = (value: Value) => (Array.isArray(value) ? 'a list' : isPlain(value) ? 'an object' : value === null ? 'empty' : 'a single value');

/** qs turns `x[0]=a` into a list, but `x[101]=a` into an object with numeric keys: both are lists. */
function asList(value: Value): Value[] | undefined {
  if (Array.isArray(value)) return value;
  if (isPlain(value) && Object.keys(value).length > 0 && Object.keys(value).every((key) => /^\d+$/.test(key))) return Object.values(value);
  return undefined;
}

class Checker {
  constructor(private readonly lookup: ModelLookup) {}

  attributes(uid: string): Record<string, AttributeShape> {
    return { ...IMPLICIT, ...(this.lookup(uid) ?? {}) };
  }

  attribute(uid: string, name: string, parameter: string): AttributeShape {
    const attribute = Object.prototype.hasOwnProperty.call(this.attributes(uid), name) ? this.attributes(uid)[name] : undefined;
    if (!attribute || attribute.private || attribute.type === 'password') throw new QueryShapeError(parameter, `unknown field "${name}"`);
    return attribute;
  }

  targetOf(attribute: AttributeShape): string {
    return attribute.type === 'media' ? 'plugin::upload.file' : (attribute.target ?? attribute.component ?? '');
  }

  filters(value: Value, uid: string, parameter: string, depth: number): void {
    if (depth > MAX_DEPTH) throw new QueryShapeError(parameter, `filters nest at most ${MAX_DEPTH} levels deep`);
    if (!isPlain(value) || asList(value)) throw new QueryShapeError(parameter, `expected field names or $and/$or/$not, got ${describe(value)}`);
    for (const [key, inner] of Object.entries(value)) {
      const here = `${parameter}[${key}]`;
      if (key === '$and' || key === '$or') {
        const list = asList(inner);
        if (!list) throw new QueryShapeError(here, `expects a list of conditions, like ${here}[0][field][$eq]=value`);
        list.forEach((item, index) => this.filters(item, uid, `${here}[${index}]`, depth + 1));
      } else if (key === '$not') {
        this.filters(inner, uid, here, depth + 1);
      } else if (key.startsWith('$')) {
        throw new QueryShapeError(here, `unknown operator "${key}" here; use it on a field, like filters[field][${key}]`);
      } else {
        const attribute = this.attribute(uid, key, here);
        if (NESTED_TYPES.has(attribute.type)) this.nestedCondition(inner, this.targetOf(attribute), key, here, depth + 1);
        else if (SCALAR_TYPES.has(attribute.type)) this.fieldCondition(inner, attribute, here, depth + 1);
        else throw new QueryShapeError(here, `"${key}" (${attribute.type}) cannot be filtered on`);
      }
    }
  }

  /** A relation, media or component: conditions on the target's fields, or $null/$notNull. */
  nestedCondition(value: Value, target: string, name: string, parameter: string, depth: number): void {
    if (!isPlain(value)) throw new QueryShapeError(parameter, `filter on a field of "${name}", like ${parameter}[id][$eq]=1`);
    const { $null, $notNull, ...rest } = value;
    for (const [operator, operand] of Object.entries({ $null, $notNull })) {
      if (operand !== undefined && !(isScalar(operand) && BOOLEAN.test(operand as string)))
        throw new QueryShapeError(`${parameter}[${operator}]`, 'expects true or false');
    }
    const comparison = Object.keys(rest).find((key) => key.startsWith('$') && !['$and', '$or', '$not'].includes(key));
    if (comparison) throw new QueryShapeError(`${parameter}[${comparison}]`, `compare a field of "${name}", like ${parameter}[id][${comparison}]=1`);
    if (Object.keys(rest).length) this.filters(rest, target, parameter, depth);
  }

  fieldCondition(value: Value, attribute: AttributeShape, parameter: string, depth: number): void {
    if (depth > MAX_DEPTH + 2) throw new QueryShapeError(parameter, 'conditions nest too deep');
    if (value === null || isScalar(value)) return this.operand(value, attribute, parameter, true);
    const list = asList(value);
    if (list) return list.forEach((item, index) => this.operand(item, attribute, `${parameter}[${index}]`, false));
    const conditions = value as Plain;
    if (Object.keys(conditions).length === 0) throw new QueryShapeError(parameter, 'expects an operator such as $eq');
    for (const [operator, operand] of Object.entries(conditions)) {
      const here = `${parameter}[${operator}]`;
      if (operator === '$and' || operator === '$or') {
        const items = asList(operand);
        if (!items) throw new QueryShapeError(here, 'expects a list of conditions');
        items.forEach((item, index) => this.fieldCondition(item, attribute, `${here}[${index}]`, depth + 1));
      } else if (operator === '$not') {
        this.fieldCondition(operand, attribute, here, depth + 1);
      } else if (COMPARISON.has(operator)) {
        if (operand !== null && !isScalar(operand)) throw new QueryShapeError(here, `expects a single value, got ${describe(operand)}`);
        this.operand(operand, attribute, here, true);
      } else if (TEXT_MATCH.has(operator)) {
        if (!TEXT_TYPES.has(attribute.type)) throw new QueryShapeError(here, `only works on text fields, not on ${attribute.type}`);
        if (!isScalar(operand)) throw new QueryShapeError(here, `expects a single value, got ${describe(operand)}`);
      } else if (LISTS.has(operator)) {
        const items = isScalar(operand) ? [operand] : asList(operand);
        if (!items) throw new QueryShapeError(here, `expects a list of values, got ${describe(operand)}`);
        items.forEach((item, index) => this.operand(item, attribute, `${here}[${index}]`, false));
      } else if (operator === '$between') {
        const items = asList(operand);
        if (!items || items.length !== 2) throw new QueryShapeError(here, `expects exactly two values, like ${here}[0]=a&${here}[1]=b`);
        items.forEach((item, index) => this.operand(item, attribute, `${here}[${index}]`, false));
      } else if (NULLS.has(operator)) {
        if (!isScalar(operand) || !BOOLEAN.test(operand as string)) throw new QueryShapeError(here, 'expects true or false');
      } else {
        throw new QueryShapeError(here, `unknown operator "${operator}"`);
      }
    }
  }

  /** One value compared with a field: it must be a single value of the field's type. */
  operand(value: Value, attribute: AttributeShape, parameter: string, nullable: boolean): void {
    if (value === null && nullable) return;
    if (!isScalar(value)) throw new QueryShapeError(parameter, `expects a single value, got ${describe(value)}`);
    const text = value as string;
    const valid: Record<string, () => boolean> = {
      integer: () => /^-?\d{1,15}$/.test(text),
      biginteger: () => /^-?\d{1,19}$/.test(text),
      float: () => /^-?\d+(\.\d+)?([eE][-+]?\d{1,3})?$/.test(text) && Number.isFinite(Number(text)),
      decimal: () => /^-?\d+(\.\d+)?$/.test(text),
      boolean: () => BOOLEAN.test(text),
      date: () => /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text)),
      datetime: () => /^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(Date.parse(text)),
      timestamp: () => /^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(Date.parse(text)),
      time: () => /^\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(text),
    };
    if (valid[attribute.type] && !valid[attribute.type]()) throw new QueryShapeError(parameter, `"${text.slice(0, 40)}" is not a valid ${attribute.type}`);
  }

  sort(value: Value, uid: string, parameter: string, depth = 0): void {
    if (depth > MAX_DEPTH) throw new QueryShapeError(parameter, 'sort nests too deep');
    if (isScalar(value)) {
      for (const part of (value as string).split(',')) {
        const match = /^([A-Za-z_][\w.]*)(?::(asc|desc))?$/i.exec(part.trim());
        if (!match) throw new QueryShapeError(parameter, `"${part.slice(0, 40)}" is not field:asc or field:desc`);
        this.sortPath(match[1].split('.'), uid, parameter);
      }
      return;
    }
    const list = asList(value);
    if (list) return list.forEach((item, index) => this.sort(item, uid, `${parameter}[${index}]`, depth + 1));
    if (!isPlain(value) || Object.keys(value).length === 0) throw new QueryShapeError(parameter, 'expects field:asc, field:desc or a list of them');
    for (const [name, direction] of Object.entries(value)) {
      const here = `${parameter}[${name}]`;
      const attribute = this.attribute(uid, name, here);
      if (NESTED_TYPES.has(attribute.type) && isPlain(direction)) this.sort(direction, this.targetOf(attribute), here, depth + 1);
      else if (isScalar(direction) && /^(asc|desc)$/i.test(direction as string)) this.sortPath([name], uid, here);
      else throw new QueryShapeError(here, 'expects asc or desc');
    }
  }

  sortPath(path: string[], uid: string, parameter: string): void {
    const [name, ...rest] = path;
    const attribute = this.attribute(uid, name, parameter);
    if (rest.length === 0) {
      if (!SCALAR_TYPES.has(attribute.type)) throw new QueryShapeError(parameter, `cannot sort on "${name}" (${attribute.type})`);
      return;
    }
    if (!NESTED_TYPES.has(attribute.type)) throw new QueryShapeError(parameter, `"${name}" has no fields to sort on`);
    this.sortPath(rest, this.targetOf(attribute), parameter);
  }

  fields(value: Value, uid: string, parameter: string): void {
    const names = isScalar(value) ? (value as string).split(',') : asList(value);
    if (!names) throw new QueryShapeError(parameter, `expects field names, like ${parameter}[0]=title, got ${describe(value)}`);
    names.forEach((name, index) => {
      const here = isScalar(value) ? parameter : `${parameter}[${index}]`;
      if (!isScalar(name) || !(name as string).trim()) throw new QueryShapeError(here, `expects a field name, got ${describe(name)}`);
      if (name === '*') return;
      const attribute = this.attribute(uid, (name as string).trim(), here);
      if (POPULATE_TYPES.has(attribute.type)) throw new QueryShapeError(here, `"${name}" is not a plain field; use populate for it`);
    });
  }

  populate(value: Value, uid: string, parameter: string, depth = 0): void {
    if (depth > MAX_DEPTH) throw new QueryShapeError(parameter, `populate nests at most ${MAX_DEPTH} levels deep`);
    if (value === '*') return;
    const paths = isScalar(value) ? (value as string).split(',') : asList(value);
    if (paths) {
      return paths.forEach((path, index) => {
        const here = isScalar(value) ? parameter : `${parameter}[${index}]`;
        if (!isScalar(path) || !(path as string).trim()) throw new QueryShapeError(here, `expects a relation name, got ${describe(path)}`);
        let current = uid;
        for (const name of (path as string).trim().split('.')) {
          if (name === '*') return;
          const attribute = this.attribute(current, name, here);
          if (!POPULATE_TYPES.has(attribute.type)) throw new QueryShapeError(here, `"${name}" is not a relation, media or component`);
          current = this.targetOf(attribute);
        }
      });
    }
    if (!isPlain(value)) throw new QueryShapeError(parameter, `expects relation names, got ${describe(value)}`);
    for (const [name, options] of Object.entries(value)) {
      const here = `${parameter}[${name}]`;
      const attribute = this.attribute(uid, name, here);
      if (!POPULATE_TYPES.has(attribute.type)) throw new QueryShapeError(here, `"${name}" is not a relation, media or component`);
      if (isScalar(options) && /^(true|false|\*)$/.test(options as string)) continue;
      if (!isPlain(options)) throw new QueryShapeError(here, 'expects true, * or options (populate, fields, filters, sort)');
      this.populateOptions(options, attribute, here, depth + 1);
    }
  }

  populateOptions(options: Plain, attribute: AttributeShape, parameter: string, depth: number): void {
    const target = this.targetOf(attribute);
    for (const [key, inner] of Object.entries(options)) {
      const here = `${parameter}[${key}]`;
      if (key === 'populate') this.populate(inner, target, here, depth);
      else if (key === 'fields') this.fields(inner, target, here);
      else if (key === 'filters') this.filters(inner, target, here, 1);
      else if (key === 'sort') this.sort(inner, target, here);
      else if (key === 'count' && attribute.type === 'relation') {
        if (!isScalar(inner) || !BOOLEAN.test(inner as string)) throw new QueryShapeError(here, 'expects true or false');
      } else if (key === 'on' && attribute.type === 'dynamiczone' && isPlain(inner)) {
        for (const [component, sub] of Object.entries(inner)) {
          if (!this.lookup(component)) throw new QueryShapeError(`${here}[${component}]`, 'unknown component');
          if (!(isScalar(sub) && /^(true|\*)$/.test(sub as string)) && !isPlain(sub))
            throw new QueryShapeError(`${here}[${component}]`, 'expects true or options');
          if (isPlain(sub)) this.populateOptions(sub, { type: 'component', component }, `${here}[${component}]`, depth + 1);
        }
      } else throw new QueryShapeError(here, 'unknown populate option (use populate, fields, filters or sort)');
    }
  }

  pagination(value: Value): void {
    if (!isPlain(value)) throw new QueryShapeError('pagination', `expects page and pageSize (or start and limit), got ${describe(value)}`);
    const keys = Object.keys(value);
    const unknown = keys.find((key) => !['page', 'pageSize', 'start', 'limit', 'withCount'].includes(key));
    if (unknown) throw new QueryShapeError(`pagination[${unknown}]`, 'unknown; use page and pageSize, or start and limit');
    if ((keys.includes('page') || keys.includes('pageSize')) && (keys.includes('start') || keys.includes('limit'))) {
      throw new QueryShapeError('pagination', 'use page and pageSize, or start and limit, not both');
    }
    const rules: Record<string, [RegExp, string]> = {
      page: [/^[1-9]\d{0,8}$/, 'a whole number of at least 1'],
      pageSize: [/^[1-9]\d{0,8}$/, 'a whole number of at least 1'],
      start: [/^\d{1,9}$/, 'a whole number of at least 0'],
      limit: [/^([1-9]\d{0,8}|-1)$/, 'a whole number of at least 1 (or -1 for all)'],
      withCount: [/^(true|false)$/, 'true or false'],
    };
    for (const key of keys) {
      const inner = (value as Plain)[key];
      if (!isScalar(inner) || !rules[key][0].test(inner as string)) throw new QueryShapeError(`pagination[${key}]`, `must be ${rules[key][1]}`);
    }
  }
}

/** Throws QueryShapeError for the first problem found in a read query of content type `uid`. */
export function checkContentQuery(query: Plain, uid: string, lookup: ModelLookup): void {
  const checker = new Checker(lookup);
  if (query.filters !== undefined) checker.filters(query.filters, uid, 'filters', 1);
  if (query.sort !== undefined) checker.sort(query.sort, uid, 'sort');
  if (query.fields !== undefined) checker.fields(query.fields, uid, 'fields');
  if (query.populate !== undefined) checker.populate(query.populate, uid, 'populate');
  if (query.pagination !== undefined) checker.pagination(query.pagination);
  if (query.locale !== undefined && !(isScalar(query.locale) && /^([A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*|\*|all)$/.test(query.locale as string))) {
    throw new QueryShapeError('locale', 'expects one locale code, like nl or en');
  }
  if (query.status !== undefined && !(isScalar(query.status) && /^(draft|published)$/.test(query.status as string))) {
    throw new QueryShapeError('status', 'expects draft or published');
  }
}
