import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS: under ESM its function is the default export's default.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

let compiled: (((data: unknown) => boolean) & { errors?: ErrorObject[] | null }) | undefined;

/** Validates a manifest against the ARW 0.1 JSON Schema (arw_model.json, see PROVENANCE.md). */
export function validateArwManifest(manifest: unknown): { valid: boolean; errors: string[] } {
  if (!compiled) {
    const schema = JSON.parse(readFileSync(new URL('./arw_model.json', import.meta.url), 'utf8')) as Record<
      string,
      unknown
    >;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    compiled = ajv.compile(schema);
  }
  const valid = compiled(manifest);
  return {
    valid,
    errors: (compiled.errors ?? []).map(
      (e) => `${e.instancePath || '/'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
    ),
  };
}
