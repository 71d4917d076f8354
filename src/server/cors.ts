import type express from 'express';

/**
 * CORS for the browser origins listed in INDGANG_CORS_ORIGINS (exact matches, e.g.
 * https://app.example.dk); none by default, so browsers on other sites cannot call the API.
 */
export function cors(origins: string[]): express.RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin && allowed.has(origin)) {
      res.set('access-control-allow-origin', origin);
      res.append('vary', 'Origin');
      res.set(
        'access-control-expose-headers',
        'x-request-id, retry-after, ratelimit-limit, ratelimit-remaining, ratelimit-reset, ratelimit-policy',
      );
      if (req.method === 'OPTIONS') {
        res.set('access-control-allow-methods', 'GET, POST, OPTIONS');
        res.set('access-control-allow-headers', 'authorization, content-type, apollo-require-preflight');
        res.set('access-control-max-age', '600');
        res.status(204).end();
        return;
      }
    }
    next();
  };
}
