/**
 * Regression (issue 6): Max Credits was passed when answers were lost in transit. The scheduler
 * counted only received answers as spent, so the retries of charged-but-lost answers took the
 * service past the cap (sandbox: 104 credits charged under a cap of 100). README: "Max Credits is
 * never passed (lost answers count as spent for the cap)".
 */
import { nodeClock } from '../../transport/nodeClock';
import { runLookups, type LookupJob } from '../../engine/scheduling/lookupRun';
import type { LookupTransport, RequestFailure } from '../../engine/scheduling/transportContract';
import type { RawLookupObject } from '../../engine/types';

/** A service that answers `keep` numbers, charges one more it never delivers, then breaks. */
class LossyTransport implements LookupTransport {
	charged = 0;

	constructor(private readonly failure: RequestFailure, private readonly keep: number) {}

	async lookup(numbers: readonly string[], onResult: (raw: RawLookupObject) => void): Promise<RequestFailure | null> {
		await new Promise((resolve) => setTimeout(resolve, 1));
		const answered = numbers.slice(0, this.keep);
		for (const msisdn of answered) onResult({ msisdn, errorcode: '0', validnumber: 'true', transactioncost: '1.00' });
		this.charged += answered.length;
		if (answered.length === numbers.length) return null;
		this.charged += 1; // the answer being written when the connection broke
		return this.failure;
	}
}

const jobs: LookupJob[] = Array.from({ length: 100 }, (_, i) => ({ key: `4477880000${i}`, digits: `4477880000${i}` }));

describe('Max Credits when answers are lost in transit', () => {
	it.each<[string, RequestFailure]>([
		['a broken connection', { kind: 'truncated', message: 'cut' }],
		['a reset', { kind: 'network', code: 'ECONNRESET', message: 'reset' }],
		['a timeout', { kind: 'timeout', message: 'slow' }],
		['an unreadable answer', { kind: 'protocol', message: 'garbage' }],
	])('is never passed after %s', async (_name, failure) => {
		const transport = new LossyTransport(failure, 2);
		const report = await runLookups(jobs, {
			transport,
			numbersPerRequest: 10,
			maxConnections: 2,
			costPerNumber: 1,
			maxCredits: 30,
			retry: { baseDelayMs: 1, maxDelayMs: 2 },
			clock: nodeClock,
		});
		expect(transport.charged).toBeLessThanOrEqual(30);
		const outcomes = [...report.outcomes.values()];
		expect(outcomes).toHaveLength(100);
		expect(outcomes.some((o) => !o.lookedUp && o.reason === 'credit_cap')).toBe(true);
		expect(report.creditsSpent + report.unconfirmedCharges).toBeLessThanOrEqual(30);
	});
});
