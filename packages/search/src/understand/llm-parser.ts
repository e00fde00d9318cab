import { findPlatform, GENRES, type Genre } from '@media-gateway/domain';
import { z } from 'zod';
import { type CatalogLookup, emptyIntent, type SearchIntent, type SpanKind } from './intent.ts';
import { MOODS } from './lexicon.ts';

/** Any OpenAI-compatible chat endpoint (OpenAI, Ollama, vLLM, llama.cpp server…). */
export interface LlmParserOptions {
  /** e.g. http://localhost:11434/v1: `/chat/completions` is appended. */
  baseUrl: string;
  model: string;
  apiKey?: string | undefined;
  /** Time budget for the whole call; the rules answer when it runs out. Default 800 ms. */
  timeoutMs?: number;
}

/** What the model must return: validated strictly; anything else falls back to the rules. */
export const LlmIntentSchema = z
  .object({
    services: z.array(z.string().max(40)).max(10).default([]),
    my_services: z.boolean().default(false),
    type: z.enum(['movie', 'series']).nullable().default(null),
    genres: z.array(z.enum(GENRES)).max(10).default([]),
    exclude_genres: z.array(z.enum(GENRES)).max(10).default([]),
    moods: z.array(z.string().max(40)).max(10).default([]),
    year_from: z.number().int().min(1870).max(2100).nullable().default(null),
    year_to: z.number().int().min(1870).max(2100).nullable().default(null),
    runtime_max: z.number().int().min(1).max(1500).nullable().default(null),
    runtime_min: z.number().int().min(1).max(1500).nullable().default(null),
    max_age: z.number().int().min(0).max(21).nullable().default(null),
    leaving_within_days: z.number().int().min(1).max(90).nullable().default(null),
    free_only: z.boolean().default(false),
    people: z
      .array(z.object({ name: z.string().min(1).max(100), role: z.enum(['director', 'cast', 'any']) }))
      .max(5)
      .default([]),
    countries: z
      .array(z.string().regex(/^[A-Z]{2}$/))
      .max(10)
      .default([]),
    languages: z
      .array(z.string().regex(/^[a-z]{2,3}$/))
      .max(10)
      .default([]),
    like: z.array(z.string().min(1).max(200)).max(3).default([]),
    text: z.string().max(500).default(''),
  })
  .strict();

// One line per group of keys; the line breaks only keep the prompt readable (the model reads it as one text).
const SYSTEM = [
  'You turn a request for something to watch into JSON constraints. Reply with one JSON object only, keys:',
  'services (platform names as said), my_services (bool: "my services"), type ("movie"|"series"|null),',
  `genres and exclude_genres (only from: ${GENRES.join(', ')}),`,
  `moods (only from: ${MOODS.map((m) => m.mood).join(', ')}),`,
  'year_from, year_to, runtime_max, runtime_min (minutes),',
  'max_age (youngest suitable age: kids 7, family 10, teens 13), people ([{name, role: director|cast|any}]),',
  'leaving_within_days (titles leaving a service: soon 30, this week 7), free_only (bool: free or with ads),',
  'countries (ISO alpha-2 production countries), languages (ISO 639-1),',
  'like (titles the person wants something similar to), text (remaining topic words).',
  'Use null or [] when not said. Never invent constraints.',
].join('\n');

