import { uniqueName } from '@media-gateway/testkit';
import { connectRedis, type RedisLink } from '../src/redis-link.ts';

/** A Redis link under a namespace unique to this run; `drop` deletes its keys and closes it. */
export async function testLink(url: string, ns = `${uniqueName('mg:test:auth')}:`) {
  const link: RedisLink = await connectRedis({ url, ns, onError: () => {} });
  const keys = async (): Promise<string[]> => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await link.commands.scan(cursor, 'MATCH', `${ns}*`, 'COUNT', 500);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0');
    return found;
  };
  return {
    link,
    ns,
    keys,
    async drop(): Promise<void> {
      const all = await keys().catch(() => []);
      if (all.length) await link.commands.del(...all).catch(() => {});
      await link.close();
    },
  };
}
