import http from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../src/db/database.js';
import { connectors } from '../src/connectors.js';
import { mergedSchema } from '../src/graphql/schema.js';
import { clientAuthenticator, type TokenSettings } from '../src/security/authenticate.js';
import { startHttpServer, type RunningServer } from '../src/server/http.js';
import { revokeCaller } from '../src/security/store.js';
import { dbTargets, freshDatabase } from './helpers/db.js';
import { ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';
import { apiKey, ISSUER, issuerKeys, token } from './helpers/security.js';

const CVR = testCvr(1);
const QUERY = `{ company(cvr: "${CVR}") { name recruitment { layoffNotices { date } } } }`;

const post = (url: string, query: string, authorization?: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: JSON.stringify({ query }),
  });

/** A 401 as the issue asks: the challenge header, UNAUTHENTICATED, a clear message, and nothing about the schema. */
async function expect401(res: Response, message: string | RegExp) {
  expect(res.status).toBe(401);
  expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="indgang"/);
  const body = await res.json();
  expect(Object.keys(body)).toEqual(['errors']);
  expect(body.errors).toHaveLength(1);
  expect(body.errors[0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
  expect(body.errors[0].message).toMatch(message);
  expect(JSON.stringify(body)).not.toMatch(/Company|recruitment|Did you mean/);
}

describe.each(dbTargets)('authentication over HTTP on $name', (target) => {
  let h: DbHandle;
  let prod: RunningServer;
  let dev: RunningServer;
  let jwksServer: http.Server;
  let viaJwks: RunningServer;
  let keys: Awaited<ReturnType<typeof issuerKeys>>;
  let readerKey: string;
  let revokedKey: string;
  beforeAll(async () => {
    h = await freshDatabase(target);
    await ingestText(h.db, 'cvr', ndjson([vrv({ cvr: CVR, name: 'Herning Stål ApS' })]));
    readerKey = await apiKey(h.db, 'herning-jc', ['read:registry', 'read:contacts'], ['Jobcenter Herning']);
    revokedKey = await apiKey(h.db, 'old-system', ['read:registry']);
    await revokeCaller(h.db, 'old-system');
    keys = await issuerKeys();
    const tokens: TokenSettings = { issuer: ISSUER, publicKey: keys.pem, audience: 'indgang', organisationClaim: 'organisation' };
    const schema = mergedSchema(connectors);
    prod = await startHttpServer({
      schema,
      db: h.db,
      port: 0,
      production: true,
      sandbox: false,
      auth: { kind: 'client', authenticate: clientAuthenticator({ db: h.db, required: true, tokens }) },
    });
    dev = await startHttpServer({ schema, db: h.db, port: 0, production: false, sandbox: true });
    // An issuer that publishes its keys as a JWKS, as OpenID Connect providers do.
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    jwksServer = http.createServer((_req, res) => res.setHeader('content-type', 'application/json').end(JSON.stringify({ keys: [jwk] })));
    await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
    const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as { port: number }).port}/jwks.json`;
    viaJwks = await startHttpServer({
      schema,
      db: h.db,
      port: 0,
      production: true,
      sandbox: false,
      auth: {
        kind: 'client',
        authenticate: clientAuthenticator({
          db: h.db,
          required: true,
          tokens: { issuer: ISSUER, jwksUrl, organisationClaim: 'organisation' },
        }),
      },
    });
  });
  afterAll(async () => {
    await prod?.stop();
    await dev?.stop();
    await viaJwks?.stop();
    jwksServer?.close();
    await h?.close();
  });

  it('refuses an anonymous request in production with 401, a Bearer challenge and UNAUTHENTICATED', async () => {
    await expect401(await post(prod.url, QUERY), 'authentication required: send "Authorization: Bearer <API key or token>"');
    await expect401(await post(prod.url, '{ __schema { types { name } } }'), /authentication required/);
    await expect401(await fetch(`${prod.url}?query=${encodeURIComponent(QUERY)}`), /authentication required/);
  });

  it('answers a valid API key with what its scopes allow', async () => {
    const res = await post(prod.url, QUERY, `Bearer ${readerKey}`);
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.data).toEqual({ company: { name: 'Herning Stål ApS', recruitment: null } });
    expect(body.errors.map((e: any) => [e.path.join('.'), e.extensions.code])).toEqual([['company.recruitment', 'FORBIDDEN']]);
  });

  it('refuses a key revoked while it is in use at once, though the server keeps callers it read for a few seconds', async () => {
    const key = await apiKey(h.db, 'short-lived', ['read:registry']);
    expect((await post(prod.url, QUERY, `Bearer ${key}`)).status).toBe(200);
    expect((await post(prod.url, QUERY, `Bearer ${key}`)).status).toBe(200);
    await revokeCaller(h.db, 'short-lived');
    await expect401(await post(prod.url, QUERY, `Bearer ${key}`), /^this API key was revoked on /);
  });

  it('refuses unknown, revoked and malformed keys and other headers with a clear 401', async () => {
    await expect401(await post(prod.url, QUERY, `Bearer indgang_${'A'.repeat(43)}`), 'unknown API key');
    await expect401(await post(prod.url, QUERY, `Bearer ${revokedKey}`), /^this API key was revoked on \d{4}-\d{2}-\d{2}$/);
    await expect401(await post(prod.url, QUERY, `Bearer ${readerKey.slice(0, -1)}`), /^malformed API key/);
    await expect401(await post(prod.url, QUERY, 'Bearer not-a-credential'), /^malformed credentials/);
    await expect401(await post(prod.url, QUERY, `Basic ${Buffer.from('a:b').toString('base64')}`), /must read "Bearer/);
  });

  it("maps a token's scope and organisation claims to a principal", async () => {
    const t = await token(
      keys.privateKey,
      { sub: 'aarhus-system', scope: 'read:registry read:jobcentre unknown:scope', organisation: ['Jobcenter Aarhus'] },
      { audience: 'indgang' },
    );
    const res = await post(
      prod.url,
      `{ viewer { name kind scopes organisations } company(cvr: "${CVR}") { name recruitment { layoffNotices { date } } } }`,
      `Bearer ${t}`,
    );
    const body = await res.json();
    expect(body).toEqual({
      data: {
        viewer: {
          name: 'oidc:aarhus-system',
          kind: 'TOKEN',
          scopes: ['read:registry', 'read:jobcentre'],
          organisations: ['Jobcenter Aarhus'],
        },
        company: { name: 'Herning Stål ApS', recruitment: { layoffNotices: [] } },
      },
      extensions: { cost: { requested: expect.any(Number), limit: expect.any(Number) } },
    });
  });

  it('refuses expired, wrongly signed and foreign tokens with a clear 401', async () => {
    const claims = { sub: 'aarhus-system', scope: 'read:registry' };
    await expect401(
      await post(prod.url, QUERY, `Bearer ${await token(keys.privateKey, claims, { audience: 'indgang', expiresIn: -3600 })}`),
      'the token has expired',
    );
    const other = await issuerKeys();
    await expect401(
      await post(prod.url, QUERY, `Bearer ${await token(other.privateKey, claims, { audience: 'indgang' })}`),
      "the token signature does not verify with the issuer's key",
    );
    await expect401(
      await post(
        prod.url,
        QUERY,
        `Bearer ${await token(keys.privateKey, claims, { audience: 'indgang', issuer: 'https://evil.example' })}`,
      ),
      'the token\'s "iss" claim is not accepted (not the expected value)',
    );
    await expect401(
      await post(prod.url, QUERY, `Bearer ${await token(keys.privateKey, claims, { audience: 'someone-else' })}`),
      'the token\'s "aud" claim is not accepted (not the expected value)',
    );
    // A token signed with a shared secret, as if the public key were one (algorithm confusion), is refused.
    const { SignJWT } = await import('jose');
    const hs = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience('indgang')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(keys.pem));
    await expect401(await post(prod.url, QUERY, `Bearer ${hs}`), /not accepted/);
    await expect401(await post(prod.url, QUERY, 'Bearer eyJhbGciOiJFUzI1NiJ9.e30.c2ln'), /malformed|does not verify/);
  });

  it("verifies tokens against the issuer's published key set (JWKS)", async () => {
    const good = await token(keys.privateKey, { sub: 'veu-provider', scope: 'read:registry' }, { kid: 'k1' });
    const res = await post(viaJwks.url, `{ viewer { name scopes } }`, `Bearer ${good}`);
    expect(await res.json()).toEqual({
      data: { viewer: { name: 'oidc:veu-provider', scopes: ['read:registry'] } },
      extensions: { cost: { requested: expect.any(Number), limit: expect.any(Number) } },
    });
    const other = await generateKeyPair('ES256');
    const bad = await token(other.privateKey, { sub: 'veu-provider', scope: 'read:registry' }, { kid: 'k1' });
    await expect401(await post(viaJwks.url, `{ viewer { name } }`, `Bearer ${bad}`), /does not verify/);
  });

  it('in development runs as the local developer without credentials, but still refuses bad ones', async () => {
    const res = await post(
      dev.url,
      `{ viewer { name kind anyOrganisation } company(cvr: "${CVR}") { recruitment { layoffNotices { date } } } }`,
    );
    expect(await res.json()).toEqual({
      data: {
        viewer: { name: 'local-developer', kind: 'DEVELOPER', anyOrganisation: true },
        company: { recruitment: { layoffNotices: [] } },
      },
      extensions: { cost: { requested: expect.any(Number), limit: expect.any(Number) } },
    });
    await expect401(await post(dev.url, QUERY, `Bearer ${revokedKey}`), /revoked/);
    const asKey = await post(dev.url, `{ viewer { name } }`, `Bearer ${readerKey}`);
    expect(await asKey.json()).toEqual({
      data: { viewer: { name: 'herning-jc' } },
      extensions: { cost: { requested: expect.any(Number), limit: expect.any(Number) } },
    });
    // The sandbox page itself needs no credentials; its requests do, as any other.
    expect(await (await fetch(dev.url, { headers: { accept: 'text/html' } })).text()).toContain('GraphiQL');
  });
});
