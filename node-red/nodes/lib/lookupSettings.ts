import type { LookupSettings } from '../../../engine/lookupSession';
import type { RouteBy } from '../../../engine/types';
import type { NodeDef } from './red';

/** npl-lookup's properties as the editor saves them (strings from inputs, booleans from checkboxes). */
export interface LookupDef extends NodeDef {
	account?: string;
	routeBy?: string;
	defaultCountry?: string;
	numbersPerRequest?: string | number;
	maxConnections?: string | number;
	maxCredits?: string | number;
	msc?: boolean | string;
}

const ROUTE_BY: readonly RouteBy[] = ['validity', 'errorGroup', 'none'];

/**
 * The engine's settings from the node's properties. What the editor would not have let through
 * (a flow written by hand or by a script) is a problem for the user to fix, said in one sentence;
 * numbers out of range are brought into it, as the editor's validation would ask.
 */
export function readLookupSettings(
	def: LookupDef,
): { settings: Omit<LookupSettings, 'signal' | 'onRequestSettled'>; problem: string | null } {
	const problems: string[] = [];
	const routeBy = (def.routeBy || 'validity') as RouteBy;
	if (!ROUTE_BY.includes(routeBy)) {
		problems.push(`Route By is "${def.routeBy}": use validity, errorGroup or none.`);
	}
	const country = String(def.defaultCountry ?? '').trim().toUpperCase();
	if (country !== '' && !/^[A-Z]{2}$/.test(country)) {
		problems.push(
			`Default Country is "${def.defaultCountry}": use a two-letter ISO 3166 code (GB, US, DE) or leave it empty.`,
		);
	}
	const maxCredits = Number(def.maxCredits ?? 0);
	return {
		settings: {
			routeBy: ROUTE_BY.includes(routeBy) ? routeBy : 'validity',
			defaultCountry: /^[A-Z]{2}$/.test(country) ? country : undefined,
			// As the n8n node does by default: a number that cannot be valid costs nothing, and a
			// number held by several messages of one batch is looked up (and paid) once.
			skipInvalid: true,
			lookUpDuplicatesOnce: true,
			numbersPerRequest: clamp(def.numbersPerRequest, 1, 100, 100),
			maxConnections: clamp(def.maxConnections, 1, 20, 5),
			includeMsc: def.msc === true || def.msc === 'true',
			maxCredits: Number.isFinite(maxCredits) && maxCredits > 0 ? maxCredits : undefined,
		},
		problem: problems.length > 0 ? problems.join(' ') : null,
	};
}

function clamp(raw: unknown, min: number, max: number, fallback: number): number {
	if (raw === undefined || raw === null || raw === '') return fallback;
	const value = Number(raw);
	return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : fallback;
}
