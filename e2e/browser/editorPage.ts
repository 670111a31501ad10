/**
 * What the browser test does in n8n 2.41.1's editor, by the editor's own data-test-id marks (read
 * from n8n-editor-ui's dist and the live page). Each function is one thing a user does.
 */
import { randomUUID } from 'node:crypto';

import type { Locator, Page } from 'playwright-core';

import { waitUntil } from './harness';

export const NODE_NAME = 'Number Portability Lookup';

/** A throwaway account of a throwaway n8n: a new random password each run. */
const OWNER = {
	email: 'owner@browser-test.local',
	firstName: 'Browser',
	lastName: 'Test',
	password: `Owner-${randomUUID()}`,
};

/**
 * The owner account, as the editor's first-visit form would create it; n8n answers with the
 * session cookie, which the page's context keeps.
 */
export async function createOwner(page: Page, baseUrl: string): Promise<void> {
	const response = await page.request.post(`${baseUrl}/rest/owner/setup`, { data: OWNER });
	if (!response.ok()) {
		throw new Error(`POST /rest/owner/setup: ${response.status()} ${await response.text()}`);
	}
}

/** A new workflow's canvas with the nodes panel open and "portability" typed into its search. */
export async function searchNodesPanel(page: Page, baseUrl: string, query: string): Promise<void> {
	await page.goto(`${baseUrl}/workflow/new`);
	await page.getByTestId('canvas-add-button').waitFor();
	await page.getByTestId('node-creator-plus-button').click();
	await page.getByTestId('node-creator-search-bar').fill(query);
}

/** The panel's entry (node or tool) whose name is exactly `name`. */
export function panelItem(page: Page, name: string): Locator {
	return page
		.getByTestId('node-creator')
		.getByTestId('item-iterator-item')
		.filter({ has: page.getByTestId('node-creator-item-name').getByText(name, { exact: true }) });
}

/** The image's natural size once it has loaded ([0, 0] for a broken image). */
export async function loadedImageSize(image: Locator): Promise<[number, number]> {
	await image.waitFor();
	return await image.evaluate(
		(element: {
			complete: boolean;
			naturalWidth: number;
			naturalHeight: number;
			addEventListener(type: string, listener: () => void, options: { once: boolean }): void;
		}) =>
			new Promise<[number, number]>((resolve) => {
				if (element.complete) resolve([element.naturalWidth, element.naturalHeight]);
				for (const event of ['load', 'error']) {
					element.addEventListener(
						event,
						() => resolve([element.naturalWidth, element.naturalHeight]),
						{ once: true },
					);
				}
			}),
	);
}

/**
 * The action entries the panel lists after the node was clicked (its triggers and operations).
 * With a trigger in the package, n8n opens the panel for a first step with the triggers shown and
 * "Actions (N)" folded: it is unfolded first.
 */
export async function panelActionNames(page: Page): Promise<string[]> {
	const creator = page.getByTestId('node-creator');
	const actions = creator.locator('[data-keyboard-nav-type="action"]');
	await actions.first().waitFor();
	const folded = creator.getByText(/^Actions \(\d+\)$/);
	if ((await folded.count()) > 0) {
		const listed = Number(/\((\d+)\)/.exec(await folded.first().innerText())?.[1] ?? 0);
		if ((await actions.count()) < listed) {
			const before = await actions.count();
			await folded.first().click();
			await waitUntil(async () => await actions.count(), (count) => count > before, 5_000);
		}
	}
	return await actions.getByTestId('node-creator-item-name').allInnerTexts();
}

export async function clickPanelAction(page: Page, name: string): Promise<void> {
	await page
		.getByTestId('node-creator')
		.locator('[data-keyboard-nav-type="action"]')
		.filter({ has: page.getByTestId('node-creator-item-name').getByText(name, { exact: true }) })
		.click();
	await page.getByTestId('ndv').waitFor();
}

/** The names of a dropdown's options, opened from `trigger` and closed again. */
export async function dropdownOptionNames(page: Page, trigger: Locator): Promise<string[]> {
	await trigger.click();
	const options = page.locator('.el-select-dropdown__item:visible');
	await options.first().waitFor();
	// An option's text is its name, then on the next line its description (if any).
	const names = (await options.allInnerTexts()).map((text) => text.split('\n')[0].trim());
	await page.keyboard.press('Escape');
	await options.first().waitFor({ state: 'hidden' });
	return names;
}

export async function chooseDropdownOption(
	page: Page,
	trigger: Locator,
	name: string,
): Promise<void> {
	await trigger.click();
	await page
		.locator('.el-select-dropdown__item:visible')
		.filter({ has: page.getByText(name, { exact: true }) })
		.click();
}

/** The label row of the node parameter shown as `displayName` (the innermost one of that name). */
export function parameterLabel(page: Page, displayName: string): Locator {
	return page
		.getByTestId('node-parameters')
		.getByTestId('input-label')
		.filter({ has: page.locator('label').getByText(displayName, { exact: true }) })
		.last();
}

