import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { TITLE_ID_PATTERN } from '@media-gateway/domain';
import { z } from 'zod';
import { type ApiRequest, type ApiResponse, asProblem, type GatewayApi, type ProblemSlice } from './gateway-api.ts';

/** What a tool run gets: the gateway API and the caller's token (the user is always its subject). */
export interface ToolContext {
  api: GatewayApi;
  token: string | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * One MCP tool, described once. `scope` and `route` are the REST route's own: a test checks them
 * against /api/openapi.json so a tool can never be looser than the endpoint it wraps.
 */
export interface ToolSpec<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  /** Strict: unknown arguments (a `user_id`, say) are refused, never silently dropped. */
  input: I;
  output: O;
  /** The scope the wrapped REST route requires; null for public catalog reads. */
  scope: string | null;
  route: { method: ApiRequest['method']; path: string };
  annotations: ToolAnnotations;
  run(input: z.infer<I>, ctx: ToolContext): Promise<z.infer<O>>;
}

export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(spec: ToolSpec<I, O>): ToolSpec<I, O> {
  return spec;
}

/** A REST answer that was a problem: becomes an `isError` tool result carrying the problem's code. */
export class ToolFailure extends Error {
  constructor(readonly problem: ProblemSlice) {
    super(`${problem.code}: ${problem.detail}`);
    this.name = 'ToolFailure';
  }
}

/** Calls the API and returns the JSON body of a 2xx answer; anything else throws ToolFailure. */
export async function callApi<T>(ctx: ToolContext, request: Omit<ApiRequest, 'token' | 'signal'>): Promise<T> {
  const response: ApiResponse = await ctx.api.call({ ...request, token: ctx.token, signal: ctx.signal });
  if (response.status < 200 || response.status >= 300) throw new ToolFailure(asProblem(response));
  return response.json as T;
}

export const TITLE_ID = z
  .string()
  .regex(TITLE_ID_PATTERN, 'a title id: mg_ followed by 12 lower-case letters/digits')
  .describe('Canonical title id (mg_…), from semantic_search or get_recommendations');
export const REGION = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'a two-letter country code such as US')
  .transform((s) => s.toUpperCase())
  .describe('Two-letter country code, e.g. US, GB, DE');

/** Deletes undefined and null-valued keys so results stay small (token-efficient). */
export function compact<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;
}

/**
 * The region a catalog tool answers for: the argument, else the signed-in person's region from
 * their settings. Anonymous calls without a region are refused rather than guessed.
 */
export async function resolveRegion(ctx: ToolContext, region: string | undefined): Promise<string> {
  if (region) return region;
  if (!ctx.token) {
    throw new ToolFailure({
      code: 'INVALID_INPUT',
      status: 400,
      detail: 'Pass a region (e.g. "US"), or sign in so your own region is used.',
    });
  }
  try {
    const settings = await callApi<{ region: string }>(ctx, { method: 'GET', path: '/api/me/settings' });
    return settings.region;
  } catch (error) {
    // Reading where a person watches needs the "recommendations" scope (decision 0129): an agent granted less is
    // asked for the region instead.
    if (error instanceof ToolFailure && error.problem.code === 'FORBIDDEN')
      throw new ToolFailure({
        code: 'INVALID_INPUT',
        status: 400,
        detail:
          'Pass a region (e.g. "US"): this token may not read your settings (that needs the "recommendations" scope).',
      });
    throw error;
  }
}
