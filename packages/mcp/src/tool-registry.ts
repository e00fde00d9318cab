import { checkAvailability, getContentDetails, getStreamingLinks } from './tools/catalog-tools.ts';
import { getRecommendations, semanticSearch } from './tools/discovery-tools.ts';
import {
  addToWatchlist,
  listUserDevices,
  listUserWatchlist,
  removeFromWatchlist,
  sendToDevice,
} from './tools/user-tools.ts';
import type { ToolSpec } from './tool-kit.ts';

/** The ten tools, in the order `tools/list` shows them. */
export const TOOLS: readonly ToolSpec[] = [
  semanticSearch,
  getRecommendations,
  getContentDetails,
  checkAvailability,
  getStreamingLinks,
  listUserWatchlist,
  addToWatchlist,
  removeFromWatchlist,
  listUserDevices,
  sendToDevice,
] as unknown as readonly ToolSpec[];

export function toolByName(name: string): ToolSpec | undefined {
  return TOOLS.find((t) => t.name === name);
}
