/**
 * Malformed content-API queries, one per class of mistake (or attack): each must answer 4xx with a
 * message, never 500. Shared by the public-query integration test; `{field}` is a text field of the
 * type, `{relation}` one of its relations.
 */
export interface QueryCase {
  name: string;
  query: string;
}

const filters: QueryCase[] = [
  { name: '$between with one value', query: 'filters[{field}][$between]=a' },
  { name: '$between with one indexed value', query: 'filters[{field}][$between][0]=a' },
  { name: '$between with three values', query: 'filters[{field}][$between][0]=a&filters[{field}][$between][1]=b&filters[{field}][$between][2]=c' },
  { name: '$eq nested in $eq', query: 'filters[{field}][$eq][$eq]=a' },
  { name: '$eq with a list', query: 'filters[{field}][$eq][0]=a&filters[{field}][$eq][1]=b' },
  { name: 'operator nested in $containsi', query: 'filters[{field}][$containsi][$eq]=a' },
  { name: 'scalar $and', query: 'filters[$and]=x' },
  { name: 'scalar $or', query: 'filters[$or]=x' },
  { name: 'scalar $not', query: 'filters[$not]=x' },
  { name: 'scalar inside $and', query: 'filters[$and][0]=x' },
  { name: 'scalar inside $or', query: 'filters[$or][0]=x&filters[$or][1]=y' },
  { name: 'index as a filter key', query: 'filters[0]=' },
  { name: 'index with a value', query: 'filters[0]=x' },
  { name: 'scalar filters', query: 'filters=x' },
  { name: 'unknown operator', query: 'filters[{field}][$regex]=a' },
  { name: 'unknown field', query: 'filters[nonexistent][$eq]=a' },
  { name: 'field without operator, nested object', query: 'filters[{field}][a][b]=c' },
  { name: '$null with a non-boolean', query: 'filters[{field}][$null][x]=y' },
  { name: '$in with nested object', query: 'filters[{field}][$in][a]=b' },
  { name: 'integer id compared to text', query: 'filters[id][$gt]=abc' },
  { name: 'integer id equals text', query: 'filters[id][$eq]=abc' },
  { name: 'date compared to text', query: 'filters[createdAt][$lt]=not-a-date' },
  { name: 'date between texts', query: 'filters[createdAt][$between][0]=a&filters[createdAt][$between][1]=b' },
  { name: 'operator on a relation itself', query: 'filters[{relation}][$eq]=a' },
  { name: '$between inside a relation', query: 'filters[{relation}][slug][$between]=a' },
  { name: 'malformed filter inside $and', query: 'filters[$and][0][{field}][$between]=a' },
  { name: 'malformed filter inside $or', query: 'filters[$or][0][{field}][$eq][$eq]=a' },
  { name: '$not with a list of scalars', query: 'filters[$not][0]=a' },
  { name: 'deeply nested $and', query: `filters${'[$and][0]'.repeat(12)}[{field}][$eq]=a` },
  { name: 'private attribute', query: 'filters[createdBy][id][$eq]=1' },
];

const sort: QueryCase[] = [
  { name: 'sort with an unknown direction (object)', query: 'sort[0][{field}]=sideways' },
  { name: 'sort with an unknown direction (string)', query: 'sort={field}:sideways' },
  { name: 'sort on an unknown field', query: 'sort=nonexistent:asc' },
  { name: 'sort as an object with a bad direction', query: 'sort[{field}]=x' },
  { name: 'sort with an empty element', query: 'sort[0]=' },
  { name: 'sort with no field', query: 'sort=:asc' },
  { name: 'sort nested three deep', query: 'sort[0][0][0]=a' },
  { name: 'sort with two directions', query: 'sort={field}:asc:desc' },
  { name: 'sort on a relation with a bad direction', query: 'sort[{relation}][slug]=sideways' },
  { name: 'sort on a relation', query: 'sort={relation}:asc' },
];

const populate: QueryCase[] = [
  { name: 'populate an unknown relation with a nested populate', query: 'populate[x][populate]=y' },
  { name: 'populate an unknown relation', query: 'populate=nonexistent' },
  { name: 'populate an unknown relation inside a relation', query: 'populate[{relation}][populate]=nonexistent' },
  { name: 'populate with an unknown field', query: 'populate[{relation}][fields][0]=nonexistent' },
  { name: 'populate with a malformed filter', query: 'populate[{relation}][filters][slug][$between]=a' },
  { name: 'populate with a bad sort', query: 'populate[{relation}][sort]=slug:sideways' },
  { name: 'populate as a list of objects', query: 'populate[0][a]=b' },
  { name: 'populate with a bad boolean', query: 'populate[{relation}]=maybe' },
  { name: 'populate with an unknown key', query: 'populate[{relation}][bogus]=x' },
  { name: 'populate fragments on a relation', query: 'populate[{relation}][on][x]=y' },
  { name: 'populate deeply nested', query: `populate${'[{relation}][populate]'.repeat(8)}=*` },
  { name: 'populate private relation', query: 'populate=createdBy' },
];

const fields: QueryCase[] = [
  { name: 'fields with an object element', query: 'fields[0][a]=b' },
  { name: 'fields with an unknown field', query: 'fields=nonexistent' },
  { name: 'fields with an empty element', query: 'fields[0]=' },
  { name: 'fields as an object', query: 'fields[{field}]=x' },
  { name: 'fields list with an unknown field', query: 'fields={field},nonexistent' },
  { name: 'fields naming a relation', query: 'fields[0]={relation}' },
];

const pagination: QueryCase[] = [
  { name: 'negative page', query: 'pagination[page]=-1' },
  { name: 'page zero', query: 'pagination[page]=0' },
  { name: 'page not a number', query: 'pagination[page]=abc' },
  { name: 'fractional page', query: 'pagination[page]=1.5' },
  { name: 'pageSize not a number', query: 'pagination[pageSize]=abc' },
  { name: 'pageSize zero', query: 'pagination[pageSize]=0' },
  { name: 'negative pageSize', query: 'pagination[pageSize]=-5' },
  { name: 'huge pageSize', query: 'pagination[pageSize]=1e309' },
  { name: 'negative start', query: 'pagination[start]=-1' },
  { name: 'limit not a number', query: 'pagination[limit]=abc' },
  { name: 'page and start mixed', query: 'pagination[page]=1&pagination[start]=0' },
  { name: 'scalar pagination', query: 'pagination=x' },
  { name: 'page as an object', query: 'pagination[page][a]=b' },
  { name: 'withCount not a boolean', query: 'pagination[withCount]=maybe' },
  { name: 'unknown pagination key', query: 'pagination[offset]=3' },
];

const other: QueryCase[] = [
  { name: 'locale as a list', query: 'locale[0]=nl&locale[1]=en' },
  { name: 'locale as an object', query: 'locale[$eq]=nl' },
  { name: 'status as an object', query: 'status[a]=b' },
  { name: 'status as a list', query: 'status[0]=draft' },
];

/** Cases that apply to a collection (find); findOne takes the ones that are not about lists. */
export const findCases: QueryCase[] = [...filters, ...sort, ...populate, ...fields, ...pagination, ...other];
export const findOneCases: QueryCase[] = [...populate, ...fields, ...other];

export const publicTypes = [
  { plural: 'articles', field: 'title', relation: 'themes' },
  { plural: 'themes', field: 'name', relation: 'articles' },
  { plural: 'resources', field: 'title', relation: 'themes' },
] as const;

export function fill(query: string, type: { field: string; relation: string }): string {
  return query.replaceAll('{field}', type.field).replaceAll('{relation}', type.relation);
}
