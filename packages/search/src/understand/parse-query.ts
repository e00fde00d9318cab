import { findPlatform, type Genre, normalizeMaturity, PLATFORMS } from '@media-gateway/domain';
import { type CatalogLookup, emptyIntent, type SearchIntent, type Span, type SpanKind } from './intent.ts';
import { type GenreTypo, genreTypo } from './genre-typos.ts';
import { GENRE_WORDS, MOODS, NATIONALITIES, STOPWORDS } from './lexicon.ts';

/**
 * Rule-based query understanding (SPEC.md rules Q1–Q19). Each rule claims character ranges of the
 * lower-cased query; later rules skip claimed text, so "not horror" is read once, as a negation.
 * What no rule claims is the free-text remainder used for ranking.
 */

/** Where a captured phrase ("like <title>", "with <person>") ends: the next constraint word. */
const BOUNDARY =
  /\s+(?:on|in|under|over|from|with|without|not|no|and|but|that|which|after|before|since|for|starring|directed|by|like|less|shorter|longer|made|released|available|streaming|during|set|between|than)\b|[,.;!?()]/;

const NUMBER_WORDS: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, half: 0.5 };

class Reader {
  readonly spans: Span[] = [];
  private readonly claimed: boolean[];
  constructor(readonly text: string) {
    this.claimed = new Array(text.length).fill(false);
  }
  free(start: number, end: number): boolean {
    for (let i = start; i < end; i++) if (this.claimed[i]) return false;
    return true;
  }
  claim(start: number, end: number, kind: SpanKind, value: string): void {
    for (let i = start; i < end; i++) this.claimed[i] = true;
    this.spans.push({ start, end, text: this.text.slice(start, end), kind, value });
  }
  /** Every unclaimed match of a global regex. */
  *matches(re: RegExp): Generator<RegExpExecArray> {
    const g = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
    for (let m = g.exec(this.text); m; m = g.exec(this.text)) {
      if (m[0].length === 0) {
        g.lastIndex++;
        continue;
      }
      if (this.free(m.index, m.index + m[0].length)) yield m;
      // A match over words already read may hide a shorter one after them: "[not too scary for] a 10 year old".
      else g.lastIndex = m.index + 1;
    }
  }
  /** Takes words out of the free text without reading them as a constraint (the caller says why). */
  skip(start: number, end: number): void {
    for (let i = start; i < end; i++) this.claimed[i] = true;
  }
  remainder(): string {
    return this.text
      .split('')
      .map((c, i) => (this.claimed[i] ? ' ' : c))
      .join('');
  }
}

/** The phrase after a trigger, up to the next boundary word or punctuation. */
function phraseAfter(text: string, from: number): string {
  const rest = text.slice(from);
  const cut = BOUNDARY.exec(rest);
  return (cut ? rest.slice(0, cut.index) : rest).trim();
}

/**
 * Kinds of title that may follow a service's name: "disney movies", "hbo shows", "apple tv series". Not
 * documentaries: "amazon documentaries" may be about the rainforest.
 */
const KIND_AFTER = ' (?:originals?|movies?|films?|shows?|series|tv shows?|specials?|cartoons?|anime)\\b';
/** Kinds of title a plain length may come before ("90 minute documentaries"). */
const LENGTH_KIND = ' (?:movies?|films?|shows?|series|episodes?|documentar(?:y|ies)|specials?|cartoons?|anime)\\b';

/** Ambiguous aliases that, typed alone, are read as words: a studio or a common word before a service. */
const ALONE_AS_WORDS = new Set(['disney', 'amazon', 'apple', 'paramount']);

const AMBIGUOUS_ALIASES = new Set([
  'max',
  'prime',
  'apple',
  'amazon',
  'disney',
  'yt',
  'hbo',
  'paramount',
  'peacock',
  'apple tv',
]);

