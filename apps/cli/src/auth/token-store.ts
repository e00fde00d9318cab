import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** Tokens for one server, as the token endpoint gave them plus when the access token expires. */
export interface StoredTokens {
  clientId: string;
  accessToken: string;
  refreshToken: string;
  scope: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** `$MG_CONFIG_DIR`, else `$XDG_CONFIG_HOME/media-gateway`, else `~/.config/media-gateway`. */
export function configDir(): string {
  if (process.env['MG_CONFIG_DIR']) return process.env['MG_CONFIG_DIR'];
  const base = process.env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return join(base, 'media-gateway');
}

export const tokenFile = () => join(configDir(), 'tokens.json');

async function readAll(): Promise<Record<string, StoredTokens>> {
  try {
    return JSON.parse(await readFile(tokenFile(), 'utf8')) as Record<string, StoredTokens>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(
      `Cannot read ${tokenFile()}: ${(error as Error).message}. Delete it and run "media-gateway login".`,
    );
  }
}

/** Written to a temp file with mode 0600 and renamed, so a crash never leaves a half-written or readable file. */
async function writeAll(all: Record<string, StoredTokens>): Promise<void> {
  const file = tokenFile();
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, file);
}

export async function loadTokens(url: string): Promise<StoredTokens | undefined> {
  return (await readAll())[url];
}

export async function saveTokens(url: string, tokens: StoredTokens): Promise<void> {
  const all = await readAll();
  all[url] = tokens;
  await writeAll(all);
}

export async function removeTokens(url: string): Promise<StoredTokens | undefined> {
  const all = await readAll();
  const old = all[url];
  if (old) {
    delete all[url];
    await writeAll(all);
  }
  return old;
}
