'use strict';
// api.test.js - the package's API: run, spawn, Sandbox, errors, options.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const v8 = require('node:v8');
const vm = require('node:vm');
const { finished } = require('node:stream/promises');
const sandbox = require('libsandbox');
const { run, spawn, Sandbox, SandboxError, SandboxProcess } = sandbox;
const { tmpDir } = require('./helpers');

test('version and exports', () => {
	assert.match(sandbox.version, /^\d+\.\d+\.\d+$/);
	assert.equal(typeof run, 'function');
	assert.equal(typeof spawn, 'function');
	assert.equal(sandbox.parseSize('256M'), 256 * 1024 * 1024);
	assert.equal(sandbox.parseSize('1.5K'), 1536);
	assert.throws(() => sandbox.parseSize('lots'), { code: 'ERR_INVALID_ARG_VALUE' });
});

test('run() resolves with the result of the program', async () => {
	const r = await run('sh', ['-c', 'echo out; echo err >&2; exit 3']);
	assert.equal(r.status, 'exited');
	assert.equal(r.reason, null); /* it ended by itself: Python's None */
	assert.equal(r.exitCode, 3);
	assert.equal(r.signal, null);
	assert.equal(r.stdout, 'out\n');
	assert.equal(r.stderr, 'err\n');
	assert.equal(r.truncated, false);
	assert.equal(r.setupError, null);
	for (const k of ['wallTimeMs', 'cpuTimeMs', 'cpuUserMs', 'cpuSystemMs', 'peakMemoryBytes', 'idRange'])
		assert.equal(typeof r[k], 'number', k);
	assert.ok(r.layers.includes('seccomp'));
	assert.ok(r.layers.includes('netns'));
	assert.equal(typeof r.limits.memory.mechanism, 'string');
});

test('run(file) and run(file, options) without args', async () => {
	assert.equal((await run('true')).exitCode, 0);
	assert.equal((await run('false', {})).exitCode, 1);
	const r = await run('cat', { input: 'from input' });
	assert.equal(r.stdout, 'from input');
});

test('input: string, Buffer and TypedArray; encoding buffer', async () => {
	const bytes = Buffer.from([0, 1, 2, 0xff, 0xfe, 10]);
	let r = await run('cat', [], { input: bytes, encoding: 'buffer' });
	assert.ok(Buffer.isBuffer(r.stdout));
	assert.deepEqual(r.stdout, bytes);
	r = await run('cat', [], { input: new Uint8Array([104, 105]) });
	assert.equal(r.stdout, 'hi');
	r = await run('cat', [], { input: 'h\u00e9llo \u2713', encoding: 'latin1' });
	assert.equal(r.stdout, Buffer.from('h\u00e9llo \u2713').toString('latin1'));
	// a program that never reads its input is not an error
	r = await run('true', [], { input: Buffer.alloc(1 << 20) });
	assert.equal(r.exitCode, 0);
});

test('a program that is not found rejects with ENOENT and the library message', async () => {
	await assert.rejects(run('no-such-program-xyz'), (err) => {
		assert.ok(err instanceof SandboxError);
		assert.ok(err instanceof Error);
		assert.equal(err.code, 'ENOENT');
		assert.equal(err.errno, -2);
		assert.equal(err.step, 'exec');
		assert.match(err.message, /no-such-program-xyz.*not found/);
		assert.equal(err.result.status, 'setup_error');
		return true;
	});
});

test('library errors carry code and message; bad options reject, never throw', async () => {
	await assert.rejects(run('true', { workspace: '/nonexistent/dir/xyz' }),
		{ name: 'SandboxError', code: 'ENOENT', message: /workspace .*does not exist/ });
	await assert.rejects(run('true', { cwd: 'relative' }),
		{ code: 'EINVAL', message: /absolute/ });
	await assert.rejects(run('true', { memory: 'lots' }), { code: 'ERR_INVALID_ARG_VALUE' });
	await assert.rejects(run('true', { pids: -1 }), { code: 'ERR_OUT_OF_RANGE' });
	await assert.rejects(run('true', { bogus: 1 }), { code: 'ERR_INVALID_ARG_VALUE' });
	await assert.rejects(run('true', { network: 'some' }), { code: 'ERR_INVALID_ARG_VALUE' });
	await assert.rejects(run(42), { code: 'ERR_INVALID_ARG_TYPE' });
	await assert.rejects(run('echo', ['a\0b']), { code: 'ERR_INVALID_ARG_TYPE' });
	await assert.rejects(run('true', { env: { 'A=B': 'x' } }), { code: 'EINVAL' });
	// a failure inside the promise chain, not a synchronous throw
	let p;
	assert.doesNotThrow(() => { p = run('true', { memory: 'lots' }); });
	await assert.rejects(p);
});

