import type { Readable } from 'node:stream';
import type { Scope } from '@media-gateway/auth';
import { IMPORT_FORMATS, type ImportFormat } from '@media-gateway/catalog';
import { DomainError } from '@media-gateway/domain';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { requireScope } from '../auth-guard.ts';
import type { AppContext } from '../context.ts';
import { getImport, listImports, reportCsv } from '../imports/import-store.ts';
import { runImport } from '../imports/run-import.ts';
import { erasePersonData } from '../privacy/person-data.ts';
import { defineRoute, parseInput, routeDocs } from '../route.ts';

/** Largest export file one import accepts (20 MiB: a Letterboxd export of 10,000 films is under 1 MB). */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;

const IMPORT_PATH = '/api/me/import';

const ImportQuery = z
  .object({
    /**
     * Overrides detection from the file's shape (needed only for
     * Letterboxd watched.csv vs watchlist.csv without a name).
     */
    format: z.enum(IMPORT_FORMATS as unknown as [ImportFormat, ...ImportFormat[]]).optional(),
    filename: z.string().trim().min(1).max(200).optional(),
  })
  .strict();
const ListQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).optional() }).strict();
const ReportParams = z.object({ id: z.string().regex(/^[0-9a-f-]{36}$/i, 'an import id (UUID)') }).strict();
const ReportQuery = z.object({ format: z.enum(['json', 'csv']).optional() }).strict();

/** Importing writes feedback and the watchlist, so it needs both scopes; reading reports needs the feedback one. */
function requireScopes(ctx: AppContext, first: Scope, ...more: Scope[]) {
  const firstCheck = requireScope(ctx, first);
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    await firstCheck(req, reply);
    for (const scope of more)
      if (!req.auth!.scopes.includes(scope)) {
        reply.header('www-authenticate', `Bearer realm="media-gateway", error="insufficient_scope", scope="${scope}"`);
        throw new DomainError('FORBIDDEN', `This token lacks the "${scope}" scope.`, { scope });
      }
  };
}

/**
 * Reads the raw body up to `maxBytes`, within `deadlineMs`. Past the size, reading stops at once and the 413 goes
 * out with `connection: close` (set by the caller), so a client streaming without end is not read to the end first;
 * a client that stalls is answered when the deadline passes.
 */
function readCapped(body: Readable, maxBytes: number, deadlineMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    const stop = (error: DomainError) => {
      clearTimeout(timer);
      body.off('data', onData);
      body.pause();
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= maxBytes) return void chunks.push(chunk);
      stop(
        new DomainError(
          'PAYLOAD_TOO_LARGE',
          `The file is larger than ${maxBytes} bytes (${maxBytes / 1048576} MB), the import limit.`,
          { limitBytes: maxBytes },
        ),
      );
    };
    const timer = setTimeout(
      () =>
        stop(
          new DomainError(
            'INVALID_INPUT',
            `The upload stalled: the file did not arrive within ${deadlineMs / 1000} s (${bytes} bytes came).`,
            { reason: 'upload_stalled' },
          ),
        ),
      deadlineMs,
    );
    body.on('data', onData);
    body.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    body.once('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
}

/** How long an upload may take to arrive (20 MB at 3 Mbit/s is about a minute). */
export const IMPORT_UPLOAD_DEADLINE_MS = 120_000;

/**
 * Imports parse and match on the server thread in slices; one person runs one at a time, and the replica a few in
 * all, so a handful of large uploads cannot hold everyone else's requests. A server-wide slot is taken only once the
 * file has arrived: two clients stalling their uploads must not block everyone's imports.
 */
const MAX_IMPORTS_AT_ONCE = 2;
const importing = new Map<string, 'uploading' | 'running'>();
const running = () => [...importing.values()].filter((state) => state === 'running').length;

/** Whether this replica is importing for the person now (tests wait on it to act in the middle of an import). */
export const isImporting = (userId: string): boolean => importing.get(userId) === 'running';

/** Whether the account exists and is not deleted. */
async function accountLive(ctx: AppContext, userId: string): Promise<boolean> {
  const { rows } = await ctx.db.query('SELECT 1 FROM users WHERE id = $1 AND deleted_at IS NULL', [userId]);
  return rows.length > 0;
}

/**
 * An import writes for seconds after its token was checked. When the account was deleted meanwhile, the erasure may
 * have run before these writes committed: they are erased now, and the caller is told. Either the deletion's erasure
 * came after the writes, or this check (made after them) sees the deletion.
 */
async function eraseIfDeletedMeanwhile(ctx: AppContext, userId: string, liveAtStart: boolean): Promise<void> {
  if (!liveAtStart || (await accountLive(ctx, userId))) return;
  await erasePersonData(ctx, userId, null);
  throw new DomainError('UNAUTHENTICATED', 'This account was deleted while the import ran; nothing was kept.', {
    reason: 'account_deleted',
  });
}

/**
 * Imports from other trackers (issue 19): POST /api/me/import takes a Letterboxd, IMDb, Trakt or
 * Netflix export as the raw body and answers with the summary; GET /api/me/imports lists a
 * person's imports and GET /api/me/imports/:id gives the report (JSON, or CSV).
 */
