export {
  createSearchService,
  MAX_QUERY_LENGTH,
  DEFAULT_REGION,
  type SearchService,
  type SearchServiceOptions,
  type SearchRequest,
  type SearchResponse,
  type Understood,
} from './search-service.ts';
export type { SearchResult, ResultOffer } from './results.ts';
export { parseQuery } from './understand/parse-query.ts';
export { parseWithLlm, LlmIntentSchema, type LlmParserOptions } from './understand/llm-parser.ts';
export type { SearchIntent, CatalogLookup, Span, SpanKind, PersonConstraint, LikeAnchor } from './understand/intent.ts';
export { MOODS, GENRE_WORDS, NATIONALITIES } from './understand/lexicon.ts';
export { TitleCatalog, type CatalogEntry } from './index/title-catalog.ts';
export { VectorIndex, titleKey, keyTitle } from './index/vector-index.ts';
export { LsaModel, type LsaOptions } from './embed/lsa-model.ts';
export { OpenAiEmbedder, type OpenAiEmbedderOptions } from './embed/openai-embedder.ts';
export {
  WordVectorEmbedder,
  type WordModelOptions,
  type WordTable,
  readWordVectors,
  readCatalogWordVectors,
  plainWords,
} from './embed/word-vectors.ts';
export { ConcatEmbedder, DEFAULT_VECTORS, VECTORS_KINDS, type VectorsKind } from './embed/local-embedder.ts';
export type { Embedder, TitleDoc } from './embed/embedder.ts';
export type { FusionMethod } from './retrieve/fusion.ts';
export { PERSONAL_POOL, type PersonalRanking, personalize } from './retrieve/personal.ts';
export type { RetrievalMode, SearchStage, StageObserver } from './retrieve/rank.ts';
export { entryDoc, DEFAULT_WEIGHTS, type ChannelWeights } from './retrieve/rank.ts';
export { SearchWorker, SearchWorkerGone, type WorkerAnswer, type WorkerSetup } from './worker/search-worker.ts';
