import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse } from 'csv-parse';

export interface CsvRow {
  line: number;
  values: Record<string, string>;
  bytesRead: number;
  totalBytes: number;
}

/** Streams a CSV file as header-keyed rows in constant memory (quoted commas and newlines handled). */
export async function* readCsvRows(path: string, signal?: AbortSignal): AsyncGenerator<CsvRow> {
  const totalBytes = (await stat(path)).size;
  let bytesRead = 0;
  const stream = createReadStream(path);
  stream.on('data', (chunk) => {
    bytesRead += chunk.length;
  });
  const parser = stream.pipe(
    parse({
      columns: (header: string[]) => header.map((h) => h.trim()),
      bom: true,
      relax_column_count: true,
      relax_quotes: true,
      info: true,
      skip_empty_lines: true,
    }),
  );
  try {
    for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted');
      yield { line: item.info.lines, values: item.record, bytesRead, totalBytes };
    }
  } finally {
    stream.destroy();
  }
}
