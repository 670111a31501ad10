/**
 * The release pipeline cannot run here: its two workflow files are checked instead, and each
 * check is shown to fail on a copy broken the way a real edit could break it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { REPO_DIR, ciProblems, lint, publishProblems } from './workflowChecks';

const CI = join(REPO_DIR, '.github', 'workflows', 'ci.yml');
const PUBLISH = join(REPO_DIR, '.github', 'workflows', 'publish.yml');
const VERSION = (
	JSON.parse(readFileSync(join(REPO_DIR, 'package.json'), 'utf8')) as { version: string }
).version;

let work: string;
beforeAll(() => {
	work = mkdtempSync(join(tmpdir(), 'npl-workflows-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of `file` with `from` replaced by `to` (which must be there: no silent no-op edits). */
function brokenCopy(file: string, from: string | RegExp, to: string): string {
	const text = readFileSync(file, 'utf8');
	const broken = text.replace(from, to);
	if (broken === text) throw new Error(`the edit ${String(from)} does not apply to ${file}`);
	const copy = join(work, `${Math.random().toString(36).slice(2)}.yml`);
	writeFileSync(copy, broken);
	return copy;
}

describe('.github/workflows/ci.yml', () => {
	it('passes action-validator and the step checks', () => {
		expect(ciProblems(CI)).toEqual([]);
	});

	it.each<[string, string | RegExp, string, RegExp]>([
		[
			'a key the schema does not know',
			'runs-on: ubuntu-latest',
			'runs-at: ubuntu-latest',
			/action-validator \(exit 1\)/,
		],
		['broken YAML', 'jobs:\n', 'jobs:\n  - [\n', /action-validator \(exit 1\)/],
		[
			'Node 24 dropped from the matrix',
			'node-version: [20, 24]',
			'node-version: [20]',
			/matrix lacks 24/,
		],
		['npm test replaced by lint', 'run: npm test', 'run: npm run lint', /no job runs "npm test"/],
		[
			'Chromium not installed',
			'redis-server postgresql chromium',
			'redis-server postgresql',
			/lacks chromium/,
		],
		[
			'a fixed Node version',
			'node-version: ${{ matrix.node-version }}',
			"node-version: '20'",
			/does not use matrix.node-version/,
		],
	])('fails with %s', (_what, from, to, expected) => {
		expect(ciProblems(brokenCopy(CI, from, to)).join('\n')).toMatch(expected);
	});
});

describe('.github/workflows/publish.yml', () => {
	it('passes action-validator and the step checks', () => {
		expect(publishProblems(PUBLISH, VERSION)).toEqual([]);
	});

	it.each<[string, string | RegExp, string, RegExp]>([
		[
			'an unknown permission value',
			/^( +)id-token: write$/m,
			'$1id-token: sometimes',
			/no "id-token: write"/,
		],
		[
			'a key the schema does not know',
			'timeout-minutes: 90',
			'timeout-minute: 90',
			/action-validator \(exit 1\)/,
		],
		[
			'needs naming a job that does not exist',
			'needs: test',
			'needs: tests',
			/action-validator \(exit 1\)/,
		],
		[
			'no provenance',
			'npm publish --provenance --access public',
			'npm publish --access public',
			/without --provenance/,
		],
		[
			'not public',
			'npm publish --provenance --access public',
			'npm publish --provenance',
			/without --access public/,
		],
		['no id-token: write', /\n\s+id-token: write/, '', /no "id-token: write"/],
		['publishing without the tests', /\n {4}needs: test/, '', /without running "npm test" first/],
		[
			'the tests dropped from the test job',
			'run: npm test',
			'run: npm run build',
			/without running "npm test" first/,
		],
		[
			'run on every push to main',
			"tags:\n      - 'v*'",
			'branches: [main]',
			/version tags \(v\*\) only/,
		],
		[
			'no token for npm',
			'NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}',
			'NODE_AUTH_TOKEN: ""',
			/NODE_AUTH_TOKEN/,
		],
		[
			'no registry-url',
			"registry-url: 'https://registry.npmjs.org'",
			'always-auth: true',
			/no registry-url/,
		],
		['a tag check that lets everything through', 'exit 1\n', 'exit 0\n', /lets a tag that is not/],
		[
			'the queue-mode package left out',
			/\n {6}- name: Publish the queue-mode n8n package[\s\S]*?(?=\n\n {2}publish-node-red:)/,
			'\n',
			/packages\/queue-mode is never published/,
		],
		[
			'a repository check that lets everything through',
			'                exit 1\n                ;;',
			'                ;;',
			/repository check lets a package.json without this repository through/,
		],
	])('fails with %s', (_what, from, to, expected) => {
		expect(publishProblems(brokenCopy(PUBLISH, from, to), VERSION).join('\n')).toMatch(expected);
	});

	it.each<[string, string | RegExp, string, RegExp]>([
		[
			'the Node-RED package not published',
			/\n {8}working-directory: node-red\n {8}run: npm publish --provenance --access public/,
			'\n        working-directory: node-red\n        run: npm pack',
			/node-red is never published/,
		],
		[
			'the Node-RED package without provenance',
			/(working-directory: node-red\n {8}run: npm publish) --provenance/,
			'$1',
			/without --provenance/,
		],
		[
			'the Node-RED package published from the root',
			/\n {8}working-directory: node-red\n/,
			'\n',
			/node-red is never published/,
		],
		[
			'the Node-RED package published without the tests',
			/(publish-node-red:[\s\S]*?)\n {4}needs: test/,
			'$1',
			/without running "npm test" first/,
		],
	])('fails with %s', (_what, from, to, expected) => {
		expect(publishProblems(brokenCopy(PUBLISH, from, to), VERSION).join('\n')).toMatch(expected);
	});

	it('the linter itself exits 1 on a file that is not a workflow', () => {
		const copy = join(work, 'empty.yml');
		writeFileSync(copy, 'name: nothing\n');
		expect(lint(copy).join('\n')).toMatch(/action-validator \(exit 1\)/);
	});
});
