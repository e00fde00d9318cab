import { DomainError } from '@media-gateway/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { type ZodType, z } from 'zod';

/** OpenAPI operation registry: every route defined through `defineRoute` is described at /api/openapi.json. */
export interface RouteDoc {
  method: string;
  path: string;
  summary: string;
  tags: string[];
  /** The OAuth scope the route needs; several are space-separated, as in OAuth's own scope strings. */
  scope?: string | undefined;
  query?: ZodType | undefined;
  params?: ZodType | undefined;
  body?: ZodType | undefined;
  responses: Record<number, string>;
}

const DOCS = new WeakMap<FastifyInstance, RouteDoc[]>();

export function routeDocs(app: FastifyInstance): RouteDoc[] {
  const root = (app as unknown as { root?: FastifyInstance }).root ?? app;
  let docs = DOCS.get(root);
  if (!docs) {
    docs = [];
    DOCS.set(root, docs);
  }
  return docs;
}

export interface RouteSpec<Q extends ZodType, P extends ZodType, B extends ZodType> {
  method: HTTPMethods;
  /** Fastify path syntax, e.g. /api/titles/:id */
  path: string;
  summary: string;
  tags?: string[];
  query?: Q;
  params?: P;
  body?: B;
  /** Scope this route requires; documented, and enforced by the preHandler passed in `preHandler`. */
  scope?: string;
  preHandler?: (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
  responses?: Record<number, string>;
  handler: (input: {
    query: z.infer<Q>;
    params: z.infer<P>;
    body: z.infer<B>;
    req: FastifyRequest;
    reply: FastifyReply;
  }) => Promise<unknown>;
}

/** Parses a value with a zod schema, turning failures into INVALID_INPUT with every issue listed. */
export function parseInput<T extends ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message:
      i.code === 'unrecognized_keys' ? `unknown parameter(s): ${(i as { keys: string[] }).keys.join(', ')}` : i.message,
  }));
  throw new DomainError('INVALID_INPUT', issues.map((i) => `${i.path}: ${i.message}`).join('; '), { issues });
}

const EMPTY = z.object({}).strict();

export function defineRoute<
  Q extends ZodType = typeof EMPTY,
  P extends ZodType = typeof EMPTY,
  B extends ZodType = ZodType,
>(app: FastifyInstance, spec: RouteSpec<Q, P, B>): void {
  routeDocs(app).push({
    method: spec.method.toString(),
    path: spec.path,
    summary: spec.summary,
    tags: spec.tags ?? [],
    scope: spec.scope,
    query: spec.query ?? EMPTY,
    params: spec.params,
    body: spec.body,
    responses: spec.responses ?? { 200: 'OK' },
  });
  app.route({
    method: spec.method,
    url: spec.path,
    ...(spec.preHandler ? { preHandler: spec.preHandler } : {}),
    handler: async (req, reply) => {
      const query = parseInput(spec.query ?? EMPTY, req.query, 'query') as z.infer<Q>;
      const params = spec.params ? parseInput(spec.params, req.params, 'path') : (req.params as z.infer<P>);
      const body = spec.body ? parseInput(spec.body, req.body, 'body') : (req.body as z.infer<B>);
      return spec.handler({ query, params, body, req, reply });
    },
  });
}
