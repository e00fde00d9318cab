import { type ApiRequest, type ApiResponse, type GatewayApi, withQuery } from '@media-gateway/mcp';
import type { FastifyInstance } from 'fastify';

/**
 * GatewayApi over `app.inject()`: a tool call over /mcp runs the very same REST route (validation,
 * scope check, use case) in-process, without a socket. The caller's bearer token is forwarded as is, and so is
 * their address (`callerAddress`): without it every anonymous agent spent one budget, that of 127.0.0.1.
 */
export function injectGatewayApi(app: FastifyInstance, callerAddress?: () => string): GatewayApi {
  return {
    async call(request: ApiRequest): Promise<ApiResponse> {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (request.token) headers['authorization'] = `Bearer ${request.token}`;
      if (request.body !== undefined) headers['content-type'] = 'application/json';
      const res = await app.inject({
        method: request.method,
        url: withQuery(request.path, request.query),
        headers,
        ...(callerAddress ? { remoteAddress: callerAddress() } : {}),
        ...(request.body !== undefined ? { payload: JSON.stringify(request.body) } : {}),
      });
      let json: unknown;
      if (res.body) {
        try {
          json = JSON.parse(res.body);
        } catch {
          json = undefined; // a non-JSON body (never expected from /api) reads as a problem without detail
        }
      }
      const www = res.headers['www-authenticate'];
      return {
        status: res.statusCode,
        json,
        headers: { 'www-authenticate': typeof www === 'string' ? www : undefined },
      };
    },
  };
}
