import { DomainError } from '@media-gateway/domain';

/**
 * Where user-scoped commands find the server and the person's access token.
 * Order: --url / MG_URL, then http://localhost:3000; token from MG_TOKEN.
 * (`media-gateway login` stores tokens in the user's config directory; see the auth commands.)
 */
export interface Credentials {
  url: string;
  token: string;
}

export type TokenProvider = (url: string) => Promise<string | undefined>;

const providers: TokenProvider[] = [async () => process.env['MG_TOKEN'] || undefined];

/** Lets the login module add the stored-token provider (tried before MG_TOKEN). */
export function addTokenProvider(provider: TokenProvider): void {
  providers.unshift(provider);
}

export function serverUrl(flag?: string): string {
  return (flag ?? process.env['MG_URL'] ?? 'http://localhost:3000').replace(/\/$/, '');
}

export async function requireCredentials(urlFlag?: string): Promise<Credentials> {
  const url = serverUrl(urlFlag);
  for (const provider of providers) {
    const token = await provider(url);
    if (token) return { url, token };
  }
  throw new DomainError('UNAUTHENTICATED', `Not signed in to ${url}. Run "media-gateway login" (or set MG_TOKEN).`);
}
