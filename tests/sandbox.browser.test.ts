import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import type { DbHandle } from '../src/db/database.js';
import { connectors } from '../src/connectors.js';
import { mergedSchema } from '../src/graphql/schema.js';
import { startHttpServer, type RunningServer } from '../src/server/http.js';
import { freshDatabase } from './helpers/db.js';
import { ingestText } from './helpers/graph.js';
import { ndjson, testCvr, vrv } from './helpers/cvr.js';

const CHROMIUM = '/usr/bin/chromium';
const haveBrowser = fs.existsSync(CHROMIUM);
// CI sets INDGANG_REQUIRE_BROWSER so a missing browser fails instead of skipping.
if (!haveBrowser && process.env.INDGANG_REQUIRE_BROWSER) throw new Error(`${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(!haveBrowser)('sandbox in headless Chromium', () => {
  let h: DbHandle;
  let server: RunningServer;
  let browser: Browser;
  beforeAll(async () => {
    h = await freshDatabase({ name: 'pglite' });
    await ingestText(h.db, 'cvr', ndjson([vrv({ cvr: testCvr(1), name: 'Sandbox Smedie ApS' })]));
    server = await startHttpServer({ schema: mergedSchema(connectors), db: h.db, port: 0, production: false, sandbox: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // The machine has no internet: keep Chromium from trying to reach Google's services.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await h?.close();
  });

  it('loads with no outside requests, runs a company query and shows the result', async () => {
    const page = await browser.newPage();
    const outside: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url.replace('/graphql', ''))) outside.push(r.url());
    });
    await page.goto(server.url);
    await page.locator('.graphiql-query-editor .CodeMirror').waitFor({ timeout: 30_000 });
    // The README's operations as ready tabs, a favicon, and the schema file to download.
    await expect.poll(async () => page.locator('.graphiql-tab').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
    expect(await page.locator('link[rel=icon]').getAttribute('href')).toBe('/sandbox/favicon.svg');
    expect((await page.request.get(`${server.url.replace('/graphql', '')}/sandbox/favicon.svg`)).headers()['content-type']).toContain(
      'image/svg+xml',
    );
    expect(await page.locator('#schema-link').getAttribute('href')).toBe('/schema.graphql');
    // The explorer plugin (click-to-build queries) sits in the sidebar.
    await page.locator('.graphiql-sidebar button[aria-label*="GraphiQL Explorer"]').first().click();
    await page.locator('.graphiql-plugin').waitFor({ timeout: 10_000 });
    await expect.poll(async () => page.locator('.graphiql-plugin').innerText(), { timeout: 10_000 }).toContain('company');
    await page.evaluate(
      (q) => {
        (document.querySelector('.graphiql-query-editor .CodeMirror') as any).CodeMirror.setValue(q);
      },
      `{ company(cvr: "${testCvr(1)}") { name municipality { name } } }`,
    );
    await page.locator('button.graphiql-execute-button').click();
    const result = page.locator('.graphiql-response');
    await expect.poll(async () => result.innerText(), { timeout: 30_000 }).toContain('Sandbox Smedie ApS');
    expect(await result.innerText()).toContain('Herning');
    // A bad input in development: the message and code, not the stack trace the API response carries.
    await page.evaluate(() => {
      (document.querySelector('.graphiql-query-editor .CodeMirror') as any).CodeMirror.setValue('{ company(cvr: "12") { name } }');
    });
    await page.locator('button.graphiql-execute-button').click();
    await expect.poll(async () => result.innerText(), { timeout: 30_000 }).toContain('BAD_USER_INPUT');
    expect(await result.innerText()).toMatch(/cvr/);
    expect(await result.innerText()).not.toContain('stacktrace');
    const raw = await (
      await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ company(cvr: "12") { name } }' }),
      })
    ).json();
    expect(raw.errors[0].extensions.stacktrace).toBeDefined();
    expect(outside.filter((u) => !u.startsWith('data:'))).toEqual([]);
    await page.screenshot({ path: 'tests/.sandbox.png' });
  });
});
