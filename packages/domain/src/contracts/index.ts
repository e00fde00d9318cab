import type { z } from 'zod';
import { MergeQueueSchema, MergeViewSchema, ResolutionOverrideSchema } from './admin-resolution.ts';
import { UploadProgressSchema, UploadStartedSchema } from './admin-upload.ts';
import { HomeItemSchema, HomeRowSchema, HomeViewSchema } from './home.ts';
import { ImportListSchema, ImportReportSchema, ImportSummarySchema } from './imports.ts';
import {
  NearMatchSchema,
  NotStreamingSchema,
  SearchHitSchema,
  SearchOfferSchema,
  SearchResponseSchema,
  SearchSpanSchema,
  SearchUnderstoodSchema,
} from './search.ts';
import {
  OfferViewSchema,
  ProvenanceSchema,
  TitleImageSchema,
  TitleListItemSchema,
  TitlePageSchema,
  TitleSummarySchema,
  TitleViewSchema,
} from './titles.ts';

// The API's wire contracts: one zod schema per response shape, the TypeScript types inferred from
// them. The gateway's OpenAPI document publishes them as components; the web app imports the types
// only (`import type`), so no zod reaches the browser bundle.

export * from './admin-resolution.ts';
export * from './admin-upload.ts';
export * from './home.ts';
export * from './imports.ts';
export * from './notifications.ts';
export * from './search.ts';
export * from './titles.ts';

/**
 * Every named contract, by the name routes use in their `responses` (e.g. `200: 'TitleView'`) and
 * OpenAPI uses under `components.schemas`. A schema nested in another one is referenced by name.
 */
export const CONTRACT_SCHEMAS = {
  TitleSummary: TitleSummarySchema,
  OfferView: OfferViewSchema,
  Provenance: ProvenanceSchema,
  TitleImage: TitleImageSchema,
  TitleView: TitleViewSchema,
  TitleListItem: TitleListItemSchema,
  TitlePage: TitlePageSchema,
  SearchSpan: SearchSpanSchema,
  SearchUnderstood: SearchUnderstoodSchema,
  SearchOffer: SearchOfferSchema,
  SearchHit: SearchHitSchema,
  NearMatch: NearMatchSchema,
  NotStreaming: NotStreamingSchema,
  SearchResponse: SearchResponseSchema,
  UploadProgress: UploadProgressSchema,
  UploadStarted: UploadStartedSchema,
  MergeView: MergeViewSchema,
  MergeQueue: MergeQueueSchema,
  ResolutionOverride: ResolutionOverrideSchema,
  ImportSummary: ImportSummarySchema,
  ImportList: ImportListSchema,
  ImportReport: ImportReportSchema,
  HomeItem: HomeItemSchema,
  HomeRow: HomeRowSchema,
  HomeView: HomeViewSchema,
} satisfies Record<string, z.ZodType>;

export type ContractName = keyof typeof CONTRACT_SCHEMAS;
