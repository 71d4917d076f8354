import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
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

/** Replaces the query editor's text as a person would: select all, then type (inserted whole, so no auto-closing). */
async function setQuery(page: Page, query: string): Promise<void> {
  await page.locator('.graphiql-query-editor .monaco-editor').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(query);
}

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
    const workers: string[] = [];
    page.on('worker', (w) => workers.push(new URL(w.url()).pathname));
    page.on('request', (r) => {
      if (!r.url().startsWith(server.url.replace('/graphql', ''))) outside.push(r.url());
    });
    await page.goto(server.url);
    // GraphiQL 5's editors are Monaco; its language services run in workers the hub serves too.
    await page.locator('.graphiql-query-editor .monaco-editor').waitFor({ timeout: 120_000 });
    // The README's operations as ready tabs, a favicon, and the schema file to download.
    await expect.poll(async () => page.locator('.graphiql-tab').count(), { timeout: 120_000 }).toBeGreaterThanOrEqual(5);
    expect(await page.locator('link[rel=icon]').getAttribute('href')).toBe('/sandbox/favicon.svg');
    expect((await page.request.get(`${server.url.replace('/graphql', '')}/sandbox/favicon.svg`)).headers()['content-type']).toContain(
      'image/svg+xml',
    );
    expect(await page.locator('#schema-link').getAttribute('href')).toBe('/schema.graphql');
    // The explorer plugin (click-to-build queries) sits in the sidebar.
    await page.locator('.graphiql-sidebar button[aria-label*="GraphiQL Explorer"]').first().click();
    await page.locator('.graphiql-plugin').waitFor({ timeout: 120_000 });
    await expect.poll(async () => page.locator('.graphiql-plugin').innerText(), { timeout: 120_000 }).toContain('company');
    await setQuery(page, `{ company(cvr: "${testCvr(1)}") { name municipality { name } } }`);
    await page.locator('button.graphiql-execute-button').click();
    // Monaco renders spaces as no-break spaces (and only the lines in view: the answers here are short).
    const shown = async () => (await page.locator('.graphiql-response').innerText()).replace(/\s+/g, ' ');
    await expect.poll(async () => shown(), { timeout: 120_000 }).toContain('Sandbox Smedie ApS');
    expect(await shown()).toContain('Herning');
    // A bad input in development: the message and code, not the stack trace the API response carries.
    await setQuery(page, '{ company(cvr: "12") { name } }');
    await page.locator('button.graphiql-execute-button').click();
    await expect.poll(async () => shown(), { timeout: 120_000 }).toContain('BAD_USER_INPUT');
    expect(await shown()).toMatch(/cvr/);
    expect(await shown()).not.toContain('stacktrace');
    const raw = await (
      await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ company(cvr: "12") { name } }' }),
      })
    ).json();
    expect(raw.errors[0].extensions.stacktrace).toBeDefined();
    // Monaco's language services started from the hub's own worker bundles (GraphQL validation, JSON for the result).
    expect(workers).toContain('/sandbox/graphql.worker.js');
    expect(workers).toContain('/sandbox/editor.worker.js');
    expect(outside.filter((u) => !u.startsWith('data:'))).toEqual([]);
    // Headers (an API key) stay in this browser between visits.
    const headers = page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden) .monaco-editor');
    await page.getByRole('button', { name: 'Headers' }).click();
    await headers.click();
    await page.keyboard.insertText('{ "Authorization": "Bearer indgang_sandbox_test" }');
    await expect
      .poll(async () => page.evaluate(() => JSON.stringify(localStorage)), { timeout: 120_000 })
      .toContain('indgang_sandbox_test');
    await page.reload();
    await page.getByRole('button', { name: 'Headers' }).click();
    await expect.poll(async () => headers.innerText(), { timeout: 120_000 }).toContain('indgang_sandbox_test');
    await page.screenshot({ path: 'tests/.sandbox.png' });
  });
});
