'use strict';
// parity.test.js - results match child_process.execFile on the same
// commands (where a sandbox should not change them: not the environment,
// the working directory or the files).

const test = require('node:test');
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const { run } = require('libsandbox');

/* execFile, reduced to what both report. */
function viaExecFile(file, args, { input, encoding = 'utf8' } = {}) {
	return new Promise((resolve) => {
		const child = execFile(file, args, { encoding, maxBuffer: 64 << 20 },
			(err, stdout, stderr) => {
				resolve({
					exitCode: err ? (typeof err.code === 'number' ? err.code : null) : 0,
					signal: err?.signal ?? null,
					stdout,
					stderr,
				});
			});
		child.stdin.on('error', () => {});
		child.stdin.end(input);
	});
}

async function viaSandbox(file, args, opts = {}) {
	const r = await run(file, args, opts);
	return { exitCode: r.exitCode, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

const cases = [
	['plain output', 'echo', ['hello', 'world']],
	['arguments with spaces, quotes and unicode', 'sh',
		['-c', 'for a in "$@"; do printf "[%s]\\n" "$a"; done', 'sh', 'a b', '"q"', "it's", 'h\u00e9 \u2713', '']],
	['stdout, stderr and an exit code', 'sh', ['-c', 'printf "a\\nb"; printf err >&2; exit 7']],
	['stderr with success', 'sh', ['-c', 'echo warning >&2']],
	['a false program', 'false', []],
	['killed by a signal', 'sh', ['-c', 'echo before; kill -TERM $$; echo after']],
	['killed by SIGKILL', 'sh', ['-c', 'kill -KILL $$']],
	['large output', 'seq', ['1', '300000']],
	['interleaved streams', 'sh', ['-c', 'for i in 1 2 3 4 5; do echo o$i; echo e$i >&2; done']],
];

for (const [name, file, args] of cases) {
	test(`same as execFile: ${name}`, async () => {
		const [want, got] = await Promise.all([viaExecFile(file, args), viaSandbox(file, args)]);
		assert.deepEqual(got, want);
	});
}

test('same as execFile: standard input', async () => {
	const input = 'line 1\nline 2\n'.repeat(5000);
	const want = await viaExecFile('sort', ['-r'], { input });
	const got = await viaSandbox('sort', ['-r'], { input });
	assert.deepEqual(got, want);
});

test('same as execFile: binary output as Buffers', async () => {
	const args = ['-c', 'printf "\\000\\001\\377\\376"; head -c 70000 /dev/zero | tr "\\0" "\\252"'];
	const want = await viaExecFile('sh', args, { encoding: 'buffer' });
	const got = await viaSandbox('sh', args, { encoding: 'buffer' });
	assert.ok(Buffer.isBuffer(got.stdout));
	assert.equal(got.stdout.length, 70004);
	assert.deepEqual(got, want);
});
