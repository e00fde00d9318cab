import { access } from 'node:fs/promises';
import { DomainError, getPlatform, isRegion } from '@media-gateway/domain';
import type { Source } from '../source.ts';
import { catalogCsvSource } from './catalog-csv.ts';
import { detectFormat, FILE_FORMATS, type FileFormat } from './detect-format.ts';
import { jsonlCanonicalSource } from './jsonl-canonical.ts';
import { justwatchCsvSource } from './justwatch-csv.ts';
import { platformFromFileName } from './platform-from-file.ts';

export interface FileSourceOptions {
  format?: FileFormat | undefined;
  platform?: string | undefined;
  region?: string | undefined;
  /** Source name for JSONL files (default `jsonl:<file name>`). */
  source?: string | undefined;
  /**
   * How messages name the file and the options, for the caller's own interface: the CLI's path and flags by
   * default; an upload names the file it was sent as and its query parameters (never a temporary path).
   */
  say?: { file: string; format: string; platform: string } | undefined;
}

/** Picks the importer for a file: format from the flag or the header, platform from the flag or the file name. */
export async function openFileSource(path: string, options: FileSourceOptions = {}): Promise<Source> {
  try {
    await access(path);
  } catch {
    throw new DomainError('NOT_FOUND', `No such file: ${path}`, { resource: 'file', id: path });
  }
  if (options.format && !FILE_FORMATS.includes(options.format)) {
    throw new DomainError(
      'INVALID_INPUT',
      `Unknown format "${options.format}"; use one of ${FILE_FORMATS.join(', ')}.`,
    );
  }
  const say = options.say ?? { file: path, format: '--format', platform: '--platform' };
  const format = options.format ?? (await detectFormat(path));
  if (!format) {
    throw new DomainError(
      'INVALID_INPUT',
      `Cannot tell the format of ${say.file}: expected a catalog CSV, a JustWatch CSV or JSONL. ` +
        `Pass ${say.format} (${FILE_FORMATS.join(', ')}).`,
    );
  }
  if (format === 'jsonl') return jsonlCanonicalSource(path, { source: options.source });
  const region = (options.region ?? 'US').toUpperCase();
  if (!isRegion(region))
    throw new DomainError(
      'INVALID_INPUT',
      `Region must be a country's two-letter ISO code such as US, got "${options.region}".`,
    );
  const platform = options.platform ? getPlatform(options.platform)?.id : platformFromFileName(path);
  if (!platform) {
    throw new DomainError(
      'INVALID_INPUT',
      options.platform
        ? `Unknown platform "${options.platform}". See GET /api/platforms for ids.`
        : `Cannot tell the platform from the file name ${say.file}; pass ${say.platform} (see GET /api/platforms).`,
    );
  }
  return format === 'catalog-csv'
    ? catalogCsvSource(path, { platform, region })
    : justwatchCsvSource(path, { platform, region });
}
