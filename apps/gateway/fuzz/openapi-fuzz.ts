import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';

/**
 * Property-based requests generated from our own OpenAPI document (which comes from the zod
 * schemas that validate requests): for every operation, path parameters, query strings, JSON bodies
 * and credentials are drawn from the schema (valid values, boundaries) and from hostile values
 * (control characters, huge strings, wrong types, extra fields, deep nesting). The property: no
 * response is a 5xx, and every 4xx under /api is problem+json with a stable code.
 */
export interface FuzzOptions {
  requests: number;
  seed: number;
  /** Bearer tokens to send (the fuzzer also sends none and a forged one). */
  tokens: { user: string; admin: string };
  /** Real title ids, so that valid-looking requests reach the handlers' deeper paths. */
  titleIds: string[];
}

export interface FuzzSummary {
  requests: number;
  operations: number;
  by_status: Record<string, number>;
  server_errors: number;
  non_problem_4xx: number;
  /** The first failures, enough to reproduce each (method, url, body). */
  failures: Array<{ method: string; url: string; status: number; body?: unknown; response: string }>;
}

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  minLength?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
};
interface Operation {
  method: string;
  path: string;
  parameters: Array<{ name: string; in: 'path' | 'query'; required?: boolean; schema: Schema }>;
  body: Schema | undefined;
}

/** Methods and paths left out, with why: uploads start real ingestion runs of random bytes. */
const SKIP = new Set(['POST /api/admin/ingestion/upload']);

const hostileString = fc.oneof(
  fc.constantFrom(
    '',
    '\u0000',
    'a\u0000b',
    '\n',
    '\t/evil',
    '../../etc/passwd',
    '%00',
    '%E4',
    '😀'.repeat(50),
    'x'.repeat(10_000),
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    'mg_aaaaaaaaaaaa',
    '-1',
    'NaN',
    '1e309',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, false, 0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, -0.5),
  fc.constant([]),
  fc.constant({}),
  fc.constant({ a: { b: { c: { d: { e: [[[[['deep']]]]] } } } } }),
  fc.array(fc.string(), { maxLength: 3 }),
);

function stringFor(s: Schema, titleIds: string[]): fc.Arbitrary<string> {
  if (s.enum) return fc.constantFrom(...(s.enum as string[]));
  if (s.pattern?.startsWith('^mg_') && titleIds.length) return fc.constantFrom(...titleIds);
  if (s.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  return fc.string({ maxLength: Math.min(s.maxLength ?? 30, 30) });
}

/** A value for the schema: mostly valid, sometimes hostile (any type). */
function valueFor(s: Schema | undefined, titleIds: string[], depth = 0): fc.Arbitrary<unknown> {
  if (!s || depth > 4) return hostileValue;
  const choices = s.anyOf ?? s.oneOf;
  if (choices?.length) return fc.oneof(...choices.map((c) => valueFor(c, titleIds, depth + 1)));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  let valid: fc.Arbitrary<unknown>;
  switch (type) {
    case 'string':
      valid = stringFor(s, titleIds);
      break;
    case 'integer':
      valid = fc.oneof(
        fc.integer({ min: s.minimum ?? -1000, max: s.maximum ?? 1000 }),
        fc.constantFrom(...[s.minimum, s.maximum].filter((v): v is number => v !== undefined)),
        fc.constantFrom((s.minimum ?? 0) - 1, (s.maximum ?? 0) + 1),
      );
      break;
    case 'number':
      valid = fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true });
      break;
    case 'boolean':
      valid = fc.boolean();
      break;
    case 'array':
      valid = fc.array(valueFor(s.items, titleIds, depth + 1), { maxLength: Math.min(s.maxItems ?? 5, 5) + 1 });
      break;
    case 'object':
      valid = objectFor(s, titleIds, depth);
      break;
    default:
      valid = hostileValue;
  }
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: hostileValue });
}

function objectFor(s: Schema, titleIds: string[], depth: number): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.entries(s.properties ?? {});
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [k, v] of props) record[k] = valueFor(v, titleIds, depth + 1);
  const base = props.length
    ? fc.record(record, { requiredKeys: (s.required ?? []).filter((k) => k in record) })
    : fc.constant({} as Record<string, unknown>);
  return fc
    .tuple(base, fc.option(fc.dictionary(fc.string({ maxLength: 8 }), hostileValue, { maxKeys: 2 }), { freq: 4 }))
    .map(([obj, extra]) => ({ ...(extra ?? {}), ...obj }));
}

