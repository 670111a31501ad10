/**
 * The node in n8n's editor, as a new user meets it, through the UI only (the owner account aside,
 * created headlessly). Run by e2e/browser/run.sh against the n8n it started:
 *
 *   node --import tsx e2e/browser/editor.ts --url <n8n> --sandbox <sandbox info json>
 *     --screenshots <dir> --results <file> [--readme-images docs/images]
 *
 * Expects the CRM example imported as nplBrowserCrm001 (Max Credits 150, against e2e/sandbox.ts)
 * and the AI agent example as nplBrowserAgt001. What the editor should show is taken from the
 * package's own source where it says it (the options and their descriptions), written out here
 * where the issue does (the operations, the CRM counts, the outputs).
 */
import { appendFileSync, copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import type { INodeProperties } from 'n8n-workflow';
import type { Page } from 'playwright-core';

import { lookupOptions } from '../../nodes/NumberPortabilityLookup/actions/common.descriptions';
import {
	NODE_NAME,
	canvasNode,
	chooseDropdownOption,
	clickPanelAction,
	closeCredentialDialog,
	createOwner,
	credentialTestBanner,
	dropdownOptionNames,
	edgeItemCount,
	finishedRun,
	loadedImageSize,
	outputHandleLabels,
	openToolsPanel,
	outputSchemaTypes,
	panelActionNames,
	panelItem,
	parameterLabel,
	parameterTooltip,
	screenshotWithoutRightEdge,
	searchNodesPanel,
} from './editorPage';
import { Checks, expectEqual, openBrowser, waitUntil } from './harness';

/**
 * The node's operations, then the one n8n adds to a node whose credential signs requests itself
 * (`authenticate`): a call of the API's through the HTTP Request node with this credential.
 */
const OPERATIONS = ['Look Up Number', 'Look Up Numbers', 'Get Balance', 'Validate Offline', 'Custom API Call'];
const ACTIONS = [
	'Look up a phone number',
	'Look up a list of phone numbers',
	'Get the account balance',
	'Validate a phone number offline',
];
/** examples/crm-list-cleaning.json against e2e/sandbox.ts: e2e/crm-expected.json's counts. */
const CRM_BRANCHES: Array<[output: string, target: string, items: number]> = [
	['Valid', 'Valid: add CRM fields', 145],
	['Invalid', 'Invalid: add CRM fields', 17],
	['Undetermined', 'Undetermined: add CRM fields', 10],
	['Not Looked Up', 'Not Looked Up: add CRM fields', 28],
];
const ERROR_GROUP_OUTPUTS = ['Live', 'Absent', 'Unknown', 'Restricted', 'Temporary', 'Failed'];
/** Fields of a lookup result and the type icon n8n's schema view gives them. */
const TYPED_FIELDS: Record<string, string> = {
	msisdn: 'type', // string
	errorcode: 'hash', // number
	errortext: 'type',
	validnumber: 'square-check', // boolean
	reachable: 'square-check',
	ported: 'square-check',
	mobile: 'square-check',
	landline: 'square-check',
	numbertype: 'type',
	mcc: 'type', // a code, kept as text ("01" stays "01")
};
const TOOL_TYPE = 'n8n-nodes-number-portability-lookup.numberPortabilityLookupTool';
const CRM_WORKFLOW = 'nplBrowserCrm001';
const AGENT_WORKFLOW = 'nplBrowserAgt001';

interface SandboxInfo {
	url: string;
	adminUrl: string;
	user: string;
	password: string;
}

const { values: args } = parseArgs({
	options: {
		url: { type: 'string' },
		sandbox: { type: 'string' },
		screenshots: { type: 'string' },
		results: { type: 'string' },
		'readme-images': { type: 'string' },
	},
});
if (!args.url || !args.sandbox || !args.screenshots || !args.results) {
	throw new Error('--url, --sandbox, --screenshots and --results are required');
}
const baseUrl = args.url;
const shots = args.screenshots;
const sandbox = JSON.parse(readFileSync(args.sandbox, 'utf8')) as SandboxInfo;

const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

/** Balance queries the sandbox answered for the account: what a credential test sends. */
async function balanceQueries(): Promise<number> {
	const response = await fetch(`${sandbox.adminUrl}/requests`);
	const requests = (await response.json()) as Array<{ kind: string; user: string }>;
	return requests.filter((r) => r.kind === 'balance' && r.user === sandbox.user).length;
}

/** A picture for the run's folder and, with --readme-images, for the README. */
function keepPicture(file: string): void {
	if (!args['readme-images']) return;
	mkdirSync(args['readme-images'], { recursive: true });
	copyFileSync(join(shots, file), join(args['readme-images'], file));
}

/**
 * The node just added from the panel, open, with no dialog over it: where a check before this one
 * failed half-way, the dialog it left is closed or the node added again in a new workflow, so that
 * one failure does not fail the checks after it.
 */
async function ensureNewNodeOpen(page: Page): Promise<void> {
	if (await page.getByTestId('credential-edit-dialog').isVisible())
		await closeCredentialDialog(page);
	if (await page.getByTestId('ndv').isVisible()) return;
	await searchNodesPanel(page, baseUrl, 'portability');
	await panelItem(page, NODE_NAME).click();
	await clickPanelAction(page, ACTIONS[0]);
}

async function main(): Promise<void> {
	const { browser, page } = await openBrowser();
	const checks = new Checks(page, args.results!, shots);
	try {
		const signedIn = await checks.check(
			'the owner account, created headlessly (POST /rest/owner/setup)',
			async () => await createOwner(page, baseUrl),
		);
		if (!signedIn) return;

		await checks.check('nodes panel: "portability" finds the node, with its own icon', async () => {
			await searchNodesPanel(page, baseUrl, 'portability');
			const item = panelItem(page, NODE_NAME);
			await item.waitFor();
			const image = item.locator('img').first();
			const src = (await image.getAttribute('src')) ?? '';
			if (!src.includes('/icons/n8n-nodes-number-portability-lookup/')) {
				throw new Error(`the entry's icon is not the package's own: src="${src}"`);
			}
			const [width, height] = await loadedImageSize(image);
			if (width === 0 || height === 0) {
				throw new Error(`the icon did not load: ${src} has natural size ${width}x${height}`);
			}
			return `${src.split('/').pop()} loaded, ${width}x${height}`;
		});

		await checks.check('nodes panel: the node offers its four operations as actions', async () => {
			await searchNodesPanel(page, baseUrl, 'portability');
			await panelItem(page, NODE_NAME).click();
			const names = await panelActionNames(page);
			// Opened first, so that the checks of the node's parameters below run either way.
			await clickPanelAction(page, ACTIONS[0]);
			expectEqual(
				names.filter((name) => ACTIONS.includes(name)),
				ACTIONS,
				'the actions listed for the node',
			);
		});

		await checks.check(
			'parameters: Operation with its four operations, Phone Number, Route By, Options',
			async () => {
				await ensureNewNodeOpen(page);
				const operations = await dropdownOptionNames(
					page,
					page.getByTestId('parameter-input-operation'),
				);
				expectEqual(operations, OPERATIONS, 'the Operation dropdown');
				for (const label of ['Phone Number', 'Route By', 'Options']) {
					await parameterLabel(page, label).waitFor({ timeout: 5_000 });
				}
				const routes = await dropdownOptionNames(page, page.getByTestId('parameter-input-routeBy'));
				expectEqual(
					routes,
					['Validity', 'Error Code Group', 'Single Output'],
					'the Route By dropdown',
				);
			},
		);

		const options = lookupOptions.options as INodeProperties[];
		await checks.check(
			`parameters: Options offers every option (${options.length}), each shows its description`,
			async () => {
				await ensureNewNodeOpen(page);
				const offered = await dropdownOptionNames(
					page,
					page.getByTestId('collection-parameter-add'),
				);
				expectEqual(
					offered,
					options.map((o) => o.displayName),
					'the Add Option list',
				);
				for (let i = 0; i < options.length; i++) {
					await page.getByTestId('collection-parameter-add').click();
					await page.getByTestId('collection-parameter-option').first().click();
				}
				const wrong: string[] = [];
				for (const option of options) {
					const shown = normalise(await parameterTooltip(page, option.displayName));
					if (shown !== normalise(option.description ?? '')) {
						wrong.push(
							`${option.displayName}: shows "${shown}", the package says "${option.description}"`,
						);
					}
				}
				if (wrong.length > 0) throw new Error(`descriptions not shown:\n${wrong.join('\n')}`);
			},
		);

		await checks.check('credential: the test succeeds against the sandbox', async () => {
			await ensureNewNodeOpen(page);
			await page.getByTestId('credential-edit-button').click();
			const first = await credentialTestBanner(page);
			if (!first.includes('Connection tested successfully'))
				throw new Error(`the dialog says: ${first}`);
			const before = await balanceQueries();
			await page
				.getByTestId('credential-edit-dialog')
				.getByRole('button', { name: 'Retry' })
				.click();
			const after = await waitUntil(balanceQueries, (n) => n > before, 30_000);
			if (after === before) throw new Error('Retry sent no balance query to the sandbox');
			const again = await credentialTestBanner(page);
			if (!again.includes('Connection tested successfully'))
				throw new Error(`after Retry: ${again}`);
			await closeCredentialDialog(page);
			return `"${normalise(again).replace(/ Retry$/, '')}", ${after - before} balance query on Retry`;
		});

		await checks.check(
			"credential: a wrong password shows the node's message naming the failure",
			async () => {
				await ensureNewNodeOpen(page);
				await page.getByTestId('node-credentials-select').click();
				await page.getByTestId('node-credentials-select-item-new').click();
				const dialog = page.getByTestId('credential-edit-dialog');
				// Saved before the dialog has named the new credential, n8n refuses it ("String must
				// contain at least 1 character(s)"): wait for the name.
				const credentialName = page.getByTestId('credential-name');
				await waitUntil(async () => (await credentialName.textContent())?.trim(), Boolean, 15_000);
				await dialog.getByTestId('parameter-input-user').locator('input').fill(sandbox.user);
				await dialog
					.getByTestId('parameter-input-password')
					.locator('input')
					.fill('not-the-password');
				await dialog.getByTestId('parameter-input-baseUrl').locator('input').fill(sandbox.url);
				await page.getByTestId('credential-save-button').click();
				// n8n's own race, not the node's: saved too early, the editor sends the new
				// credential unnamed and shows "Problem creating credential". Saved once more then.
				const refused = page
					.locator('.el-notification:visible')
					.filter({ hasText: 'Problem creating credential' });
				if (
					await refused.waitFor({ timeout: 3_000 }).then(
						() => true,
						() => false,
					)
				) {
					await page.waitForTimeout(1_000);
					await page.getByTestId('credential-save-button').click();
				}
				const banner = await credentialTestBanner(page);
				if (!banner.includes('Couldn')) throw new Error(`the dialog says: ${banner}`);
				await dialog.getByText('More details').click();
				const details = normalise(
					await waitUntil(
						async () => (await dialog.locator('.el-tag--danger:visible').allInnerTexts()).join(' '),
						(text) => text.includes('FAIL'),
						5_000,
					),
				);
				for (const needed of ['FAIL Invalid password', 'Check the user and password']) {
					if (!details.includes(needed))
						throw new Error(`"${needed}" not in the details: ${details}`);
				}
				await page.screenshot({ path: join(shots, 'credential-wrong-password.png') });
				await closeCredentialDialog(page);
				return `"${details.slice(details.indexOf('The service'))}"`;
			},
		);

		let crmExecuted = false;
		await checks.check(
			'CRM example, executed from the editor: the canvas shows 145 / 17 / 10 / 28 items on the four outputs',
			async () => {
				await page.goto(`${baseUrl}/workflow/${CRM_WORKFLOW}`);
				await canvasNode(page, 'Look Up Number').waitFor();
				expectEqual(
					await outputHandleLabels(canvasNode(page, 'Look Up Number')),
					CRM_BRANCHES.map(([output]) => output),
					'the outputs on the canvas',
				);
				await page.getByTestId('execute-workflow-button').click();
				const counts = () =>
					Promise.all(
						CRM_BRANCHES.map(([, target]) => edgeItemCount(page, 'Look Up Number', target)),
					);
				// Until every count is there, or the run has ended without them (a failed run fails
				// then, not after 3 min; not before 15 s, in case the run was slow to start).
				const started = Date.now();
				const idle = page.getByTestId('execute-workflow-button').getByText('Execute workflow');
				await waitUntil(
					async () =>
						(await counts()).every(Boolean) ||
						(Date.now() - started > 15_000 && (await idle.isVisible())),
					Boolean,
					180_000,
				);
				const seen = await counts();
				crmExecuted = seen.every(Boolean);
				expectEqual(
					seen,
					CRM_BRANCHES.map(([, , n]) => `${n} items`),
					'the item counts on Valid / Invalid / Undetermined / Not Looked Up',
				);
				await finishedRun(page);
				await page.screenshot({ path: join(shots, 'crm-workflow-run.png') });
				keepPicture('crm-workflow-run.png');
				return seen.join(' / ');
			},
		);

		await checks.check(
			'CRM example: the output pane shows the four branches and typed fields',
			async () => {
				if (!crmExecuted) throw new Error('the CRM example did not run to its end');
				await canvasNode(page, 'Look Up Number').dblclick();
				const output = page.getByTestId('output-panel');
				const tabs = (
					await output.getByTestId('branches').locator('[data-test-id^="tab-"]').allInnerTexts()
				).map(normalise);
				expectEqual(
					tabs,
					CRM_BRANCHES.map(([name, , n]) => `${name} Branch (${n} items)`),
					"the output pane's branches",
				);
				const types = await outputSchemaTypes(page);
				const wrong = Object.entries(TYPED_FIELDS).filter(([field, icon]) => types[field] !== icon);
				if (wrong.length > 0) {
					throw new Error(
						`fields with the wrong type: ${wrong.map(([f, icon]) => `${f} shows "${types[f] ?? 'missing'}", expected "${icon}"`).join('; ')}`,
					);
				}
				await page.mouse.move(0, 0);
				await page
					.getByTestId('node-parameters')
					.screenshot({ path: join(shots, 'node-parameters.png') });
				await screenshotWithoutRightEdge(output, join(shots, 'output-pane.png'));
				keepPicture('node-parameters.png');
				keepPicture('output-pane.png');
				return `${Object.keys(TYPED_FIELDS).length} fields typed as expected`;
			},
		);

		await checks.check(
			'Route By → Error Code Group: the six outputs appear on the canvas',
			async () => {
				if (!(await page.getByTestId('ndv').isVisible())) {
					await page.goto(`${baseUrl}/workflow/${CRM_WORKFLOW}`);
					await canvasNode(page, 'Look Up Number').dblclick();
				}
				await chooseDropdownOption(
					page,
					page.getByTestId('parameter-input-routeBy'),
					'Error Code Group',
				);
				await page.getByTestId('ndv-close-button').click();
				const node = canvasNode(page, 'Look Up Number');
				const labels = await waitUntil(
					() => outputHandleLabels(node),
					(l) => JSON.stringify(l) === JSON.stringify(ERROR_GROUP_OUTPUTS),
					10_000,
				);
				expectEqual(labels, ERROR_GROUP_OUTPUTS, 'the outputs on the canvas');
				await page.screenshot({ path: join(shots, 'error-code-group.png') });
				return labels.join(', ');
			},
		);

		await checks.check('AI Agent: the node is offered as a tool', async () => {
			await page.goto(`${baseUrl}/workflow/${AGENT_WORKFLOW}`);
			await canvasNode(page, 'AI Agent').waitFor();
			await openToolsPanel(page);
			await page.getByTestId('node-creator-search-bar').fill('portability');
			// By node type: the panel names the tool "Number Portability Lookup Tool" in the
			// Tools view and without the suffix elsewhere.
			const tool = page
				.getByTestId('node-creator')
				.locator(`[data-test-id="item-iterator-item"][data-keyboard-nav-id^="${TOOL_TYPE}-"]`);
			await tool.waitFor({ timeout: 10_000 }).catch(async () => {
				const offered = await page
					.getByTestId('node-creator')
					.getByTestId('node-creator-item-name')
					.allInnerTexts();
				throw new Error(
					`no ${TOOL_TYPE} among the tools found for "portability": ${JSON.stringify(offered)}`,
				);
			});
			const name = (await tool.getByTestId('node-creator-item-name').innerText()).trim();
			await page.screenshot({ path: join(shots, 'agent-tool.png') });
			return `"${name}" (${TOOL_TYPE}) in the agent's Tools panel`;
		});
	} finally {
		await browser.close();
	}
}

main().catch((error) => {
	console.log(`not ok - the browser test ran to its end`);
	console.log(`#   ${error instanceof Error ? error.stack : String(error)}`);
	appendFileSync(args.results!, 'fail the browser test ran to its end\n');
	process.exitCode = 1;
});
