/**
 * Our one genre taxonomy. Every source's labels map onto these slugs through `mapGenreLabel`;
 * labels that describe a market or a format rather than a genre ("International Movies",
 * "TV Shows") map to nothing and are kept only as raw labels.
 */
export const GENRES = [
  'action',
  'adventure',
  'animation',
  'anime',
  'biography',
  'comedy',
  'crime',
  'documentary',
  'drama',
  'family',
  'fantasy',
  'history',
  'horror',
  'kids',
  'lgbtq',
  'music',
  'mystery',
  'news',
  'reality',
  'romance',
  'science-fiction',
  'sport',
  'stand-up',
  'talk-show',
  'teen',
  'thriller',
  'war',
  'western',
  'faith',
] as const;

export type Genre = (typeof GENRES)[number];

export const GENRE_NAMES: Record<Genre, string> = {
  action: 'Action',
  adventure: 'Adventure',
  animation: 'Animation',
  anime: 'Anime',
  biography: 'Biography',
  comedy: 'Comedy',
  crime: 'Crime',
  documentary: 'Documentary',
  drama: 'Drama',
  family: 'Family',
  fantasy: 'Fantasy',
  history: 'History',
  horror: 'Horror',
  kids: 'Kids',
  lgbtq: 'LGBTQ+',
  music: 'Music & Musicals',
  mystery: 'Mystery',
  news: 'News & Politics',
  reality: 'Reality & Game Shows',
  romance: 'Romance',
  'science-fiction': 'Science Fiction',
  sport: 'Sport',
  'stand-up': 'Stand-Up',
  'talk-show': 'Talk Show',
  teen: 'Teen & Coming of Age',
  thriller: 'Thriller',
  war: 'War',
  western: 'Western',
  faith: 'Faith & Spirituality',
};

/** Keyword rules, checked against the lower-cased label with word boundaries. Order is irrelevant. */
const RULES: ReadonlyArray<[RegExp, readonly Genre[]]> = [
  [/\baction\b/, ['action']],
  [/\badventure\b/, ['adventure']],
  [/\bsuperhero/, ['action']],
  [/\banime\b/, ['anime', 'animation']],
  [/\banimation\b|\bcartoons?\b|\banimated\b/, ['animation']],
  [/\bcomed(y|ies)\b|\bsitcom\b|\bparody\b|\bbuddy\b/, ['comedy']],
  [/\bstand[ -]?up\b/, ['stand-up', 'comedy']],
  [/\bcrime\b|\bpolice\b|\bcop\b|\bheist/, ['crime']],
  [/\btrue crime\b/, ['documentary']],
  [
    /\bdocumentar(y|ies)\b|\bdocuseries\b|\bdocumentation\b|\bscience (&|and) (nature|technology)\b|\banimals (&|and) nature\b/,
    ['documentary'],
  ],
  [/\bdramas?\b|\bmelodrama\b|\bsoap opera\b/, ['drama']],
  [/\bfamily\b|\bchildren\b/, ['family']],
  [/\bkids?\b|\bkids' tv\b/, ['kids']],
  [/\bfantasy\b/, ['fantasy']],
  [/\bsci-?fi\b|\bscience fiction\b/, ['science-fiction']],
  [/\bhorror\b/, ['horror']],
  [/\bthrillers?\b|\bsuspense\b|\bspy\b|\bespionage\b/, ['thriller']],
  [/\bmyster(y|ies)\b/, ['mystery']],
  [/\bromance\b|\bromantic\b/, ['romance']],
  [/\bmusic\b|\bmusicals?\b|\bconcert\b|\bdance\b/, ['music']],
  [/\bsports?\b|\bfitness\b/, ['sport']],
  [/\breality\b|\bunscripted\b|\bgame shows?\b|\bcompetition\b/, ['reality']],
  [/\bwar\b|\bmilitary\b/, ['war']],
  [/\bwestern\b/, ['western']],
  [/\bhistor(y|ical)\b|\bperiod\b/, ['history']],
  [/\bbiograph(y|ical)\b/, ['biography']],
  [/\btalk show\b|\blate night\b|\bvariety\b/, ['talk-show']],
  [/\blgbtq\+?/, ['lgbtq']],
  [/\bfaith\b|\bspirituality\b/, ['faith']],
  [/\bteen\b|\byoung adult\b|\bcoming of age\b/, ['teen']],
  [/\bnews\b|\bpolitics\b/, ['news']],
];

/** Maps one source label ("TV Sci-Fi & Fantasy", "scifi", "Action-Adventure") to taxonomy slugs. */
export function mapGenreLabel(label: string): Genre[] {
  const text = label
    .toLowerCase()
    .replace(/-/g, ' ')
    .replace(/sci fi/g, 'sci-fi')
    .trim();
  const found = new Set<Genre>();
  for (const [pattern, genres] of RULES) {
    if (pattern.test(text)) for (const g of genres) found.add(g);
  }
  return [...found];
}

/** Maps many labels, de-duplicated, in taxonomy order. */
export function mapGenreLabels(labels: readonly string[]): Genre[] {
  const found = new Set<Genre>();
  for (const label of labels) for (const g of mapGenreLabel(label)) found.add(g);
  return GENRES.filter((g) => found.has(g));
}

export function isGenre(value: string): value is Genre {
  return (GENRES as readonly string[]).includes(value);
}
