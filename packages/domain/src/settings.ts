import { z } from 'zod';

/**
 * One environment variable a package reads: its check, its default and its documentation. Each
 * package exports the list of its own settings and a function that turns validated values into
 * its typed options; the gateway assembles them (apps/gateway/src/config-registry.ts), validates
 * every variable at start, and generates the README's configuration table from them. Packages
 * never read process.env themselves.
 */
export interface Setting<T = unknown> {
  name: string;
  /** Shown in the README's Default column (Markdown). */
  default: string;
  doc: string;
  /** Parses the variable's text; its first issue's message is shown to the operator. */
  schema: z.ZodType<T, string>;
}

export function setting<T>(name: string, schema: z.ZodType<T, string>, doc: string, defaultText = 'unset'): Setting<T> {
  return { name, schema, doc, default: defaultText };
}

/** Validated values, read back through the setting itself so the type follows the schema. */
export interface SettingValues {
  get<T>(setting: Setting<T>): T | undefined;
}

/** Values from an environment slice that was already validated (unparseable values read as unset). */
export function settingValues(env: Readonly<Record<string, string | undefined>>): SettingValues {
  return {
    get<T>(s: Setting<T>): T | undefined {
      const raw = env[s.name];
      if (raw === undefined || raw === '') return undefined;
      const r = s.schema.safeParse(raw);
      return r.success ? r.data : undefined;
    },
  };
}

/** Parsers shared by the packages' settings. */
export const parse = {
  int: (min: number, max: number) =>
    z
      .string()
      .regex(/^-?\d+$/, 'must be a whole number')
      .transform(Number)
      .pipe(z.number().int().min(min).max(max)),
  url: z.url({ message: 'must be a URL' }),
  onOff: z.enum(['on', 'off'], { message: 'must be on or off' }),
  text: z.string().min(1),
  /** A comma-separated list; empty items are dropped, each item must pass `check`. */
  list: (check: (s: string) => boolean, what: string) =>
    z
      .string()
      .refine((s) => s.split(',').every((p) => p.trim() === '' || check(p.trim())), `must be ${what}, comma-separated`)
      .transform((s) =>
        s
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean),
      ),
};
