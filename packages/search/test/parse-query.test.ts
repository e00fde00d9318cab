import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CatalogEntry, parseQuery, TitleCatalog } from '../src/index.ts';
import { GENRE_SPELLINGS } from '../src/understand/lexicon.ts';
import { bareEntry } from './catalog-entries.ts';

/** A real TitleCatalog holding a few entries (no database needed for parsing). */
function catalog(): TitleCatalog {
  const c = new TitleCatalog();
  const rows: Array<Partial<CatalogEntry> & { id: string; title: string }> = [
    { id: 'mg_aaaaaaaaaaaa', title: 'Stranger Things', kind: 'series', year: 2016, popularity: 6 },
    {
      id: 'mg_bbbbbbbbbbbb',
      title: 'Inception',
      kind: 'movie',
      year: 2010,
      popularity: 6,
      directors: ['Christopher Nolan'],
    },
    {
      id: 'mg_cccccccccccc',
      title: 'Interstellar',
      kind: 'movie',
      year: 2014,
      popularity: 6,
      directors: ['Christopher Nolan'],
    },
    { id: 'mg_dddddddddddd', title: 'Cast Away', kind: 'movie', year: 2000, popularity: 5, cast: ['Tom Hanks'] },
    { id: 'mg_eeeeeeeeeeee', title: 'Mad Max: Fury Road', kind: 'movie', year: 2015, popularity: 5 },
    { id: 'mg_ffffffffffff', title: 'The Good Place', kind: 'series', year: 2016, popularity: 5 },
    { id: 'mg_gggggggggggg', title: 'Good', kind: 'movie', year: 2008, popularity: 2 },
    // Titles whose names hold constraint words, and a director whose surname is a language (no years: "recent"
    // counts from the newest year above).
    { id: 'mg_hhhhhhhhhhhh', title: 'Family Guy', kind: 'series', year: null, popularity: 5 },
    { id: 'mg_iiiiiiiiiiii', title: 'PG: Psycho Goreman', kind: 'movie', year: null, popularity: 2 },
    { id: 'mg_jjjjjjjjjjjj', title: 'The Most Fun You Can Have Dying', kind: 'movie', year: null, popularity: 1 },
    { id: 'mg_kkkkkkkkkkkk', title: 'Last Chance U', kind: 'series', year: null, popularity: 3 },
    { id: 'mg_llllllllllll', title: 'Ice Age 2', kind: 'movie', year: null, popularity: 3 },
    {
      id: 'mg_mmmmmmmmmmmm',
      title: 'Rio Grande',
      kind: 'movie',
      year: null,
      popularity: 1,
      directors: ['John English'],
    },
    {
      id: 'mg_nnnnnnnnnnnn',
      title: 'Arizona Days',
      kind: 'movie',
      year: null,
      popularity: 1,
      directors: ['John English'],
    },
  ];
  for (const r of rows) c.upsert(bareEntry(r));
  return c;
}

