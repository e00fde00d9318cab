import { isDomainError } from '@media-gateway/domain';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { GatewayApi, ProblemSlice } from './gateway-api.ts';
import { renderTitleMarkdown } from './machine-view/title-markdown.ts';
import { callApi, TITLE_ID, ToolFailure, type ToolContext } from './tool-kit.ts';
import { TOOLS } from './tool-registry.ts';
import { type RestTitle, titlePath } from './tools/title-shape.ts';

export const SERVER_INFO = { name: 'media-gateway', version: '0.1.0' } as const;

export interface McpServerOptions {
  api: GatewayApi;
  /**
   * The token for transports without per-request auth (stdio: the one `media-gateway login`
   * stored). Over HTTP the token comes with each request (`extra.authInfo`) and wins.
   */
  token?: string | (() => Promise<string | undefined>) | undefined;
}

const INSTRUCTIONS = [
  'Media Gateway puts every streaming service behind one door.',
  'Find titles with semantic_search or get_recommendations, then use their mg_… ids with the other tools.',
  'Catalog tools work without sign-in when you pass a region; watchlist, ' +
    'device and recommendation tools act for the signed-in person only.',
  'Links of kind "search" open the platform\'s search page, not the title itself: say so.',
].join(' ');

/** A problem from the REST API as an MCP tool error: the stable code first, so agents can branch on it. */
export function errorResult(problem: ProblemSlice): CallToolResult {
  // REST details usually list the issues already; repeat them only when they are not in the text.
  const issues =
    problem.issues?.length && !problem.issues.every((i) => problem.detail.includes(i.message))
      ? ` (${problem.issues.map((i) => `${i.path}: ${i.message}`).join('; ')})`
      : '';
  return { isError: true, content: [{ type: 'text', text: `${problem.code}: ${problem.detail}${issues}` }] };
}

/** One MCP server (one per session: an McpServer serves a single transport). */
export function createMcpServer(options: McpServerOptions): McpServer {
  const server = new McpServer(SERVER_INFO, { instructions: INSTRUCTIONS, capabilities: { logging: {} } });
  // A function token (stdio) is asked on every call so a stored login can refresh underneath.
  const contextOf = async (extra: {
    authInfo?: { token: string } | undefined;
    signal?: AbortSignal;
  }): Promise<ToolContext> => ({
    api: options.api,
    token: extra.authInfo?.token ?? (typeof options.token === 'function' ? await options.token() : options.token),
    signal: extra.signal,
  });

  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        outputSchema: tool.output,
        annotations: tool.annotations,
      },
      async (args: unknown, extra): Promise<CallToolResult> => {
        try {
          const out = (await tool.run(args as never, await contextOf(extra))) as Record<string, unknown>;
          // Compact JSON in the text part too, for clients that ignore structuredContent.
          return { content: [{ type: 'text', text: JSON.stringify(out) }], structuredContent: out };
        } catch (error) {
          if (error instanceof ToolFailure) return errorResult(error.problem);
          if (isDomainError(error)) return errorResult({ code: error.code, status: 0, detail: error.message });
          throw error;
        }
      },
    );
  }

  server.registerResource(
    'title',
    new ResourceTemplate('mg://titles/{title_id}', { list: undefined }),
    {
      title: 'Title page',
      description: 'The Markdown machine view of a title: summary, people, where to watch, identifiers (chunked).',
      mimeType: 'text/markdown',
    },
    async (uri, variables, extra) => {
      const id = TITLE_ID.parse(String(variables['title_id']));
      const title = await callApi<RestTitle>(await contextOf(extra), { method: 'GET', path: titlePath(id) });
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: renderTitleMarkdown(title) }] };
    },
  );

  server.registerPrompt(
    'what_to_watch',
    {
      title: 'What should I watch?',
      description: "Picks something to watch tonight from the person's services, and offers to send it to a device.",
      argsSchema: {
        mood: z.string().max(40).optional(),
        minutes: z
          .string()
          .regex(/^\d{1,3}$/)
          .optional(),
      },
    },
    ({ mood, minutes }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'text',
            text: [
              `Help me pick something to watch${mood ? ` (mood: ${mood})` : ''}` +
                `${minutes ? ` in under ${minutes} minutes` : ''}.`,
              'Use get_recommendations (or semantic_search if I describe ' +
                'what I want), check_availability for the top picks,',
              'suggest three with the reason each was picked, and ask whether to add one to my ' +
                'watchlist or send it to one of my devices (list_user_devices, send_to_device).',
            ].join(' '),
          },
        },
      ],
    }),
  );
  return server;
}
