import { randomUUID } from 'node:crypto';

/** A caller's own request id is kept when it looks like one (letters, digits, - _ . :, at most 128). */
const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Every request's id: the caller's `x-request-id` when it looks like one, else a new UUID. The server
 * (http.ts) makes it the request's id, sends it back in the `x-request-id` header, and hands it to the
 * request log and the GraphQL context (`requestId`), which names it in masked errors.
 */
export function requestIdFor(given: string | string[] | undefined): string {
  return typeof given === 'string' && ACCEPTED.test(given) ? given : randomUUID();
}
