import { SCOPES } from '@media-gateway/auth';
import { TOOLS } from '@media-gateway/mcp';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';

/** Where RFC 9728 metadata for the MCP endpoint lives (path-suffixed form, §3.1). */
export function mcpResourceMetadataUrl(publicUrl: string): string {
  return `${publicUrl}/.well-known/oauth-protected-resource/mcp`;
}

/**
 * OAuth 2.0 Protected Resource Metadata (RFC 9728), as the MCP authorization spec requires: tells
 * an MCP client which authorization server issues tokens for this resource and which scopes exist.
 * The root document describes the REST API; the `/mcp` one the MCP endpoint (its tools' scopes).
 */
export async function wellKnownResourceRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const base = ctx.config.publicUrl;
  const common = {
    authorization_servers: [base],
    bearer_methods_supported: ['header'],
    resource_documentation: `${base}/llms.txt`,
  };
  const mcpScopes = [...new Set(TOOLS.flatMap((t) => (t.scope ? [t.scope] : [])))];

  app.get('/.well-known/oauth-protected-resource', async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return { resource: base, resource_name: 'Media Gateway API', scopes_supported: SCOPES, ...common };
  });
  app.get('/.well-known/oauth-protected-resource/mcp', async (_req, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return {
      resource: `${base}/mcp`,
      resource_name: 'Media Gateway MCP server',
      scopes_supported: mcpScopes,
      ...common,
    };
  });
}
