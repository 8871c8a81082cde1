import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { BlobSha, ROLES } from '../../../common/sync/hubApi';
import {
  BlobProgress,
  MAX_BLOB_BYTES,
  MAX_BLOB_CHUNK_BYTES,
  UPLOAD_LENGTH_HEADER,
  UPLOAD_OFFSET_HEADER,
} from '../../../common/sync/protocol';
import { HubError } from '../../errors';
import { userOf } from '../../plugins/auth';
import { appendBlobChunk, blobState, readBlobFor } from '../../store/blobs';
import { errorResponses, SIGNED_IN } from '../schemas';

const Offset = z.coerce.number().int().min(0).max(MAX_BLOB_BYTES);
const Chunk = z.instanceof(Buffer).describe('application/octet-stream: the bytes from upload-offset on');

const blobRoutes: FastifyPluginAsyncZod = async (app) => {
  const signedIn = app.requireRole(...ROLES);
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer', bodyLimit: MAX_BLOB_CHUNK_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.head(
    '/:sha256',
    {
      onRequest: signedIn,
      schema: {
        summary: 'Is the blob on the hub? 200 yes (skip it); 404 with upload-offset = bytes held so far',
        params: BlobSha,
        response: { 200: z.null(), 404: z.null(), ...errorResponses(...SIGNED_IN) },
      },
    },
    async (request, reply) => {
      const state = await blobState(app.db, request.params.sha256);
      if (state.present) return reply.header('content-length', state.size).code(200).send(null);
      return reply.header(UPLOAD_OFFSET_HEADER, state.offset).code(404).send(null);
    },
  );

  app.patch(
    '/:sha256',
    {
      onRequest: signedIn,
      schema: {
        summary: 'Uploads the next bytes of a blob; the last chunk is re-hashed and refused on mismatch',
        params: BlobSha,
        headers: z
          .object({ [UPLOAD_OFFSET_HEADER]: Offset, [UPLOAD_LENGTH_HEADER]: Offset.pipe(z.number().min(1)) })
          .loose(),
        body: Chunk,
        response: { 200: BlobProgress, ...errorResponses(...SIGNED_IN, 409, 422) },
      },
    },
    async (request, reply) => {
      const { sha256 } = request.params;
      const offset = request.headers[UPLOAD_OFFSET_HEADER];
      const length = request.headers[UPLOAD_LENGTH_HEADER];
      const chunk = request.body;
      const result = await app.db.transaction((tx) => appendBlobChunk(tx, { sha256, offset, length, chunk }));
      if (result.conflict) {
        reply.header(UPLOAD_OFFSET_HEADER, result.offset);
        throw new HubError('conflict', `the hub holds ${result.offset} bytes of this blob; resume there`, {
          offset: result.offset,
        });
      }
      if (result.offset < 0) {
        throw new HubError(
          'hash_mismatch',
          'the uploaded bytes do not hash to this name; upload again from 0',
        );
      }
      reply.header(UPLOAD_OFFSET_HEADER, result.offset);
      return { offset: result.offset, complete: result.complete };
    },
  );

  app.get(
    '/:sha256',
    {
      onRequest: signedIn,
      schema: {
        summary: 'The bytes of a blob a task the user may see refers to',
        params: BlobSha,
        response: { 200: Chunk, ...errorResponses(...SIGNED_IN, 404) },
      },
    },
    async (request, reply) => {
      const bytes = await readBlobFor(app.db, userOf(request), request.params.sha256);
      return reply.type('application/octet-stream').send(bytes);
    },
  );
};

export default blobRoutes;
