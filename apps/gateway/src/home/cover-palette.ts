import { GENRE_FAMILY } from '@media-gateway/catalog';

/**
 * Colours of a generated cover: the hue comes from the title's genre family (thrillers look alike,
 * documentaries look alike), nudged by a hash of the title id so neighbours in a row differ, and
 * always dark enough that white text on it passes WCAG AAA (≥ 7:1). Same title, same colours.
 */
export interface CoverPalette {
  family: string;
  /** Top and bottom stops of the background gradient (#rrggbb). */
  top: string;
  bottom: string;
  /** Decorative shapes: the family hue, lighter, drawn translucent behind nothing readable. */
  accent: string;
  text: string;
}

/** Base hue and saturation per genre family (degrees, %). */
const FAMILY_HUE: Record<string, [number, number]> = {
  action: [12, 62],
  suspense: [262, 42],
  family: [38, 70],
  speculative: [196, 62],
  drama: [338, 48],
  comedy: [142, 46],
  factual: [212, 30],
  music: [290, 50],
  other: [222, 18],
};

/** FNV-1a: a small, stable hash; colours must not change between releases or replicas. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The family of the first genre that has one; titles without genres are "other". */
export function familyOf(genres: readonly string[]): string {
  for (const g of genres) {
    const family = GENRE_FAMILY[g];
    if (family) return family;
  }
  return 'other';
}

function hslToHex(h: number, s: number, l: number): string {
  const sat = s / 100;
  const light = l / 100;
  const k = (n: number) => (n + h / 30) % 12;
  const a = sat * Math.min(light, 1 - light);
  const f = (n: number) => light - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return `#${[f(0), f(8), f(4)]
    .map((x) =>
      Math.round(x * 255)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`;
}

/** WCAG relative luminance of #rrggbb. */
export function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

export function coverPalette(titleId: string, genres: readonly string[]): CoverPalette {
  const family = familyOf(genres);
  const [hue, sat] = FAMILY_HUE[family] ?? FAMILY_HUE['other']!;
  const h = stableHash(titleId);
  const jitter = (h % 25) - 12; // ±12° keeps the family recognisable
  const hh = (hue + jitter + 360) % 360;
  // Yellows and greens look far brighter than blues at the same HSL lightness: darken until white
  // text reaches 7:1 (AAA) on this hue, so the guarantee holds for every family and id.
  let light = 20 + ((h >>> 8) % 7);
  while (light > 8 && contrastRatio('#ffffff', hslToHex(hh, sat, light)) < 7.2) light--;
  return {
    family,
    top: hslToHex(hh, sat, light),
    bottom: hslToHex((hh + 18) % 360, sat, Math.max(8, light - 11)),
    accent: hslToHex((hh + 330) % 360, Math.min(90, sat + 20), 58),
    text: '#ffffff',
  };
}