/** The description of a parameter, as the editor shows it: the tooltip of its label's help icon. */
export async function parameterTooltip(page: Page, displayName: string): Promise<string> {
	const label = parameterLabel(page, displayName);
	await label.hover();
	// The help icon is there only for a parameter that has a description.
	const help = label.locator('[data-icon="circle-help"]').first();
	if ((await help.count()) === 0) return '';
	await help.hover();
	// The tooltip's text, not its visually hidden copy for screen readers (role=tooltip, empty here).
	const tooltip = page.locator(
		'[data-test-id="tooltip-content"]:visible, [role="tooltip"]:visible',
	);
	const texts = await waitUntil(
		async () => (await tooltip.allInnerTexts()).map((t) => t.trim()).filter(Boolean),
		(seen) => seen.length > 0,
		5_000,
	);
	await page.mouse.move(0, 0);
	return texts.join(' | ');
}

export function canvasNode(page: Page, name: string): Locator {
	return page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
}

/** The labels of a canvas node's main outputs, top to bottom. */
export async function outputHandleLabels(node: Locator): Promise<string[]> {
	return (await node.getByTestId('canvas-node-output-handle').allInnerTexts()).map((t) => t.trim());
}

/** The item count the canvas shows on the connection from `source` to `target` ('' for none). */
export async function edgeItemCount(page: Page, source: string, target: string): Promise<string> {
	const label = page.locator(
		`[data-test-id="edge-label"][data-source-node-name="${source}"][data-target-node-name="${target}"]`,
	);
	return (await label.count()) > 0 ? (await label.innerText()).trim() : '';
}

/** In the open node's output pane: the field names of the schema view with their type icons. */
export async function outputSchemaTypes(page: Page): Promise<Record<string, string>> {
	const output = page.getByTestId('output-panel');
	await output.getByTestId('radio-button-schema').click();
	await output.getByTestId('run-data-schema-item').first().waitFor();
	return Object.fromEntries(
		await output.evaluate((panel) =>
			[...panel.querySelectorAll('[data-test-id="run-data-schema-node-name"]')].map((pill) => [
				pill.getAttribute('data-name') ?? '',
				pill.querySelector('svg')?.getAttribute('data-icon') ?? '',
			]),
		),
	);
}

/** The credential dialog's banner text once a test has answered (success or failure). */
export async function credentialTestBanner(page: Page): Promise<string> {
	const dialog = page.getByTestId('credential-edit-dialog');
	const banner = dialog
		.locator('.el-tag:visible')
		.filter({ hasText: /tested successfully|Couldn/ });
	await banner.first().waitFor({ timeout: 60_000 });
	return (await banner.first().innerText()).trim();
}

export async function closeCredentialDialog(page: Page): Promise<void> {
	await page.locator('.el-dialog__headerbtn:visible').click();
	await page.getByTestId('credential-edit-dialog').waitFor({ state: 'hidden' });
}

/** The canvas once the run has ended: zoomed to fit, no toast, nothing hovered. */
export async function finishedRun(page: Page): Promise<void> {
	await page
		.getByTestId('execute-workflow-button')
		.getByText('Execute workflow')
		.waitFor({ timeout: 180_000 });
	for (const close of await page.locator('.el-notification__closeBtn:visible').all())
		await close.click();
	await page.locator('.el-notification').first().waitFor({ state: 'hidden' });
	await page.getByTestId('zoom-to-fit').click();
	await page.mouse.move(0, 0);
	await page.waitForTimeout(500); // the zoom animates
}

/**
 * A panel's picture without its right edge, where the editor floats buttons for the next nodes
 * over it.
 */
export async function screenshotWithoutRightEdge(panel: Locator, path: string): Promise<void> {
	const box = await panel.boundingBox();
	if (!box) throw new Error('the panel is not on screen');
	await panel.page().screenshot({ path, clip: { ...box, width: box.width - 48 } });
}

/**
 * The nodes panel opened from the AI Agent's Tool connector, in its Tools view. The canvas may
 * still be moving (it fits the view once loaded): the click waits for the connector's "+" to stand
 * still, and is made once more if it opened another view.
 */
export async function openToolsPanel(page: Page): Promise<void> {
	const plus = page
		.locator(
			'[data-test-id="canvas-node-input-handle"][data-node-name="AI Agent"][data-connection-type="ai_tool"]',
		)
		.getByTestId('canvas-handle-plus');
	const header = page.getByTestId('nodes-list-header');
	for (let attempt = 1; ; attempt++) {
		let box = JSON.stringify(await plus.boundingBox());
		await waitUntil(
			async () => {
				const before = box;
				await page.waitForTimeout(300);
				box = JSON.stringify(await plus.boundingBox());
				return before === box;
			},
			Boolean,
			10_000,
		);
		await plus.click();
		const tools = header.getByText('Tools', { exact: true });
		if (
			await tools.waitFor({ timeout: 5_000 }).then(
				() => true,
				() => false,
			)
		)
			return;
		const shown = (await header.innerText().catch(() => '')).split('\n')[0];
		if (attempt === 2)
			throw new Error(`the Tool connector's + opened "${shown}", not the Tools view`);
		await page.keyboard.press('Escape');
		await header.waitFor({ state: 'hidden' });
	}
}
