import { emptyLookupFields } from '../../engine/results/typedFields';
import { routeFor, routeNamesFor } from '../../engine/results/routes';
import {
	NOT_LOOKED_UP_REASONS,
	type LookupFields,
	type NotLookedUpReason,
	type NumberOutcome,
	type TriState,
} from '../../engine/types';

function lookedUp(fields: Partial<LookupFields>): NumberOutcome {
	return { lookedUp: true, fields: { ...emptyLookupFields(), msisdn: '447788450450', ...fields } };
}

function notLookedUp(reason: NotLookedUpReason): NumberOutcome {
	return { lookedUp: false, reason, detail: 'test' };
}

/** Every code in the reference's table (v3.31), with its group. */
const CODE_GROUPS: Array<[number, string]> = [
	[0, 'Live'],
	[1, 'Unknown'],
	[5, 'Unknown'],
	[6, 'Absent'],
	[7, 'Restricted'],
	[8, 'Restricted'],
	[9, 'Restricted'],
	[11, 'Restricted'],
	[12, 'Restricted'],
	[13, 'Restricted'],
	[21, 'Restricted'],
	[27, 'Absent'],
	[31, 'Temporary'],
	[32, 'Temporary'],
	[33, 'Temporary'],
	[34, 'Failed'],
	[35, 'Failed'],
	[36, 'Failed'],
	[38, 'Failed'],
	// Codes the reference does not list.
	[2, 'Failed'],
	[37, 'Failed'],
	[99, 'Failed'],
	[-1, 'Failed'],
];

describe('routeNamesFor', () => {
	it('gives the outputs of each mode, in order', () => {
		expect(routeNamesFor('validity')).toEqual([
			'Valid',
			'Invalid',
			'Undetermined',
			'Not Looked Up',
		]);
		expect(routeNamesFor('errorGroup')).toEqual([
			'Live',
			'Absent',
			'Unknown',
			'Restricted',
			'Temporary',
			'Failed',
		]);
		expect(routeNamesFor('none')).toEqual(['Result']);
	});
});

describe('routeFor, by validity', () => {
	it.each<[TriState | null, string]>([
		[true, 'Valid'],
		[false, 'Invalid'],
		['undetermined', 'Undetermined'],
		[null, 'Undetermined'],
	])('validnumber %j → %s', (validnumber, route) => {
		expect(routeFor(lookedUp({ validnumber }), 'validity')).toBe(route);
	});

	it.each(CODE_GROUPS)('follows validnumber, not the error code (%i)', (errorcode) => {
		expect(routeFor(lookedUp({ errorcode, validnumber: true }), 'validity')).toBe('Valid');
		expect(routeFor(lookedUp({ errorcode, validnumber: false }), 'validity')).toBe('Invalid');
		expect(routeFor(lookedUp({ errorcode, validnumber: 'undetermined' }), 'validity')).toBe(
			'Undetermined',
		);
	});

	it('sends a NANP answer (validnumber undetermined) to Undetermined', () => {
		expect(
			routeFor(
				lookedUp({ ocn: '6214', carrier: 'T-Mobile', validnumber: 'undetermined' }),
				'validity',
			),
		).toBe('Undetermined');
	});

	it.each(NOT_LOOKED_UP_REASONS)('not looked up because %s', (reason) => {
		expect(routeFor(notLookedUp(reason), 'validity')).toBe(
			reason === 'invalid_number' ? 'Invalid' : 'Not Looked Up',
		);
	});
});

describe('routeFor, by error code group', () => {
	it.each(CODE_GROUPS)('errorcode %i → %s', (errorcode, route) => {
		expect(routeFor(lookedUp({ errorcode }), 'errorGroup')).toBe(route);
		// The group does not depend on the validity flags.
		expect(
			routeFor(lookedUp({ errorcode, validnumber: false, reachable: false }), 'errorGroup'),
		).toBe(route);
	});

	it('sends a NANP answer without errorcode to Live', () => {
		expect(
			routeFor(
				lookedUp({ ocn: '6214', carrier: 'T-Mobile USA, Inc.', numbertype: 'WIRELESS' }),
				'errorGroup',
			),
		).toBe('Live');
		expect(routeFor(lookedUp({ lrn: '7044510000' }), 'errorGroup')).toBe('Live');
	});

	it('sends a NANP answer with an errorcode by its code', () => {
		expect(routeFor(lookedUp({ ocn: '6214', errorcode: 36 }), 'errorGroup')).toBe('Failed');
	});

	it('sends an answer with neither errorcode nor carrier to Failed', () => {
		expect(routeFor(lookedUp({ validnumber: true }), 'errorGroup')).toBe('Failed');
	});

	it.each(NOT_LOOKED_UP_REASONS)('not looked up because %s', (reason) => {
		expect(routeFor(notLookedUp(reason), 'errorGroup')).toBe(
			reason === 'invalid_number' ? 'Unknown' : 'Failed',
		);
	});
});

describe('routeFor, single output', () => {
	it('sends everything to Result', () => {
		for (const [errorcode] of CODE_GROUPS) {
			expect(routeFor(lookedUp({ errorcode }), 'none')).toBe('Result');
		}
		for (const reason of NOT_LOOKED_UP_REASONS) expect(routeFor(notLookedUp(reason), 'none')).toBe('Result');
	});
});

describe("every route returned is one of the mode's outputs", () => {
	it('holds for all outcomes', () => {
		const outcomes: NumberOutcome[] = [
			...CODE_GROUPS.map(([errorcode]) => lookedUp({ errorcode })),
			...NOT_LOOKED_UP_REASONS.map(notLookedUp),
			lookedUp({}),
		];
		for (const mode of ['validity', 'errorGroup', 'none'] as const) {
			for (const outcome of outcomes) {
				expect(routeNamesFor(mode)).toContain(routeFor(outcome, mode));
			}
		}
	});
});
