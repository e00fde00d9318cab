/**
 * Title normalization used for matching (the same rules as the datasets' README):
 * NFKD with diacritics dropped, lower-case, `&` → `and`, apostrophes removed, every other
 * non-alphanumeric run → one space. A trailing ", The" style article is moved to the front.
 */
export function normalizeTitle(raw: string): string {
  let text = raw.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  text = text
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’‘`´]/g, '');
  text = text.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const moved = /^(.*) (the|a|an|les|la|le|el|il|der|die|das)$/.exec(text);
  if (moved?.[1] && raw.includes(',')) text = `${moved[2]} ${moved[1]}`;
  return text;
}

/** Splits a comma-separated people or label list, trimming blanks. */
export function splitList(raw: string | undefined | null): string[] {
  if (!raw) return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Parses Python-style list literals as found in the JustWatch CSVs: "['drama', 'crime']". */
export function parsePythonList(raw: string | undefined | null): string[] {
  if (!raw) return [];
  const text = raw.trim();
  if (!text.startsWith('[') || !text.endsWith(']')) return [];
  const items: string[] = [];
  const re = /'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(text); m; m = re.exec(text)) items.push((m[1] ?? m[2] ?? '').trim());
  return items.filter((s) => s.length > 0);
}
