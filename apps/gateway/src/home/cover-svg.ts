import { GENRE_NAMES, type Genre } from '@media-gateway/domain';
import { coverPalette } from './cover-palette.ts';

/** What a generated cover shows. */
export interface CoverInput {
  id: string;
  title: string;
  year: number | null;
  kind: 'movie' | 'series';
  genres: readonly string[];
}

/** Poster proportions (2:3) in viewBox units; `w` only scales the rendered size. */
const VIEW_W = 200;
const VIEW_H = 300;
const PAD = 14;
export const COVER_DEFAULT_WIDTH = 200;
export const COVER_MIN_WIDTH = 40;
export const COVER_MAX_WIDTH = 1000;

/** XML text and attribute escaping: every character with a meaning in markup. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/**
 * Characters XML 1.0 forbids (C0 controls but tab/newline/CR, U+FFFE/U+FFFF, lone surrogates)
 * become spaces, so no title from any source can make the document invalid.
 */
function xmlSafe(text: string): string {
  return text
    .replace(FORBIDDEN, ' ')
    .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Font size (viewBox units) by title length: short titles big, long ones smaller and on more lines. */
function fontSizeFor(chars: number): number {
  if (chars <= 10) return 28;
  if (chars <= 24) return 24;
  if (chars <= 48) return 19;
  return 16;
}

/**
 * Greedy word wrap by code points (an emoji or accented letter is one character), using an average
 * glyph width of 0.62 em (bold sans-serif; wide enough that real fonts stay
 * inside); a word longer than a line is split. More than `maxLines` ends in "…".
 */
export function wrapTitle(text: string, perLine: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line: string[] = [];
  const push = () => {
    if (line.length) lines.push(line.join(''));
    line = [];
  };
  for (const word of text.split(' ')) {
    let chars = Array.from(word);
    if (line.length && line.length + 1 + chars.length > perLine) push();
    if (line.length) line.push(' ');
    while (line.length + chars.length > perLine) {
      const room = perLine - line.length;
      line.push(...chars.slice(0, room));
      chars = chars.slice(room);
      push();
    }
    line.push(...chars);
  }
  push();
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  const last = Array.from(kept[maxLines - 1]!);
  kept[maxLines - 1] = `${last
    .slice(0, Math.max(1, perLine - 1))
    .join('')
    .trimEnd()}…`;
  return kept;
}

/** A readable generated cover (SVG): title wrapped, year and kind, genre-family colours. */
export function coverSvg(input: CoverInput, width = COVER_DEFAULT_WIDTH): string {
  const palette = coverPalette(input.id, input.genres);
  const title = xmlSafe(input.title) || 'Untitled';
  const size = fontSizeFor(Array.from(title).length);
  const perLine = Math.max(4, Math.floor((VIEW_W - 2 * PAD) / (size * 0.62)));
  const lines = wrapTitle(title, perLine, size >= 24 ? 4 : 6);
  const lineHeight = Math.round(size * 1.15);
  const metaY = VIEW_H - 20;
  const firstY = metaY - 22 - (lines.length - 1) * lineHeight;
  const genre = input.genres.find((g): g is Genre => g in GENRE_NAMES);
  const label = [genre ? GENRE_NAMES[genre] : null, input.kind === 'series' ? 'Series' : 'Movie']
    .filter(Boolean)
    .join(' · ');
  const meta = input.year ? String(input.year) : '';
  const height = Math.round(width * 1.5);
  const accessible = escapeXml([title, meta].filter(Boolean).join(', '));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
      `viewBox="0 0 ${VIEW_W} ${VIEW_H}" role="img" aria-label="${accessible}">`,
    `<title>${accessible}</title>`,
    '<defs><linearGradient id="g" x1="0" y1="0" x2="0.35" y2="1">',
    `<stop offset="0" stop-color="${palette.top}"/><stop offset="1" stop-color="${palette.bottom}"/>`,
    '</linearGradient></defs>',
    `<rect width="${VIEW_W}" height="${VIEW_H}" fill="url(#g)"/>`,
    // Decoration sits in the upper part, away from the text, so it never costs contrast.
    `<circle cx="${VIEW_W - 30}" cy="58" r="74" fill="${palette.accent}" fill-opacity="0.16"/>`,
    `<circle cx="${VIEW_W - 12}" cy="22" r="36" fill="${palette.accent}" fill-opacity="0.18"/>`,
    `<g fill="${palette.text}" font-family="system-ui,-apple-system,'Segoe UI',Roboto,sans-serif">`,
    `<text x="${PAD}" y="28" font-size="11" font-weight="600" ` +
      `letter-spacing="1">${escapeXml(label.toUpperCase())}</text>`,
    `<text x="${PAD}" font-size="${size}" font-weight="700">`,
    ...lines.map((l, i) => `<tspan x="${PAD}" y="${firstY + i * lineHeight}">${escapeXml(l)}</tspan>`),
    '</text>',
    meta ? `<text x="${PAD}" y="${metaY}" font-size="13">${escapeXml(meta)}</text>` : '',
    '</g></svg>',
  ].join('');
}
