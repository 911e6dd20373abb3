// Shopify search syntax ("updated_at:>'2026-01-01T00:00:00Z' status:any", "sku:ABC-1"), the subset the
// simulator understands. An unknown key fails loudly: a silently ignored filter would make a test pass that
// Shopify would answer differently.
import { GraphQLError } from 'graphql';

export interface SearchTerm {
  key: string;
  op: ':' | '>' | '>=' | '<' | '<=';
  value: string;
  negated: boolean;
}

export function parseSearch(query: string | null | undefined, allowedKeys: readonly string[], where: string): SearchTerm[] {
  if (!query || !query.trim()) return [];
  const terms: SearchTerm[] = [];
  // key:op value, value quoted with ' or " or bare up to whitespace. "AND" between terms is allowed.
  const re = /\s*(-?)([a-z_]+):(>=|<=|>|<)?(?:'([^']*)'|"([^"]*)"|(\S+))|\s*(AND)\b|\s*(\S+)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(query)) !== null) {
    if (m[7]) continue;
    if (m[8] !== undefined) {
      throw new GraphQLError(`Shopify simulator: free-text search "${m[8]}" in ${where} is not supported (use key:value)`, {
        extensions: { code: 'SIMULATOR_UNSUPPORTED_QUERY' },
      });
    }
    const key = m[2]!;
    if (!allowedKeys.includes(key)) {
      throw new GraphQLError(
        `Shopify simulator: search key "${key}" in ${where} is not supported (supported: ${allowedKeys.join(', ')})`,
        { extensions: { code: 'SIMULATOR_UNSUPPORTED_QUERY' } },
      );
    }
    terms.push({ key, op: (m[3] as SearchTerm['op']) ?? ':', value: m[4] ?? m[5] ?? m[6] ?? '', negated: m[1] === '-' });
    if (re.lastIndex >= query.length) break;
  }
  return terms;
}

export function compareTime(actual: string | null, term: SearchTerm): boolean {
  if (actual === null) return false;
  const a = Date.parse(actual);
  const b = Date.parse(term.value);
  if (Number.isNaN(b)) {
    throw new GraphQLError(`Shopify simulator: cannot read date "${term.value}" in search`, {
      extensions: { code: 'SIMULATOR_UNSUPPORTED_QUERY' },
    });
  }
  switch (term.op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    default:
      return a === b;
  }
}

export function applyTerm(result: boolean, term: SearchTerm): boolean {
  return term.negated ? !result : result;
}
