import { randomUUID } from 'node:crypto';
import type express from 'express';

/**
 * One id per HTTP request: `res.locals.requestId` and the `x-request-id` response header. The GraphQL
 * context carries it as `requestId`; server-side logs of a request (masked errors included) name it, so
 * a client that quotes the header can be matched to the log line.
 */
export const requestId: express.RequestHandler = (_req, res, next) => {
  const id = randomUUID();
  res.locals.requestId = id;
  res.set('x-request-id', id);
  next();
};
