'use strict';
// helpers.js - shared by the Node binding's tests (run by bindings/node/run-tests).

const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { execFile } = require('node:child_process');

/** Descriptors open in this process. */
function fdCount() {
	return fs.readdirSync('/proc/self/fd').length;
}

/** [pid, the text of /proc/PID/name] of the other processes. */
function procFiles(name) {
	const found = [];
	for (const pid of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(pid) || Number(pid) === process.pid)
			continue;
		try {
			found.push([Number(pid), fs.readFileSync(`/proc/${pid}/${name}`, 'latin1')]);
		} catch {
			/* gone meanwhile */
		}
	}
	return found;
}

/** Pids of processes whose command line contains token. */
function processesWith(token) {
	return procFiles('cmdline').filter(([, cmd]) => cmd.includes(token)).map(([pid]) => pid);
}

/** Children of this process (sbx-supervisor ones are ours). */
function children() {
	const kids = [];
	for (const [pid, stat] of procFiles('stat')) {
		// "pid (comm) state ppid ...": comm may hold spaces
		const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (Number(rest[1]) === process.pid)
			kids.push({ pid, comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) });
	}
	return kids;
}

/** A token unlikely to be on any other command line: a sleep length. */
function uniqueSeconds() {
	return `${1000 + (process.pid % 9000)}.${Date.now() % 100000}${Math.floor(Math.random() * 1000)}`;
}

function tmpDir(prefix = 'sbx-node-') {
	return fs.mkdtempSync(path.join(require('node:os').tmpdir(), prefix));
}

/** The top source directory (run-tests exports it). */
const srcdir = process.env.SBX_NODE_SRCDIR || path.resolve(__dirname, '../../..');

/*
 * A TCP service on the host's loopback.  settle() says, on the host's
 * side, what the connections made so far sent: it connects a sentinel
 * of its own and waits until the server has accepted it; the kernel
 * hands out connections in order, so every earlier one is in by then.
 */
async function listener(t) {
	const accepted = [];
	const server = net.createServer((c) => {
		const chunks = [];
		accepted.push({
			port: c.remotePort,
			data: new Promise((resolve) => {
				c.on('data', (d) => chunks.push(d));
				c.on('error', () => resolve(null));
				c.on('close', () => resolve(Buffer.concat(chunks).toString()));
			}),
		});
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	t.after(() => server.close());
	const port = server.address().port;
	return {
		port,
		probe: `import socket
s = socket.create_connection(('127.0.0.1', ${port}), 10)
s.sendall(b'from-the-sandbox')
s.close()
`,
		async settle() {
			const s = net.connect(port, '127.0.0.1');
			await new Promise((resolve, reject) => s.once('connect', resolve).once('error', reject));
			const mine = s.localPort;
			while (!accepted.some((a) => a.port === mine))
				await new Promise((resolve) => setTimeout(resolve, 10));
			s.destroy();
			const before = accepted.splice(0).filter((a) => a.port !== mine);
			return Promise.all(before.map((a) => a.data));
		},
	};
}

/* Skip a test for want of what user namespaces give; a failure where
 * tools/run-tests found they work (SBX_TEST_REQUIRE_USERNS=1), so that a
 * regression cannot hide as a skip. */
function skipUserns(t, reason) {
	if (process.env.SBX_TEST_REQUIRE_USERNS === '1')
		throw new Error(`${reason} (SBX_TEST_REQUIRE_USERNS=1: user namespaces work on this host, so this must not be skipped)`);
	t.skip(reason);
}

/*
 * Lines of JSON that script (node -e, with args) prints in a child where
 * user namespaces are disabled (bindings/python/tests/nouserns.py, with
 * the system's python3); null when the test was skipped for want of it.
 */
async function withoutUserns(t, script, ...args) {
	const python = '/usr/bin/python3';
	const wrapper = path.join(srcdir, 'bindings/python/tests/nouserns.py');
	if (!fs.existsSync(python) || !fs.existsSync(wrapper)) {
		t.skip('needs python3 and bindings/python/tests/nouserns.py');
		return null;
	}
	const { code, stdout, stderr } = await new Promise((resolve) => {
		execFile(python, [wrapper, process.execPath, '-e', script, ...args],
			{ timeout: 240000 }, (err, out, errOut) =>
				resolve({ code: err ? err.code : 0, stdout: out, stderr: errOut }));
	});
	if (code === 77) {
		skipUserns(t, `cannot disable user namespaces in a user namespace here: ${stderr.trim()}`);
		return null;
	}
	assert.equal(code, 0, stderr);
	return stdout.trim().split('\n').map((l) => JSON.parse(l));
}

/** The effective policy of a Sandbox with options (closed after). */
function policyOf(options) {
	const { Sandbox } = require('libsandbox');
	const sb = new Sandbox(options);
	try {
		return sb.policy();
	} finally {
		sb.close();
	}
}

module.exports = {
	fdCount, processesWith, children, uniqueSeconds, tmpDir, srcdir, listener,
	skipUserns, withoutUserns, policyOf,
};
