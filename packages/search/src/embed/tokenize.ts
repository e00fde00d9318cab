import type { TitleDoc } from './embedder.ts';

/** Words too common to carry meaning (both the LSA model and the word vectors skip them). */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but of to in on at for with from by as is are was were be been being it its this that these ' +
    'those his her their our your my he she they we you i him them who whom whose which what when where why how all ' +
    'any both each few more most other some such no nor not only own same so than too very can will just into over ' +
    'after before about against between during up down out off again further then once here there s t has have had ' +
    'do does did one two new find must'
  ).split(' '),
);

/** Light stemming: enough to join plurals and -ing/-ed forms without a full stemmer. */
export function stem(w: string): string {
  if (w.length > 5 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith('ed')) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us')) return w.slice(0, -1);
  return w;
}

export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 1 && !STOP_WORDS.has(w))
    .map(stem);
}

/** Weighted tokens of a title: title words twice, metadata as prefixed tokens (g:, p:, c:). */
export function docTokens(d: TitleDoc): string[] {
  const t = words(d.title);
  return [
    ...t,
    ...t,
    ...words(d.description),
    ...d.genres.map((g) => `g:${g}`),
    ...d.genres.map((g) => `g:${g}`),
    ...d.people.slice(0, 8).map((p) => `p:${p.toLowerCase().replace(/\s+/g, '_')}`),
    ...d.countries.map((c) => `c:${c}`),
  ];
}
