import { open } from 'node:fs/promises';
import { CATALOG_CSV_COLUMNS } from './catalog-csv.ts';
import { JUSTWATCH_CSV_COLUMNS } from './justwatch-csv.ts';

export type FileFormat = 'catalog-csv' | 'justwatch-csv' | 'jsonl';
export const FILE_FORMATS: readonly FileFormat[] = ['catalog-csv', 'justwatch-csv', 'jsonl'];

/** Reads the first line and recognises one of our formats by its header (or a JSON object). */
export async function detectFormat(path: string): Promise<FileFormat | undefined> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    const head = buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const firstLine = head.split(/\r?\n/)[0] ?? '';
    if (firstLine.trimStart().startsWith('{')) return 'jsonl';
    const columns = firstLine.split(',').map((c) => c.trim());
    const has = (wanted: string[]) => wanted.every((c) => columns.includes(c));
    if (has(CATALOG_CSV_COLUMNS)) return 'catalog-csv';
    if (has(JUSTWATCH_CSV_COLUMNS)) return 'justwatch-csv';
    return undefined;
  } finally {
    await handle.close();
  }
}