test('memory accepts sizes and bytes; limits show in the result', async () => {
	let r = await run('true', { memory: '256M', pids: 64, maxOutput: 4096 });
	assert.equal(r.limits.memory.value, 256 * 1024 * 1024);
	assert.equal(r.limits.pids.value, 64);
	assert.equal(r.limits.output.value, 4096);
	r = await run('true', { memory: 123456789, timeout: 5000, cpuTime: 4000 });
	assert.equal(r.limits.memory.value, 123456789);
	assert.equal(r.limits.wall_ms.value, 5000);
	assert.equal(r.limits.cpu_ms.value, 4000);
});

test('maxOutput caps each stream and says so', async () => {
	const r = await run('sh', ['-c', 'head -c 100000 /dev/zero; echo small >&2'], { maxOutput: '1K', encoding: 'buffer' });
	assert.equal(r.stdout.length, 1024);
	assert.equal(r.stdoutTruncated, true);
	assert.equal(r.stderrTruncated, false);
	assert.equal(r.truncated, true);
	assert.equal(r.exitCode, 0);
});

test('env: values and passing the caller\'s by name', async () => {
	process.env.SBX_NODE_PASSED = 'from-caller';
	const r = await run('sh', ['-c', 'echo "$A|$B|$SBX_NODE_PASSED|$MISSING_ONE"'], {
		env: { A: 'x y', B: 7, SBX_NODE_PASSED: null, MISSING_ONE: null },
	});
	assert.equal(r.stdout, 'x y|7|from-caller|\n');
	// the library reads the value, and never shows it
	process.env.SBX_NODE_SECRET = 'hunter2';
	const sb = new Sandbox({ env: { SBX_NODE_SECRET: null } });
	try {
		const doc = sb.policy();
		assert.equal(doc.env.SBX_NODE_SECRET, null);
		assert.ok(!JSON.stringify(doc).includes('hunter2'));
		assert.equal((await sb.run('sh', ['-c', 'echo $SBX_NODE_SECRET'])).stdout, 'hunter2\n');
	} finally {
		sb.close();
		delete process.env.SBX_NODE_SECRET;
	}
});

test('workspace: read-only by default, writable on request', async () => {
	const dir = tmpDir();
	fs.writeFileSync(path.join(dir, 'keep.txt'), 'precious');
	fs.chmodSync(dir, 0o777);
	let r = await run('sh', ['-c', 'cat keep.txt; pwd; rm -f keep.txt; echo new > new.txt'], { workspace: dir });
	assert.match(r.stdout, /^precious\/workspace\n$/);
	assert.notEqual(r.exitCode, 0);
	assert.ok(fs.existsSync(path.join(dir, 'keep.txt')));
	assert.ok(!fs.existsSync(path.join(dir, 'new.txt')));
	r = await run('sh', ['-c', 'echo new > new.txt'], { workspace: dir, writable: true });
	assert.equal(r.exitCode, 0, r.stderr);
	assert.equal(fs.readFileSync(path.join(dir, 'new.txt'), 'utf8'), 'new\n');
	r = await run('cat', ['/data/keep.txt'], { binds: [{ src: dir, dst: '/data' }], cwd: '/' });
	assert.equal(r.stdout, 'precious');
	fs.rmSync(dir, { recursive: true, force: true });
});

test('spawn(): streams, stdin and the result promise', async () => {
	const p = spawn('sh', ['-c', 'read line; echo "got $line"; echo done >&2']);
	assert.ok(p instanceof SandboxProcess);
	p.stdin.end('hello\n');
	const out = [], err = [];
	p.stdout.on('data', (c) => out.push(c));
	p.stderr.on('data', (c) => err.push(c));
	const r = await p.result;
	await Promise.all([finished(p.stdout), finished(p.stderr)]);
	assert.equal(r.exitCode, 0);
	assert.equal(r.stdout, undefined);
	assert.equal(Buffer.concat(out).toString(), 'got hello\n');
	assert.equal(Buffer.concat(err).toString(), 'done\n');
});

test('spawn(): options.input feeds stdin', async () => {
	const p = spawn('tr', ['a-z', 'A-Z'], { input: 'shout' });
	const chunks = [];
	p.stdout.on('data', (c) => chunks.push(c));
	assert.equal((await p.result).exitCode, 0);
	await finished(p.stdout);
	assert.equal(Buffer.concat(chunks).toString(), 'SHOUT');
});

test('spawn(): output streams while the program runs', async () => {
	const p = spawn('sh', ['-c', 'echo first; sleep 2; echo second']);
	let settled = false;
	p.result.then(() => { settled = true; });
	const first = await new Promise((resolve) => p.stdout.once('data', resolve));
	assert.equal(first.toString(), 'first\n');
	assert.equal(settled, false, 'the first line came before the end');
	p.stdout.resume();
	const r = await p.result;
	assert.equal(r.exitCode, 0);
});

