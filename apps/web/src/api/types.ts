// Response shapes of the public API, as the gateway documents them (GET /api/openapi.json). The
// catalog and search shapes are the API's contracts (`@media-gateway/domain/contracts`): types only,
// so no zod reaches the browser bundle.
import type {
  HomeItem,
  HomeRow,
  HomeView,
  OfferView,
  SearchResponse,
  SearchSpan,
  TitleSummary as CatalogTitleSummary,
  TitleImage,
  TitleListItem,
  TitlePage,
  TitleView,
} from '@media-gateway/domain/contracts';

export type {
  HomeItem,
  HomeRow,
  HomeView,
  OfferView,
  SearchResponse,
  SearchSpan,
  TitleImage,
  TitleListItem,
  TitlePage,
};
export type TitleDetails = TitleView;

/**
 * What the offer rows and title cards read: a title's offer and a search hit's offer alike (a search
 * hit's offer carries only the first fields, and no null price).
 */
export type Offer = Pick<
  OfferView,
  'platform' | 'region' | 'monetization' | 'url' | 'urlKind' | 'lastSeen' | 'age' | 'isStale'
> &
  Partial<Omit<OfferView, 'platform' | 'region' | 'monetization' | 'url' | 'urlKind' | 'lastSeen' | 'age' | 'isStale'>>;

/**
 * A title in a list (catalog page, search hit, recommendation):
 * a search hit's maturity has no system, and a movie no seasons.
 */
export type TitleSummary = Pick<CatalogTitleSummary, 'id' | 'type' | 'title' | 'year' | 'runtimeMinutes' | 'genres'> & {
  seasons?: number | null;
  maturity: (Omit<NonNullable<CatalogTitleSummary['maturity']>, 'system'> & { system?: string }) | null;
};

export interface Platform {
  id: string;
  name: string;
  regions: string[];
}

export interface Suggestion {
  id: string;
  title: string;
  year: number | null;
  type: 'movie' | 'series';
}

export interface UserSettings {
  region: string;
  services: string[];
}

export type Recommendation = TitleSummary & {
  why: string;
  platforms?: string[];
  /** The offers behind `platforms`, with when their sources saw them. */
  offers?: Offer[];
  score: number;
};

export interface Device {
  id: string;
  name: string;
  type: string;
  online: boolean;
  lastSeen: string | null;
}

export interface UserInfo {
  id: string;
  email: string | null;
  displayName: string | null;
  isAdmin: boolean;
  scopes: string[];
}