function aliasPattern(alias: string): string {
  return alias.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

let ALIASES: Array<{ a: string; id: string }> | undefined;
/** Every platform's id, name and aliases, longest first (the registry is static: built once). */
function serviceAliases(): Array<{ a: string; id: string }> {
  ALIASES ??= PLATFORMS.flatMap((p) => [p.id, p.name.toLowerCase(), ...p.aliases].map((a) => ({ a, id: p.id }))).sort(
    (x, y) => y.a.length - x.a.length,
  );
  return ALIASES;
}

function readServices(r: Reader, intent: SearchIntent): void {
  if (/\bmy (?:streaming )?(?:services|subscriptions|apps|platforms)\b|\bservices i have\b/.test(r.text)) {
    for (const m of r.matches(
      /\b(?:on |from )?my (?:streaming )?(?:services|subscriptions|apps|platforms)\b|\b(?:on )?services i have\b/,
    )) {
      r.claim(m.index, m.index + m[0].length, 'my-services', 'your services');
      intent.myServices = true;
    }
  }
  const aliases = serviceAliases();
  // Readings of a short, common name that only its place suggests ("disney movies", "peacock" alone): taken only
  // when no service was named plainly, so "disney movies on netflix" asks for Netflix.
  const weak: Array<{ start: number; end: number; id: string }> = [];
  for (const { a, id } of aliases) {
    // Both patterns need the alias itself in the text: skip the regexes when it is absent (most aliases).
    if (!r.text.includes(a)) continue;
    // Short, common words ("max", "prime") only count after "on"/"via" or "leaving", before a kind of title ("disney
    // movies", "hbo shows"), or alone: "Mad Max" and "Prime Suspect" stay titles. "max" and "yt" need "on": "mad max
    // movies" is a franchise. Alone, a studio or a word ("disney", "amazon", "apple") stays words: a film's story or
    // credits may name it.
    const pat = aliasPattern(a);
    const ambiguous = AMBIGUOUS_ALIASES.has(a);
    const prefix = ambiguous ? '(?:(?:on|via|from|using) |(?<=\\bleaving ))' : '(?:(?:on|via|from|using) )?';
    const neg = new RegExp(`\\b(?:not|except|but not|excluding) (?:on )?${pat}(?![\\w+])`);
    for (const m of r.matches(neg)) {
      r.claim(m.index, m.index + m[0].length, 'exclude-service', id);
      if (!intent.excludeServices.includes(id)) intent.excludeServices.push(id);
    }
    const re = new RegExp(`\\b${prefix}${pat}(?![\\w+])`);
    for (const m of r.matches(re)) {
      r.claim(m.index, m.index + m[0].length, 'service', id);
      if (!intent.services.includes(id)) intent.services.push(id);
    }
    if (!ambiguous || a === 'max' || a === 'yt') continue;
    const beforeKind = `\\b${pat}(?=${KIND_AFTER})`;
    const loose = new RegExp(ALONE_AS_WORDS.has(a) ? beforeKind : `${beforeKind}|^${pat}$`);
    for (const m of r.matches(loose)) weak.push({ start: m.index, end: m.index + m[0].length, id });
  }
  if (intent.services.length === 0 && intent.excludeServices.length === 0)
    for (const w of weak) {
      if (!r.free(w.start, w.end)) continue;
      r.claim(w.start, w.end, 'service', r.text.slice(w.start, w.end));
      if (!intent.services.includes(w.id)) intent.services.push(w.id);
    }
  // "on foobarflix": looks like a service name but is not one we know: say so instead of guessing.
  for (const m of r.matches(/\b(?:on|via) ([a-z0-9]+(?:flix|plus|\+|tv|max|video|play|stream))(?![\w+])/)) {
    const name = m[1]!;
    if (findPlatform(name)) continue;
    r.claim(m.index, m.index + m[0].length, 'unknown-service', name);
    intent.notUnderstood.push({
      text: m[0],
      reason: `"${name}" is not a streaming service we know (see /api/platforms); it was not used as a filter`,
    });
  }
}

function readAnchors(r: Reader, intent: SearchIntent, lookup: CatalogLookup): void {
  for (const m of r.matches(
    /\b(?:(?:something |anything |more )?(?:like|similar to)|in the vein of|if i (?:liked|loved|enjoyed)|fans of)\s+/,
  )) {
    const start = m.index;
    const phrase = likedPhrase(r.text, start + m[0].length, lookup);
    if (!phrase) continue;
    const end = start + m[0].length + phrase.length;
    if (!r.free(start, end)) continue;
    const found = lookup.findTitle(phrase);
    r.claim(start, end, 'like', found ? `${found.title}${found.year ? ` (${found.year})` : ''}` : phrase);
    if (found) intent.like.push({ text: phrase, titleId: found.id, title: found.title, year: found.year });
    else
      intent.notUnderstood.push({
        text: phrase,
        reason: `no title in the catalog matches "${phrase}", so "like" was ignored`,
      });
  }
}

/** The most words a title typed after "like" is looked for in. */
const MAX_TITLE_WORDS = 12;

/**
 * What "like" is followed by: the phrase up to the next constraint word or punctuation, or a title's exact name that
 * runs past it: "the nightmare before christmas", "o brother, where art thou?", "mr. holland's opus". Cut at "before",
 * "where" or ".", those had found another title, or none (SPEC Q13).
 */
function likedPhrase(text: string, from: number, lookup: CatalogLookup): string {
  const phrase = phraseAfter(text, from);
  const rest = text.slice(from);
  const wordEnds = [...rest.matchAll(/[\p{L}\p{N}'’]+/gu)].slice(0, MAX_TITLE_WORDS).map((w) => w.index + w[0].length);
  // Longest first, and only past the cut: within it, the phrase is looked up as before.
  for (const end of wordEnds.reverse()) {
    const named = rest.slice(0, end);
    if (named.trim().length <= phrase.length) break;
    if (lookup.isExactTitle(named)) return named.trim();
  }
  return phrase;
}

function readPeople(r: Reader, intent: SearchIntent, lookup: CatalogLookup): void {
  const triggers: Array<[RegExp, 'director' | 'cast' | 'any']> = [
    [/\b(?:directed by|from director|director|by director)\s+/, 'director'],
    [/\b(?:starring|featuring|with actor|with actress|with)\s+/, 'cast'],
    [/\bby\s+/, 'director'],
  ];
  for (const [re, role] of triggers) {
    for (const m of r.matches(re)) {
      const phrase = phraseAfter(r.text, m.index + m[0].length)
        .split(/\s+/)
        .slice(0, 4)
        .join(' ');
      if (!phrase) continue;
      // Longest prefix of the phrase the catalog knows as a person ("tom hanks movies" → "tom hanks").
      const words = phrase.split(' ');
      for (let n = words.length; n >= 1; n--) {
        const name = words.slice(0, n).join(' ');
        if (STOPWORDS.has(name)) break;
        const person = lookup.findPerson(name, role);
        if (!person) continue;
        const end = m.index + m[0].length + name.length;
        if (!r.free(m.index, end)) break;
        r.claim(m.index, end, 'person', `${person.name} (${person.role === 'director' ? 'director' : 'cast'})`);
        intent.people.push(person);
        break;
      }
    }
  }
}

const ASKS_HORROR =
  /\b(?:horror|slashers?|scary|scarier|scariest|creepy|spooky|terrifying|frightening|chilling|haunting)\b/;

/**
 * A negation and the words it may apply to: one or two ("not true crime"), then one alone, for a negation whose next
 * word is already read ("not horror [on netflix]" had been no negation at all, and "horror" a genre asked for).
 */
const NEGATIONS = [
  /\b(?:not|no|without|nothing|non|except|but not|excluding)[- ](?:too |very |a |an |any )?([a-z+-]+(?: [a-z]+)?)/,
  /\b(?:not|no|without|nothing|non|except|but not|excluding)[- ](?:too |very |a |an |any )?([a-z+-]+)/,
];

function readNegations(r: Reader, intent: SearchIntent, lookup: CatalogLookup): void {
  for (const pattern of NEGATIONS) for (const m of r.matches(pattern)) readNegation(r, intent, lookup, m);
}

function readNegation(r: Reader, intent: SearchIntent, lookup: CatalogLookup, m: RegExpExecArray): void {
  const words = m[1]!;
  for (const [re, genres] of GENRE_WORDS) {
    const g = re.exec(words);
    if (g && g.index === 0) {
      const end = m.index + m[0].length - (words.length - g[0].length);
      r.claim(m.index, end, 'exclude-genre', genres.join(', '));
      for (const x of genres) if (!intent.excludeGenres.includes(x)) intent.excludeGenres.push(x);
      break;
    }
  }
  if (r.free(m.index, m.index + 1)) {
    for (const [re, code] of NATIONALITIES) {
      const g = re.exec(words);
      if (g && g.index === 0) {
        r.claim(m.index, m.index + m[0].length - (words.length - g[0].length), 'exclude-country', code);
        intent.excludeCountries.push(code);
        break;
      }
    }
  }
  const scary = /^(?:scary|horror|violent|violence|gore|gory)[a-z]*/.exec(words);
  if (r.free(m.index, m.index + 1) && scary && !intent.excludeGenres.includes('horror')) {
    // Only up to the scary word: "not too scary [for a 10 year old]" leaves the age to be read.
    const end = m.index + m[0].length - (words.length - scary[0].length);
    // "horror, not too gory" wants horror: the softener cannot be checked, and excluding horror would empty the answer.
    const elsewhere = r.text.slice(0, m.index) + r.text.slice(end);
    if (/\b(?:not|nothing) (?:too|very) /.test(m[0]) && ASKS_HORROR.test(elsewhere)) {
      r.skip(m.index, end);
      intent.notUnderstood.push({
        text: r.text.slice(m.index, end),
        reason: 'the catalog does not say how gory or scary a title is, so it was not used as a filter',
      });
      return;
    }
    r.claim(m.index, end, 'exclude-genre', 'horror');
    intent.excludeGenres.push('horror');
  }
  if (r.free(m.index, m.index + 1)) excludeGenreTypo(r, intent, lookup, m.index, m[0].length - words.length);
}

/** "no horor": a misspelt genre after a negation is excluded, never left to be read later as a genre asked for. */
function excludeGenreTypo(r: Reader, intent: SearchIntent, lookup: CatalogLookup, start: number, lead: number): void {
  const word = /^[a-z]+/.exec(r.text.slice(start + lead))?.[0] ?? '';
  const typo = genreTypo(word, (w) => lookup.isKnownWord(w));
  if (!typo) return;
  r.claim(start, start + lead + word.length, 'exclude-genre', corrected(typo));
  for (const g of typo.genres) if (!intent.excludeGenres.includes(g)) intent.excludeGenres.push(g);
  noteTypo(intent, typo);
}

function readMaturity(r: Reader, intent: SearchIntent): void {
  const rules: Array<[RegExp, number, string]> = [
    [
      /\b(?:for |with )?(?:the |my |little |young )?(?:kids?|children|toddlers?|little ones)(?:[- ]friendly)?\b|\bkid[- ]friendly\b|\bchild[- ]friendly\b/,
      7,
      'suitable from 7 or younger',
    ],
    [
      /\b(?:for |with )?(?:the |my )?(?:whole )?family(?:[- ]friendly)?\b|\ball ages\b/,
      10,
      'suitable from 10 or younger',
    ],
    [/\b(?:for |with )?(?:my )?(?:teens?|teenagers)\b/, 13, 'suitable from 13 or younger'],
  ];
  const limit = (start: number, end: number, age: number, words: string) => {
    r.claim(start, end, 'maturity', words);
    intent.maxAge = Math.min(intent.maxAge ?? 99, age);
  };
  // A child's age first: "for a 7 year old" had been "old" (classic films) and the words "7 year", so The Exorcist.
  // The unit is required ("two old friends" is no age), and an age the story is about is not the viewer's ("a
  // movie about a 12 year old boy"). "ages 8-12" suits the youngest; "ice age 2" is a title.
  for (const m of r.matches(
    /\b(?:for |with )?(?:an? |my |our |the )?(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[- ](?:years?|yrs?)[- ]olds?\b|\b(?:for )?ages (\d{1,2})(?:\+| ?and (?:up|over|older)|[- ]\d{1,2}\b)?|\bfor age (\d{1,2})\b|\b(\d{1,2}) and (?:up|over|older)\b/,
  )) {
    if (/\babout (?:an? )?$/.test(r.text.slice(0, m.index))) continue;
    const said = m[1] ?? m[2] ?? m[3] ?? m[4] ?? '';
    const age = AGE_WORDS[said] ?? Number(said);
    if (age <= 18) limit(m.index, m.index + m[0].length, age, `suitable from ${age} or younger`);
  }
  // A rating label is the most it may be rated: "pg-13 action" is action a 13-year-old may see. R, NC-17 and TV-MA
  // ask for titles for adults, which a limit cannot express: they are reported, not used.
  for (const m of r.matches(
    /\b(?:rated )?(?:tv[- ](?:y7|y|g|pg|14|ma)|pg[- ]?13|nc[- ]?17|pg)(?![\w-])(?: rated)?|\brated (?:g|r)\b|\b(?:g|r)[- ]rated\b/,
  )) {
    const label = m[0]
      .replace(/\brated\b/g, '')
      .replace(/^[- ]+|[- ]+$/g, '')
      .replace(/^(pg|nc)(\d)/, '$1-$2')
      .replace(/ /g, '-')
      .toUpperCase();
    const rating = normalizeMaturity(label);
    if (rating?.minAge == null) continue;
    if (rating.minAge >= 17) {
      r.skip(m.index, m.index + m[0].length);
      intent.notUnderstood.push({
        text: m[0],
        reason: `${rating.label} asks for titles for adults; a rating can only limit how mature a title may be, so it was not used as a filter`,
      });
    } else
      limit(
        m.index,
        m.index + m[0].length,
        rating.minAge,
        `rated ${rating.label} or below (suitable from ${rating.minAge})`,
      );
  }
  for (const [re, age, words] of rules) {
    for (const m of r.matches(re)) limit(m.index, m.index + m[0].length, age, words);
  }
}

/** The words of a text as searched: letters, digits and inner apostrophes, hyphens and pluses. */
function words(text: string): string[] {
  return text
    .split(/[^\p{L}\p{N}'+-]+/u)
    .map((w) => w.replace(/^['-]+|['-]+$/g, ''))
    .filter(Boolean);
}

const AGE_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
};

function toMinutes(amount: string, unit: string): number {
  const n = NUMBER_WORDS[amount] ?? Number(amount);
  return Math.round(/^h/.test(unit) ? n * 60 : n);
}

/**
 * "what's leaving netflix", "leaving soon", "last chance to watch": titles whose offer ends within 30 days, 7 with
 * "this week" or "in the next week", 14 with "next week", 60 with "next month". Only "leaving/expiring/going away
 * soon", "ending soon" and "last chance to watch" stand alone; the other words need a service, "soon", a week or
 * month, or the end of the query beside them: "Leaving Las Vegas" and "Last Chance U" stay titles, and a "twist
 * ending" is a story.
 */
function readLeaving(r: Reader, intent: SearchIntent): void {
  const serviceAt = (at: number) =>
    r.spans.some((s) => (s.kind === 'service' || s.kind === 'my-services') && s.start >= at && s.start <= at + 1);
  let asked = false;
  for (const m of r.matches(
    /\b(?:leaving|expiring|going away)(?: soon)?\b|\bending soon\b|\blast chance(?: to (?:watch|see))?\b|\babout to (?:leave|expire)\b/,
  )) {
    const end = m.index + m[0].length;
    const alone = /soon$|^last chance to/.test(m[0]);
    if (
      !alone &&
      !/^\s*(?:$|[,.?!]|(?:this|next|in the next) (?:week|month)\b)/.test(r.text.slice(end)) &&
      !serviceAt(end)
    )
      continue;
    r.claim(m.index, end, 'leaving', 'an offer ends soon');
    asked = true;
  }
  if (!asked) return;
  let days = 30;
  for (const m of r.matches(/\b(?:(?:in )?the next|this|next) (week|month)\b/)) {
    days = m[0].startsWith('next') ? (m[1] === 'week' ? 14 : 60) : m[1] === 'week' ? 7 : 30;
    r.claim(m.index, m.index + m[0].length, 'leaving', `within ${days} days`);
  }
  intent.leavingWithinDays = days;
  for (const sp of r.spans)
    if (sp.kind === 'leaving' && sp.value === 'an offer ends soon') sp.value = `an offer ends within ${days} days`;
}

/**
 * "free movies", "watch for free", "free with ads", "no subscription": titles with a free or ad-supported offer.
 * "free" alone only before a kind of title or after "something/anything/watch": "Free Guy" and "Free Willy" are titles.
 */
function readFree(r: Reader, intent: SearchIntent): void {
  for (const m of r.matches(
    /\b(?:for free|free to (?:watch|stream)|free with ads|ad[- ]supported|with ads|(?:no|without an?y?) subscriptions?|free(?= (?:movies?|films?|shows?|series|stuff|streaming|tv|anime|documentar(?:y|ies)|comed(?:y|ies)|horror)\b)|(?:something|anything|watch) free)\b/,
  )) {
    r.claim(m.index, m.index + m[0].length, 'free', 'a free or ad-supported offer');
    intent.freeOnly = true;
  }
}

/**
 * "with english subtitles", "dubbed", "french dub": the catalog lists the languages spoken, not subtitles or dubs, so
 * the phrase is reported and taken out before people ("with english" had found the director John English) and
 * nationalities ("spanish subtitles" is no Spanish title) are read.
 */
function readSubtitles(r: Reader, intent: SearchIntent): void {
  for (const m of r.matches(
    /\b(?:with |in )?(?:(?:english|spanish|french|german|italian|portuguese|japanese|korean|chinese|mandarin|cantonese|hindi|arabic|russian|turkish|polish|dutch|swedish|danish|norwegian|thai) )?(?:subtitles?|subtitled|subs|dubbed|dubs?|closed captions?)\b/,
  )) {
    r.skip(m.index, m.index + m[0].length);
    intent.notUnderstood.push({
      text: m[0],
      reason: 'the catalog does not list subtitles or dubs (only the languages spoken), so it was not used as a filter',
    });
  }
}

/**
 * Who watches along says nothing about the title ("something to watch with my girlfriend"). Only as a phrase: "Friends"
 * and "The Good Wife" are titles, so the words alone stay searchable.
 */
function readCompany(r: Reader): void {
  for (const m of r.matches(
    /\b(?:with|for) (?:my |our |the )?(?:girl ?friend|boy ?friend|partner|wife|husband|friends|roommates?|date)\b/,
  ))
    r.skip(m.index, m.index + m[0].length);
}

function readRuntime(r: Reader, intent: SearchIntent): void {
  const num = '(\\d+(?:\\.\\d+)?|an?|one|two|three|four)';
  const unit = '(hours?|hrs?|h|minutes?|mins?|m)\\b';
  // "an hour and a half", "1 and a half hours", "2½ hours" is not typed: the half comes before or after the unit.
  const half = '(?:\\s+and a half)?';
  for (const m of r.matches(
    new RegExp(
      `\\b(?:under|less than|shorter than|below|at most|max(?:imum)?|no more than|within|up to)\\s+${num}\\s*(?:and a half\\s+)?${unit}${half}(?: long)?`,
    ),
  )) {
    let minutes = toMinutes(m[1]!, m[2]!);
    if (/and a half/.test(m[0])) minutes += 30;
    r.claim(m.index, m.index + m[0].length, 'runtime', `≤ ${minutes} min`);
    intent.runtimeMax = Math.min(intent.runtimeMax ?? 10_000, minutes);
  }
  for (const m of r.matches(
    new RegExp(
      `\\b(?:over|more than|longer than|at least|above)\\s+${num}\\s*(?:and a half\\s+)?${unit}${half}(?: long)?`,
    ),
  )) {
    let minutes = toMinutes(m[1]!, m[2]!);
    if (/and a half/.test(m[0])) minutes += 30;
    r.claim(m.index, m.index + m[0].length, 'runtime', `≥ ${minutes} min`);
    intent.runtimeMin = Math.max(intent.runtimeMin ?? 0, minutes);
  }
  // Spelled out: "about 100 m sprint" is no runtime.
  const wordUnit = '(hours?|hrs?|minutes?|mins?)\\b';
  // A length said plainly ("90 minute movies", "a 2 hour movie", "about an hour and a half") is about that long:
  // within a quarter of an hour either way. Plain numbers need "about" or a kind of title or the end after them,
  // so "24 hour party people" stays words.
  for (const m of r.matches(
    new RegExp(
      `\\b(?:(?:about|around|roughly|approximately)\\s+${num}\\s*(?:and a half\\s+)?${wordUnit}${half}(?:[- ]long)?|(\\d+(?:\\.\\d+)?|an?|one|two|three)[- ]?(?:and a half[- ])?${wordUnit}(?:[- ]and a half)?(?:[- ]long)?(?=$|[,.?!]|${LENGTH_KIND}))`,
    ),
  )) {
    let minutes = m[1] ? toMinutes(m[1], m[2]!) : toMinutes(m[3]!, m[4]!);
    if (/and a half/.test(m[0])) minutes += 30;
    if (minutes < 15 || minutes > 600) continue;
    const lo = minutes - 15;
    const hi = minutes + 15;
    r.claim(m.index, m.index + m[0].length, 'runtime', `about ${minutes} min (${lo}–${hi})`);
    intent.runtimeMin = Math.max(intent.runtimeMin ?? 0, lo);
    intent.runtimeMax = Math.min(intent.runtimeMax ?? 10_000, hi);
  }
}

/**
 * A short film runs ≤ 95 min; a short series has episodes of ≤ 30 min (a sitcom's length), so read the type first.
 * A type the request asks for wins over the query's, as it does for the type filter.
 */
function readShortness(r: Reader, intent: SearchIntent, requested?: 'movie' | 'series'): void {
  const series = (requested ?? intent.type) === 'series';
  // "Not too long" is looser than "short": a film of two hours at most, a series of episodes of an hour at most.
  const notLong = series ? 60 : 120;
  for (const m of r.matches(/\b(?:not|nothing) (?:too |very |that |so |overly )?long\b(?! ago\b)/)) {
    r.claim(m.index, m.index + m[0].length, 'runtime', `≤ ${notLong} min`);
    intent.runtimeMax = Math.min(intent.runtimeMax ?? 10_000, notLong);
  }
  // "Not too short" is no limit the rules read; it must not become "short" either.
  for (const m of r.matches(/\b(?:not|nothing) (?:too |very |that |so |overly )?(?:short|quick|brief)\b/)) {
    r.skip(m.index, m.index + m[0].length);
    intent.notUnderstood.push({
      text: m[0],
      reason: 'a minimum length is read from a number ("over 90 minutes"), so this was not used as a filter',
    });
  }
  const most = series ? 30 : 95;
  for (const m of r.matches(/\b(?:short|quick|a quick one|something quick|brief)\b/)) {
    r.claim(m.index, m.index + m[0].length, 'runtime', `≤ ${most} min`);
    intent.runtimeMax = Math.min(intent.runtimeMax ?? 10_000, most);
  }
}

/**
 * Words about how good or how liked a title is. The catalog holds no ratings or awards, only popularity (how many
 * people voted for a title), which already orders every answer without other words: "popular" is met by it, and
 * "highly rated" or "oscar winning" are said to be read as popular, rather than searched as words ("a movie everyone
 * loves" found titles with "loves" in their description).
 */
function readQuality(r: Reader, intent: SearchIntent): void {
  // Not after "not" or "less": "not too popular" is no request for popularity.
  for (const m of r.matches(
    /(?<!\b(?:not|less|un)(?: too| very| so)? ?)\b(?:(?:the )?most popular|popular|everyone loves|crowd[- ]pleas(?:er|ers|ing)|must[- ]see)\b/,
  )) {
    r.skip(m.index, m.index + m[0].length);
  }
  const unknown: Array<[RegExp, string]> = [
    [
      /\b(?:highly[- ]rated|top[- ]rated|best[- ]rated|well[- ]reviewed|(?:critically )?acclaimed|great reviews)\b/,
      'the catalog has no ratings or reviews; more popular titles rank higher instead',
    ],
    [
      /\b(?:(?:oscar|academy award|emmy|award)[- ]winn(?:ing|ers?)|(?:won|winners? of) (?:an? |the )?(?:oscars?|academy awards?|emmys?|awards?))\b/,
      'the catalog has no awards; more popular titles rank higher instead',
    ],
  ];
  for (const [re, reason] of unknown)
    for (const m of r.matches(re)) {
      r.skip(m.index, m.index + m[0].length);
      intent.notUnderstood.push({ text: m[0], reason });
    }
}

function decadeStart(d: string): number {
  const two = Number(d.slice(-2));
  if (d.length === 4) return Number(d);
  return two <= 20 ? 2000 + two : 1900 + two;
}

function readYears(r: Reader, intent: SearchIntent, lookup: CatalogLookup): void {
  const setFrom = (y: number) => {
    intent.yearFrom = Math.max(intent.yearFrom ?? 0, y);
  };
  const setTo = (y: number) => {
    intent.yearTo = Math.min(intent.yearTo ?? 9999, y);
  };
  for (const m of r.matches(/\bbetween (\d{4}) and (\d{4})\b|\b(\d{4}) ?(?:-|–|to) ?(\d{4})\b/)) {
    const a = Number(m[1] ?? m[3]);
    const b = Number(m[2] ?? m[4]);
    r.claim(m.index, m.index + m[0].length, 'years', `${Math.min(a, b)}–${Math.max(a, b)}`);
    setFrom(Math.min(a, b));
    setTo(Math.max(a, b));
  }
  for (const m of r.matches(/\b(?:from |in |of )?(?:the )?(?:early |late |mid[- ])?['’]?((?:19|20)\d0|\d0)['’]?s\b/)) {
    const start = decadeStart(m[1]!);
    let from = start;
    let to = start + 9;
    if (/early/.test(m[0])) to = start + 3;
    if (/late/.test(m[0])) from = start + 6;
    if (/mid/.test(m[0])) {
      from = start + 3;
      to = start + 6;
    }
    r.claim(m.index, m.index + m[0].length, 'years', `${from}–${to}`);
    setFrom(from);
    setTo(to);
  }
  for (const m of r.matches(/\b(after|since|post|newer than|from|before|until|pre|older than|in)[- ](\d{4})\b/)) {
    const y = Number(m[2]);
    const w = m[1]!;
    if (w === 'after' || w === 'post' || w === 'newer than') {
      setFrom(y + 1);
      r.claim(m.index, m.index + m[0].length, 'years', `≥ ${y + 1}`);
    } else if (w === 'since') {
      setFrom(y);
      r.claim(m.index, m.index + m[0].length, 'years', `≥ ${y}`);
    } else if (w === 'before' || w === 'pre' || w === 'older than') {
      setTo(y - 1);
      r.claim(m.index, m.index + m[0].length, 'years', `≤ ${y - 1}`);
    } else if (w === 'until') {
      setTo(y);
      r.claim(m.index, m.index + m[0].length, 'years', `≤ ${y}`);
    } else {
      setFrom(y);
      setTo(y);
      r.claim(m.index, m.index + m[0].length, 'years', `${y}`);
    }
  }
  readRelativeYears(r, intent, lookup.newestYear());
  // "What's New, Scooby-Doo?" is a title: "what's new" asks for recent titles only at the end or before "on/in/to…".
  // "new" alone is recent before a kind of title ("new movies on netflix") or at the start before "on/this" ("new this
  // week"), not in a name ("New Girl", "New York").
  for (const m of r.matches(
    /\b(recent|latest|newest|new releases?|brand new|(?:what(?:'|’)?s|what is|anything|something) new(?=\s*$|\s+(?:on|in|to|for|this|at)\b|\s*[,.?!])|new(?= (?:movies?|films?|shows?|series|stuff|titles?|documentar(?:y|ies)|docs?|anime|comed(?:y|ies)|horror|thrillers?|dramas?|k-?dramas?)\b)|^new(?= (?:on|this)\b))\b/,
  )) {
    const from = lookup.newestYear() - 2;
    r.claim(m.index, m.index + m[0].length, 'years', `≥ ${from} (newest in catalog: ${lookup.newestYear()})`);
    setFrom(from);
  }
  for (const m of r.matches(/\b(classics?|(?<!(?:years?|yrs?)[- ])old(?:ies)?|vintage)\b/)) {
    r.claim(m.index, m.index + m[0].length, 'years', '≤ 1979');
    setTo(1979);
  }
}

/** How a relative date may be introduced; the words are part of what it says ("released in the last 5 years"). */
const DATE_LEAD = '((?:(?:released|made|came out|out|from|in|within|during|over|of|since) )*)';
/** A count of years, in digits or spelled out: "the last 5 years", "the past two decades", "ten years ago". */
const YEAR_COUNT = '(\\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)';
/** A span of years may also be vague: "the last couple of years" (2), "the past few years" (3). */
const YEARS_BACK =
  '(\\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|couple of|few)';
const COUNT_WORDS: Record<string, number> = { ...AGE_WORDS, a: 1, an: 1, fifteen: 15, twenty: 20, few: 3 };

function yearCount(said: string): number {
  return said === 'couple of' ? 2 : (COUNT_WORDS[said] ?? Number(said));
}

/** Relative dates the rules do not read: the future, and spans without a number ("several years", "years ago"). */
const UNREAD_RELATIVE_DATE = new RegExp(
  [
    '\\b(?:(?:released|made|coming out|out|from|in|of) )*(?:',
    '(?:the )?(?:next|coming) (?:\\w+ )?(?:years?|decades?)',
    '|(?:the )?(?:last|past|previous) (?:several|many) (?:years|decades)',
    '|(?:(?:a |some )?(?:few|several|many|couple of) )?(?:years|decades) ago|a decade ago',
    ')\\b',
  ].join(''),
);

/**
 * Dates relative to now, counted like "recent" from the newest year in the catalog (N, never past the clock's year):
 * "this year" is N, "last year" N − 1, "the last K years" (or decades) from N − K, "K years ago" N − K. The catalog's
 * N, not the calendar's: a catalog whose newest titles are from 2021 answers "this year" with 2021, and says so. "last
 * year" needs a word before it ("from", "released"), "'s", or nothing after it that could be a title's ("Last Year at
 * Marienbad"). A relative date the rules do not read ("next year", "a few decades ago") is reported, not searched.
 */
function readRelativeYears(r: Reader, intent: SearchIntent, newest: number): void {
  const years = (m: RegExpExecArray, from: number, to: number | undefined) => {
    const value = to === undefined ? `≥ ${from}` : `${from}`;
    r.claim(m.index, m.index + m[0].length, 'years', `${value} (newest in catalog: ${newest})`);
    intent.yearFrom = Math.max(intent.yearFrom ?? 0, from);
    if (to !== undefined) intent.yearTo = Math.min(intent.yearTo ?? 9999, to);
  };
  readThisOrLastYear(r, newest, years);
  readLastYears(r, newest, years);
  readYearsAgo(r, newest, years);
  reportUnreadDates(r, intent);
}

/** Claims a match as years from `from` to `to` (no upper bound when undefined). */
type ClaimYears = (m: RegExpExecArray, from: number, to: number | undefined) => void;

/** "from last year", "this year's", "released this year", "since last year". */
function readThisOrLastYear(r: Reader, newest: number, years: ClaimYears): void {
  for (const m of r.matches(new RegExp(`\\b${DATE_LEAD}(?<!\\bthe )(this|last) year(['’]s)?\\b`))) {
    const after = r.text.slice(m.index + m[0].length);
    // Without a lead word or "'s", only where a title could not go on: "Last Year at Marienbad" stays words.
    const framed = m[1] || m[3] || /^\s*(?:$|[,.;!?]|(?:on|for|with|that|and|but|not|under|over|like)\b)/.test(after);
    if (!framed) continue;
    const year = m[2] === 'this' ? newest : newest - 1;
    years(m, year, /\bsince /.test(m[1]!) ? undefined : year);
  }
}

/** "in the last 5 years", "the past two decades", "over the last year": from N − K on. */
function readLastYears(r: Reader, newest: number, years: ClaimYears): void {
  const span = `(?:${YEARS_BACK} (years|decades)|(?<=the \\w+ )(year|decade))`;
  for (const m of r.matches(new RegExp(`\\b${DATE_LEAD}(?:the )?(?:last|past|previous) ${span}\\b`))) {
    const back = (m[2] ? yearCount(m[2]) : 1) * (/decade/.test(m[3] ?? m[4]!) ? 10 : 1);
    if (back >= 1 && back <= 100) years(m, newest - back, undefined);
  }
}

/** "from 10 years ago", "a year ago": that one year. */
function readYearsAgo(r: Reader, newest: number, years: ClaimYears): void {
  for (const m of r.matches(new RegExp(`\\b${DATE_LEAD}${YEAR_COUNT} years? ago\\b`))) {
    const back = yearCount(m[2]!);
    if (back <= 100) years(m, newest - back, newest - back);
  }
}

function reportUnreadDates(r: Reader, intent: SearchIntent): void {
  for (const m of r.matches(UNREAD_RELATIVE_DATE)) {
    r.skip(m.index, m.index + m[0].length);
    intent.notUnderstood.push({
      text: m[0],
      reason:
        'the rules read this year, last year, the last N years and N years ago (from the newest year in the ' +
        'catalog); this was not used as a filter',
    });
  }
}

function readTypes(r: Reader, intent: SearchIntent): void {
  const seen = new Set<'movie' | 'series'>();
  for (const m of r.matches(
    /\b(tv shows?|tv series|shows|series|seasons?|episodes?|sitcoms?|miniseries|docuseries)\b|\bshow\b(?! (?:me|us)\b)/,
  )) {
    // sitcom/docuseries also say a genre: leave the word to the genre rule, only note the type.
    if (!/sitcom|docuseries/.test(m[0])) r.claim(m.index, m.index + m[0].length, 'type', 'series');
    seen.add('series');
  }
  // Something to binge is a series, with or without the word "show".
  for (const m of r.matches(/\b(binge[- ]?(?:worthy|able|watch(?:ing)?)|bingeable|bingable|to binge)\b/)) {
    r.claim(m.index, m.index + m[0].length, 'type', 'series');
    seen.add('series');
  }
  for (const m of r.matches(/\b(movies?|films?|flicks?|features?|cinema)\b/)) {
    r.claim(m.index, m.index + m[0].length, 'type', 'movie');
    seen.add('movie');
  }
  if (seen.size === 1) intent.type = [...seen][0];
  else if (seen.size === 2) intent.notes.push('Both movies and series were asked for, so type is not filtered.');
}

function readMoodsAndGenres(r: Reader, intent: SearchIntent): void {
  for (const mood of MOODS) {
    for (const m of r.matches(mood.pattern)) {
      r.claim(m.index, m.index + m[0].length, 'mood', `${mood.mood} → any of ${mood.anyOf.join(', ')}`);
      if (!intent.moods.some((x) => x.mood === mood.mood))
        intent.moods.push({ mood: mood.mood, anyOf: mood.anyOf, keywords: mood.keywords });
    }
  }
  for (const [re, code, lang] of NATIONALITIES) {
    for (const m of r.matches(re)) {
      r.claim(m.index, m.index + m[0].length, 'country', lang ? `${code} or language ${lang}` : code);
      if (!intent.countries.includes(code)) intent.countries.push(code);
      if (lang && !intent.languages.includes(lang)) intent.languages.push(lang);
      // "k-drama" is also a genre word: keep it for the genre rule too.
      if (/k[- ]?drama/.test(m[0]) && !intent.genres.includes('drama')) intent.genres.push('drama');
    }
  }
  for (const [re, genres] of GENRE_WORDS) {
    for (const m of r.matches(re)) {
      r.claim(m.index, m.index + m[0].length, 'genre', genres.join(', '));
      for (const g of genres) if (!intent.genres.includes(g)) intent.genres.push(g);
    }
  }
}

/**
 * A misspelt genre word ("comdies", "horor movies", "comedys") is that genre, said in the span and in a note. Last of
 * all, on the words no rule read: a word any rule reads as typed is never taken for a typo. Nor when those words,
 * two or more, name a title (as "like X" does, SPEC Q13): "documentry now" is Documentary Now! mistyped, a comedy,
 * and "scream quees" Scream Queens, not queer titles.
 */
function readGenreTypos(r: Reader, intent: SearchIntent, lookup: CatalogLookup): void {
  const typos: Array<{ at: number; typo: GenreTypo }> = [];
  for (const m of r.matches(/\b[a-z]{5,}\b/)) {
    const typo = genreTypo(m[0], (w) => lookup.isKnownWord(w));
    if (typo) typos.push({ at: m.index, typo });
  }
  if (typos.length === 0) return;
  const unread = words(r.remainder());
  if (unread.length >= 2 && lookup.findTitle(unread.join(' '))) return;
  for (const { at, typo } of typos) {
    r.claim(at, at + typo.typed.length, 'genre', corrected(typo));
    for (const g of typo.genres) if (!intent.genres.includes(g)) intent.genres.push(g);
    noteTypo(intent, typo);
  }
}

/** A span's value for a corrected genre word: the genres, and how the word was read. */
function corrected(typo: GenreTypo): string {
  return `${typo.genres.join(', ')} (read "${typo.typed}" as "${typo.spelling}")`;
}

function noteTypo(intent: SearchIntent, typo: GenreTypo): void {
  intent.notes.push(`"${typo.typed}" was read as "${typo.spelling}".`);
}

function checkContradictions(intent: SearchIntent): void {
  const both = intent.genres.filter((g) => intent.excludeGenres.includes(g));
  if (both.length) intent.notes.push(`"${both.join(', ')}" is both asked for and excluded, so nothing can match.`);
  if (intent.yearFrom !== undefined && intent.yearTo !== undefined && intent.yearFrom > intent.yearTo) {
    intent.notes.push(
      `The years contradict each other (from ${intent.yearFrom} to ${intent.yearTo}), so nothing can match.`,
    );
  }
  if (intent.runtimeMin !== undefined && intent.runtimeMax !== undefined && intent.runtimeMin > intent.runtimeMax) {
    intent.notes.push(
      `The runtime limits contradict each other (≥ ${intent.runtimeMin} and ≤ ${intent.runtimeMax} min), ` +
        `so nothing can match.`,
    );
  }
  const svc = intent.services.filter((s) => intent.excludeServices.includes(s));
  if (svc.length) intent.notes.push(`"${svc.join(', ')}" is both asked for and excluded, so nothing can match.`);
}

/** Reads a query (already length-checked by the caller) into a SearchIntent. Never throws on text. */
export function parseQuery(
  query: string,
  lookup: CatalogLookup,
  asked: { type?: 'movie' | 'series' | undefined } = {},
): SearchIntent {
  const intent = emptyIntent();
  // Lower-casing can change the length of some scripts; spans index this normalised text.
  const text = query.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  // A title typed by its full name is a lookup, not constraints: "Family Guy" is no family filter, "PG: Psycho
  // Goreman" no rating, "The Most Fun You Can Have Dying" no light mood. One word alone ("Kids", "Comedy") is read.
  if (text.includes(' ') && lookup.isExactTitle(text)) {
    intent.text = words(text).join(' ');
    intent.confidence = 1;
    return intent;
  }
  const r = new Reader(text);
  readAnchors(r, intent, lookup);
  readServices(r, intent);
  readLeaving(r, intent);
  readFree(r, intent);
  readSubtitles(r, intent);
  readPeople(r, intent, lookup);
  readNegations(r, intent, lookup);
  readMaturity(r, intent);
  readCompany(r);
  readRuntime(r, intent);
  readYears(r, intent, lookup);
  readTypes(r, intent);
  readShortness(r, intent, asked.type);
  readQuality(r, intent);
  readMoodsAndGenres(r, intent);
  readGenreTypos(r, intent, lookup);
  checkContradictions(intent);

  const restWords = words(r.remainder());
  // A title typed by its full name keeps its common words: "The Good Place" is not a search for "place".
  // Only for a name of two words or more, or a query that is nothing but a name: "good horror movies" leaves "good",
  // which is also some film's title, and is not a search for it.
  const wholeQuery = r.spans.length === 0 && intent.notUnderstood.length === 0;
  const typedTitle = (restWords.length > 1 || wholeQuery) && lookup.isExactTitle(restWords.join(' '));
  const meaningful = typedTitle ? restWords : restWords.filter((w) => !STOPWORDS.has(w));
  intent.text = meaningful.join(' ');
  intent.spans = r.spans.sort((a, b) => a.start - b.start);
  // Words in no script we index (emoji, symbols) cannot be searched: say so.
  const unreadable = query.match(/[\p{Extended_Pictographic}]/gu);
  if (unreadable)
    intent.notUnderstood.push({
      text: unreadable.join(''),
      reason: 'emoji and symbols are not searchable; they were ignored',
    });
  const total = intent.spans.length + meaningful.length + intent.notUnderstood.length;
  intent.confidence =
    total === 0 ? 0 : Math.round(((intent.spans.length + meaningful.length * 0.6) / total) * 100) / 100;
  return intent;
}

export type { Genre };