describe('parseQuery', () => {
  const cat = catalog();
  it('[Q1][Q4][Q6][Q8][Q13] scary movies like Stranger Things on Netflix under 2 hours', () => {
    const i = parseQuery('scary movies like Stranger Things on Netflix under 2 hours', cat);
    assert.deepEqual(i.services, ['netflix']);
    assert.equal(i.type, 'movie');
    assert.equal(i.moods[0]?.mood, 'scary');
    assert.equal(i.runtimeMax, 120);
    assert.equal(i.like[0]?.titleId, 'mg_aaaaaaaaaaaa');
    assert.equal(i.text, '');
  });
  it('[Q8] "short" is a short film, or a series of short episodes', () => {
    assert.equal(parseQuery('a short comedy', cat).runtimeMax, 95);
    assert.equal(parseQuery('short movies', cat).runtimeMax, 95);
    assert.equal(parseQuery('short comedy series', cat).runtimeMax, 30);
    assert.equal(parseQuery('a quick show to watch', cat).runtimeMax, 30);
    assert.equal(parseQuery('short series under 20 minutes', cat).runtimeMax, 20);
    // The request's type field wins over the query's, for "short" as for the filter.
    assert.equal(parseQuery('short comedies', cat, { type: 'series' }).runtimeMax, 30);
    assert.equal(parseQuery('short comedy series', cat, { type: 'movie' }).runtimeMax, 95);
  });
  it('[Q1] "max" alone is not HBO Max; "on max" is', () => {
    assert.deepEqual(parseQuery('mad max', cat).services, []);
    assert.deepEqual(parseQuery('comedies on max', cat).services, ['max']);
    assert.deepEqual(parseQuery('anything on disney+', cat).services, ['disney-plus']);
  });
  it('[Q3] an unknown service is reported, not filtered', () => {
    const i = parseQuery('horror on foobarflix', cat);
    assert.deepEqual(i.services, []);
    assert.match(i.notUnderstood[0]!.reason, /foobarflix/);
  });
  it('[Q5][Q7][Q11] korean dramas / feel-good 90s comedies', () => {
    const k = parseQuery('korean dramas', cat);
    assert.deepEqual(k.countries, ['KR']);
    assert.deepEqual(k.genres, ['drama']);
    const f = parseQuery('feel-good 90s comedies on hulu', cat);
    assert.equal(f.yearFrom, 1990);
    assert.equal(f.yearTo, 1999);
    assert.deepEqual(f.genres, ['comedy']);
    assert.deepEqual(f.services, ['hulu']);
  });
  it('[Q7] after/before/recent', () => {
    assert.equal(parseQuery('thrillers after 2015', cat).yearFrom, 2016);
    assert.equal(parseQuery('westerns before 1970', cat).yearTo, 1969);
    assert.equal(parseQuery('recent anime', cat).yearFrom, 2014);
  });
  it('[Q12] "not too gory" softens a horror query instead of excluding horror', () => {
    for (const q of [
      'horror not too gory',
      'a horror movie but not too violent',
      'spooky films, not very scary',
      'a haunting film, nothing too gory',
    ]) {
      const i = parseQuery(q, cat);
      assert.deepEqual(i.excludeGenres, [], q);
      assert.equal(i.notes.length, 0, q);
      assert.match(i.notUnderstood[0]?.reason ?? '', /not used as a filter/, q);
      assert.equal(i.text, '', q);
    }
    assert.deepEqual(parseQuery('a thriller, not too scary', cat).excludeGenres, ['horror']);
    assert.deepEqual(parseQuery('a comedy without gore', cat).excludeGenres, ['horror']);
  });
  it('[Q7][Q14] "what\'s new on netflix" asks for recent titles, not the word "what\'s"', () => {
    // Inside a title it is the title: "What's New, Scooby-Doo?" has no year constraint.
    assert.equal(parseQuery("what's new scooby doo", cat).yearFrom, undefined);
    const i = parseQuery("what's new on netflix", cat);
    assert.deepEqual(i.services, ['netflix']);
    assert.ok(i.yearFrom !== undefined);
    assert.equal(i.text, '');
    const funnier = parseQuery('a movie like inception but funnier', cat);
    assert.equal(funnier.text, '');
    assert.equal(funnier.moods[0]?.mood, 'funny');
    assert.equal(parseQuery('something to watch with my girlfriend', cat).text, '');
    // Only as a phrase: the words alone can be a title's.
    assert.equal(parseQuery('friends', cat).text, 'friends');
    assert.equal(parseQuery('a comedy to watch with friends', cat).text, '');
  });
  it('[Q4][Q6] everyday phrasings are moods and types, not search words', () => {
    const moods: Array<[string, string]> = [
      ['something light', 'light'],
      ['a fun movie', 'light'],
      ['popcorn movie for tonight', 'light'],
      ['light comedy', 'light'],
      ['lazy sunday', 'cozy'],
      ['a rainy day movie', 'cozy'],
      ['something to fall asleep to', 'cozy'],
      ['background tv', 'cozy'],
      ['a good cry', 'sad'],
    ];
    for (const [q, mood] of moods) {
      const i = parseQuery(q, cat);
      assert.deepEqual(
        i.moods.map((m) => m.mood),
        [mood],
        q,
      );
      assert.equal(i.text, '', q);
    }
    assert.deepEqual(parseQuery('light comedy', cat).genres, ['comedy']);
    // "light" before anything but a kind of title is a word: a title's, or a search word.
    assert.deepEqual(parseQuery('northern lights', cat).moods, []);
    assert.deepEqual(parseQuery('light years', cat).moods, []);
    for (const q of ['a binge-worthy show', 'something bingeable', 'bingable shows', 'what to binge this weekend']) {
      assert.equal(parseQuery(q, cat).type, 'series', q);
    }
  });
  it("[Q9] a child's age and a rating label are the most a title may be rated", () => {
    const ages: Array<[string, number]> = [
      ['movies for a 7 year old', 7],
      ['something for my 7-year-old', 7],
      ['for a seven year old', 7],
      ['cartoons for 10 year olds', 10],
      ['ages 8+', 8],
      ['films for ages 6 and up', 6],
      ['pg-13 action', 13],
      ['pg 13 movies', 13],
      ['rated pg comedies', 10],
      ['g rated movies', 0],
      ['tv-14 shows', 14],
      ['tv-y7 cartoons', 7],
    ];
    for (const [q, age] of ages) {
      const i = parseQuery(q, cat);
      assert.equal(i.maxAge, age, q);
      assert.equal(i.yearTo, undefined, `${q}: "old" is an age here, not classic films`);
      assert.equal(i.text, '', q);
    }
    // Not an age: a title's words, and a grown-up's age.
    const virgin = parseQuery('the 40 year old virgin', cat);
    assert.deepEqual([virgin.maxAge, virgin.yearTo], [undefined, undefined]);
    assert.equal(parseQuery('old movies', cat).yearTo, 1979);
  });
  it('[Q7] "new" before a kind of title, or "new this week", is recent; not inside a name', () => {
    for (const q of ['new movies on netflix', 'new comedy series', 'new this week', 'new on hulu'])
      assert.ok(parseQuery(q, cat).yearFrom !== undefined, q);
    for (const q of ['new girl', 'the new pope', 'new in town'])
      assert.equal(parseQuery(q, cat).yearFrom, undefined, q);
    assert.equal(parseQuery('new this week', cat).text, '');
    assert.equal(parseQuery('what to watch this weekend', cat).text, '');
  });
  it('[Q17] subtitles and dubs are said to be unknown, not searched as words', () => {
    const i = parseQuery('korean dramas with english subtitles', cat);
    assert.deepEqual(i.countries, ['KR']);
    assert.equal(i.text, '');
    assert.match(i.notUnderstood[0]?.reason ?? '', /does not list subtitles or dubs/);
    assert.deepEqual(parseQuery('dubbed anime', cat).genres, ['anime']);
  });
  it("[Q18] 'leaving' is about offers that end, but not inside a title", () => {
    const cases: Array<[string, number, string[]]> = [
      ["what's leaving netflix", 30, ['netflix']],
      ['movies leaving hulu this week', 7, ['hulu']],
      ['leaving soon', 30, []],
      ['last chance to watch on max', 30, ['max']],
      ['comedies expiring soon', 30, []],
    ];
    for (const [q, days, services] of cases) {
      const i = parseQuery(q, cat);
      assert.equal(i.leavingWithinDays, days, q);
      assert.deepEqual(i.services, services, q);
      assert.equal(i.text, '', q);
    }
    for (const q of ['leaving las vegas', 'leaving neverland']) {
      const i = parseQuery(q, cat);
      assert.equal(i.leavingWithinDays, undefined, q);
      assert.match(i.text, /^leaving /, q);
    }
    for (const q of ['twist ending', 'a movie with a happy ending'])
      assert.equal(parseQuery(q, cat).leavingWithinDays, undefined, q);
  });
  it('[Q19] "free" asks for free or ad-supported offers, but not inside a title', () => {
    for (const q of [
      'free movies',
      'watch for free',
      'free horror on tubi',
      'something free tonight',
      'movies with ads',
    ])
      assert.equal(parseQuery(q, cat).freeOnly, true, q);
    for (const q of ['free guy', 'free willy on netflix', 'born free', 'free solo documentary'])
      assert.equal(parseQuery(q, cat).freeOnly, undefined, q);
  });
  it('[Q14] a title typed by its full name is a lookup: its words set no constraint', () => {
    for (const q of ['family guy', 'pg: psycho goreman', 'the most fun you can have dying', 'last chance u']) {
      const i = parseQuery(q, cat);
      assert.deepEqual(
        [i.maxAge, i.moods, i.leavingWithinDays, i.type, i.spans],
        [undefined, [], undefined, undefined, []],
        q,
      );
      assert.ok(i.text.length > 0, q);
    }
    // Inside longer text, or one word alone, the rules still read them.
    assert.equal(parseQuery('family guy on hulu', cat).maxAge, 10);
  });
  it('[Q9][Q17][Q18] words that look like constraints but are not (review of session 19)', () => {
    const none = (q: string) => {
      const i = parseQuery(q, cat);
      return [i.maxAge, i.leavingWithinDays, i.people];
    };
    // "last chance" needs "to watch", a service, "soon", a week or the end; "about to leave" too.
    assert.deepEqual(none('last chance harvey'), [undefined, undefined, []]);
    assert.deepEqual(none('a soldier about to leave for war'), [undefined, undefined, []]);
    // An age needs its unit; a story's age is not the viewer's; "ice age 2" is a title's words.
    assert.deepEqual(none('a movie about two old friends'), [undefined, undefined, []]);
    assert.deepEqual(none('a movie about a 12 year old boy'), [undefined, undefined, []]);
    assert.deepEqual(none('ice age 2 on hulu'), [undefined, undefined, []]);
    assert.equal(parseQuery('cartoons for ages 8-12', cat).maxAge, 8);
    // "with english subtitles" is read before people: it is no film by John English.
    const subs = parseQuery('korean dramas with english subtitles', cat);
    assert.deepEqual(subs.people, []);
    assert.deepEqual(subs.countries, ['KR']);
    assert.deepEqual(parseQuery('french dubbed anime', cat).countries, []);
    // "new season of …" is no year limit on the series asked about.
    assert.equal(parseQuery('new season of stranger things', cat).yearFrom, undefined);
    // R and TV-MA ask for adult titles: reported, not a limit.
    const r = parseQuery('r-rated comedy', cat);
    assert.equal(r.maxAge, undefined);
    assert.match(r.notUnderstood[0]?.reason ?? '', /titles for adults/);
    // "fun" with a genre ranks by the word instead of adding a light-mood filter.
    assert.deepEqual(parseQuery('fun documentaries', cat).moods, []);
  });
  it('[Q14] a title typed by its full name keeps its common words', () => {
    assert.equal(parseQuery('The Good Place', cat).text, 'the good place');
    assert.equal(parseQuery('the good place on netflix', cat).text, 'the good place');
    assert.equal(parseQuery('a good place to start', cat).text, 'place start');
    // A leftover single word is a title only when it is the whole query.
    assert.equal(parseQuery('inception', cat).text, 'inception');
    assert.equal(parseQuery('good horror movies', cat).text, '');
    assert.equal(parseQuery('good', cat).text, 'good');
  });
  it('[Q7] "recent" counts from the newest year in the catalog that is not in the future, by the injected clock', () => {
    const at = (iso: string) => {
      const c = new TitleCatalog(undefined, { now: () => Date.parse(iso) });
      c.upsert(bareEntry({ id: 'mg_aaaaaaaaaaaa', title: 'Out Now', year: 2019 }));
      c.upsert(bareEntry({ id: 'mg_bbbbbbbbbbbb', title: 'Announced', year: 2030 }));
      return parseQuery('recent films', c).yearFrom;
    };
    assert.equal(at('2026-12-04T00:00:00Z'), 2017);
    assert.equal(at('2031-01-01T00:00:00Z'), 2028);
  });
  it('[Q17] words about how good a title is are read as popularity, never searched as words', () => {
    const loved = parseQuery('a movie everyone loves', cat);
    assert.equal(loved.text, '');
    assert.deepEqual(loved.notUnderstood, []);
    assert.equal(parseQuery('popular comedies', cat).text, '');
    const rated = parseQuery('highly rated horror', cat);
    assert.equal(rated.text, '');
    assert.deepEqual(rated.genres, ['horror']);
    assert.match(rated.notUnderstood[0]?.reason ?? '', /no ratings or reviews; more popular titles rank higher/);
    const oscar = parseQuery('oscar winning movies', cat);
    assert.equal(oscar.type, 'movie');
    assert.equal(oscar.text, '');
    assert.match(oscar.notUnderstood[0]?.reason ?? '', /no awards/);
    // "not too popular" is no request for popularity: the words stay.
    assert.equal(parseQuery('something not too popular', cat).text.includes('popular'), true);
  });
  it('[Q5] "stand-up comedy specials" is stand-up and "true crime" is crime documentaries, with no words left', () => {
    const standUp = parseQuery('stand-up comedy specials', cat);
    assert.deepEqual(standUp.genres, ['stand-up']);
    assert.equal(standUp.text, '');
    const trueCrime = parseQuery('true crime documentaries', cat);
    assert.deepEqual(trueCrime.genres, ['crime', 'documentary']);
    // Excluding it excludes crime, not documentaries: "a documentary but not true crime" can match.
    const notTrueCrime = parseQuery('a documentary but not true crime', cat);
    assert.deepEqual([notTrueCrime.genres, notTrueCrime.excludeGenres], [['documentary'], ['crime']]);
    assert.equal(trueCrime.text, '');
  });
  it('[Q9][Q12] a softener never swallows the age after it (review of session 20: TV-MA for a 10 year old)', () => {
    const p = parseQuery('scary but not too scary for a 10 year old', cat);
    assert.equal(p.maxAge, 10);
    assert.deepEqual(
      p.moods.map((m) => m.mood),
      ['scary'],
    );
    assert.deepEqual(
      p.notUnderstood.map((n) => n.text),
      ['but not too scary'],
    );
    assert.equal(p.text, '');
    const q = parseQuery('nothing too scary for my 8 year old', cat);
    assert.equal(q.maxAge, 8);
    assert.deepEqual(q.excludeGenres, ['horror']);
  });

  it('[Q8] an hour and a half, and lengths said plainly', () => {
    const cases: Array<[string, number | undefined, number | undefined]> = [
      ['movies shorter than an hour and a half', undefined, 90],
      ['longer than an hour and a half', 90, undefined],
      ['90 minute movies', 75, 105],
      ['a 2 hour movie', 105, 135],
      ['a comedy about 2 hours long', 105, 135],
      ['an hour and a half movie', 75, 105],
      ['90 minute documentaries', 75, 105],
    ];
    for (const [query, min, max] of cases) {
      const p = parseQuery(query, cat);
      assert.equal(p.runtimeMin, min, query);
      assert.equal(p.runtimeMax, max, query);
      assert.equal(p.text, '', query);
    }
    // A spelled-out unit only: "100 m" is a distance.
    assert.equal(parseQuery('about 100 m sprint documentary', cat).runtimeMin, undefined);
    const party = parseQuery('24 hour party people', cat);
    assert.equal(party.runtimeMax, undefined);
    assert.equal(party.text, '24 hour party people');
  });

  it('[Q1] a service named before a kind of title, alone, or after "leaving"', () => {
    const cases: Array<[string, string]> = [
      ['disney movies', 'disney-plus'],
      ['hbo shows', 'max'],
      ['apple tv shows', 'apple-tv-plus'],
      ['peacock', 'peacock'],
      ['prime', 'prime-video'],
      ["what's leaving disney", 'disney-plus'],
    ];
    for (const [query, service] of cases) assert.deepEqual(parseQuery(query, cat).services, [service], query);
    assert.equal(parseQuery("what's leaving disney", cat).leavingWithinDays, 30);
    for (const query of ['mad max movies', 'prime suspect', 'the amazon', 'amazon documentaries'])
      assert.deepEqual(parseQuery(query, cat).services, [], query);
    // A service named plainly wins over one only its place suggests: Disney films on Netflix.
    const both = parseQuery('disney movies on netflix', cat);
    assert.deepEqual(both.services, ['netflix']);
    assert.equal(both.text, 'disney');
  });

  it('[Q9][Q12] something for kids on disney+ not animated', () => {
    const i = parseQuery('something for kids on disney+ not animated', cat);
    assert.equal(i.maxAge, 7);
    assert.deepEqual(i.excludeGenres, ['animation']);
    assert.deepEqual(i.genres, []);
    assert.deepEqual(parseQuery('no anime please', cat).excludeGenres, ['anime']);
  });
  it('[Q10] directed by Nolan / with Tom Hanks; unknown names stay text', () => {
    assert.deepEqual(parseQuery('directed by Christopher Nolan', cat).people, [
      { name: 'Christopher Nolan', role: 'director' },
    ]);
    assert.deepEqual(parseQuery('directed by nolan', cat).people, [{ name: 'Christopher Nolan', role: 'director' }]);
    assert.deepEqual(parseQuery('movies with tom hanks', cat).people, [{ name: 'Tom Hanks', role: 'cast' }]);
    const z = parseQuery('movies with zombies', cat);
    assert.deepEqual(z.people, []);
    assert.equal(z.text, 'zombies');
  });
  it('[Q4] "show me" is not a type; both types → no filter', () => {
    assert.equal(parseQuery('show me heist stories', cat).type, undefined);
    const both = parseQuery('movies or shows about space', cat);
    assert.equal(both.type, undefined);
    assert.equal(both.notes.length, 1);
  });
  it('[Q13] an anchor that matches nothing is reported', () => {
    const i = parseQuery('like Qwxyzzy Plorf', cat);
    assert.equal(i.like.length, 0);
    assert.match(i.notUnderstood[0]!.reason, /no title/);
  });
  it('[Q14] emoji are reported; SQL text is just words', () => {
    const e = parseQuery('🎃🎃 spooky', cat);
    assert.equal(e.moods[0]?.mood, 'scary');
    assert.match(e.notUnderstood[0]!.reason, /emoji/);
    const s = parseQuery("'; DROP TABLE titles; -- ", cat);
    assert.equal(s.text, 'drop table'); // "titles" is a stopword
  });
  it('[Q5] a misspelt genre word is that genre, and the answer says how it was read', () => {
    const cases: Array<[string, string[], string]> = [
      ['comdies on netflix', ['comedy'], 'comedies'],
      ['comedys on netflix', ['comedy'], 'comedy'],
      ['horor movies on hulu', ['horror'], 'horror'],
      ['thriler movies', ['thriller'], 'thriller'],
      ['documentery series', ['documentary'], 'documentary'],
    ];
    for (const [query, genres, spelling] of cases) {
      const i = parseQuery(query, cat);
      const typed = query.split(' ')[0]!;
      assert.deepEqual(i.genres, genres, query);
      assert.equal(i.text, '', query);
      assert.deepEqual(i.notes, [`"${typed}" was read as "${spelling}".`], query);
      const span = i.spans.find((s) => s.kind === 'genre');
      assert.equal(span?.text, typed, query);
      assert.match(span?.value ?? '', new RegExp(`read "${typed}" as "${spelling}"`), query);
    }
    // After a negation it is excluded, never asked for.
    const no = parseQuery('comedies, no horor', cat);
    assert.deepEqual([no.genres, no.excludeGenres, no.text], [['comedy'], ['horror'], '']);
  });
  it('[Q5] a real word is never a misspelt genre word', () => {
    const words = (q: string) => {
      const i = parseQuery(q, cat);
      return [i.genres, i.text];
    };
    // Too far from any genre word, or too short to tell from one.
    assert.deepEqual(words('horse movies'), [[], 'horse']);
    assert.deepEqual(words('star wars'), [[], 'star wars']);
    // Another first letter: people rarely miss it.
    assert.deepEqual(words('grime'), [[], 'grime']);
    // English words a typo away from a genre word, whatever the catalog holds.
    assert.deepEqual(words('queen movies'), [[], 'queen']);
    assert.deepEqual(words('comedian'), [[], 'comedian']);
    // A word two of the catalog's descriptions use is a word, not a typo; in one, it may be the typo itself.
    const described = (descriptions: string[]) => {
      const c = new TitleCatalog();
      descriptions.forEach((description, n) => {
        c.upsert(bareEntry({ id: `mg_${'abcdefghijkl'.slice(n)}${'x'.repeat(n)}`, title: `T${n}`, description }));
      });
      return parseQuery('crimes on netflix', c);
    };
    assert.deepEqual(described(['Two crimes.']).genres, ['crime']);
    const known = described(['Two crimes.', 'Crimes of passion.']);
    assert.deepEqual([known.genres, known.text], [[], 'crimes']);
    // Words that name a title together are that title mistyped: Documentary Now! is a comedy.
    const titled = new TitleCatalog();
    titled.upsert(bareEntry({ id: 'mg_aaaaaaaaaaaa', title: 'Documentary Now!', kind: 'series', genres: ['comedy'] }));
    const now = parseQuery('documentry now', titled);
    assert.deepEqual([now.genres, now.text], [[], 'documentry']);
    assert.deepEqual(parseQuery('documentry series', titled).genres, ['documentary']);
  });
  it('[Q5] every genre spelling kept for typos is read, as typed, as the same genres', () => {
    for (const [spelling, genres] of GENRE_SPELLINGS)
      assert.deepEqual(parseQuery(spelling, cat).genres, genres, spelling);
  });
  it('[Q12] a negation before words already read still excludes ("not horror on netflix")', () => {
    const i = parseQuery('comedy not horror on netflix', cat);
    assert.deepEqual([i.genres, i.excludeGenres, i.services, i.text], [['comedy'], ['horror'], ['netflix'], '']);
    const typo = parseQuery('no horor on netflix', cat);
    assert.deepEqual([typo.genres, typo.excludeGenres, typo.text], [[], ['horror'], '']);
  });
  it('[Q7] this year, last year, the last N years and N years ago count from the newest year in the catalog', () => {
    // The newest year in this catalog is 2023 (2030 is announced, past the injected clock): today's date never matters.
    const c = new TitleCatalog(undefined, { now: () => Date.parse('2026-06-01T00:00:00Z') });
    c.upsert(bareEntry({ id: 'mg_aaaaaaaaaaaa', title: 'Out Now', year: 2023 }));
    c.upsert(bareEntry({ id: 'mg_bbbbbbbbbbbb', title: 'Announced', year: 2030 }));
    c.upsert(bareEntry({ id: 'mg_cccccccccccc', title: 'Last Year at Marienbad', year: 1961 }));
    const cases: Array<[string, number, number | undefined]> = [
      ['movies from last year', 2022, 2022],
      ['movies from this year', 2023, 2023],
      ["this year's comedies", 2023, 2023],
      ['what came out last year on netflix', 2022, 2022],
      ['thrillers since last year', 2022, undefined],
      ['films released in the last 5 years', 2018, undefined],
      ['dramas from the past two decades', 2003, undefined],
      ['series from the last couple of years', 2021, undefined],
      ['comedies from 10 years ago', 2013, 2013],
    ];
    for (const [query, from, to] of cases) {
      const i = parseQuery(query, c);
      assert.deepEqual([i.yearFrom, i.yearTo, i.text, i.notUnderstood], [from, to, '', []], query);
      assert.match(i.spans.find((s) => s.kind === 'years')?.value ?? '', /newest in catalog: 2023/, query);
    }
    // A title's words stay words.
    const title = parseQuery('last year at marienbad on netflix', c);
    assert.deepEqual([title.yearFrom, title.yearTo, title.text], [undefined, undefined, 'last year at marienbad']);
    // What the rules do not read is reported, not searched for.
    for (const query of ['movies from a few years ago', 'movies coming out next year']) {
      const i = parseQuery(query, c);
      assert.deepEqual([i.yearFrom, i.yearTo, i.text], [undefined, undefined, ''], query);
      assert.match(i.notUnderstood[0]?.reason ?? '', /this was not used as a filter/, query);
    }
  });
  it('[Q8] "not too long" is a film of two hours at most, or episodes of an hour; "not too short" is reported', () => {
    const cases: Array<[string, number]> = [
      ['scary movie not too long', 120],
      ['something not too long', 120],
      ['a comedy series, not very long', 60],
    ];
    for (const [query, most] of cases) {
      const i = parseQuery(query, cat);
      assert.deepEqual([i.runtimeMax, i.text], [most, ''], query);
    }
    const short = parseQuery('not too short comedy', cat);
    assert.deepEqual([short.runtimeMax, short.genres, short.text], [undefined, ['comedy'], '']);
    assert.match(short.notUnderstood[0]?.reason ?? '', /not used as a filter/);
  });
  it('[Q15] contradictions are noted', () => {
    assert.match(parseQuery('horror but not horror', cat).notes.join(' '), /nothing can match/);
    assert.match(parseQuery('movies after 2015 before 2000', cat).notes.join(' '), /nothing can match/);
  });
});