export async function meImportRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  // Its own scope, as the catalog upload: any content type arrives as the raw stream, and the app's
  // 1 MB JSON body limit does not apply; IMPORT_MAX_BYTES does.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    routeDocs(app).push({
      method: 'POST',
      path: IMPORT_PATH,
      tags: ['me'],
      scope: 'recommendations watchlist:write',
      query: ImportQuery,
      summary:
        `Import a Letterboxd, IMDb, Trakt or Netflix export, sent as the raw body ` +
        `(≤ ${IMPORT_MAX_BYTES} bytes): ratings and watches become feedback, watchlist ` +
        `rows join your watchlist; idempotent. Format from the file's shape or ?format=.`,
      responses: {
        201: 'ImportSummary',
        400: 'unreadable file or unknown shape (the answer names the expected ones), or an upload that stalled',
        401: 'no token',
        403: 'missing scope',
        409: 'an import for this account is still running (reason import_running)',
        413: 'file too large, more rows than one import reads, or a full watchlist',
        415: 'multipart',
        429: 'two imports are already running on this server (Retry-After)',
      },
    });
    scope.route({
      method: 'POST',
      url: IMPORT_PATH,
      preHandler: requireScopes(ctx, 'recommendations', 'watchlist:write'),
      handler: async (req, reply) => {
        const query = parseInput(ImportQuery, req.query, 'query');
        if (/^multipart\//i.test(String(req.headers['content-type'] ?? '')))
          throw Object.assign(
            new Error(
              'Send the export file itself as the request body (curl ' +
                '--data-binary @ratings.csv), not as multipart form data.',
            ),
            { statusCode: 415 },
          );
        const declared = Number(req.headers['content-length']);
        if (Number.isFinite(declared) && declared > IMPORT_MAX_BYTES) {
          reply.header('connection', 'close');
          throw new DomainError(
            'PAYLOAD_TOO_LARGE',
            `The file is ${declared} bytes; the import limit ` +
              `is ${IMPORT_MAX_BYTES} bytes (${IMPORT_MAX_BYTES / 1048576} MB).`,
            { limitBytes: IMPORT_MAX_BYTES },
          );
        }
        const userId = req.auth!.userId;
        if (importing.has(userId))
          throw new DomainError('CONFLICT', 'An import for this account is still running; wait for its report.', {
            reason: 'import_running',
          });
        importing.set(userId, 'uploading'); // before any await: a second request sees it
        let summary: Awaited<ReturnType<typeof runImport>> | undefined;
        let liveAtStart = false;
        try {
          liveAtStart = await accountLive(ctx, userId);
          const body = req.body as Readable | undefined;
          const bytes =
            body && typeof body.pipe === 'function'
              ? await readCapped(body, IMPORT_MAX_BYTES, IMPORT_UPLOAD_DEADLINE_MS).catch((error) => {
                  reply.header('connection', 'close');
                  throw error;
                })
              : Buffer.alloc(0);
          if (bytes.length === 0)
            throw new DomainError('INVALID_INPUT', 'The upload is empty: send the export file as the request body.');
          if (running() >= MAX_IMPORTS_AT_ONCE)
            throw new DomainError('RATE_LIMITED', 'Other imports are running on this server; try again in a moment.', {
              retryAfterSeconds: 5,
            });
          importing.set(userId, 'running');
          summary = await runImport(ctx, userId, { bytes, format: query.format, fileName: query.filename });
        } finally {
          importing.delete(userId);
          // Also after a failed import: whatever it wrote before failing is erased if the account went meanwhile.
          await eraseIfDeletedMeanwhile(ctx, userId, liveAtStart);
        }
        reply.status(201).header('location', summary.links.report);
        return summary;
      },
    });
  });

  defineRoute(app, {
    method: 'GET',
    path: '/api/me/imports',
    summary: 'Your imports from other trackers, newest first, with their counts.',
    tags: ['me'],
    scope: 'recommendations',
    query: ListQuery,
    preHandler: requireScope(ctx, 'recommendations'),
    responses: { 200: 'ImportList', 401: 'no token', 403: 'missing scope' },
    handler: async ({ req, query }) => ({ imports: await listImports(ctx.db, req.auth!.userId, query.limit ?? 50) }),
  });

  defineRoute(app, {
    method: 'GET',
    path: '/api/me/imports/:id',
    summary:
      'The report of one import: every row, matched (and how) ' +
      'or not (and why). JSON, or CSV with ?format=csv or Accept: text/csv.',
    tags: ['me'],
    scope: 'recommendations',
    params: ReportParams,
    query: ReportQuery,
    preHandler: requireScope(ctx, 'recommendations'),
    responses: { 200: 'ImportReport', 401: 'no token', 403: 'missing scope', 404: 'no such import of yours' },
    handler: async ({ req, reply, params, query }) => {
      const report = await getImport(ctx.db, req.auth!.userId, params.id);
      if (!report)
        throw new DomainError('NOT_FOUND', `No import ${params.id} of yours.`, { resource: 'import', id: params.id });
      reply.header('cache-control', 'no-store');
      const wantsCsv = query.format ? query.format === 'csv' : /\btext\/csv\b/i.test(String(req.headers.accept ?? ''));
      if (!wantsCsv) return report;
      reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="import-${report.id}.csv"`);
      return reportCsv(report);
    },
  });
}
