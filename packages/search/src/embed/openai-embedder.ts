import { DomainError } from '@media-gateway/domain';
import { type Embedder, normalize, type TitleDoc } from './embedder.ts';

/**
 * Optional embedder over any OpenAI-compatible `/v1/embeddings` endpoint (OpenAI, Ollama, TEI,
 * vLLM). Documents are sent as "title. genres. description" in batches. Failures surface as
 * UPSTREAM_UNAVAILABLE; nothing is made up when the endpoint is down.
 */
export class OpenAiEmbedder implements Embedder {
  readonly name: string;
  constructor(
    private readonly options: {
      baseUrl: string;
      model: string;
      apiKey?: string | undefined;
      dimensions: number;
      timeoutMs?: number;
    },
  ) {
    this.name = `openai:${options.model}`;
  }

  get dimensions(): number {
    return this.options.dimensions;
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
    const body = (await res.json()) as { data: Array<{ index: number; embedding: number[] }> };
    return body.data.sort((a, b) => a.index - b.index).map((d) => normalize(Float32Array.from(d.embedding)));
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
