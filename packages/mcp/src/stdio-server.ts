import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { createMcpServer, type McpServerOptions } from './mcp-server-factory.ts';

/** How long requests still being answered may take once the client has closed stdin. */
const DRAIN_MS = 30_000;

type Id = string | number;
const requestId = (m: JSONRPCMessage): Id | undefined => ('method' in m && 'id' in m ? m.id : undefined);
const responseId = (m: JSONRPCMessage): Id | undefined => (!('method' in m) && 'id' in m ? m.id : undefined);

/**
 * Serves MCP on this process's stdin/stdout until the client closes stdin, then answers the requests it had
 * already sent before exiting: a client that writes its calls and closes its end ("echo … | media-gateway mcp")
 * gets every answer, where closing at once dropped all but the first. stdout carries JSON-RPC only: callers must
 * log to stderr.
 */
export async function serveStdio(options: McpServerOptions): Promise<void> {
  const server = createMcpServer(options);
  const transport = new StdioServerTransport();
  const inEnded = new Promise<void>((resolve) => process.stdin.once('end', () => resolve()));
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  await server.connect(transport);

  const pending = new Set<Id>();
  let drained = () => {};
  const receive = transport.onmessage!;
  transport.onmessage = (message: JSONRPCMessage) => {
    const id = requestId(message);
    if (id !== undefined) pending.add(id);
    // A request the client cancelled gets no answer (MCP cancellation): stop waiting for it.
    if ('method' in message && message.method === 'notifications/cancelled') {
      const cancelled = (message.params as { requestId?: Id } | undefined)?.requestId;
      if (cancelled !== undefined && pending.delete(cancelled) && pending.size === 0) drained();
    }
    receive(message);
  };
  // A line that is not JSON, or not a JSON-RPC message, gets JSON-RPC's own answer (id null, as the request's id
  // could not be read) rather than silence that leaves the client waiting.
  const reportError = transport.onerror;
  transport.onerror = (error: Error) => {
    reportError?.(error);
    const parse = error instanceof SyntaxError;
    const answer = {
      jsonrpc: '2.0',
      id: null,
      error: parse
        ? { code: -32700, message: `Parse error: ${error.message}` }
        : { code: -32600, message: `Invalid Request: not a JSON-RPC 2.0 message` },
    };
    void transport.send(answer as unknown as JSONRPCMessage).catch(() => {});
  };
  const send = transport.send.bind(transport);
  transport.send = async (message: JSONRPCMessage) => {
    await send(message);
    const id = responseId(message);
    if (id !== undefined && pending.delete(id) && pending.size === 0) drained();
  };

  await Promise.race([closed, inEnded]);
  if (pending.size > 0) {
    await Promise.race([
      new Promise<void>((resolve) => {
        drained = resolve;
      }),
      closed,
      new Promise<void>((resolve) => setTimeout(resolve, DRAIN_MS).unref()),
    ]);
  }
  await server.close();
}
