import type { INodeParameters } from 'n8n-workflow';

/**
 * The node's outputs for its parameters. n8n evaluates this in the editor from its source
 * text (`outputs` is an expression that calls it), so it must stay self-contained: literals
 * only, no imports. routeNamesFor() in engine/results/routes.ts holds the same names for the
 * engine; test/node/outputs.test.ts keeps the two in step.
 */
export const configuredOutputs = (parameters: INodeParameters) => {
	const operation = parameters.operation ?? 'lookup';
	const routeBy = parameters.routeBy ?? 'validity';
	let names = ['Result'];
	if (operation === 'lookup' || operation === 'lookupMany') {
		if (routeBy === 'validity') names = ['Valid', 'Invalid', 'Undetermined', 'Not Looked Up'];
		if (routeBy === 'errorGroup') {
			names = ['Live', 'Absent', 'Unknown', 'Restricted', 'Temporary', 'Failed'];
		}
	}
	return names.map((name) => ({ type: 'main', displayName: name }));
};

export const OUTPUTS_EXPRESSION = `={{(${configuredOutputs})($parameter)}}` as const;