test('spawn(): kill() ends it with status killed', async () => {
	const p = spawn('sh', ['-c', 'echo started; exec sleep 30'],
		{ stdio: ['ignore', 'pipe', 'pipe'] });
	assert.equal(p.stdin, null);
	// once it runs (a kill before would cancel the start, however long
	// a busy machine takes to get there)
	await new Promise((resolve) => p.stdout.once('data', resolve));
	p.stdout.resume();
	assert.equal(p.kill(), true);
	const r = await p.result;
	assert.equal(r.status, 'killed');
	assert.equal(r.reason, 'killed');
	assert.equal(r.signal, 'SIGKILL');
	assert.equal(r.exitCode, null);
	assert.equal(p.killed, true);
	assert.equal(p.kill(), false, 'nothing left to kill');
});

test('spawn(): a setup failure rejects result and ends the streams', async () => {
	const p = spawn('no-such-program-xyz');
	const ended = new Promise((resolve) => p.stdout.on('end', resolve).resume());
	await assert.rejects(p.result, { code: 'ENOENT' });
	await ended;
});

test('spawn(): an ignored rejection does not crash the process', async () => {
	const p = spawn('no-such-program-xyz');
	// the streams end when the run has failed (its handle released, so
	// the next tests count handles of their own only); then time for
	// an unhandled rejection to surface
	await new Promise((resolve) => p.stdout.on('end', resolve).resume());
	await new Promise((resolve) => setTimeout(resolve, 300));
});

test('Sandbox: reuses handles, per-run options, close()', async () => {
	const base = sandbox._liveHandles;
	const sb = new Sandbox({ env: { WHO: 'pool' }, timeout: 10000 });
	for (let i = 0; i < 3; i++) {
		const r = await sb.run('sh', ['-c', 'echo $WHO']);
		assert.equal(r.stdout, 'pool\n');
		assert.equal(r.limits.wall_ms.value, 10000);
	}
	assert.equal(sandbox._liveHandles, base + 2, 'the policy template and one handle, reused');
	// a run that changes the sandbox gets its own handle
	let r = await sb.run('sh', ['-c', 'echo $WHO'], { env: { WHO: 'own' } });
	assert.equal(r.stdout, 'own\n');
	assert.equal(sandbox._liveHandles, base + 2);
	// a timeout of its own is that run's: the handle it changed is dropped
	r = await sb.run('sh', ['-c', 'echo $WHO'], { timeout: 0 });
	assert.equal(r.stdout, 'pool\n');
	assert.equal(r.limits.wall_ms.value, 0);
	assert.equal(sandbox._liveHandles, base + 1);
	r = await sb.run('sh', ['-c', 'echo $WHO']);
	assert.equal(r.limits.wall_ms.value, 10000);
	assert.equal(sandbox._liveHandles, base + 2);
	assert.equal(sb.closed, false);
	sb.close();
	sb.close();
	assert.equal(sb.closed, true);
	assert.equal(sandbox._liveHandles, base);
	await assert.rejects(sb.run('true'), { code: 'EBADF' });
	assert.throws(() => new Sandbox({ input: 'x' }), { code: 'ERR_INVALID_ARG_VALUE' });
	assert.throws(() => new Sandbox({ concurrency: 0 }), { code: 'ERR_OUT_OF_RANGE' });
});

test('Sandbox.close(): kills what runs, cancels what waits', async () => {
	const sb = new Sandbox({ concurrency: 1 });
	const running = sb.run('sleep', ['30']);
	const waiting = sb.run('true');
	await new Promise((resolve) => setTimeout(resolve, 200));
	assert.deepEqual(sb.pending, { running: 1, queued: 1 });
	sb.close();
	await assert.rejects(waiting, { code: 'ECANCELED' });
	const r = await running;
	assert.equal(r.status, 'killed');
	assert.equal(sb.pending.running, 0);
});

