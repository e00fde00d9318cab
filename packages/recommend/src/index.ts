export {
  RecommenderService,
  whyText,
  MAX_EVENTS_PER_BATCH,
  type EventInput,
  type Audience,
  type Recommendation,
} from './recommender-service.ts';
export { EVENT_TYPES, type EventType, type FeedbackEvent, signalWeight, excludesTitle } from './event-signals.ts';
export {
  MOODS,
  MOOD_NAMES,
  type Mood,
  DEVICE_NAMES,
  DEVICES,
  screenOf,
  type Device,
  type RankContext,
  moodBoost,
  situationFit,
} from './context-rerank.ts';
export {
  UserAdapter,
  DEFAULT_ADAPTER_OPTIONS,
  type AdapterOptions,
  type ContentLookup,
  MAX_HISTORY,
} from './user-adapter.ts';
export { encodeAdapter, decodeAdapter, MAX_ADAPTER_BYTES } from './adapter-codec.ts';
export { ItemTable, type ItemInput } from './item-table.ts';
export { CONTENT_DIM, contentFeatures, writeContentVector, type ItemContent } from './content-vectors.ts';
export { trainEase, invertSpdInPlace, type EaseModel, type Interaction, type EaseOptions } from './ease-trainer.ts';
export { CollabIndex } from './collab-index.ts';
export { rank, topK, DEFAULT_WEIGHTS, type RankWeights, type Ranked, type RankRequest, type Reason } from './ranker.ts';
export { TrendStore, TREND_HALF_LIFE_MS } from './trend-store.ts';
export { AvailabilityIndex, NEW_FOR_DAYS } from './availability-index.ts';
export { trainAndStore, encodeModel, decodeModel, loadLatestModel, type TrainStats } from './model-store.ts';
