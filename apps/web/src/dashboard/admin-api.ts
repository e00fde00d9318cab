import type {
  MergeQueue,
  MergeView,
  ResolutionOverride,
  UploadProgress,
  UploadStarted,
} from '@media-gateway/domain/contracts';
import { ApiError } from '../api/api-client.ts';
import { accessToken, refreshTokens } from '../auth/token-store.ts';

export type { MergeQueue, MergeView, ResolutionOverride, UploadProgress, UploadStarted };

/** Shapes of the admin endpoints (apps/gateway/src/routes/admin-*.ts) not yet among the API's contracts. */
export interface IngestionRun {
  id: string;
  source: string;
  mode?: string;
  status: string;
  startedAt?: string;
  finishedAt?: string | null;
  counts?: Record<string, number>;
  problemCount?: number;
  error?: string | null;
}

export interface LiveSource {
  source: string;
  configured: boolean;
  missing?: string[] | string;
}

export interface RowProblem {
  file: string;
  row: number;
  field: string;
  reason: string;
}

export interface AdminUser {
  id: string;
  email: string | null;
  displayName: string | null;
  isAdmin: boolean;
  hasPassword: boolean;
  linkedIdentities: number;
  createdAt: string;
  lastSignInAt: string | null;
}

export interface AdminMetrics {
  catalog: {
    titles: number;
    offers: number;
    offersByPlatform: Array<{ platform: string; offers: number; titles: number }>;
  };
  users: { total: number; admins: number };
  devices: { seenRecently: number; usersWithDevices: number; withinMinutes: number };
  requests: {
    ratePerSecond: number;
    p50Ms: number | null;
    p95Ms: number | null;
    count: number;
    windowSeconds: number;
    serverErrorRate: number;
  };
  ingestion: { running: number; failedLastDay: number };
}

/** The upload limit the gateway enforces (UPLOAD_MAX_BYTES); checked here too so nobody waits for a 413. */
export const UPLOAD_MAX_BYTES = 50 * 1024 * 1024;

function toApiError(status: number, text: string): ApiError {
  try {
    const p = JSON.parse(text) as { code?: string; detail?: string; title?: string } & Record<string, unknown>;
    return new ApiError(status, p.code ?? `HTTP_${status}`, p.detail ?? p.title ?? `HTTP ${status}`, p);
  } catch {
    return new ApiError(status, `HTTP_${status}`, text.slice(0, 200) || `HTTP ${status}`);
  }
}

function send(
  url: string,
  file: File,
  token: string | undefined,
  onSent: (fraction: number) => void,
): Promise<{ status: number; text: string }> {
  // XMLHttpRequest rather than fetch: only it reports upload progress for a large file.
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.setRequestHeader('accept', 'application/json');
    if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => e.lengthComputable && onSent(e.loaded / e.total);
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
    xhr.onerror = () =>
      reject(new ApiError(0, 'NETWORK', 'The upload did not reach the server. Check the connection and try again.'));
    xhr.send(file);
  });
}

/** POST /api/admin/ingestion/upload with the file as the raw body; resolves with the started run. */
export async function uploadCatalog(
  file: File,
  options: { platform?: string; region?: string; format?: string; asOf?: string },
  onSent: (fraction: number) => void,
): Promise<UploadStarted> {
  const params = new URLSearchParams({ filename: file.name });
  if (options.platform) params.set('platform', options.platform);
  if (options.region) params.set('region', options.region);
  if (options.format) params.set('format', options.format);
  if (options.asOf) params.set('asOf', options.asOf);
  const url = `/api/admin/ingestion/upload?${params}`;
  let res = await send(url, file, await accessToken(), onSent);
  if (res.status === 401 && (await refreshTokens())) res = await send(url, file, await accessToken(), onSent);
  if (res.status !== 202) throw toApiError(res.status, res.text);
  return JSON.parse(res.text) as UploadStarted;
}

/** "2025-06-01T10:20:30.000Z" → "2025-06-01 10:20" (UTC, as stored). */
export function shortTime(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 16).replace('T', ' ') : '–';
}
