export {
  type ApiRequest,
  type ApiResponse,
  type GatewayApi,
  type ProblemSlice,
  asProblem,
  withQuery,
} from './gateway-api.ts';
export { createMcpServer, errorResult, SERVER_INFO, type McpServerOptions } from './mcp-server-factory.ts';
export { TOOLS, toolByName } from './tool-registry.ts';
export { type ToolSpec, type ToolContext, ToolFailure } from './tool-kit.ts';
export { MOODS, DEVICES } from './tools/discovery-tools.ts';
export { renderTitleMarkdown, extractChunk, TITLE_CHUNKS, type TitleChunkId } from './machine-view/title-markdown.ts';
export type { RestTitle, RestOffer } from './tools/title-shape.ts';
export { serveStdio } from './stdio-server.ts';
export {
  buildArwManifest,
  actionId,
  ARW_LEVEL,
  ARW_PROFILE,
  type ActionRoute,
  type ManifestInput,
} from './arw/manifest-builder.ts';
export { toLlmsTxt } from './arw/llms-txt.ts';
