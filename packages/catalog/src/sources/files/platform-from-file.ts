import { basename } from 'node:path';
import { findPlatform } from '@media-gateway/domain';

/** `netflix_titles.csv` → netflix, `amazon_prime_titles.csv` → prime-video, `disney_plus_titles.csv` → disney-plus. */
export function platformFromFileName(path: string): string | undefined {
  const stem = basename(path)
    .toLowerCase()
    .replace(/\.[a-z]+$/, '')
    .replace(/_titles$/, '')
    .replace(/[_-]+/g, ' ');
  return findPlatform(stem)?.id;
}