function queryString(values: Record<string, unknown>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) continue;
    q.append(k, typeof v === 'string' ? v : JSON.stringify(v));
    // Now and then a parameter twice (refused by the edge, never a crash).
    if (k.length % 7 === 3) q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

function requestArb(op: Operation, options: FuzzOptions): fc.Arbitrary<InjectOptions & { sent?: unknown }> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const pathArb = fc.record(
    Object.fromEntries(
      pathParams.map((p) => [
        p.name,
        fc.oneof({ weight: 3, arbitrary: stringFor(p.schema, options.titleIds) }, hostileString),
      ]),
    ) as Record<string, fc.Arbitrary<string>>,
  );
  const queryArb = fc.record(
    Object.fromEntries(queryParams.map((p) => [p.name, valueFor(p.schema, options.titleIds)])) as Record<
      string,
      fc.Arbitrary<unknown>
    >,
    { requiredKeys: [] },
  );
  const auth = fc.constantFrom<string | undefined>(
    undefined,
    `Bearer ${options.tokens.user}`,
    `Bearer ${options.tokens.admin}`,
    `Bearer ${options.tokens.admin}`,
    'Bearer eyJhbGciOiJub25lIn0.e30.',
    'Basic %%%',
  );
  const bodyArb: fc.Arbitrary<unknown> = op.body
    ? fc.oneof({ weight: 5, arbitrary: valueFor(op.body, options.titleIds) }, { weight: 1, arbitrary: hostileValue })
    : fc.constant(undefined);
  return fc.tuple(pathArb, queryArb, auth, bodyArb).map(([params, query, authorization, body]) => {
    const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
    const headers: Record<string, string> = authorization ? { authorization } : {};
    const req: InjectOptions & { sent?: unknown } = {
      method: op.method as InjectOptions['method'],
      url: `${path}${queryString(query)}`,
      headers,
    };
    if (body !== undefined) {
      req.payload = JSON.stringify(body);
      headers['content-type'] = 'application/json';
      req.sent = body;
    }
    return req;
  });
}

export async function operationsOf(app: FastifyInstance): Promise<Operation[]> {
  const doc = (await app.inject({ url: '/api/openapi.json' })).json() as {
    paths: Record<
      string,
      Record<
        string,
        { parameters?: Operation['parameters']; requestBody?: { content?: Record<string, { schema?: Schema }> } }
      >
    >;
  };
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, spec] of Object.entries(methods)) {
      const upper = method.toUpperCase();
      if (SKIP.has(`${upper} ${path}`)) continue;
      ops.push({
        method: upper,
        path,
        parameters: spec.parameters ?? [],
        body: spec.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return ops;
}

export async function fuzzApi(app: FastifyInstance, options: FuzzOptions): Promise<FuzzSummary> {
  const ops = await operationsOf(app);
  const perOp = Math.max(1, Math.ceil(options.requests / ops.length));
  const summary: FuzzSummary = {
    requests: 0,
    operations: ops.length,
    by_status: {},
    server_errors: 0,
    non_problem_4xx: 0,
    failures: [],
  };
  for (const [i, op] of ops.entries()) {
    const samples = fc.sample(requestArb(op, options), { seed: options.seed + i, numRuns: perOp });
    for (const req of samples) {
      if (summary.requests >= options.requests) break;
      const { sent: body, ...inject } = req;
      const res = await app.inject(inject);
      summary.requests++;
      summary.by_status[res.statusCode] = (summary.by_status[res.statusCode] ?? 0) + 1;
      const path = String(inject.url).split('?')[0]!;
      const isProblem = String(res.headers['content-type'] ?? '').startsWith('application/problem+json');
      const bad =
        res.statusCode >= 500
          ? 'server_errors'
          : res.statusCode >= 400 && path.startsWith('/api/') && !isProblem
            ? 'non_problem_4xx'
            : undefined;
      if (bad) {
        summary[bad]++;
        if (summary.failures.length < 20)
          summary.failures.push({
            method: String(inject.method),
            url: String(inject.url).slice(0, 300),
            status: res.statusCode,
            ...(body !== undefined ? { body } : {}),
            response: res.body.slice(0, 300),
          });
      }
    }
  }
  return summary;
}
