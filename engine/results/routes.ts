import {
	ERROR_GROUP_ROUTES,
	SINGLE_ROUTE,
	VALIDITY_ROUTES,
	type ErrorGroupRoute,
	type LookupFields,
	type NumberOutcome,
	type RouteBy,
	type RouteName,
	type ValidityRoute,
} from '../types';

/**
 * Which output each outcome goes to (DESIGN §2, "Error-code branching"). The route names are
 * the output names the user sees, in output order.
 */

export function routeNamesFor(routeBy: RouteBy): readonly RouteName[] {
	switch (routeBy) {
		case 'validity':
			return VALIDITY_ROUTES;
		case 'errorGroup':
			return ERROR_GROUP_ROUTES;
		case 'none':
			return SINGLE_ROUTE;
	}
}

export function routeFor(outcome: NumberOutcome, routeBy: RouteBy): RouteName {
	switch (routeBy) {
		case 'validity':
			return validityRoute(outcome);
		case 'errorGroup':
			return errorGroupRoute(outcome);
		case 'none':
			return SINGLE_ROUTE[0];
	}
}

function validityRoute(outcome: NumberOutcome): ValidityRoute {
	if (!outcome.lookedUp) {
		// A number that cannot be valid was answered locally: it is invalid, not "not looked up".
		return outcome.reason === 'invalid_number' ? 'Invalid' : 'Not Looked Up';
	}
	const valid = outcome.fields.validnumber;
	if (valid === true) return 'Valid';
	if (valid === false) return 'Invalid';
	// 'undetermined', or absent (the service did not say): the service's own "can't tell".
	return 'Undetermined';
}

/** Error codes by group, from the reference's table (v3.31). Codes not listed are Failed. */
function groupOfCode(code: number): ErrorGroupRoute {
	switch (code) {
		case 0:
			return 'Live';
		case 6:
		case 27:
			return 'Absent';
		case 1:
		case 5:
			return 'Unknown';
		case 7:
		case 8:
		case 9:
		case 11:
		case 12:
		case 13:
		case 21:
			return 'Restricted';
		case 31:
		case 32:
		case 33:
			return 'Temporary';
		default:
			// 34, 35, 36, 38, and any code the reference does not list.
			return 'Failed';
	}
}

/**
 * A NANP answer (msisdn, ocn, carrier, numbertype, maybe lrn/spid) carries no errorcode: it
 * comes from the North American porting database, not an HLR query, and naming the carrier is
 * that lookup succeeding. So an answer without errorcode that names a carrier is Live; one that
 * names nothing gives no evidence of success and is Failed.
 */
function isNanpAnswer(fields: LookupFields): boolean {
	return (
		fields.ocn !== null || fields.carrier !== null || fields.lrn !== null || fields.spid !== null
	);
}

function errorGroupRoute(outcome: NumberOutcome): ErrorGroupRoute {
	if (!outcome.lookedUp) {
		// DESIGN: Unknown holds the locally found invalid numbers; every other reason is Failed.
		return outcome.reason === 'invalid_number' ? 'Unknown' : 'Failed';
	}
	const code = outcome.fields.errorcode;
	if (code === null) return isNanpAnswer(outcome.fields) ? 'Live' : 'Failed';
	return groupOfCode(code);
}
