import { reasonText } from '../../nodes/NumberPortabilityLookup/engine/results/reasons';
import type { NotLookedUpReason } from '../../nodes/NumberPortabilityLookup/engine/types';

const ALL_REASONS: NotLookedUpReason[] = [
	'invalid_number',
	'insufficient_credit',
	'credit_cap',
	'invalid_credentials',
	'rate_limited',
	'service_unavailable',
	'network_error',
	'timeout',
	'protocol_error',
	'request_rejected',
];

describe('reasonText', () => {
	it.each(ALL_REASONS)('has a sentence for %s that says what to do', (reason) => {
		const text = reasonText(reason);
		expect(text).toMatch(/^[A-Z].{30,}\.$/);
		expect(text).toMatch(/check|fix|top up|run again|raise|lower/i);
	});

	it('gives each reason its own sentence', () => {
		expect(new Set(ALL_REASONS.map(reasonText)).size).toBe(ALL_REASONS.length);
	});

	it('says the documented sentence for running out of credit', () => {
		expect(reasonText('insufficient_credit')).toBe(
			'Your Number Portability Lookup account ran out of credit before this number was looked up; top up and run again.',
		);
		expect(reasonText('invalid_number')).toMatch(/no credit was spent/);
	});
});
