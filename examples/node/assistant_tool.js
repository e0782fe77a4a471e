#!/usr/bin/env node
'use strict';
/*
 * assistant_tool.js - a "run this code" tool that a coding assistant
 * registers with its model: it runs a snippet in a throw-away sandbox and
 * returns the output and a verdict.  Run as a program, it feeds the tool a
 * few snippets, some of them hostile, and checks each verdict.
 *
 *   node examples/node/assistant_tool.js          # a table
 *   node examples/node/assistant_tool.js --json   # one JSON line each
 */

const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { Sandbox } = require('libsandbox');

const LANGUAGES = {
	python: ['python3', '-'],
	sh: ['sh', '-s'],
	node: ['node', '-'],
};
const MAX_CHARS = 2000; // what the model gets back of each stream

/* The tool as a model sees it (JSON Schema parameters), and its handler. */
function makeRunCodeTool({ workspace, timeoutMs = 10000 } = {}) {
	// One Sandbox per assistant session: at most two snippets at once.
	const sandbox = new Sandbox({
		workspace,         // read-only at /workspace: the project to test
		memory: '256M',
		pids: 64,
		maxOutput: '1M',
		timeout: timeoutMs,
		concurrency: 2,
	});
	const clip = (s) => s.length > MAX_CHARS
		? `${s.slice(0, MAX_CHARS)}\n[... ${s.length - MAX_CHARS} more characters]` : s;

	return {
		name: 'run_code',
		description: 'Run a code snippet in an isolated sandbox (no network, ' +
			'no access to the user\'s files or secrets, the project read-only ' +
			`at /workspace, ${timeoutMs / 1000} s, 256 MB) and get its output ` +
			'and a verdict.',
		parameters: {
			type: 'object',
			properties: {
				language: { type: 'string', enum: Object.keys(LANGUAGES) },
				code: { type: 'string' },
			},
			required: ['language', 'code'],
		},
		async handler({ language, code }, { signal } = {}) {
			const argv = LANGUAGES[language];
			if (!argv)
				return { verdict: 'rejected', note: `unknown language ${language}` };
			let r;
			try {
				r = await sandbox.run(argv[0], argv.slice(1), { input: code, signal });
			} catch (err) {
				if (err.name === 'AbortError')
					return { verdict: 'aborted', note: 'the user cancelled the run' };
				// could not run at all: say why, as the library said it
				return { verdict: 'not-run', note: `${err.code}: ${err.message}` };
			}
			/* reason: what stopped the program, null when it
			 * ended by itself */
			const verdicts = {
				timeout: 'timeout',
				memory: 'out-of-memory',
				cpu: 'cpu-limit',
				pids: 'too-many-processes',
				killed: 'killed',
			};
			return {
				verdict: r.reason === null
					? (r.signal ? 'crashed' : r.exitCode === 0 ? 'ok' : 'error')
					: verdicts[r.reason] ?? r.reason,
				exitCode: r.exitCode,
				signal: r.signal,
				stdout: clip(r.stdout),
				stderr: clip(r.stderr),
				truncated: r.truncated,
				wallTimeMs: r.wallTimeMs,
				note: r.message,
			};
		},
		close: () => sandbox.close(),
	};
}

/* ------------------------------------------------------------- demo */

async function main() {
	const json = process.argv.includes('--json');

	// What an assistant's host process has, and the sandbox must not leak.
	process.env.OPENAI_API_KEY = 'sk-demo-0000-not-a-real-key';
	const project = fs.mkdtempSync(path.join(os.tmpdir(), 'assistant-project-'));
	fs.writeFileSync(path.join(project, 'main.py'), 'def add(a, b):\n    return a + b\n');
	// A root caller's sandbox runs as an id that owns nothing on the host:
	// the project must be readable by others (mkdtemp makes it 0700).
	fs.chmodSync(project, 0o755);
	// A service on the developer's machine (a database, a dev server).
	const service = http.createServer((req, res) => res.end('internal data'));
	await new Promise((resolve) => service.listen(0, '127.0.0.1', resolve));
	const port = service.address().port;

	const tool = makeRunCodeTool({ workspace: project, timeoutMs: 3000 });
	const snippets = [
		{
			title: 'test the project',
			language: 'python',
			code: 'import sys; sys.path.insert(0, "/workspace")\n' +
				'from main import add\nassert add(2, 3) == 5\nprint("tests passed")',
			expect: (o) => o.verdict === 'ok' && o.stdout.includes('tests passed'),
		},
		{
			title: 'a failing script',
			language: 'sh',
			code: 'echo "checking..."; echo "error: no such table" >&2; exit 2',
			expect: (o) => o.verdict === 'error' && o.exitCode === 2,
		},
		{
			title: 'an endless loop',
			language: 'python',
			code: 'while True:\n    pass',
			expect: (o) => o.verdict === 'timeout',
		},
		{
			title: 'hostile: steal keys and secrets',
			language: 'sh',
			code: 'cat ~/.ssh/id_rsa /root/.ssh/id_rsa /etc/shadow 2>&1; ' +
				'ls /home 2>&1; env; cat /proc/1/environ 2>&1',
			expect: (o) => !/sk-demo|PRIVATE KEY|root:[^:]*:\d/.test(o.stdout + o.stderr),
		},
		{
			title: 'hostile: reach a service on the host',
			language: 'python',
			code: 'import urllib.request\n' +
				`print(urllib.request.urlopen("http://127.0.0.1:${port}/", timeout=2).read())`,
			expect: (o) => o.verdict === 'error' && !o.stdout.includes('internal data'),
		},
		{
			title: 'hostile: wipe the project',
			language: 'sh',
			code: 'rm -rf /workspace/* && echo wiped',
			expect: () => fs.existsSync(path.join(project, 'main.py')),
		},
		{
			title: 'hostile: flood the output',
			language: 'python',
			code: 'import sys\nfor _ in range(50):\n    sys.stdout.write("x" * 100000)',
			expect: (o) => o.verdict === 'ok' && o.truncated === true,
		},
	];

	let bad = 0;
	// The model may ask for several runs at once: the Sandbox queues them.
	const outcomes = await Promise.all(snippets.map((s) =>
		tool.handler({ language: s.language, code: s.code })));
	snippets.forEach((s, i) => {
		const o = outcomes[i];
		const ok = o.verdict !== 'not-run' && s.expect(o);
		if (!ok)
			bad++;
		if (json) {
			console.log(JSON.stringify({ snippet: s.title, as_expected: ok, ...o }));
		} else {
			const first = (o.stdout || o.stderr || o.note || '').trim().split('\n')[0];
			console.log(`${ok ? 'ok  ' : 'BAD '} ${s.title.padEnd(38)} ${o.verdict.padEnd(9)} ${first.slice(0, 60)}`);
		}
	});
	tool.close();
	service.close();
	fs.rmSync(project, { recursive: true, force: true });
	if (bad) {
		console.log(`${bad} snippet(s) did not behave as expected`);
		process.exitCode = 1;
	} else {
		console.log('all snippets behaved as expected');
	}
}

module.exports = { makeRunCodeTool };

if (require.main === module) {
	main().catch((err) => {
		console.error(err);
		process.exitCode = 1;
	});
}
