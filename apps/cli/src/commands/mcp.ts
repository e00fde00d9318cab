import { parseArgs } from 'node:util';
import { DomainError, isDomainError } from '@media-gateway/domain';
import type { ApiRequest, ApiResponse, GatewayApi } from '@media-gateway/mcp';
import '../auth/register-token-provider.ts';
import { requireCredentials, serverUrl } from '../credentials.ts';
import type { Command } from './command.ts';

/**
 * GatewayApi over fetch to a running server: the stdio MCP server is a thin client of the same
 * REST API (decision 0090), so it needs no database and works against any gateway.
 */
export function fetchGatewayApi(baseUrl: string): GatewayApi {
  return {
    async call(request: ApiRequest): Promise<ApiResponse> {
      const { withQuery } = await import('@media-gateway/mcp');
      let res: Response;
      try {
        res = await fetch(`${baseUrl}${withQuery(request.path, request.query)}`, {
          method: request.method,
          headers: {
            accept: 'application/json',
            ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
          },
          ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
          ...(request.signal ? { signal: request.signal } : {}),
        });
      } catch (error) {
        throw new DomainError(
          'UPSTREAM_UNAVAILABLE',
          `Cannot reach the gateway at ${baseUrl}: ${(error as Error).message}. Is "media-gateway serve" running?`,
          { source: baseUrl },
        );
      }
      const text = await res.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return {
        status: res.status,
        json,
        headers: { 'www-authenticate': res.headers.get('www-authenticate') ?? undefined },
      };
    },
  };
}

/** The signed-in token (refreshed by the login store when due), or undefined to run anonymously. */
async function currentToken(url: string): Promise<string | undefined> {
  try {
    return (await requireCredentials(url)).token;
  } catch (error) {
    if (isDomainError(error) && error.code === 'UNAUTHENTICATED') return undefined;
    throw error;
  }
}

export const mcpCommand: Command = {
  name: 'mcp',
  summary: 'MCP server on stdio for AI agents (talks to a running gateway; logs go to stderr)',
  usage:
    'mcp [--url http://localhost:3000]   (sign in first with ' +
    '"media-gateway login" for watchlist, devices and recommendations)',
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { url: { type: 'string' } }, strict: true });
    const url = serverUrl(values.url);
    // stdout carries JSON-RPC: every human-facing line goes to stderr.
    if (!(await currentToken(url))) {
      process.stderr.write(
        `media-gateway mcp: not signed in to ${url}; only catalog tools will work (run "media-gateway login").\n`,
      );
    }
    process.stderr.write(`media-gateway mcp: serving on stdio for ${url}\n`);
    const { serveStdio } = await import('@media-gateway/mcp');
    await serveStdio({ api: fetchGatewayApi(url), token: () => currentToken(url) });
    return 0;
  },
};
