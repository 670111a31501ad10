/**
 * The Node-RED editor in Chromium (Debian's, through playwright-core, headless), against the
 * Node-RED that run.sh started, with the package installed and the examples deployed: the nodes
 * in the palette with their icons; the lookup node's form; an account added in the editor, its
 * credentials saved (the runtime says has_password, and never sends the password back); a
 * deploy; a run whose counts show in the lookup node's status. Screenshots for the package's
 * README go to docs/images/node-red-*.png.
 *
 *   node --import tsx e2e/node-red/editor.ts --node-red URL --sandbox sandbox.json --screenshots DIR
 *     --results FILE --shots DIR
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { Checks, expectEqual, openBrowser, waitUntil } from '../browser/harness';
import { CRM_LOOKUP_ID } from './flows';

const { values: args } = parseArgs({
	options: {
		'node-red': { type: 'string' },
		sandbox: { type: 'string' },
		screenshots: { type: 'string' },
		results: { type: 'string' },
		shots: { type: 'string' },
	},
});
const NR = args['node-red']!;
const sandbox = JSON.parse(readFileSync(args.sandbox!, 'utf8')) as { url: string; user: string; password: string };
const picture = (name: string) => join(args.screenshots!, `node-red-${name}.png`);
const REPO = join(__dirname, '..', '..');

async function main(): Promise<void> {
	const { browser, page } = await openBrowser();
	const checks = new Checks(page, args.results!, args.shots!);
	try {
		await checks.check('the editor loads with the package in the palette, each node with its icon', async () => {
			await page.goto(NR);
			await page.locator('#red-ui-palette-container').waitFor();
			for (const [type, icon] of [['npl-lookup', 'npl-lookup.svg'], ['npl-balance', 'npl-balance.svg']]) {
				const node = page.locator(`.red-ui-palette-node[data-palette-type="${type}"]`);
				await node.waitFor();
				const background = await node.locator('.red-ui-palette-icon').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundImage: string } }).getComputedStyle(el).backgroundImage);
				if (!background.includes(icon)) throw new Error(`${type}'s palette icon is ${background}`);
			}
			const label = await page.locator('.red-ui-palette-node[data-palette-type="npl-lookup"] .red-ui-palette-label').textContent();
			expectEqual(label?.replace(/\s+/g, ' ').trim(), 'number lookup', 'the palette label');
			// The palette filtered as a user finds the nodes (typed: fill() does not filter).
			const search = page.locator('#red-ui-palette-search input');
			await search.click();
			await page.keyboard.type('number');
			await page.waitForTimeout(500);
			const box = await page.locator('#red-ui-palette-search').boundingBox();
			if (!box) throw new Error('no palette search box');
			await page.screenshot({ path: picture('palette'), clip: { x: 0, y: box.y - 30, width: box.x + box.width + 10, height: 230 } });
			await search.click();
			await page.keyboard.press('Control+A');
			await page.keyboard.press('Backspace');
		});

		await checks.check("the lookup node's form: the account picker and a field per property", async () => {
			await page.locator(`g.red-ui-flow-node-group[id="${CRM_LOOKUP_ID}"] rect.red-ui-flow-node`).dblclick();
			await page.locator('#node-input-routeBy').waitFor();
			const values = {
				routeBy: await page.locator('#node-input-routeBy').inputValue(),
				defaultCountry: await page.locator('#node-input-defaultCountry').inputValue(),
				numbersPerRequest: await page.locator('#node-input-numbersPerRequest').inputValue(),
				maxConnections: await page.locator('#node-input-maxConnections').inputValue(),
				maxCredits: await page.locator('#node-input-maxCredits').inputValue(),
				msc: await page.locator('#node-input-msc').isChecked(),
				account: await page.locator('#node-input-account option:checked').textContent(),
			};
			expectEqual(
				values,
				{ routeBy: 'validity', defaultCountry: 'GB', numbersPerRequest: '100', maxConnections: '5', maxCredits: '150', msc: false, account: 'Number Portability Lookup account' },
				'the form holds the example node',
			);
			expectEqual(await page.locator('#npl-lookup-outputs').textContent(), 'Valid · Invalid · Undetermined · Not Looked Up', 'the outputs named');
			await page.locator('.red-ui-editor').screenshot({ path: picture('lookup-form') });
			await page.locator('#node-input-routeBy').selectOption('errorGroup');
			expectEqual(await page.locator('#npl-lookup-outputs').textContent(), 'Live · Absent · Unknown · Restricted · Temporary · Failed', 'Route By changes the outputs');
			await page.locator('#node-input-routeBy').selectOption('validity');
		});

		let accountId = '';
		await checks.check("an account added in the editor: its credentials saved, the password never sent back", async () => {
			// The "+" beside the account picker: a new account.
			await page.locator('#node-input-account').locator('xpath=..').locator('a.red-ui-button, button').last().click();
			await page.locator('#node-config-input-user').waitFor();
			await page.locator('#node-config-input-name').fill('sandbox (added in the editor)');
			await page.locator('#node-config-input-user').fill(sandbox.user);
			await page.locator('#node-config-input-password').fill(sandbox.password);
			await page.locator('#node-config-input-baseUrl').fill(sandbox.url);
			await page.locator('.red-ui-editor').screenshot({ path: picture('account') });
			await page.locator('#node-config-dialog-ok').click();
			await page.locator('#node-dialog-ok').click();
			await page.locator('#red-ui-header-button-deploy').click();
			const flows = await waitUntil(
				async () => (await (await fetch(`${NR}/flows`)).json()) as Array<{ id: string; type: string; name?: string }>,
				(list) => list.some((n) => n.type === 'npl-account' && n.name === 'sandbox (added in the editor)'),
				15_000,
			);
			accountId = flows.find((n) => n.type === 'npl-account' && n.name === 'sandbox (added in the editor)')?.id ?? '';
			const cred = (await (await fetch(`${NR}/credentials/npl-account/${accountId}`)).json()) as Record<string, unknown>;
			expectEqual({ user: cred.user, has_password: cred.has_password, password: cred.password }, { user: sandbox.user, has_password: true, password: undefined }, 'the saved credentials');
		});

		await checks.check("a run after the deploy: the counts show in the lookup node's status", async () => {
			const csv = readFileSync(join(REPO, 'examples', 'crm-numbers.csv'), 'utf8');
			const answer = await fetch(`${NR}/crm-clean`, { method: 'POST', body: csv, headers: { 'content-type': 'text/csv' }, signal: AbortSignal.timeout(30_000) });
			if (!answer.ok) throw new Error(`POST /crm-clean: HTTP ${answer.status}`);
			const status = page.locator(`g.red-ui-flow-node-group[id="${CRM_LOOKUP_ID}"] .red-ui-flow-node-status-label`);
			const text = await waitUntil(async () => (await status.textContent()) ?? '', (t) => t.startsWith('Valid '), 10_000);
			if (!/^Valid \d+ · Invalid \d+ · Undetermined \d+ · Not Looked Up \d+$/.test(text)) throw new Error(`status: ${text}`);
			await page.locator('#red-ui-workspace-chart').screenshot({ path: picture('flow') });
			return text;
		});
	} finally {
		await browser.close();
	}
}

// Exits when done: an open WebSocket or browser must not keep a failed run waiting.
main()
	.then(() => process.exit(process.exitCode ?? 0))
	.catch((error: unknown) => {
	console.log(`not ok - the editor test itself: ${(error as Error).stack ?? String(error)}`);
	process.exit(1);
});
