/**
 * A small YAML writer for the manifest (objects, arrays, strings, numbers, booleans): /llms.txt is
 * the YAML form of the same manifest (ARW §3.3). Strings are double-quoted JSON strings, which are
 * valid YAML scalars, so no escaping rules of our own are needed.
 */
function scalar(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'null';
  throw new Error(`cannot write ${typeof value} as a YAML scalar`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function write(value: unknown, indent: number, out: string[]): void {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isPlainObject(item) || Array.isArray(item)) {
        const lines: string[] = [];
        write(item, indent + 2, lines);
        // The first line of an item hangs on the dash.
        out.push(`${pad}- ${lines[0]!.trimStart()}`, ...lines.slice(1));
      } else out.push(`${pad}- ${scalar(item)}`);
    }
    return;
  }
  if (isPlainObject(value)) {
    for (const [key, v] of Object.entries(value)) {
      if ((Array.isArray(v) && v.length === 0) || (isPlainObject(v) && Object.keys(v).length === 0))
        out.push(`${pad}${key}: ${Array.isArray(v) ? '[]' : '{}'}`);
      else if (Array.isArray(v) || isPlainObject(v)) {
        out.push(`${pad}${key}:`);
        write(v, indent + 2, out);
      } else out.push(`${pad}${key}: ${scalar(v)}`);
    }
    return;
  }
  out.push(`${pad}${scalar(value)}`);
}

export function toLlmsTxt(manifest: Record<string, unknown>, publicUrl: string): string {
  const out = [
    '# Agent-Ready Web discovery manifest (ARW 0.1) for Media Gateway',
    `# ${publicUrl}/llms.txt — JSON form: ${publicUrl}/.well-known/arw-manifest.json`,
    '',
  ];
  write(manifest, 0, out);
  return `${out.join('\n')}\n`;
}
