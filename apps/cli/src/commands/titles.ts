import { parseArgs } from 'node:util';
import { GENRES, getPlatform, isRegion, TITLE_ID_PATTERN } from '@media-gateway/domain';
import { distinctOffers, oldestOfferAge } from '@media-gateway/domain/offer-age';
import type { TitlePage, TitleView } from '@media-gateway/domain/contracts';
import { apiGet, closeBackend, openBackend } from '../backend.ts';
import { notFound, printJson, printTable, UsageError } from '../io.ts';
import type { Command } from './command.ts';

function printDetails(t: TitleView): void {
  const lines = [
    `${t.title} (${t.year ?? '?'}) ` +
      `— ${t.type}${t.runtimeMinutes ? `, ${t.runtimeMinutes} min` : ''}` +
      `${t.seasons ? `, ${t.seasons} season(s)` : ''}`,
    `  id: ${t.id}   genres: ${t.genres.join(', ') || '—'}   rating: ${t.maturity?.label ?? '—'}`,
    t.people.directors.length ? `  directed by ${t.people.directors.join(', ')}` : '',
    t.people.cast.length ? `  with ${t.people.cast.slice(0, 6).join(', ')}` : '',
    t.description ? `  ${t.description.text}  [source: ${t.description.source}]` : '',
    `  ids: ${
      Object.entries(t.externalIds)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ') || '—'
    }`,
    '  where to watch:',
  ].filter(Boolean);
  for (const [region, byPlatform] of Object.entries(t.offers)) {
    for (const offers of Object.values(byPlatform)) {
      for (const o of distinctOffers(offers)) {
        const price = o.price !== null ? ` ${o.price} ${o.currency ?? ''}` : '';
        lines.push(
          `    ${region} ${o.platformName} (${o.monetization}${price}) ` +
            `${
              o.url === null
                ? '[no link known]'
                : `${o.url} [${o.urlKind === 'direct' ? 'direct link' : 'search page'}]`
            } ` +
            `${o.age}${o.isStale ? ' (stale)' : ''}${o.attribution ? ` — ${o.attribution}` : ''}`,
        );
      }
    }
  }
  if (Object.keys(t.offers).length === 0) lines.push('    no offers known');
  lines.push(`  resolved from ${t.resolution.sources} source record(s), lowest confidence ${t.resolution.confidence}`);
  if (t.sampleData) lines.push(`  note: ${t.sampleData.note}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function show(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { region: { type: 'string' }, json: { type: 'boolean' }, url: { type: 'string' } },
    strict: true,
  });
  const id = positionals[0];
  if (!id) throw new UsageError('usage: titles show <id>');
  if (!TITLE_ID_PATTERN.test(id)) throw new UsageError(`"${id}" is not a title id (mg_ followed by 12 letters/digits)`);
  const region = values.region?.toUpperCase();
  if (region && !isRegion(region)) throw new UsageError('--region must be a two-letter country code');
  const backend = await openBackend({ url: values.url });
  try {
    const t =
      backend.kind === 'db'
        ? await (await import('@media-gateway/catalog')).getTitle(backend.db, id, {
            ...(region ? { region } : {}),
            staleness: backend.ctx.config.catalog.staleness,
          })
        : await apiGet<TitleView>(backend.url, `/api/titles/${id}${region ? `?region=${region}` : ''}`);
    if (!t) throw notFound('title', id);
    if (values.json) printJson(t);
    else printDetails(t);
    return 0;
  } finally {
    await closeBackend(backend);
  }
}

async function ls(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      platform: { type: 'string' },
      type: { type: 'string' },
      genre: { type: 'string' },
      'year-from': { type: 'string' },
      'year-to': { type: 'string' },
      region: { type: 'string' },
      limit: { type: 'string' },
      cursor: { type: 'string' },
      json: { type: 'boolean' },
      url: { type: 'string' },
    },
    strict: true,
  });
  const int = (name: string, v: string | undefined, min: number, max: number) => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
  if (values.platform && !getPlatform(values.platform)) throw new UsageError(`unknown platform "${values.platform}"`);
  if (values.type && values.type !== 'movie' && values.type !== 'series')
    throw new UsageError('--type must be movie or series');
  if (values.genre && !(GENRES as readonly string[]).includes(values.genre))
    throw new UsageError(`unknown genre "${values.genre}"; one of ${GENRES.join(', ')}`);
  const region = values.region?.toUpperCase();
  if (region && !isRegion(region)) throw new UsageError('--region must be a two-letter country code');
  const filter = {
    platform: values.platform,
    type: values.type as 'movie' | 'series' | undefined,
    genre: values.genre,
    yearFrom: int('year-from', values['year-from'], 1870, 2100),
    yearTo: int('year-to', values['year-to'], 1870, 2100),
    region,
    limit: int('limit', values.limit, 1, 100) ?? 20,
    cursor: values.cursor,
  };
  const backend = await openBackend({ url: values.url });
  try {
    let page: TitlePage;
    if (backend.kind === 'db')
      page = await (await import('@media-gateway/catalog')).listTitles(backend.db, {
        ...filter,
        staleness: backend.ctx.config.catalog.staleness,
      });
    else {
      const q = new URLSearchParams();
      const map: Record<string, unknown> = {
        platform: filter.platform,
        type: filter.type,
        genre: filter.genre,
        year_from: filter.yearFrom,
        year_to: filter.yearTo,
        region: filter.region,
        limit: filter.limit,
        cursor: filter.cursor,
      };
      for (const [k, v] of Object.entries(map)) if (v !== undefined) q.set(k, String(v));
      page = await apiGet<TitlePage>(backend.url, `/api/titles?${q}`);
    }
    if (values.json) printJson(page);
    else {
      printTable(
        page.items.map((t) => {
          // How old the platforms' availability is, as search and `titles show` say it.
          const seen = oldestOfferAge(t.offers);
          return {
            id: t.id,
            title: t.title,
            year: t.year,
            type: t.type,
            platforms: [...new Set(t.offers.map((o) => o.platform))],
            seen: seen ? `${seen.age}${seen.isStale ? ' (stale)' : ''}` : '',
          };
        }),
        ['id', 'title', 'year', 'type', 'platforms', 'seen'],
      );
      if (page.sampleData) process.stdout.write(`note: ${page.sampleData.note}\n`);
      if (page.nextCursor) process.stdout.write(`more: --cursor ${page.nextCursor}\n`);
    }
    return 0;
  } finally {
    await closeBackend(backend);
  }
}

export const titlesCommand: Command = {
  name: 'titles',
  summary: 'Show one title or list titles with filters',
  usage:
    'titles show <id> [--region US] [--json] | titles ls [--platform] [--type] ' +
    '[--genre] [--year-from] [--year-to] [--region] [--limit] [--cursor] [--json]',
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === 'show') return show(rest);
    if (sub === 'ls' || sub === 'list') return ls(rest);
    throw new UsageError(`usage: ${this.usage}`);
  },
};
