import type { TitleSummary } from '@media-gateway/domain/contracts';

/** Column list and row shape shared by the title queries. */
export const TITLE_COLUMNS = `t.id, t.kind, t.title, t.original_title, t.alternate_titles, t.year, t.runtime_minutes,
  t.seasons, t.genres, t.maturity_label, t.maturity_system, t.maturity_min_age, t.countries, t.languages,
  t.directors, t.cast_members, t.creators, t.description, t.description_source, t.popularity, t.norm_title`;

export interface TitleRow {
  id: string;
  kind: 'movie' | 'series';
  title: string;
  original_title: string | null;
  alternate_titles: string[];
  year: number | null;
  runtime_minutes: number | null;
  seasons: number | null;
  genres: string[];
  maturity_label: string | null;
  maturity_system: string | null;
  maturity_min_age: number | null;
  countries: string[];
  languages: string[];
  directors: string[];
  cast_members: string[];
  creators: string[];
  description: string | null;
  description_source: string | null;
  popularity: number | null;
  norm_title: string;
}

export type { TitleSummary };

export function toSummary(r: TitleRow): TitleSummary {
  return {
    id: r.id,
    type: r.kind,
    title: r.title,
    year: r.year,
    runtimeMinutes: r.runtime_minutes,
    seasons: r.kind === 'series' ? r.seasons : null,
    genres: r.genres,
    maturity: r.maturity_label
      ? { label: r.maturity_label, system: r.maturity_system ?? 'unrated', minAge: r.maturity_min_age }
      : null,
  };
}
