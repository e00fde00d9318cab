/** The slice of GET /api/titles/:id that the tools and machine views read (see @media-gateway/catalog TitleDetails). */
export interface RestOffer {
  platform: string;
  platformName: string;
  region: string;
  monetization: string;
  price: number | null;
  currency: string | null;
  quality: string | null;
  url: string;
  urlKind: 'direct' | 'search';
  appUrl: string | null;
  availableUntil: string | null;
  source: string;
  /** When the source saw it; null when it never said. */
  lastSeen: string | null;
  /** "seen 3 days ago", "as of 2021-09-25", "as of unknown". */
  age: string;
  isStale: boolean;
}

export interface RestTitle {
  id: string;
  type: 'movie' | 'series';
  title: string;
  originalTitle: string | null;
  year: number | null;
  runtimeMinutes: number | null;
  seasons: number | null;
  genres: string[];
  maturity: { label: string; system: string; minAge: number | null } | null;
  countries: string[];
  languages: string[];
  people: { directors: string[]; cast: string[]; creators: string[] };
  description: { text: string; source: string } | null;
  externalIds: Record<string, string>;
  /** region → platform → offers */
  offers: Record<string, Record<string, RestOffer[]>>;
  resolution: { sources: number; confidence: number };
}

export function titlePath(id: string): string {
  return `/api/titles/${encodeURIComponent(id)}`;
}

export function flatOffers(title: RestTitle): RestOffer[] {
  return Object.values(title.offers).flatMap((byPlatform) => Object.values(byPlatform).flat());
}
