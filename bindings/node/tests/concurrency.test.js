'use strict';
// concurrency.test.js - many runs at once and in a row: 200 concurrent
// run() calls with a concurrency of 8 all succeed; 1,000 runs leave the
// process's descriptor count, handles and children where they were.

const test = require('node:test');
const assert = require('node:assert/strict');
const sandbox = require('libsandbox');
const { run, Sandbox } = sandbox;
const { fdCount, children } = require('./helpers');

test('200 concurrent run() calls with a concurrency of 8 all succeed', async () => {
	const sb = new Sandbox({ concurrency: 8 });
	let most = 0;
	const watch = setInterval(() => { most = Math.max(most, sb.pending.running); }, 5);
	const rs = await Promise.all(Array.from({ length: 200 }, (_, i) =>
		sb.run('sh', ['-c', 'echo "$0"; echo "$0" >&2', String(i)], { input: `in ${i}` })
			.then((r) => { most = Math.max(most, sb.pending.running); return r; })));
	clearInterval(watch);
	sb.close();
	rs.forEach((r, i) => {
		assert.equal(r.status, 'exited');
		assert.equal(r.exitCode, 0);
		assert.equal(r.stdout, `${i}\n`);
		assert.equal(r.stderr, `${i}\n`);
	});
	assert.ok(most <= 8, `up to ${most} ran at once`);
	assert.ok(most >= 2, `only ${most} ran at once`);
});

test('1,000 runs leave the fd count, the handles and the children flat', { timeout: 600000 }, async (t) => {
	// warm up: libuv's and the test runner's own descriptors
	await run('true');
	const fds = fdCount();
	const handles = sandbox._liveHandles;
	const kids = children().length;
	const sb = new Sandbox({ concurrency: 8 });
	const t0 = Date.now();
	let failures = 0;
	const batch = async (n, fn) => {
		await Promise.all(Array.from({ length: n }, () => fn().then((r) => {
			if (r.exitCode !== 0)
				failures++;
		})));
	};
	// 800 through a pooled Sandbox, with input and output ...
	for (let i = 0; i < 8; i++)
		await batch(100, () => sb.run('cat', { input: 'x'.repeat(1000) }));
	// ... 100 one-off runs, 50 spawns, and 50 that end by timeout
	for (let i = 0; i < 10; i++)
		await batch(10, () => run('true'));
	await batch(50, () => {
		const p = sb.spawn('echo', ['spawned']);
		p.stdout.resume();
		return p.result;
	});
	let timeouts = 0;
	await batch(50, () => sb.run('sleep', ['10'], { timeout: 100 }).then((r) => {
		if (r.status === 'timeout')
			timeouts++;
		return { exitCode: 0 };
	}));
	sb.close();
	t.diagnostic(`1000 runs in ${Date.now() - t0} ms`);
	assert.equal(failures, 0);
	assert.equal(timeouts, 50);
	// sockets close on the next turns of the loop
	await new Promise((resolve) => setTimeout(resolve, 100));
	assert.equal(fdCount(), fds, 'descriptors leaked');
	assert.equal(sandbox._liveHandles, handles, 'native handles leaked');
	assert.equal(children().length, kids, 'child processes left');
});
