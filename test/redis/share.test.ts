import { readBudgetSettings } from '../../transport/budgetSettings';
import { accountKeys, RedisLink } from '../../transport/redisLink';
import { SocketLeases } from '../../transport/socketLeases';
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
	/** `count` processes on one account with this limit, connected; `take(who, n)` asks for lease n. */
	const processesOn = async (account: string, count: number, limit: number) => {
		const all = Array.from({ length: count }, link);
		const keys = accountKeys(all[0].keyPrefix, account);
		await Promise.all(all.map(async (each) => await each.usable()));
		const take = async (who: RedisLink, n: number) =>
			await who.acquire(keys, `${who.owner}:${n}`, limit);
		return { all, keys, take };
	};
	const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));
	/** The messages `who` hears on the wanted channel, once its subscriber gets them. */
	const wantedHeardBy = async (who: RedisLink, keys: ReturnType<typeof accountKeys>) => {
		const heard: string[] = [];
		who.listen(keys.wanted, (message) => heard.push(message));
		// The subscriber connects on its own: wait until a message gets through.
		const deadline = Date.now() + 3_000;
		while (redis().cli('PUBSUB', 'NUMPAT') === '0' && Date.now() < deadline) await sleep(20);
		const until = async (n: number) => {
			while (heard.length < n && Date.now() < deadline) await sleep(20);
			return heard;
		};
		return { heard, until };
	};

	it('a refusal marks the process waiting and tells every process how many use the account', async () => {
		const { all, keys, take } = await processesOn('account-a', 3, 5);
		const [holder, second, third] = all;
		const wanted = await wantedHeardBy(holder, keys);
		for (let i = 1; i <= 5; i++) expect(await take(holder, i)).toMatchObject({ granted: true });
		// Two other processes are refused: three processes use the account now.
		expect(await take(second, 1)).toMatchObject({ granted: false, processes: 2 });
		expect(await take(third, 1)).toMatchObject({ granted: false, processes: 3 });
		const waiting = redis().cli('ZRANGE', keys.waiting, '0', '-1').split('\n').sort();
		expect(waiting).toEqual([second.owner, third.owner].sort());
		expect(await wanted.until(2)).toEqual(['2', '3']);

		// A lease given back goes to a waiting process, which then no longer counts as waiting.
		await holder.release(keys, [`${holder.owner}:5`]);
		expect(await take(second, 1)).toMatchObject({ granted: true });
		expect(redis().cli('ZRANGE', keys.waiting, '0', '-1')).toBe(third.owner);
		// No key names anything but the account's hash.
		expect(redis().cli('KEYS', '*').split('\n').sort()).toEqual([keys.leases, keys.waiting].sort());
	});

	it('a freed lease goes to the waiting process left out, not to one holding its share already', async () => {
		const { all, keys, take } = await processesOn('account-b', 3, 5);
		const [first, second, leftOut] = all;
		for (let i = 1; i <= 3; i++) expect(await take(first, i)).toMatchObject({ granted: true });
		for (let i = 1; i <= 2; i++) expect(await take(second, i)).toMatchObject({ granted: true });
		// The account is full; the third process is refused and waits with nothing.
		expect(await take(leftOut, 1)).toMatchObject({ granted: false, processes: 3 });

		// The first gives two back: 3 processes, 5 leases, so the smaller share is 1. The second
		// holds 2 already, the first 1: both wait while the left-out process has none.
		await first.release(keys, [`${first.owner}:2`, `${first.owner}:3`]);
		expect(await take(second, 3)).toMatchObject({ granted: false, live: 3, processes: 3 });
		expect(await take(first, 4)).toMatchObject({ granted: false, live: 3, processes: 3 });
		expect(await take(leftOut, 2)).toMatchObject({ granted: true, live: 4 });
		// Now none is left out (the first and the second still wait, with their share each).
		expect(await take(second, 4)).toMatchObject({ granted: true, live: 5 });
	});

	it('a process that stops waiting no longer holds the others back', async () => {
		const { all, keys, take } = await processesOn('account-c', 2, 2);
		const [holder, quitter] = all;
		expect(await take(holder, 1)).toMatchObject({ granted: true });
		expect(await take(holder, 2)).toMatchObject({ granted: true });
		expect(await take(quitter, 1)).toMatchObject({ granted: false, processes: 2 });
		await holder.release(keys, [`${holder.owner}:2`]);
		// The quitter still counts as waiting with nothing: the holder, at its share of 1, waits.
		expect(await take(holder, 3)).toMatchObject({ granted: false, live: 1 });
		await quitter.stopWaiting(keys);
		expect(redis().cli('ZRANGE', keys.waiting, '0', '-1')).toBe(holder.owner);
		expect(await take(holder, 3)).toMatchObject({ granted: true, live: 2 });
	});

	it('leases given back while no process waits tell every process its share may end', async () => {
		const { all, keys, take } = await processesOn('account-d', 2, 2);
		const [holder, other] = all;
		const wanted = await wantedHeardBy(other, keys);
		expect(await take(holder, 1)).toMatchObject({ granted: true });
		expect(await take(holder, 2)).toMatchObject({ granted: true });
		expect(await take(other, 1)).toMatchObject({ granted: false, processes: 2 });
		// One comes back while the other process waits: no "nobody waits".
		await holder.release(keys, [`${holder.owner}:2`]);
		expect(await take(other, 1)).toMatchObject({ granted: true });
		// Now none waits: the next lease given back says so (0).
		await holder.release(keys, [`${holder.owner}:1`]);
		expect(await wanted.until(2)).toEqual(['2', '0']);
	});

	it('a process whose next request asks again at once keeps waiting: no "nobody waits" in between', async () => {
		const { all, keys, take } = await processesOn('account-e', 2, 2);
		const [holder, asker] = all;
		const wanted = await wantedHeardBy(holder, keys);
		const noEvents = {
			onRedisProblem: () => undefined,
			onRedisOk: () => undefined,
			onStall: () => undefined,
			onWanted: () => undefined,
			onNobodyWaits: () => undefined,
		};
		const leases = new SocketLeases(asker, keys, () => 2, noEvents);
		const waitingNow = () => redis().cli('ZRANGE', keys.waiting, '0', '-1');
		expect(await take(holder, 1)).toMatchObject({ granted: true });
		// The account's second lease, for a request and then its socket (which stays open).
		await leases.claim();
		await leases.forSocket();
		const second = leases.claim(); // refused: the account is full
		while (waitingNow() !== asker.owner) await sleep(5);

		// The first request is answered; the waiting one gets its socket, and the next request
		// asks again right away (refused again): the process never stopped waiting.
		leases.unclaim();
		await second;
		const third = leases.claim();
		await sleep(300);
		expect(waitingNow()).toBe(asker.owner);
		expect(wanted.heard.every((message) => message !== '0')).toBe(true);

		// The second request is answered too: the third gets the socket and nothing more asks.
		// The mark goes, and with it the others' shares ("0").
		leases.unclaim();
		await third;
		await sleep(300);
		expect(waitingNow()).toBe('');
		expect(wanted.heard).toContain('0');
		leases.unclaim();
		await leases.releaseAll();
	});
});
