/**
 * The balance trigger (Number Portability Lookup Trigger, Balance Below Threshold) polled inside
 * n8n-core (test/harness/pollEngine.ts) against the sandbox, whose balance the test moves between
 * polls, through the built bundle of each n8n package.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { NodeApiError, type INodeParameters } from 'n8n-workflow';

import { Poller, type PollResult } from '../harness/pollEngine';
import { defaultPackage, loadPackage } from '../harness/packages';
import { credentialFor, useSandbox, type Sandbox } from './sandboxAccount';

const sandboxes = useSandbox();

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

// The jest project's package: both run it (jest.config.js).
describe.each([defaultPackage()])('Number Portability Lookup Trigger (%s package)', (pkg) => {
	const pollerFor = (sandbox: Sandbox, threshold = 100, options = {}, password = 'demo') =>
		new Poller({
			package: pkg,
			parameters: { event: 'balanceBelowThreshold', threshold, options },
			credential: credentialFor(sandbox, 'demo', password),
		});

	/** Sets the sandbox's balance, then polls once. */
	const pollAt = async (
		sandbox: Sandbox,
		poller: Poller,
		balance: number,
		mode?: 'trigger' | 'manual',
	) => {
		sandbox.setCredit('demo', balance);
		return await poller.poll(mode);
	};

	it('fires once when the balance falls below the threshold, and again only after it was back above', async () => {
		const sandbox = await sandboxes.start();
		const poller = pollerFor(sandbox, 100);
		const results: PollResult[] = [];
		for (const balance of [500, 400, 90, 80, 120, 70])
			results.push(await pollAt(sandbox, poller, balance));

		expect(results.map((result) => result.error)).toEqual(Array(6).fill(undefined));
		expect(results.map((result) => result.items?.map((json) => json.balance) ?? null)).toEqual([
			null,
			null,
			[90],
			null,
			null,
			[70],
		]);
		const [atNinety, atSeventy] = [results[2].items![0], results[5].items![0]];
		expect(atNinety).toEqual({
			balance: 90,
			threshold: 100,
			previousBalance: 400,
			checkedAt: expect.stringMatching(ISO_TIME),
		});
		expect(atSeventy).toEqual({
			balance: 70,
			threshold: 100,
			previousBalance: 120,
			checkedAt: expect.stringMatching(ISO_TIME),
		});
		// Six balance requests, nothing charged.
		expect(sandbox.requests.filter((request) => request.kind === 'balance')).toHaveLength(6);
		expect(sandbox.ledger.entries).toHaveLength(0);
		// What n8n saved after the last poll: the state, as JSON.
		expect(poller.nodeStaticData).toEqual({
			balanceWatch: { lastBalance: 70, below: true, pollsSinceAlert: 0 },
		});
	});

	it('reminds every N polls while the balance stays low, when asked', async () => {
		const sandbox = await sandboxes.start();
		const poller = pollerFor(sandbox, 100, { remindEveryPolls: 2 });
		const fired = [];
		for (const balance of [150, 90, 80, 70, 60, 50])
			fired.push((await pollAt(sandbox, poller, balance)).items?.[0]?.balance ?? null);
		expect(fired).toEqual([null, 90, null, 70, null, 50]);
	});

	it('manual mode (Fetch Test Event) gives the balance whatever the state, and keeps the state', async () => {
		const sandbox = await sandboxes.start();
		const poller = pollerFor(sandbox, 100);

		// No state yet, balance above the threshold: an active poll would return nothing.
		const fresh = await pollAt(sandbox, poller, 500, 'manual');
		expect(fresh.items).toEqual([
			{
				balance: 500,
				threshold: 100,
				previousBalance: null,
				checkedAt: expect.stringMatching(ISO_TIME),
			},
		]);
		expect(fresh.staticDataChanged).toBe(false);
		expect(poller.nodeStaticData).toBeUndefined();

		expect((await pollAt(sandbox, poller, 400)).items).toBeNull();
		expect((await pollAt(sandbox, poller, 90)).items?.[0]?.balance).toBe(90);
		const saved = structuredClone(poller.staticData);

		// Already fired, still low: an active poll is quiet, the test event still shows the balance.
		const low = await pollAt(sandbox, poller, 80, 'manual');
		expect(low.items).toEqual([
			{
				balance: 80,
				threshold: 100,
				previousBalance: 90,
				checkedAt: expect.stringMatching(ISO_TIME),
			},
		]);
		expect(low.staticDataChanged).toBe(false);
		expect(poller.staticData).toEqual(saved);

		// A test event at a high balance does not re-arm the alert either.
		expect((await pollAt(sandbox, poller, 500, 'manual')).items?.[0]?.balance).toBe(500);
		expect((await pollAt(sandbox, poller, 80)).items).toBeNull();
	});

	it('a wrong password throws NodeApiError with the service message and changes no state', async () => {
		const sandbox = await sandboxes.start();
		const good = pollerFor(sandbox, 100);
		expect((await pollAt(sandbox, good, 500)).items).toBeNull();
		const saved = structuredClone(good.staticData);

		const bad = new Poller({
			package: pkg,
			parameters: { event: 'balanceBelowThreshold', threshold: 100, options: {} },
			credential: credentialFor(sandbox, 'demo', 'wrong-password'),
			staticData: saved,
		});
		const result = await pollAt(sandbox, bad, 50);
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error?.message).toBe('Could not get the account balance');
		expect((result.error as NodeApiError).description).toMatch(/FAIL Invalid password/);
		expect(JSON.stringify(result.error)).not.toContain('wrong-password');
		expect(result.items).toBeNull();
		expect(result.staticDataChanged).toBe(false);
		expect(bad.staticData).toEqual(saved);

		// Manual mode reports the same failure.
		expect((await bad.poll('manual')).error).toBeInstanceOf(NodeApiError);
		// The crossing is still seen by the next poll that reads a balance.
		expect((await pollAt(sandbox, good, 50)).items?.[0]).toMatchObject({
			balance: 50,
			previousBalance: 500,
		});
	});

	it('a service that is down throws NodeApiError and changes no state', async () => {
		const sandbox = await sandboxes.start();
		const poller = pollerFor(sandbox, 100);
		expect((await pollAt(sandbox, poller, 90)).items?.[0]?.balance).toBe(90);
		const saved = structuredClone(poller.staticData);
		await sandbox.close();

		const result = await poller.poll();
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect((result.error as NodeApiError).description).toMatch(/Could not reach the service/);
		expect(result.staticDataChanged).toBe(false);
		expect(poller.staticData).toEqual(saved);
	});

	it('is a polling trigger n8n schedules itself: one event, a threshold, no inputs', () => {
		const { description } = loadPackage(pkg).trigger;
		expect(description).toMatchObject({
			name: 'numberPortabilityLookupTrigger',
			polling: true,
			inputs: [],
		});
		const event = description.properties.find((property) => property.name === 'event');
		expect(event?.options).toEqual([expect.objectContaining({ name: 'Balance Below Threshold' })]);
		expect(description.properties.map((property) => property.name)).toEqual([
			'event',
			'threshold',
			'options',
		]);
	});

	it('examples/balance-alert.json, as saved, alerts at 450 after 600 and not again at 400', async () => {
		const example = JSON.parse(
			readFileSync(join(__dirname, '..', '..', 'examples', 'balance-alert.json'), 'utf8'),
		) as { nodes: Array<{ type: string; parameters: INodeParameters }> };
		const trigger = example.nodes.find((node) =>
			node.type.endsWith('.numberPortabilityLookupTrigger'),
		);
		expect(trigger?.parameters.threshold).toBe(500);
		const sandbox = await sandboxes.start();
		const poller = new Poller({
			package: pkg,
			parameters: trigger!.parameters,
			credential: credentialFor(sandbox),
		});
		const fired = [];
		for (const balance of [600, 450, 400])
			fired.push((await pollAt(sandbox, poller, balance)).items);
		expect(fired).toEqual([
			null,
			[expect.objectContaining({ balance: 450, threshold: 500, previousBalance: 600 })],
			null,
		]);
	});
});
