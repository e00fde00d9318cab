import type { Readable } from 'node:stream';
import { FILE_FORMATS, type FileFormat, parseAsOf } from '@media-gateway/catalog';
import { DomainError, isRegion } from '@media-gateway/domain';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireScope } from '../auth-guard.ts';
import type { AppContext } from '../context.ts';
import { defineRoute, parseInput, routeDocs } from '../route.ts';
import { saveUpload, UPLOAD_MAX_BYTES, uploadRunFromDb } from './admin-upload-job.ts';

const UploadQuery = z
  .object({
    filename: z.string().trim().min(1).max(200).optional(),
    format: z.enum(FILE_FORMATS as [FileFormat, ...FileFormat[]]).optional(),
    platform: z
      .string()
      .regex(/^[a-z0-9-]{1,40}$/, 'a platform id such as netflix (GET /api/platforms)')
      .optional(),
    region: z
      .string()
      .refine((r) => isRegion(r.toUpperCase()), 'a two-letter country code such as US')
      .optional(),
    /** When the file's availability was true (YYYY-MM-DD); without it offers say "as of unknown". */
    asOf: z.string().max(10).optional(),
  })
  .strict();

const ProgressParams = z.object({ runId: z.string().regex(/^[0-9a-f-]{36}$/i, 'a run id (UUID)') }).strict();

const UPLOAD_PATH = '/api/admin/ingestion/upload';

/**
 * POST /api/admin/ingestion/upload: a catalog file (catalog CSV, JustWatch CSV or our JSONL) as
 * the raw request body, ingested in this process by the same pipeline as the CLI; answers 202 with
 * the run id. Multipart is not accepted (decision 0103). GET …/upload/:runId: byte progress.
 */
export async function adminUploadRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const runner = ctx.services.uploads();

  // Its own scope: every content type arrives as the raw stream (streamed to disk, never buffered),
  // and the app's 1 MB JSON body limit does not apply; the upload limit below does.
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    routeDocs(app).push({
      method: 'POST',
      path: UPLOAD_PATH,
      tags: ['admin'],
      scope: 'admin',
      query: UploadQuery,
      summary:
        `Upload a catalog file as the raw body (≤ ${UPLOAD_MAX_BYTES} bytes) and ingest it in the background; ` +
        `202 with the run id. Format from ?format= or the header line; platform from ?platform= or the file name.`,
      responses: {
        202: 'UploadStarted',
        400: 'bad format, platform or parameter',
        401: 'no token',
        403: 'no admin scope',
        409: 'another upload is running',
        413: 'file too large',
        415: 'multipart',
      },
    });
    scope.route({
      method: 'POST',
      url: UPLOAD_PATH,
      preHandler: requireScope(ctx, 'admin'),
      handler: async (req, reply) => {
        const query = parseInput(UploadQuery, req.query, 'query');
        const type = String(req.headers['content-type'] ?? '');
        if (/^multipart\//i.test(type)) {
          // Fastify maps a plain 415 error to UNSUPPORTED_MEDIA_TYPE problem+json.
          throw Object.assign(
            new Error(
              'Send the file itself as the request body (e.g. curl ' +
                '--data-binary @file.csv), not as multipart form data.',
            ),
            { statusCode: 415 },
          );
        }
        const declared = Number(req.headers['content-length']);
        if (Number.isFinite(declared) && declared > UPLOAD_MAX_BYTES) {
          reply.header('connection', 'close');
          throw new DomainError(
            'PAYLOAD_TOO_LARGE',
            `The file is ${declared} bytes; the upload limit ` +
              `is ${UPLOAD_MAX_BYTES} bytes (${UPLOAD_MAX_BYTES / 1048576} MB).`,
            { limitBytes: UPLOAD_MAX_BYTES },
          );
        }
        const body = req.body as Readable | undefined;
        if (!body || typeof (body as Readable).pipe !== 'function')
          throw new DomainError('INVALID_INPUT', 'The upload is empty: send the catalog file as the request body.');
        const fileName = query.filename ?? (query.format === 'jsonl' ? 'upload.jsonl' : 'upload.csv');
        const saved = await saveUpload(body, fileName, UPLOAD_MAX_BYTES).catch((error: unknown) => {
          // The unread rest of an oversized body is discarded; close rather than keep the socket.
          if ((error as DomainError).code === 'PAYLOAD_TOO_LARGE') reply.header('connection', 'close');
          throw error;
        });
        const started = await runner.start(
          { ...saved, fileName },
          {
            ...(query.format ? { format: query.format } : {}),
            ...(query.platform ? { platform: query.platform } : {}),
            ...(query.region ? { region: query.region.toUpperCase() } : {}),
            seenAt: asOfDate(query.asOf, ctx.clock.now()),
          },
        );
        reply.status(202).header('location', `/api/admin/ingestion/upload/${started.runId}`);
        return {
          ...started,
          links: {
            progress: `/api/admin/ingestion/upload/${started.runId}`,
            problems: `/api/admin/ingestion/runs/${started.runId}/problems`,
            runs: '/api/admin/ingestion/runs',
          },
        };
      },
    });
  });

  defineRoute(app, {
    method: 'GET',
    path: `${UPLOAD_PATH}/:runId`,
    summary:
      'Progress of an upload: bytes read, rows and status from the process ingesting it; rows and status from any other.',
    tags: ['admin'],
    scope: 'admin',
    params: ProgressParams,
    preHandler: requireScope(ctx, 'admin'),
    responses: {
      200: 'UploadProgress',
      401: 'no token',
      403: 'no admin scope',
      404: 'no such upload (see the runs listing)',
    },
    handler: async ({ params }) => {
      // This process's own upload has byte progress; another replica's is read from the runs table.
      const p = runner.progress(params.runId) ?? (await uploadRunFromDb(ctx.db, params.runId));
      if (!p)
        throw new DomainError(
          'NOT_FOUND',
          `No upload ${params.runId}; GET /api/admin/ingestion/runs lists every run.`,
          { resource: 'upload', id: params.runId },
        );
      return p;
    },
  });
}

function asOfDate(raw: string | undefined, now: number): Date | null {
  if (raw === undefined) return null;
  const parsed = parseAsOf(raw, now);
  if ('error' in parsed)
    throw new DomainError('INVALID_INPUT', `asOf ${parsed.error}.`, {
      issues: [{ path: 'query.asOf', message: parsed.error }],
    });
  return parsed.date;
}
