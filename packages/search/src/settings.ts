import { parse, type Setting, type SettingValues, setting } from '@media-gateway/domain';
import { z } from 'zod';
import type { LlmParserOptions } from './understand/llm-parser.ts';

const MG_SEARCH_INDEX = setting(
  'MG_SEARCH_INDEX',
  z.enum(['disk', 'memory']),
  '`memory` keeps the search vector index in memory only (else `MG_DATA_DIR/search/`)',
  '`disk`',
);
const MG_SEARCH_PERSONAL_WEIGHT = setting(
  'MG_SEARCH_PERSONAL_WEIGHT',
  parse.int(0, 500),
  "percent weight of a signed-in person's taste against the query's order when ranking search results (0 = off; decision 0056)",
  '`25`',
);
const MG_LLM_BASE_URL = setting(
  'MG_LLM_BASE_URL',
  parse.url,
  'optional OpenAI-compatible chat endpoint for search query understanding (falls back to the rules)',
);
const MG_LLM_MODEL = setting('MG_LLM_MODEL', parse.text, 'the model name at that endpoint');
const MG_LLM_API_KEY = setting('MG_LLM_API_KEY', parse.text, 'its API key');
const MG_LLM_TIMEOUT_MS = setting('MG_LLM_TIMEOUT_MS', parse.int(50, 60_000), 'how long search waits for it', '`800`');

/** The search package's environment variables (validated and documented by the gateway). */
export const SEARCH_SETTINGS: Setting[] = [
  MG_SEARCH_INDEX,
  MG_SEARCH_PERSONAL_WEIGHT,
  MG_LLM_BASE_URL,
  MG_LLM_MODEL,
  MG_LLM_API_KEY,
  MG_LLM_TIMEOUT_MS,
];

export interface SearchSettings {
  /** `memory`: never save the vector index to disk. */
  index: 'disk' | 'memory';
  /** Weight of the person's taste in the personal blend (1 = as much as the query's order; 0 = off). */
  personalWeight: number;
  /** The LLM query parser, when both its endpoint and model are set. */
  llm: LlmParserOptions | undefined;
}

export function searchSettings(values: SettingValues): SearchSettings {
  const baseUrl = values.get(MG_LLM_BASE_URL);
  const model = values.get(MG_LLM_MODEL);
  return {
    index: values.get(MG_SEARCH_INDEX) ?? 'disk',
    personalWeight: (values.get(MG_SEARCH_PERSONAL_WEIGHT) ?? 25) / 100,
    llm:
      baseUrl && model
        ? { baseUrl, model, apiKey: values.get(MG_LLM_API_KEY), timeoutMs: values.get(MG_LLM_TIMEOUT_MS) ?? 800 }
        : undefined,
  };
}
