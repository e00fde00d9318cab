import { TITLE_CHUNKS } from '../machine-view/title-markdown.ts';

/** A documented REST route, as the gateway's route table describes it. */
export interface ActionRoute {
  method: string;
  /** Fastify syntax, e.g. /api/titles/:id */
  path: string;
  summary: string;
  /** The scope the route enforces (several space-separated, as OAuth writes them); undefined when none. */
  scope?: string | undefined;
  /** True for routes that need a signed-in user but no particular scope (e.g. /api/me/settings). */
  needsUser: boolean;
}

export interface ManifestInput {
  publicUrl: string;
  routes: ActionRoute[];
  /** OAuth scopes an agent may ask for, with what each allows. */
  scopes: Record<string, string>;
  /** Titles whose machine views are listed (the sitemap lists all of them). */
  titles: Array<{ id: string; title: string; year: number | null }>;
  /**
   * The per-client limit the ARW routes enforce, per minute. Sent as AI-Rate-Limit on those routes;
   * not declared site-wide under policies.rate_limits because /api itself has no such limit yet.
   */
  rateLimitPerMinute: number;
}

/** The profile we declare: discovery, chunks and AI-* headers, OAuth actions, and MCP (protocols). */
export const ARW_PROFILE = 'ARW-4';
export const ARW_LEVEL = 4;

/** `GET /api/titles/:id` → `get_titles_by_id`: stable, readable, unique per method+path. */
export function actionId(method: string, path: string): string {
  const parts = path
    .replace(/^\/api\//, '')
    .split('/')
    .filter(Boolean)
    .map((p) => (p.startsWith(':') ? `by_${p.slice(1)}` : p.replace(/[^A-Za-z0-9]+/g, '_')));
  return [method.toLowerCase(), ...parts].join('_');
}

/** First clause of a route summary: short enough for a name, still says what it does. */
function actionName(summary: string): string {
  const first = summary.split(/(?<=[.:;])\s/)[0]!.replace(/[.:;]$/, '');
  return first.length > 80 ? `${first.slice(0, 77)}…` : first;
}

/**
 * The ARW manifest (served at /.well-known/arw-manifest.json and /llms.json, and as YAML at
 * /llms.txt). Actions come from the live route table, so they always match the REST endpoints and
 * their scopes; the test suite validates the result against the spec's JSON Schema.
 */
export function buildArwManifest(input: ManifestInput): Record<string, unknown> {
  const actions = input.routes
    .filter((r) => r.path.startsWith('/api/') && r.scope !== 'admin')
    .map((r) => ({
      id: actionId(r.method, r.path),
      name: actionName(r.summary),
      description: r.summary,
      endpoint: r.path.replace(/:(\w+)/g, '{$1}'),
      method: r.method.toUpperCase(),
      auth: r.scope || r.needsUser ? 'oauth2' : 'none',
      ...(r.scope ? { scopes: r.scope.split(' ') } : {}),
    }));
  return {
    version: '0.1',
    profile: ARW_PROFILE,
    site: {
      name: 'Media Gateway',
      description:
        'One door to every streaming service: where to watch a movie or series, ' +
        'in which region, how (subscription, rent, buy, free) and at what price, ' +
        'with links; plus a personal watchlist, recommendations and handoff to devices.',
      homepage: input.publicUrl,
    },
    content: input.titles.map((t) => ({
      url: `/title/${t.id}`,
      machine_view: `/title/${t.id}.llm.md`,
      purpose: `title_page: ${t.title}${t.year ? ` (${t.year})` : ''}`,
      priority: 'medium',
      chunks: TITLE_CHUNKS.map((c) => ({ id: c.id, heading: c.heading, description: c.description })),
    })),
    actions,
    protocols: [
      {
        name: 'Model Context Protocol',
        type: 'mcp',
        endpoint: '/mcp',
        description:
          'Streamable HTTP MCP server with ten tools (search, recommendations, ' +
          'title details, availability, links, watchlist, devices, send to device). ' +
          'Protected resource metadata: /.well-known/oauth-protected-resource/mcp.',
      },
    ],
    oauth: {
      authorization_url: '/oauth/authorize',
      token_url: '/oauth/token',
      scopes: Object.entries(input.scopes).map(([name, description]) => ({ name, description })),
    },
    policies: {
      training: {
        allowed: false,
        note: 'Catalog facts are compiled from third-party sources; they are not licensed for model training.',
      },
      inference: { allowed: true, restrictions: ['attribution_required'] },
      attribution: {
        required: true,
        format: 'link',
        template: 'Availability from Media Gateway ({url}), as last seen by its sources',
      },
    },
  };
}
