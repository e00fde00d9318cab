import { coverPalette } from '../home/cover-palette.ts';
import { escapeXml, wrapTitle } from '../home/cover-svg.ts';

/** Square viewBox of a badge; `size` only scales it. */
const VIEW = 100;
export const BADGE_SIZES = { s: 92, m: 154, l: 300 } as const;

/**
 * A provider's name as a square text badge (SVG), for a provider no source gave a logo for, or
 * whose logo could not be fetched: readable, never a broken image. Colours from the generated-cover
 * palette keyed by the provider id (white text ≥ 7:1, decision 0107); every text is escaped.
 */
export function logoBadgeSvg(providerId: string, name: string, size: number): string {
  const palette = coverPalette(`provider:${providerId}`, []);
  const clean = Array.from(
    name
      .replace(/[\p{Cc}\p{Cs}\ufffe\uffff]/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  ).join('');
  const text = clean || providerId;
  const fontSize = text.length <= 8 ? 18 : text.length <= 16 ? 14 : 12;
  const lines = wrapTitle(text, Math.floor((VIEW - 16) / (fontSize * 0.62)), 3);
  const lineHeight = Math.round(fontSize * 1.15);
  const firstY = VIEW / 2 - ((lines.length - 1) * lineHeight) / 2 + fontSize * 0.35;
  const label = escapeXml(text);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" ` +
      `viewBox="0 0 ${VIEW} ${VIEW}" role="img" aria-label="${label}">`,
    `<title>${label}</title>`,
    `<rect width="${VIEW}" height="${VIEW}" rx="16" fill="${palette.bottom}"/>`,
    `<text fill="${palette.text}" font-family="system-ui,-apple-system,'Segoe UI',Roboto,sans-serif" ` +
      `font-size="${fontSize}" font-weight="700" text-anchor="middle">`,
    ...lines.map((l, i) => `<tspan x="${VIEW / 2}" y="${Math.round(firstY + i * lineHeight)}">${escapeXml(l)}</tspan>`),
    '</text></svg>',
  ].join('');
}
