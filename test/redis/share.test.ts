import { readBudgetSettings } from '../../nodes/NumberPortabilityLookup/transport/budgetSettings';
import { accountKeys, RedisLink } from '../../nodes/NumberPortabilityLookup/transport/redisLink';
import { useRedis } from './suite';

/**
 * The lease script's side of sharing: a refused process counts as waiting for a while, and every
 * process hears how many processes use the account (holders and waiters), which is what each
 * one's share is made from (RedisAccountConnections.wanted).
 */
describe('the account shared between processes: waiting and "wanted" (real Redis)', () => {
	const redis = useRedis();
	const links: RedisLink[] = [];
	/** A link of its own (a process of its own, for Redis), read from settings as the node reads them. */
	const link = () => {
		const settings = readBudgetSettings({
			NPL_CONNECTION_BUDGET: 'redis',
			NPL_REDIS_URL: redis().url,
			NPL_REDIS_KEY_PREFIX: 'npl-share:',
		});
		if (settings.mode !== 'redis') throw new Error(`no Redis budget: ${settings.problem}`);
		const made = new RedisLink(settings.redis, settings.keyPrefix, settings.leaseMs);
		links.push(made);
		return made;
	};
	afterEach(async () => {
		await Promise.all(links.splice(0).map(async (each) => await each.close()));
	});

	it('a refusal marks the process waiting and tells every process how many use the account', async () => {
		const [holder, second, third] = [link(), link(), link()];
		const keys = accountKeys(holder.keyPrefix, 'account-a');
		await Promise.all([holder, second, third].map(async (each) => await each.usable()));
		const heard: string[] = [];
		holder.listen(keys.wanted, (message) => heard.push(message));
		// The subscriber connects on its own: wait until a message gets through.
		const deadline = Date.now() + 3_000;
		while (redis().cli('PUBSUB', 'NUMPAT') === '0' && Date.now() < deadline)
			await new Promise((resolve) => setTimeout(resolve, 20));

		for (let i = 1; i <= 5; i++)
			expect(await holder.acquire(keys, `${holder.owner}:${i}`, 5)).toMatchObject({
				granted: true,
			});
		// Two other processes are refused: three processes use the account now.
		expect(await second.acquire(keys, `${second.owner}:1`, 5)).toMatchObject({
			granted: false,
			processes: 2,
		});
		expect(await third.acquire(keys, `${third.owner}:1`, 5)).toMatchObject({
			granted: false,
			processes: 3,
		});
		const waiting = redis().cli('ZRANGE', keys.waiting, '0', '-1').split('\n').sort();
		expect(waiting).toEqual([second.owner, third.owner].sort());
		while (heard.length < 2 && Date.now() < deadline)
			await new Promise((resolve) => setTimeout(resolve, 20));
		expect(heard).toEqual(['2', '3']);

		// A lease given back goes to a waiting process, which then no longer counts as waiting.
		await holder.release(keys.leases, keys.released, [`${holder.owner}:5`]);
		expect(await second.acquire(keys, `${second.owner}:1`, 5)).toMatchObject({ granted: true });
		expect(redis().cli('ZRANGE', keys.waiting, '0', '-1')).toBe(third.owner);
		// No key names anything but the account's hash.
		expect(redis().cli('KEYS', '*').split('\n').sort()).toEqual([keys.leases, keys.waiting].sort());
	});
});