test('a forgotten Sandbox is cleaned up by the garbage collector', async () => {
	v8.setFlagsFromString('--expose-gc');
	const gc = vm.runInNewContext('gc');
	const base = sandbox._liveHandles;
	await (async () => {
		const sb = new Sandbox({ concurrency: 2, preset: 'strict' });
		await Promise.all([sb.run('true'), sb.run('true')]);
	})();
	assert.equal(sandbox._liveHandles, base + 3, 'the policy template and two handles');
	for (let i = 0; i < 20 && sandbox._liveHandles !== base; i++) {
		gc();
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	assert.equal(sandbox._liveHandles, base, 'the finalizer destroyed the handles');
});

test('a Sandbox\'s policy template is destroyed with it, and by a failed constructor', async () => {
	const base = sandbox._liveHandles;
	const sb = new Sandbox({ policy: { limits: { pids: 77 } } });
	assert.equal(sandbox._liveHandles, base + 2, 'the template and one handle');
	// runs with a policy of their own, or other options: handles of their own
	assert.equal((await sb.run('true', { preset: 'strict' })).limits.pids.value, 77);
	assert.equal((await sb.run('true', { memory: '100M' })).limits.pids.value, 77);
	assert.equal(sandbox._liveHandles, base + 2);
	sb.close();
	assert.equal(sandbox._liveHandles, base, 'close() destroyed the template');
	// what the library refuses after the policy is read: nothing is left
	assert.throws(() => new Sandbox({ policy: {}, writable: true }), { code: 'EINVAL' });
	assert.throws(() => new Sandbox({ preset: 'build', cwd: 'relative' }), { code: 'EINVAL' });
	assert.throws(() => new Sandbox({ policy: { netwrok: 1 } }), { code: 'EINVAL' });
	assert.equal(sandbox._liveHandles, base);
	// one-off runs
	await run('true', { policy: { limits: { pids: 77 } } });
	await assert.rejects(run('true', { policy: {}, writable: true }), { code: 'EINVAL' });
	await spawn('true', { preset: 'strict' }).result;
	assert.equal(sandbox._liveHandles, base);
});

test('timeout: the Sandbox\'s, else the policy\'s, else the library\'s; a run\'s own is for that run', async (t) => {
	const HOUR = 3600 * 1000; /* the library's default, as in `sbx run` */
	const wall = async (p) => (await p).limits.wall_ms.value;
	assert.equal(await wall(run('true')), HOUR);
	assert.equal(await wall(spawn('true').result), HOUR);
	assert.equal(await wall(run('true', { policy: { limits: { wall: 7 } } })), 7000);
	assert.equal(await wall(run('true', { policy: { limits: { wall: 7 } }, timeout: null })), 7000);
	assert.equal(await wall(run('true', { policy: { limits: { wall: 7 } }, timeout: 0 })), 0);
	const cases = [
		[{}, HOUR],
		[{ policy: { limits: { wall: 7 } } }, 7000],
		[{ policy: { limits: { wall: 7 } }, timeout: 5000 }, 5000],
		[{ timeout: 0 }, 0],
	];
	for (const [options, ms] of cases) {
		const what = JSON.stringify(options);
		const sb = new Sandbox(options);
		t.after(() => sb.close());
		assert.equal(sb.policy().limits.wall, ms / 1000, what);
		assert.equal(await wall(sb.run('true')), ms, what);
		assert.equal(await wall(sb.run('true', { timeout: 2000 })), 2000, what);
		assert.equal(await wall(sb.run('true', { timeout: null })), ms, what);
		assert.equal(await wall(sb.run('true', { env: { A: '1' } })), ms, what);
		assert.equal(await wall(sb.spawn('true', { timeout: 3000 }).result), 3000, what);
		assert.equal(await wall(sb.run('true')), ms, `${what}: after runs with their own`);
	}
});

test('one meaning in every front end: timeout 0, exit codes, the pids limit, wrong types', async () => {
	/* 0 is no limit, as in C, `sbx run` and Python */
	let r = await run('true', { timeout: 0 });
	assert.equal(r.limits.wall_ms.value, 0);
	/* a timeout has no exit code (null, never 0) */
	r = await run('sleep', ['30'], { timeout: 300 });
	assert.deepEqual([r.status, r.reason, r.exitCode, r.signal],
		['timeout', 'timeout', null, 'SIGKILL']);
	/* a program that failed itself at the process limit: its own code */
	r = await run('sh', ['-c', 'sleep 60 & sleep 60 & sleep 60 & sleep 60 & wait'], { pids: 3 });
	if (r.limits.pids.mechanism.startsWith('cgroup')) {
		assert.deepEqual([r.status, r.reason, r.signal], ['pids_limit', 'pids', null]);
		assert.ok(r.exitCode > 0, `exit code ${r.exitCode}`);
	}
	/* run('echo', 'hi'): args is an array */
	await assert.rejects(run('echo', 'hi'),
		{ name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: /args must be an array of strings \(run\('echo', \['hi'\]\)/ });
});

test('CPUs round as every front end does (sbx_parse_duration)', () => {
	const sb = new Sandbox({ cpuShare: 0.0015 });
	try {
		assert.equal(sb.policy().limits.cpus, 0.002);
	} finally {
		sb.close();
	}
	assert.throws(() => new Sandbox({ cpuShare: 0.0001 }), { code: 'ERR_OUT_OF_RANGE' });
});
