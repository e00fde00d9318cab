import { CONTRACT_SCHEMAS } from '@media-gateway/domain/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.ts';
import { routeDocs } from '../route.ts';
import { OWN_APPS, PRIVATE_LINK } from './arw-routes-table.ts';

function toJsonSchema(schema: z.ZodType | undefined): Record<string, unknown> | undefined {
  if (!schema) return undefined;
  try {
    return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  } catch {
    return { type: 'object' };
  }
}

const SCHEMA_REF = '#/components/schemas/';

/**
 * `components.schemas` from the API's wire contracts (`@media-gateway/domain/contracts`): one JSON
 * Schema per named contract, a contract nested in another one as a `$ref` to it.
 */
export function contractComponents(): Record<string, Record<string, unknown>> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(CONTRACT_SCHEMAS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { io: 'output', uri: (id) => `${SCHEMA_REF}${id}` });
  return Object.fromEntries(
    Object.entries(schemas).map(([id, schema]) => {
      const { $schema: _draft, $id: _id, ...rest } = schema as Record<string, unknown>;
      return [id, rest];
    }),
  );
}

/**
 * A route's response entry: a contract's name (`200: 'TitleView'`)
 * becomes a `$ref` to it; other text is the description.
 */
function responseOf(description: string): Record<string, unknown> {
  if (!Object.hasOwn(CONTRACT_SCHEMAS, description)) return { description };
  return { description, content: { 'application/json': { schema: { $ref: `${SCHEMA_REF}${description}` } } } };
}

/** OpenAPI 3.1 built from the routes' own zod schemas, so it cannot drift from validation. */
export async function openapiRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const schemas = contractComponents();
  app.get('/api/openapi.json', async () => {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const doc of routeDocs(app)) {
      const path = doc.path.replace(/:(\w+)/g, '{$1}');
      const query = toJsonSchema(doc.query) as
        | { properties?: Record<string, unknown>; required?: string[] }
        | undefined;
      const params = toJsonSchema(doc.params) as { properties?: Record<string, unknown> } | undefined;
      const parameters = [
        ...Object.entries(params?.properties ?? {}).map(([name, schema]) => ({
          name,
          in: 'path',
          required: true,
          schema,
        })),
        ...Object.entries(query?.properties ?? {}).map(([name, schema]) => ({
          name,
          in: 'query',
          required: query?.required?.includes(name) ?? false,
          schema,
        })),
      ];
      paths[path] ??= {};
      paths[path][doc.method.toLowerCase()] = {
        summary: doc.summary,
        tags: doc.tags,
        ...(parameters.length ? { parameters } : {}),
        ...(doc.body
          ? { requestBody: { required: true, content: { 'application/json': { schema: toJsonSchema(doc.body) } } } }
          : {}),
        ...(doc.scope
          ? { security: [{ oauth2: doc.scope.split(' ') }] }
          : doc.tags.includes('me') && !doc.tags.includes(PRIVATE_LINK)
            ? { security: [{ oauth2: [] }] }
            : {}),
        // Our own apps' routes (a person's settings, alerts, export): a registered agent's token gets 403.
        ...(doc.tags.includes(OWN_APPS) ? { 'x-own-apps-only': true } : {}),
        responses: Object.fromEntries(
          Object.entries({ ...doc.responses, 400: 'Invalid input (problem+json)' }).map(([status, description]) => [
            status,
            responseOf(description),
          ]),
        ),
      };
    }
    return {
      openapi: '3.1.0',
      info: { title: 'Media Gateway API', version: '0.1.0', description: 'One door to every streaming catalog.' },
      servers: [{ url: ctx.config.publicUrl }],
      paths,
      components: {
        schemas,
        securitySchemes: {
          oauth2: {
            type: 'oauth2',
            flows: {
              authorizationCode: {
                authorizationUrl: `${ctx.config.publicUrl}/oauth/authorize`,
                tokenUrl: `${ctx.config.publicUrl}/oauth/token`,
                scopes: {
                  'catalog:read': 'Read the catalog',
                  'watchlist:read': 'Read your watchlist',
                  'watchlist:write': 'Change your watchlist',
                  devices: 'See and control your devices',
                  recommendations: 'Personal recommendations',
                  admin: 'Operate the gateway',
                },
              },
            },
          },
        },
      },
    };
  });
}
