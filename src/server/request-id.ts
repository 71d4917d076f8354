import { randomUUID } from 'node:crypto';
import type express from 'express';

/** A caller's own request id is kept when it looks like one (letters, digits, - _ . :, at most 128). */
const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id: the caller's `x-request-id` when it looks like one, else a new UUID. It is
 * sent back in the `x-request-id` header, kept in `res.locals.requestId` for the request log and the
 * GraphQL context (`requestId`), and named in masked errors.
 */
export const requestId: express.RequestHandler = (req, res, next) => {
  const given = req.get('x-request-id');
  const id = given && ACCEPTED.test(given) ? given : randomUUID();
  res.locals.requestId = id;
  res.set('x-request-id', id);
  next();
};
