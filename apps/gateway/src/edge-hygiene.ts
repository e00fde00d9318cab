import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError, hasControlCharacter } from '@media-gateway/domain';

/**
 * Input hygiene at the edge, for every route: before any handler or schema sees a request, its
 * query string, path parameters and parsed body are checked once.
 * - NUL and other control characters are refused (PostgreSQL cannot store NUL; in identifiers,
 *   emails or paths they are never meant). Tab, newline and carriage return are allowed only in
 *   a JSON body's free text.
 * - A query parameter given twice is refused (RFC 6749 §3.1 for OAuth; elsewhere it is ambiguous).
 * - Strings are capped in length, so nothing huge is stored or used as a key.
 * Raw bodies (catalog uploads) are streams and are not inspected here.
 */
export const MAX_STRING_LENGTH = 100_000;
const MAX_QUERY_VALUE_LENGTH = 8_000;

interface Problem {
  path: string;
  message: string;
}

function walk(value: unknown, path: string, allowWhitespace: boolean, out: Problem[], depth = 0): void {
  if (out.length >= 5 || depth > 32) return;
  if (typeof value === 'string') {
    if (hasControlCharacter(value, { allowWhitespace })) {
      out.push({ path, message: 'must not contain control characters' });
    } else if (value.length > MAX_STRING_LENGTH) {
      out.push({ path, message: `must be at most ${MAX_STRING_LENGTH} characters` });
    }
    return;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) walk(value[i], `${path}.${i}`, allowWhitespace, out, depth + 1);
    return;
  }
  // Plain objects: JSON bodies, and the dictionaries the query-string and form parsers make (their
  // prototype is an empty null-prototype object, not Object.prototype). Streams and buffers are not.
  const proto = value && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  const plain =
    proto === Object.prototype || proto === null || (proto !== undefined && Object.getPrototypeOf(proto) === null);
  if (value && typeof value === 'object' && plain) {
    for (const [k, v] of Object.entries(value)) {
      if (hasControlCharacter(k)) out.push({ path, message: 'keys must not contain control characters' });
      walk(v, `${path}.${k}`, allowWhitespace, out, depth + 1);
    }
  }
}

export function inspectRequest(req: FastifyRequest): Problem[] {
  const out: Problem[] = [];
  const query = (req.query ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(query)) {
    if (Array.isArray(v)) out.push({ path: `query.${k}`, message: 'given more than once' });
    else if (typeof v === 'string' && v.length > MAX_QUERY_VALUE_LENGTH)
      out.push({ path: `query.${k}`, message: `must be at most ${MAX_QUERY_VALUE_LENGTH} characters` });
  }
  walk(query, 'query', false, out);
  walk(req.params, 'params', false, out);
  const json = (req.headers['content-type'] ?? '').includes('json');
  walk(req.body, 'body', json, out);
  return out;
}

export function installEdgeHygiene(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    const problems = inspectRequest(req);
    if (problems.length > 0) {
      throw new DomainError('INVALID_INPUT', problems.map((p) => `${p.path}: ${p.message}`).join('; '), {
        issues: problems,
      });
    }
  });
}
