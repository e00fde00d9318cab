import { parseArgs } from 'node:util';
import { type AgedOffer, oldestOfferAge } from '@media-gateway/domain/offer-age';
import { apiGet, closeBackend, openBackend } from '../backend.ts';
import { requireCredentials } from '../credentials.ts';
import { printJson, printTable, UsageError } from '../io.ts';
import type { Command } from './command.ts';

interface RecBody {
  region: string;
  items: Array<{
    id: string;
    title: string;
    year: number | null;
    type: string;
    genres: string[];
    why: string;
    platforms: string[];
    /** The offers behind `platforms`, with when their sources saw them (older servers leave it out). */
    offers?: AgedOffer[];
  }>;
}

/** When the sources saw the services in `on` (decision 0072): "seen today", "as of 2025-06-01 (stale)". */
function seenText(offers: AgedOffer[] | undefined): string {
  const seen = offers && oldestOfferAge(offers);
  return seen ? `${seen.age}${seen.isStale ? ' (stale)' : ''}` : '';
}

/** `media-gateway recommend retrain`: the worker job, run in-process against the database. */
async function retrain(): Promise<number> {
  const backend = await openBackend({ needWrite: true });
  try {
    if (backend.kind !== 'db') throw new UsageError('retrain needs the database (stop the server or set DATABASE_URL)');
    const stats = await backend.ctx.services.recommender().retrain();
    process.stdout.write(
      `trained model ${stats.id}: ${stats.items} titles from ${stats.interactions} ` +
        `interactions of ${stats.users} people in ${stats.seconds.toFixed(2)} s\n`,
    );
    return 0;
  } finally {
    await closeBackend(backend);
  }
}

export const recommendCommand: Command = {
  name: 'recommend',
  summary: 'What to watch next on your services, with why (learns from your feedback)',
  usage:
    'recommend [--mood <mood>] [--device tv|desktop|tablet|mobile] ' +
    '[--limit N] [--json] [--url URL] | recommend retrain',
  async run(argv) {
    if (argv[0] === 'retrain') return retrain();
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        mood: { type: 'string' },
        device: { type: 'string' },
        limit: { type: 'string' },
        json: { type: 'boolean' },
        url: { type: 'string' },
      },
    });
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const { DEVICE_NAMES: DEVICES, MOOD_NAMES } = await import('@media-gateway/recommend');
    if (values.mood && !(MOOD_NAMES as string[]).includes(values.mood))
      throw new UsageError(`unknown mood "${values.mood}"; one of ${MOOD_NAMES.join(', ')}`);
    if (values.device && !(DEVICES as readonly string[]).includes(values.device))
      throw new UsageError(`--device must be one of ${DEVICES.join(', ')}`);
    const limit = values.limit === undefined ? 20 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      throw new UsageError('--limit must be a whole number from 1 to 100');
    const { url, token } = await requireCredentials(values.url);
    const q = new URLSearchParams({ limit: String(limit), hour: String(new Date().getHours()) });
    if (values.mood) q.set('mood', values.mood);
    if (values.device) q.set('device', values.device);
    const body = await apiGet<RecBody>(url, `/api/recommendations?${q}`, token);
    if (values.json) printJson(body);
    else if (body.items.length === 0)
      process.stdout.write(
        `Nothing to recommend yet on your services in ${body.region}. Set your services with PUT /api/me/settings.\n`,
      );
    else
      printTable(
        body.items.map((i) => ({
          title: i.title,
          year: i.year,
          on: i.platforms,
          seen: seenText(i.offers),
          why: i.why,
          id: i.id,
        })),
        ['title', 'year', 'on', 'seen', 'why', 'id'],
      );
    return 0;
  },
};
