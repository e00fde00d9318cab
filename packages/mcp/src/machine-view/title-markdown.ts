import { flatOffers, type RestTitle } from '../tools/title-shape.ts';

/**
 * The Markdown machine view of a title page (ARW §4): one chunk per section, each opened by a
 * `<!-- chunk: id -->` marker so an agent can ask for one (`?chunk=where-to-watch`) and cite it.
 * Facts only: every offer line says its source and when it was last confirmed.
 */
export const TITLE_CHUNKS = [
  {
    id: 'summary',
    heading: 'Summary',
    description: 'Title, year, type, runtime, genres, rating and a short description',
  },
  { id: 'people', heading: 'People', description: 'Directors, creators and main cast' },
  {
    id: 'where-to-watch',
    heading: 'Where to watch',
    description: 'Offers by region and platform with prices, link kind, source and last-seen date',
  },
  {
    id: 'identifiers',
    heading: 'Identifiers',
    description: 'External ids (IMDb, TMDb…) and how the title was resolved',
  },
] as const;

export type TitleChunkId = (typeof TITLE_CHUNKS)[number]['id'];

function mdText(text: string): string {
  // Keep catalog text from opening HTML comments or tables that would confuse chunk parsing.
  return text.replace(/<!--/g, '&lt;!--').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function renderTitleMarkdown(t: RestTitle): string {
  const facts = [
    t.type === 'series' ? `Series${t.seasons ? `, ${t.seasons} season(s)` : ''}` : 'Movie',
    t.year ? String(t.year) : null,
    t.runtimeMinutes ? `${t.runtimeMinutes} min` : null,
    t.maturity ? `rated ${t.maturity.label}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  const out: string[] = [];
  out.push(
    '<!-- chunk: summary -->',
    '',
    `# ${mdText(t.title)}${t.year ? ` (${t.year})` : ''}`,
    '',
    `**${facts}**`,
    '',
  );
  if (t.genres.length) out.push(`**Genres:** ${t.genres.join(', ')}`, '');
  if (t.originalTitle && t.originalTitle !== t.title) out.push(`**Original title:** ${mdText(t.originalTitle)}`, '');
  if (t.description) out.push(mdText(t.description.text), '', `_Description: ${t.description.source}_`, '');

  out.push('<!-- chunk: people -->', '', '## People', '');
  const people: Array<[string, string[]]> = [
    ['Directed by', t.people.directors],
    ['Created by', t.people.creators],
    ['Cast', t.people.cast.slice(0, 12)],
  ];
  const known = people.filter(([, names]) => names.length > 0);
  if (known.length === 0) out.push('No people are recorded for this title.', '');
  for (const [label, names] of known) out.push(`- **${label}:** ${names.map(mdText).join(', ')}`);
  if (known.length) out.push('');

  out.push('<!-- chunk: where-to-watch -->', '', '## Where to watch', '');
  if (t.sampleData) out.push(`> ${mdText(t.sampleData.note)}`, '');
  const offers = flatOffers(t);
  if (offers.length === 0) out.push('No offers are known for this title.', '');
  else {
    out.push('| Region | Platform | How | Price | Link | Source, last seen |', '|---|---|---|---|---|---|');
    for (const o of offers) {
      const price = o.price !== null ? `${o.price} ${o.currency ?? ''}`.trim() : '—';
      const link =
        o.url === null || o.urlKind === 'none'
          ? 'no link known'
          : `[${o.urlKind === 'direct' ? 'open title' : 'platform search'}](${o.url})`;
      out.push(
        `| ${o.region} | ${mdText(o.platformName)} | ${o.monetization} | ${price} ` +
          `| ${link} | ${o.source}, ${o.age}${o.isStale ? ' (stale)' : ''} |`,
      );
    }
    out.push('');
  }

  out.push('<!-- chunk: identifiers -->', '', '## Identifiers', '');
  out.push(`- **Media Gateway id:** ${t.id}`);
  for (const [k, v] of Object.entries(t.externalIds)) out.push(`- **${k}:** ${mdText(v)}`);
  out.push(
    `- **Resolved from:** ${t.resolution.sources} source record(s), lowest match confidence ${t.resolution.confidence}`,
    '',
  );
  return out.join('\n');
}

/** One chunk's text (marker included), or undefined when the document has no such chunk. */
export function extractChunk(markdown: string, chunkId: string): string | undefined {
  const marker = `<!-- chunk: ${chunkId} -->`;
  const start = markdown.indexOf(marker);
  if (start < 0) return undefined;
  const next = markdown.indexOf('<!-- chunk: ', start + marker.length);
  return `${markdown.slice(start, next < 0 ? undefined : next).trimEnd()}\n`;
}
