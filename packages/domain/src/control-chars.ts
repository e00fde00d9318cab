/**
 * True when `s` holds a C0 control character or DEL. With `allowWhitespace`, tab, newline and
 * carriage return are allowed (free text in JSON bodies). A loop rather than a regular expression
 * with control-character ranges, which linters rightly flag as usually unintended.
 */
export function hasControlCharacter(s: string, options: { allowWhitespace?: boolean } = {}): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x7f) continue;
    if (options.allowWhitespace && (c === 0x09 || c === 0x0a || c === 0x0d)) continue;
    return true;
  }
  return false;
}
