'use strict';
// kill.test.js - AbortSignal, timeout and kill() end the whole sandbox and
// leave no process behind (not the program, not a detached grandchild, not
// the supervisor).

const test = require('node:test');
const assert = require('node:assert/strict');
const { run, spawn, Sandbox } = require('libsandbox');
const { processesWith, children, uniqueSeconds } = require('./helpers');

function assertNothingLeft(token) {
	assert.deepEqual(processesWith(token), [], `processes with ${token} remain`);
	assert.deepEqual(children().filter((c) => c.comm === 'sbx-supervisor'), [],
		'a supervisor remains');
}

/* Wait until at least n processes have token on their command line
 * (a busy machine may take its time to start them); how many there were. */
async function started(token, n) {
	let seen = processesWith(token).length;
	for (let i = 0; i < 300 && seen < n; i++) {
		await new Promise((resolve) => setTimeout(resolve, 100));
		seen = processesWith(token).length;
	}
	return seen;
}

test('AbortSignal kills the sandbox: AbortError, nothing left', async () => {
	const token = uniqueSeconds();
	const ac = new AbortController();
	const p = run('sh', ['-c', `sleep ${token} & setsid sleep ${token} & echo started; wait`], { signal: ac.signal });
	const seen = await started(token, 2);
	// aborted in any case: a failed check must not leave it running
	ac.abort(new Error('user gave up'));
	assert.ok(seen >= 2, 'the program was running');
	const t0 = Date.now();
	await assert.rejects(p, (err) => {
		assert.equal(err.name, 'AbortError');
		assert.equal(err.code, 'ABORT_ERR');
		assert.equal(err.cause.message, 'user gave up');
		assert.equal(err.result.status, 'killed');
		assert.equal(err.result.stdout, 'started\n');
		return true;
	});
	assert.ok(Date.now() - t0 < 10000);
	assertNothingLeft(token);
});

test('an already aborted signal starts nothing', async () => {
	const token = uniqueSeconds();
	const before = children().length;
	await assert.rejects(run('sleep', [token], { signal: AbortSignal.abort() }), { name: 'AbortError' });
	assert.equal(children().length, before);
	assertNothingLeft(token);
});

test('AbortSignal.timeout() and spawn()', async () => {
	const token = uniqueSeconds();
	const p = spawn('sleep', [token], { signal: AbortSignal.timeout(300) });
	const ended = new Promise((resolve) => p.stdout.on('end', resolve).resume());
	await assert.rejects(p.result, { name: 'AbortError' });
	await ended;
	assertNothingLeft(token);
});

test('timeout kills everything: status timeout, nothing left', async () => {
	const token = uniqueSeconds();
	const t0 = Date.now();
	const r = await run('sh', ['-c', `(setsid sleep ${token} &); sleep ${token}`], { timeout: 400 });
	const took = Date.now() - t0;
	assert.equal(r.status, 'timeout');
	assert.equal(r.reason, 'timeout');
	assert.equal(r.signal, 'SIGKILL');
	assert.equal(r.exitCode, null);
	assert.equal(r.limits.wall_ms.fired, true);
	assert.ok(r.wallTimeMs >= 400, `wall ${r.wallTimeMs}`);
	assert.ok(took < 10000, `took ${took} ms`);
	assertNothingLeft(token);
});

test('a Sandbox timeout applies to each run', async () => {
	const token = uniqueSeconds();
	const sb = new Sandbox({ timeout: 300 });
	const rs = await Promise.all([sb.run('sleep', [token]), sb.run('sleep', [token])]);
	sb.close();
	assert.deepEqual(rs.map((r) => r.status), ['timeout', 'timeout']);
	assertNothingLeft(token);
});

test('spawn().kill() leaves nothing', async () => {
	const token = uniqueSeconds();
	const p = spawn('sh', ['-c', `sleep ${token} & sleep ${token}`]);
	const seen = await started(token, 2);
	assert.equal(p.kill(), true);
	assert.ok(seen >= 2, 'the program was running');
	const r = await p.result;
	assert.equal(r.status, 'killed');
	assertNothingLeft(token);
});

test('killing a spawn that waits for a slot: it never starts', async () => {
	const token = uniqueSeconds();
	const sb = new Sandbox({ concurrency: 1 });
	const first = sb.spawn('sleep', ['0.3']);
	const second = sb.spawn('sleep', [token]);
	assert.equal(second.kill(), true);
	await assert.rejects(second.result, { code: 'ECANCELED' });
	assert.equal((await first.result).exitCode, 0);
	sb.close();
	assertNothingLeft(token);
});

test('aborting a run that waits for a slot rejects at once', async () => {
	const token = uniqueSeconds();
	const sb = new Sandbox({ concurrency: 1 });
	const first = sb.run('sleep', ['0.5']);
	const ac = new AbortController();
	const second = sb.run('sleep', [token], { signal: ac.signal });
	ac.abort();
	await assert.rejects(second, { name: 'AbortError' });
	assert.equal((await first).exitCode, 0);
	sb.close();
	assertNothingLeft(token);
});

test('a Node process that exits mid-run leaves no sandbox behind', async () => {
	const token = uniqueSeconds();
	const { execFile } = require('node:child_process');
	const helpers = require.resolve('./helpers');
	const script = `const { run } = require('libsandbox');
		const { processesWith } = require(${JSON.stringify(helpers)});
		run('sh', ['-c', 'sleep ${token} & sleep ${token}']);
		let tries = 0;
		setInterval(() => {
			const seen = processesWith('${token}').length;
			if (seen < 2 && ++tries < 250)
				return;
			console.log(seen);
			process.exit(0);
		}, 100);`;
	const seen = await new Promise((resolve, reject) => execFile(process.execPath, ['-e', script],
		{ timeout: 30000 }, (err, stdout) => (err ? reject(err) : resolve(Number(stdout)))));
	assert.ok(seen >= 2, 'the sandbox was running when its caller exited');
	// the supervisor sees its caller go and kills the sandbox
	let left = processesWith(token);
	for (let i = 0; i < 50 && left.length; i++) {
		await new Promise((resolve) => setTimeout(resolve, 100));
		left = processesWith(token);
	}
	assert.deepEqual(left, []);
});
