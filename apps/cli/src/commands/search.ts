import { parseArgs } from 'node:util';
import { DomainError, getPlatform, isRegion } from '@media-gateway/domain';
import { emptyForWantOfData, type SearchResponse } from '@media-gateway/domain/contracts';
import { oldestOfferAge } from '@media-gateway/domain/offer-age';
import '../auth/register-token-provider.ts';
import { apiRequest, closeBackend, openBackend } from '../backend.ts';
import { requireCredentials } from '../credentials.ts';
import { printJson, UsageError } from '../io.ts';
import type { Command } from './command.ts';

function printResults(res: SearchResponse): void {
  const u = res.understood;
  const lines = [
    `understood (${u.parser}, confidence ${u.confidence}): ` +
      `${u.spans.map((s) => `${s.kind}=${s.value}`).join('; ') || 'no constraints'}` +
      `${u.text ? `; words: "${u.text}"` : ''}; region ${u.region}`,
  ];
  for (const n of u.notUnderstood) lines.push(`  not used: "${n.text}": ${n.reason}`);
  for (const n of u.notes) lines.push(`  note: ${n}`);
  if (res.sampleData) lines.push(`  note: ${res.sampleData.note}`);
  // An empty catalog, or a region no source reported on, has its own note: no constraint is to blame there.
  if (res.results.length === 0 && !emptyForWantOfData(u.notes)) lines.push('  no titles meet every constraint.');
  res.results.forEach((r, i) => {
    const facts = [
      r.type,
      r.year,
      r.runtimeMinutes ? `${r.runtimeMinutes} min` : null,
      r.genres.join('/'),
      r.maturity?.label,
    ]
      .filter(Boolean)
      .join(', ');
    lines.push(`${String(i + 1).padStart(2)}. ${r.title} (${facts})  ${r.id}`);
    lines.push(`    ${r.why}`);
    for (const o of r.offers) {
      lines.push(
        `    ${o.platformName ?? getPlatform(o.platform)?.name ?? o.platform} ` +
          `(${o.monetization}${o.price !== undefined ? ` ${o.price} ${o.currency ?? ''}` : ''}) ` +
          `${
            o.url === null ? '[no link known]' : `${o.url} [${o.urlKind === 'direct' ? 'direct link' : 'search page'}]`
          } ${o.age}${o.isStale ? ' (stale)' : ''}${o.availableUntil ? `, leaves ${o.availableUntil.slice(0, 10)}` : ''}`,
      );
    }
  });
  // After the titles that meet everything: near matches follow an empty or a short answer.
  if (res.nearMatches?.length) {
    lines.push(
      res.results.length ? 'closest others (each with what it misses):' : 'closest titles (each with what it misses):',
    );
    res.nearMatches.forEach((r, i) => {
      const on = [...new Set(r.offers.map((o) => o.platformName ?? getPlatform(o.platform)?.name ?? o.platform))].join(
        ', ',
      );
      lines.push(`${String(i + 1).padStart(2)}. ${r.title} (${[r.type, r.year].filter(Boolean).join(', ')})  ${r.id}`);
      lines.push(`    misses: ${r.misses.join('; ')}`);
      // Where to watch it on a line of its own: after the misses it read as one more thing missed.
      const seen = oldestOfferAge(r.offers);
      if (on) lines.push(`    on ${on}${seen ? `, ${seen.age}${seen.isStale ? ' (stale)' : ''}` : ''}`);
    });
  }
  // Titles that meet it all but cannot be watched here: by id, so one can go on the watchlist (alerts say when).
  const away = res.notStreaming;
  if (away) {
    lines.push(
      `not streaming in ${away.region}${away.asOf ? ` as of ${away.asOf}` : ''} (watchlist one to hear when it is):`,
    );
    for (const t of away.titles) lines.push(`  - ${t.title} (${[t.type, t.year].filter(Boolean).join(', ')})  ${t.id}`);
    if (away.count > away.titles.length) lines.push(`  and ${away.count - away.titles.length} more`);
  }
  if (res.nextCursor) lines.push(`more: --cursor ${res.nextCursor}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** The stored (or MG_TOKEN) token for this server, when signed in; anonymous otherwise. */
async function optionalToken(url: string): Promise<string | undefined> {
  try {
    return (await requireCredentials(url)).token;
  } catch (error) {
    if (error instanceof DomainError && error.code === 'UNAUTHENTICATED') return undefined;
    throw error;
  }
}

/**
 * Signed in, the server adds the person's region and "my services"; search never requires it, so a
 * token the server refuses (expired, revoked) falls back to an anonymous search with a note on stderr.
 */
async function searchOverHttp(url: string, body: object): Promise<SearchResponse> {
  const token = await optionalToken(url);
  try {
    return await apiRequest<SearchResponse>(url, 'POST', '/api/search', body, token);
  } catch (error) {
    if (!token || !(error instanceof DomainError) || error.code !== 'UNAUTHENTICATED') throw error;
    process.stderr.write(
      `note: the server refused the stored token (${error.message}); ` +
        `searching anonymously. Run "media-gateway login".\n`,
    );
    return apiRequest<SearchResponse>(url, 'POST', '/api/search', body);
  }
}

export const searchCommand: Command = {
  name: 'search',
  summary: 'Search in plain words: "scary movies like Stranger Things on Netflix under 2 hours".',
  usage:
    'search "<query>" [--region US] [--service netflix …] ' +
    '[--type movie|series] [--limit 10] [--cursor c] [--json] [--url http://…]',
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        region: { type: 'string' },
        service: { type: 'string', multiple: true },
        type: { type: 'string' },
        limit: { type: 'string' },
        cursor: { type: 'string' },
        json: { type: 'boolean' },
        url: { type: 'string' },
      },
    });
    const query = positionals.join(' ').trim();
    if (!query) throw new UsageError(`usage: ${this.usage}`);
    const region = values.region?.toUpperCase();
    if (region && !isRegion(region)) throw new UsageError('--region must be a two-letter country code');
    for (const s of values.service ?? [])
      if (!getPlatform(s))
        throw new UsageError(`unknown service "${s}" (use a platform id such as netflix, hulu, disney-plus)`);
    if (values.type && values.type !== 'movie' && values.type !== 'series')
      throw new UsageError('--type must be movie or series');
    const limit = values.limit === undefined ? undefined : Number(values.limit);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 50))
      throw new UsageError('--limit must be a whole number from 1 to 50');
    const body = {
      query,
      ...(region ? { region } : {}),
      ...(values.service?.length ? { services: values.service } : {}),
      ...(values.type ? { type: values.type as 'movie' | 'series' } : {}),
      ...(limit ? { limit } : {}),
      ...(values.cursor ? { cursor: values.cursor } : {}),
    };
    const backend = await openBackend({ url: values.url });
    try {
      let res: SearchResponse;
      if (backend.kind === 'http') res = await searchOverHttp(backend.url, body);
      else {
        res = await (await backend.ctx.services.search()).search(body);
      }
      if (values.json) printJson(res);
      else printResults(res);
      return 0;
    } finally {
      await closeBackend(backend);
    }
  },
};
