import { DomainError } from '@media-gateway/domain';
import { type Embedder, normalize, type TitleDoc } from './embedder.ts';

export interface OpenAiEmbedderOptions {
  /** The API base, e.g. `http://localhost:11434/v1` (`/embeddings` is appended). */
  baseUrl: string;
  model: string;
  apiKey?: string | undefined;
  /** The model's vector length; asked of the endpoint (one short text) by `prepare()` when unset. */
  dimensions?: number | undefined;
  timeoutMs?: number | undefined;
}

/**
 * Optional embedder over any OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, Ollama, TEI,
 * vLLM). Documents are sent as "title. genres. description" in batches. Failures surface as
 * UPSTREAM_UNAVAILABLE; nothing is made up when the endpoint is down.
 */
export class OpenAiEmbedder implements Embedder {
  readonly name: string;
  private known: number | undefined;
  constructor(private readonly options: OpenAiEmbedderOptions) {
    this.name = `openai:${options.model}`;
    this.known = options.dimensions;
  }

  get dimensions(): number {
    if (this.known === undefined) throw new Error('OpenAiEmbedder: call prepare() before reading dimensions');
    return this.known;
  }

  async prepare(): Promise<void> {
    if (this.known === undefined) this.known = (await this.call(['dimensions']))[0]!.length;
  }

  private async call(input: string[]): Promise<Float32Array[]> {
    const res = await fetch(`${this.options.baseUrl.replace(/\/$/, '')}/embeddings`, {
      method: 'POST',
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      headers: {
        'content-type': 'application/json',
        ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
      },
      body: JSON.stringify({ model: this.options.model, input }),
    }).catch((error: Error) => {
      throw new DomainError('UPSTREAM_UNAVAILABLE', `The embeddings endpoint failed: ${error.message}`, {
        source: 'embeddings',
        reason: error.name,
      });
    });
    if (!res.ok)
      throw new DomainError('UPSTREAM_UNAVAILABLE', `The embeddings endpoint answered HTTP ${res.status}.`, {
        source: 'embeddings',
        reason: `http_${res.status}`,
      });
    const body = (await res.json().catch(() => undefined)) as
      | { data?: Array<{ index: number; embedding: number[] }> }
      | undefined;
    const data = body?.data;
    if (!Array.isArray(data) || data.length !== input.length || data.some((d) => !Array.isArray(d?.embedding)))
      throw new DomainError(
        'UPSTREAM_UNAVAILABLE',
        `The embeddings endpoint answered without ${input.length} embeddings in "data".`,
        { source: 'embeddings', reason: 'bad_response' },
      );
    const out = data.sort((a, b) => a.index - b.index).map((d) => normalize(Float32Array.from(d.embedding)));
    if (this.known !== undefined && out.some((v) => v.length !== this.known))
      throw new DomainError(
        'UPSTREAM_UNAVAILABLE',
        `The embeddings endpoint answered vectors of ${out[0]!.length} dimensions, not ${this.known}.`,
        { source: 'embeddings', reason: 'dimensions' },
      );
    return out;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    return (await this.call([text]))[0]!;
  }

  async embedDocuments(docs: TitleDoc[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (let i = 0; i < docs.length; i += 128) {
      out.push(
        ...(await this.call(docs.slice(i, i + 128).map((d) => `${d.title}. ${d.genres.join(', ')}. ${d.description}`))),
      );
    }
    return out;
  }
}
