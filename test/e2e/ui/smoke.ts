// UI smoke test with playwright-core in Chromium against code-server's workbench: open a Bicep file
// from examples/, see the warning squiggles and the status-bar counts, hover a squiggle, open the
// quick-fix menu with Ctrl+., apply the fix and see the squiggle go; click Brickguard's status bar
// item to scan the workspace. Saves screenshots (docs/images/*.png by default).
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { REPO_ROOT, runInCodeServer, type HarnessResult } from '../harness';

export interface UiSmokeOptions {
  /** Where the PNG screenshots go. */
  screenshotsDir: string;
  /** Install this .vsix instead of loading the repository as a development extension. */
  vsix?: string;
  timeoutMs?: number;
}

export interface UiSmokeResult extends HarnessResult {
  screenshots: string[];
  steps: string[];
}

const EXAMPLE = 'workspace.bicep';

async function waitFor<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`UI smoke: timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function squiggles(page: Page): Promise<number> {
  return page.locator('.monaco-editor .squiggly-warning, .monaco-editor .squiggly-error').count();
}

async function problemsLabel(page: Page): Promise<string> {
  return (await page.locator('#status\\.problems').first().getAttribute('aria-label')) ?? '';
}

function warningsIn(label: string): number {
  return Number(/Warnings?:\s*(\d+)/i.exec(label)?.[1] ?? 0);
}

function errorsIn(label: string): number {
  return Number(/Errors?:\s*(\d+)/i.exec(label)?.[1] ?? 0);
}

export async function runUiSmoke(options: UiSmokeOptions): Promise<UiSmokeResult> {
  mkdirSync(options.screenshotsDir, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'brickguard-ui-'));
  const workspace = join(scratch, 'examples');
  cpSync(join(REPO_ROOT, 'examples'), workspace, { recursive: true });
  const screenshots: string[] = [];
  const steps: string[] = [];
  const shoot = async (page: Page, name: string) => {
    const path = join(options.screenshotsDir, `${name}.png`);
    await page.screenshot({ path });
    screenshots.push(path);
  };
  const step = (text: string) => {
    steps.push(text);
    if (process.env.BRICKGUARD_E2E_VERBOSE) process.stderr.write(`[ui] ${text}\n`);
  };
  try {
    const result = await runInCodeServer({
      workspace,
      extensionDevelopmentPath: options.vsix ? undefined : REPO_ROOT,
      installVsix: options.vsix ? [options.vsix] : undefined,
      timeoutMs: options.timeoutMs ?? 4 * 60_000,
      viewport: { width: 1400, height: 900 },
      settings: {
        'editor.fontSize': 14,
        'editor.minimap.enabled': false,
        'window.commandCenter': false,
        'workbench.layoutControl.enabled': false,
        'editor.hover.delay': 150,
        'workbench.activityBar.location': 'default',
        'breadcrumbs.enabled': false,
      },
      drive: async ({ page }) => {
        await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
        await page.waitForSelector('.explorer-folders-view, .monaco-workbench .part.sidebar', { timeout: 60_000 });
        step('workbench loaded');

        // Open the example with Quick Open.
        await page.keyboard.press('Control+P');
        await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
        await page.keyboard.type(EXAMPLE);
        await waitFor('the file in Quick Open', async () => (await page.locator('.quick-input-list .monaco-list-row').count()) > 0);
        await page.keyboard.press('Enter');
        await page.waitForSelector(`.tab[data-resource-name="${EXAMPLE}"], .tab[aria-label*="${EXAMPLE}"]`, { timeout: 30_000 });
        step(`opened ${EXAMPLE}`);

        const initial = await waitFor('at least three warning squiggles', async () => {
          const n = await squiggles(page);
          return n >= 3 ? n : undefined;
        }, 60_000);
        const problems = await waitFor('the Problems status bar count', async () => {
          const label = await problemsLabel(page);
          return warningsIn(label) >= 3 ? label : undefined;
        });
        // Brickguard's item shows the file's finding count ("Brickguard 3", or "Brickguard ✓").
        const brickguardItem = page.locator('.statusbar-item', { hasText: /Brickguard (\d+|✓)/ }).first();
        // Its accessible label says "N findings in this file (E errors, W warnings, …)";
        // the errors and warnings must match the Problems count (only Brickguard reports here).
        const consistent = async () => {
          const text = (await brickguardItem.innerText()).trim();
          const label = (await brickguardItem.getAttribute('aria-label')) ?? '';
          const problemsNow = await problemsLabel(page);
          const errors = Number(/(\d+) errors?\b/.exec(label)?.[1] ?? 0);
          const warnings = Number(/(\d+) warnings?\b/.exec(label)?.[1] ?? 0);
          const total = text.includes('✓') ? 0 : Number(/Brickguard\s+(\d+)/.exec(text)?.[1] ?? -1);
          return total >= errors + warnings && errors === errorsIn(problemsNow) && warnings === warningsIn(problemsNow) ? text : undefined;
        };
        const itemText = await waitFor('the Brickguard status bar item to match the Problems count', consistent);
        step(`${initial} squiggles, problems "${problems}", status bar "${itemText}"`);
        await page.mouse.move(5, 700);
        await shoot(page, 'diagnostics');

        // Hover the squiggle on the `publicNetworkAccess: 'Enabled'` line.
        // Lines move when the code lens arrives: each look measures the line again.
        const squigglesOn = (text: string) => async () => {
          const lineBox = await page.locator('.monaco-editor .view-line', { hasText: text }).first().boundingBox();
          assert.ok(lineBox, `${EXAMPLE} shows a line with ${text}`);
          const boxes = await Promise.all((await page.locator('.monaco-editor .squiggly-warning').all()).map((l) => l.boundingBox()));
          return boxes.filter((b): b is NonNullable<typeof b> => !!b && Math.abs(b.y + b.height / 2 - (lineBox.y + lineBox.height / 2)) < lineBox.height / 2);
        };
        const [box] = await waitFor('a squiggle on the publicNetworkAccess line', async () => {
          const found = await squigglesOn('publicNetworkAccess')();
          return found.length > 0 ? found : undefined;
        });
        const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
        await page.mouse.move(centre.x - 20, centre.y);
        await page.mouse.move(centre.x, centre.y, { steps: 4 });
        const hoverText = await waitFor('the hover', async () => {
          const hover = page.locator('.monaco-hover:not(.hidden)').first();
          if (!(await hover.isVisible())) {
            await page.mouse.move(centre.x + 1, centre.y);
            return undefined;
          }
          const text = await hover.innerText();
          return /public/i.test(text) && /brickguard|databricks-public-network-access/i.test(text) ? text : undefined;
        });
        step(`hover: ${hoverText.split('\n')[0]}`);
        await new Promise((r) => setTimeout(r, 300));
        // The secure setting and the guidance link are visible without scrolling the hover.
        await shoot(page, 'hover');
        const hoverBox = (await page.locator('.monaco-hover:not(.hidden)').first().boundingBox())!;
        for (const [what, locator] of [
          ['the secure setting', page.locator('.monaco-hover:not(.hidden)').getByText(/requiredNsgRules: 'NoAzureDatabricksRules'/).first()],
          ['the guidance link', page.locator('.monaco-hover:not(.hidden)').getByRole('link', { name: 'Guidance' }).first()],
        ] as const) {
          const box = await locator.boundingBox({ timeout: 5000 }).catch(() => null);
          assert.ok(box, `the hover shows ${what}`);
          assert.ok(box.y >= hoverBox.y && box.y + box.height <= hoverBox.y + hoverBox.height, `${what} is inside the hover's visible area`);
          assert.ok(box.y + box.height <= 900, `${what} is on screen`);
        }

        // The posture: a code lens above the workspace, and the hover over its symbolic name.
        const lens = await waitFor('the posture code lens', async () => {
          const text = await page.locator('.monaco-editor .codelens-decoration', { hasText: 'Brickguard:' }).first().innerText();
          return /Brickguard: \d+ of \d+ checks? pass/.test(text) ? text : undefined;
        });
        step(`code lens: ${lens}`);
        await page.keyboard.press('Escape');
        const declaration = page.locator('.monaco-editor .view-line', { hasText: 'resource workspace' }).first();
        // The line's text span is as wide as its characters (a monospace font): aim at the name's third letter.
        const textSpan = declaration.locator(':scope > span').first();
        const lineText = (await textSpan.innerText({ timeout: 5000 })).replace(/\u00a0/g, ' ');
        const textBox = await textSpan.boundingBox({ timeout: 5000 });
        assert.ok(textBox && lineText.startsWith('resource workspace'), `the resource declaration line: ${lineText}`);
        const charWidth = textBox.width / lineText.length;
        const nameAt = { x: textBox.x + charWidth * ('resource '.length + 2.5), y: textBox.y + textBox.height / 2 };
        await page.mouse.move(nameAt.x - 10, nameAt.y);
        await page.mouse.move(nameAt.x, nameAt.y, { steps: 4 });
        const postureText = await waitFor('the posture hover', async () => {
          const hover = page.locator('.monaco-hover:not(.hidden)').first();
          if (!(await hover.isVisible())) {
            await page.mouse.move(nameAt.x + 1, nameAt.y);
            return undefined;
          }
          const text = await hover.innerText();
          return /Brickguard posture of/.test(text) ? text : undefined;
        });
        assert.match(postureText, /Public network access is on|allows public network access/);
        assert.match(postureText, /Not applicable \(public network access is on\): Cluster traffic uses back-end Private Link/);
        assert.doesNotMatch(postureText, /\\/, 'nothing escaped shows');
        step(`posture hover: ${postureText.split('\n')[0]}`);
        await new Promise((r) => setTimeout(r, 300));
        await shoot(page, 'posture');
        await page.mouse.move(5, 700);

        // Put the caret on the tier's squiggle and open the quick-fix menu with Ctrl+. (turning public
        // access off is offered, not preferred, on this workspace: it is not VNet-injected).
        const onTier = squigglesOn('name: pricingTier');
        const [tierBox] = await waitFor('a squiggle on the pricingTier line', async () => {
          const found = await onTier();
          return found.length > 0 ? found : undefined;
        });
        await page.mouse.click(tierBox.x + tierBox.width / 2, tierBox.y + tierBox.height / 2);
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+.');
        const menu = page.locator('.action-widget').first();
        await menu.waitFor({ state: 'visible', timeout: 20_000 });
        const fix = menu.locator('.monaco-list-row', { hasText: "'premium'" }).first();
        await fix.waitFor({ state: 'visible', timeout: 20_000 });
        step(`quick-fix menu: ${(await menu.innerText()).split('\n').slice(0, 6).join(' | ')}`);
        await shoot(page, 'quickfix');
        // The preferred fix is focused first; Enter applies it, as a user would.
        assert.match((await fix.getAttribute('class')) ?? '', /focused/, 'the preferred fix is the focused entry');
        await page.keyboard.press('Enter');
        await waitFor('the squiggle on that line to go after the fix', async () => (await onTier()).length === 0, 60_000);
        // The tier comes from the parameter's default: that is where the fix writes.
        const fixedLine = (await page.locator('.monaco-editor .view-line', { hasText: 'param pricingTier' }).first().innerText()).replace(/\u00a0/g, ' ');
        assert.match(fixedLine, /param pricingTier string = 'premium'/);
        await new Promise((r) => setTimeout(r, 1000));
        const after = await waitFor('the status bar to follow the Problems count after the fix', consistent);
        step(`fix applied: the squiggle is gone, status bar "${after}"`);

        // Clicking the status bar item scans the workspace and fills the Problems panel.
        const beforeScan = await problemsLabel(page);
        await brickguardItem.click();
        await waitFor('the scan result notification', async () =>
          (await page.locator('.notifications-toasts', { hasText: 'Brickguard scanned' }).count()) > 0,
        );
        await waitFor('the Problems panel', async () => page.locator('.markers-panel').first().isVisible());
        // The panel's list is virtual (rows of the open file can fill it), so the count tells that
        // the other examples' findings arrived.
        const count = (label: string) => errorsIn(label) + warningsIn(label);
        const afterScan = await waitFor('findings of the other examples in the Problems count', async () => {
          const label = await problemsLabel(page);
          return count(label) > count(beforeScan) ? label : undefined;
        });
        step(`scan from the status bar: Problems "${beforeScan}" became "${afterScan}"`);
        await shoot(page, 'workspace-scan');

        // The rule catalogue from the Command Palette: a Markdown preview with a row per rule.
        await page.keyboard.press('Escape');
        await page.keyboard.press('Control+Shift+P');
        await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
        await page.keyboard.type('Brickguard: Show Rule Catalogue');
        await waitFor('the command in the palette', async () =>
          (await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Show Rule Catalogue' }).count()) > 0,
        );
        await page.keyboard.press('Enter');
        const preview = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
        const table = await waitFor('the catalogue table in the Markdown preview', async () => {
          const text = await preview.locator('table').first().innerText({ timeout: 1000 });
          return /databricks-premium-sku/.test(text) && /Findings in workspace/i.test(text) ? text : undefined;
        });
        step(`catalogue: ${table.split('\n').length} table lines`);
        await page.keyboard.press('Control+J'); // hide the panel so the whole table shows
        await page.locator('.markers-panel').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
        await page.mouse.move(5, 700);
        await shoot(page, 'catalogue');
      },
    });
    return { ...result, screenshots, steps };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const dir = process.argv[2] ?? join(REPO_ROOT, 'docs', 'images');
  void runUiSmoke({ screenshotsDir: dir }).then(
    (r) => {
      for (const s of r.steps) console.log(`  ${s}`);
      console.log(`UI smoke passed in ${(r.durationMs / 1000).toFixed(1)} s; screenshots: ${r.screenshots.join(', ')}`);
      process.exit(0);
    },
    (error: Error) => {
      console.error(`UI smoke failed: ${error.message}`);
      process.exit(1);
    },
  );
}
