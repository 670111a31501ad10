import { getCountries } from 'libphonenumber-js/max';
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

/** Every country libphonenumber knows, by English name, for numbers written in national format. */
function countryOptions(): INodePropertyOptions[] {
	const names = new Intl.DisplayNames(['en'], { type: 'region' });
	const countries = getCountries()
		.map((code) => ({ name: `${names.of(code) ?? code} (${code})`, value: code as string }))
		.sort((a, b) => a.name.localeCompare(b.name));
	return [{ name: 'None (International Format Only)', value: '' }, ...countries];
}

export const defaultCountryOption: INodeProperties = {
	displayName: 'Default Country',
	name: 'defaultCountry',
	type: 'options',
	options: countryOptions(),
	default: '',
	description:
		'Country of numbers written without a country code, e.g. "07788 450450" with United Kingdom. Numbers with a country code are read as they are.',
};

/** One number per item (Look Up Number, Validate Offline); `description` says what happens to it. */
export function phoneNumberProperty(description: string): INodeProperties {
	return {
		displayName: 'Phone Number',
		name: 'phoneNumber',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. +44 7788 450450 or {{ $json.phone }}',
		description,
	};
}

export const routeByProperty: INodeProperties = {
	displayName: 'Route By',
	name: 'routeBy',
	type: 'options',
	noDataExpression: true,
	options: [
		{
			name: 'Validity',
			value: 'validity',
			description: 'Outputs Valid, Invalid, Undetermined and Not Looked Up',
		},
		{
			name: 'Error Code Group',
			value: 'errorGroup',
			description: 'Outputs Live, Absent, Unknown, Restricted, Temporary and Failed',
		},
		{ name: 'Single Output', value: 'none', description: 'Every result on one output' },
	],
	default: 'validity',
	description: 'Which outputs the results are sorted onto',
};

export const lookupOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		defaultCountryOption,
		{
			displayName: 'Include Serving MSC',
			name: 'includeMsc',
			type: 'boolean',
			default: false,
			description:
				'Whether to ask for the serving MSC prefix (msc=1). Each lookup then costs 1.2 credits instead of 1.',
		},
		{
			displayName: 'Look Up Duplicates Once',
			name: 'lookUpDuplicatesOnce',
			type: 'boolean',
			default: true,
			description:
				'Whether a number that appears several times in the input is looked up (and paid for) once, its result copied to every item that holds it',
		},
		{
			displayName: 'Max Connections',
			name: 'maxConnections',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 20 },
			default: 5,
			description:
				"Connections open at once to the service for this account. The service's default limit is 5; every workflow using the account in this n8n process shares them.",
		},
		{
			displayName: 'Max Credits',
			name: 'maxCredits',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 2 },
			default: 0,
			description:
				'Stop before spending more than this many credits in one execution. Numbers left over come out as Not Looked Up. 0 means no cap.',
		},
		{
			displayName: 'Numbers Per Request',
			name: 'numbersPerRequest',
			type: 'number',
			typeOptions: { minValue: 1, maxValue: 100 },
			default: 100,
			description:
				'Numbers sent in one request. If the service refuses the size, the node drops to 10 by itself.',
		},
		{
			displayName: 'Progress Log Interval (Seconds)',
			name: 'progressLogInterval',
			type: 'number',
			typeOptions: { minValue: 0.2, numberPrecision: 1 },
			default: 10,
			description:
				"How often a long run writes a progress line to n8n's log (numbers done, requests, credits), for following it on a worker",
		},
		{
			displayName: 'Skip Invalid Numbers',
			name: 'skipInvalid',
			type: 'boolean',
			default: true,
			description:
				'Whether numbers that cannot be valid (checked offline) are answered locally, without spending credit',
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 120,
			description:
				'Longest wait for the service to start answering, and between two parts of its answer. SS7 lookups can be slow.',
		},
	],
};
