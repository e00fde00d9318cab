/** A title id as a usearch key and back (the vector index's keys; the catalog maps keys to titles). */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/** Base32 value of a character code (-1: not in the alphabet). */
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) VALUE[ALPHABET.charCodeAt(i)] = i;

/** Whether `id` is a title id as minted (mg_ + 12 base32 characters): exactly the ids `keyTitle` gives back. */
export function isTitleId(id: string): boolean {
  if (id.length !== 15 || !id.startsWith('mg_')) return false;
  for (let i = 3; i < 15; i++) if ((VALUE[id.charCodeAt(i)] ?? -1) < 0) return false;
  return true;
}

/** Title ids are mg_ + 12 base32 characters = 60 bits: an exact, reversible usearch key. */
export function titleKey(id: string): bigint {
  if (!isTitleId(id)) {
    let k = 0n;
    for (const ch of id.slice(3)) k = (k << 5n) | BigInt(ALPHABET.indexOf(ch));
    return k;
  }
  // Two 30-bit halves as numbers: BigInt arithmetic per character made keying a whole catalog cost ~1 µs a title.
  let hi = 0;
  let lo = 0;
  for (let i = 3; i < 9; i++) hi = hi * 32 + VALUE[id.charCodeAt(i)]!;
  for (let i = 9; i < 15; i++) lo = lo * 32 + VALUE[id.charCodeAt(i)]!;
  return (BigInt(hi) << 30n) | BigInt(lo);
}

const CODES = Array.from(ALPHABET, (ch) => ch.charCodeAt(0));
/** Character codes of the id being built: "mg_", then 12 base32 characters. */
const ID_CODES = Array.from('mg_000000000000', (ch) => ch.charCodeAt(0));

export function keyTitle(key: bigint): string {
  // BigInt arithmetic per character cost ~0.45 µs a key, and a string built by concatenation is flattened
  // again at its first Map look-up: so the two 30-bit halves become numbers, and the id one flat string.
  const hi = Number((key >> 30n) & 0x3fffffffn);
  const lo = Number(key & 0x3fffffffn);
  for (let i = 0; i < 6; i++) {
    ID_CODES[8 - i] = CODES[(hi >>> (5 * i)) & 31]!;
    ID_CODES[14 - i] = CODES[(lo >>> (5 * i)) & 31]!;
  }
  return String.fromCharCode(...ID_CODES);
}