export async function parseWithLlm(
  query: string,
  lookup: CatalogLookup,
  options: LlmParserOptions,
): Promise<{ intent?: SearchIntent; reason: string }> {
  const url = `${options.baseUrl.replace(/\/$/, '')}/chat/completions`;
  let content: string;
  try {
    const res = await fetch(url, {
      method: 'POST',
      signal: AbortSignal.timeout(options.timeoutMs ?? 800),
      headers: {
        'content-type': 'application/json',
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      },
      body: JSON.stringify({
        model: options.model,
        temperature: 0,
        response_format: { type: 'json_object' },
        messages: [
          { role: 'system', content: SYSTEM },
          { role: 'user', content: query },
        ],
      }),
    });
    if (!res.ok) return { reason: `the endpoint answered HTTP ${res.status}` };
    const body = (await res.json()) as { choices?: Array<{ message?: { content?: string | null } }> };
    content = body.choices?.[0]?.message?.content ?? '';
  } catch (error) {
    const name = (error as Error).name;
    return {
      reason:
        name === 'TimeoutError' || name === 'AbortError'
          ? `no answer within ${options.timeoutMs ?? 800} ms`
          : `the endpoint failed (${(error as Error).message})`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(content.replace(/^```(?:json)?\s*|\s*```$/g, ''));
  } catch {
    return { reason: 'the answer was not JSON' };
  }
  const parsed = LlmIntentSchema.safeParse(json);
  if (!parsed.success)
    return {
      reason:
        `the answer did not fit the schema (${parsed.error.issues[0]?.path.join('.')}: ` +
        `${parsed.error.issues[0]?.message})`,
    };
  return { intent: toIntent(query, parsed.data, lookup), reason: 'ok' };
}

/** Maps the model's answer onto our intent, checking every name against our registries and catalog. */
function toIntent(query: string, a: z.infer<typeof LlmIntentSchema>, lookup: CatalogLookup): SearchIntent {
  const intent = emptyIntent();
  intent.parser = 'llm';
  const lower = query.toLowerCase();
  const span = (text: string, kind: SpanKind, value: string) => {
    const start = lower.indexOf(text.toLowerCase());
    if (start >= 0)
      intent.spans.push({
        start,
        end: start + text.length,
        text: query.slice(start, start + text.length),
        kind,
        value,
      });
  };
  for (const s of a.services) {
    const p = findPlatform(s);
    if (p) {
      if (!intent.services.includes(p.id)) intent.services.push(p.id);
      span(s, 'service', p.id);
    } else
      intent.notUnderstood.push({
        text: s,
        reason: `"${s}" is not a streaming service we know; it was not used as a filter`,
      });
  }
  intent.myServices = a.my_services;
  if (a.type) intent.type = a.type;
  intent.genres = a.genres as Genre[];
  intent.excludeGenres = a.exclude_genres as Genre[];
  for (const g of intent.genres) span(g, 'genre', g);
  for (const m of a.moods) {
    const mood = MOODS.find((x) => x.mood === m.toLowerCase());
    if (mood) {
      intent.moods.push({ mood: mood.mood, anyOf: mood.anyOf, keywords: mood.keywords });
      span(m, 'mood', mood.mood);
    }
  }
  if (a.year_from !== null) intent.yearFrom = a.year_from;
  if (a.year_to !== null) intent.yearTo = a.year_to;
  if (a.runtime_max !== null) intent.runtimeMax = a.runtime_max;
  if (a.runtime_min !== null) intent.runtimeMin = a.runtime_min;
  if (a.max_age !== null) intent.maxAge = a.max_age;
  if (a.leaving_within_days !== null) intent.leavingWithinDays = a.leaving_within_days;
  if (a.free_only) intent.freeOnly = true;
  for (const p of a.people) {
    const found = lookup.findPerson(p.name, p.role);
    if (found) {
      intent.people.push(found);
      span(p.name, 'person', found.name);
    } else
      intent.notUnderstood.push({
        text: p.name,
        reason: `no one called "${p.name}" is in the catalog; not used as a filter`,
      });
  }
  intent.countries = a.countries;
  intent.languages = a.languages;
  for (const l of a.like) {
    const t = lookup.findTitle(l);
    if (t) {
      intent.like.push({ text: l, titleId: t.id, title: t.title, year: t.year });
      span(l, 'like', t.title);
    } else
      intent.notUnderstood.push({ text: l, reason: `no title in the catalog matches "${l}", so "like" was ignored` });
  }
  intent.text = a.text;
  intent.spans.sort((x, y) => x.start - y.start);
  intent.confidence = 0.9;
  return intent;
}
