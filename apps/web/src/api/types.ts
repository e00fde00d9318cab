// Response shapes of the public API, as the gateway documents them (GET /api/openapi.json).

export interface Maturity {
  label: string;
  system?: string;
  minAge: number | null;
}

export interface TitleSummary {
  id: string;
  type: 'movie' | 'series';
  title: string;
  year: number | null;
  runtimeMinutes: number | null;
  seasons?: number | null;
  genres: string[];
  maturity: Maturity | null;
}

export interface Offer {
  platform: string;
  platformName?: string;
  region: string;
  monetization: string;
  price?: number | null;
  currency?: string | null;
  quality?: string | null;
  url: string;
  urlKind: 'direct' | 'search';
  appUrl?: string | null;
  source?: string;
  /** When the source saw it; null when it never said. */
  lastSeen?: string | null;
  /** "seen 3 days ago", "as of 2021-09-25", "as of unknown". */
  age?: string;
  isStale?: boolean;
  /** Credit a source's terms require next to its data (e.g. JustWatch for TMDb providers). */
  attribution?: string;
}

export interface TitleDetails extends TitleSummary {
  originalTitle: string | null;
  countries: string[];
  languages: string[];
  people: { directors: string[]; cast: string[]; creators: string[] };
  description: { text: string; source: string } | null;
  externalIds: Record<string, string>;
  offers: Record<string, Record<string, Offer[]>>;
  provenance: Array<{ source: string; method: string; confidence: number; reason: string; lastSeen: string }>;
  resolution: { sources: number; confidence: number };
}

export interface TitlePage {
  items: Array<TitleSummary & { offers: Offer[] }>;
  nextCursor: string | null;
}

export interface Platform {
  id: string;
  name: string;
  regions: string[];
}

export interface SearchSpan {
  start: number;
  end: number;
  text: string;
  kind: string;
  value: string;
}

export interface SearchResponse {
  understood: {
    text: string;
    region: string;
    services: string[];
    spans: SearchSpan[];
    notUnderstood: Array<{ text: string; reason: string }>;
    notes: string[];
  };
  results: Array<TitleSummary & { offers: Offer[]; score: number; why: string }>;
  /** Only when nothing meets every constraint: the closest titles, each with what it misses. */
  nearMatches?: Array<TitleSummary & { offers: Offer[]; score: number; why: string; misses: string[] }>;
  nextCursor?: string;
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

export interface Recommendation extends TitleSummary {
  why: string;
  platforms?: string[];
  score: number;
}

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
