import type { HomeView } from '../api/types.ts';

type SampleData = NonNullable<HomeView['sampleData']>;

/**
 * Says, as the web's banner does, that availability shown comes from the bundled sample and as of which day: the
 * API's own note, the words the CLI prints. Nothing when none of the answers behind the view carries sample data.
 */
export function TvSampleNote({ from }: { from: ReadonlyArray<SampleData | null | undefined> }) {
  const sample = from.find((s) => s);
  if (!sample) return null;
  return (
    <aside className="banner tv-sample" role="note" aria-label="Sample data">
      {sample.note}
    </aside>
  );
}
