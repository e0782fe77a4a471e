'use strict';
// helpers.js - shared by the Node binding's tests (run by bindings/node/run-tests).

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

/** Descriptors open in this process. */
function fdCount() {
	return fs.readdirSync('/proc/self/fd').length;
}

/** Pids of processes whose command line contains token. */
function processesWith(token) {
	const found = [];
	for (const pid of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(pid) || Number(pid) === process.pid)
			continue;
		let cmd;
		try {
			cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1');
		} catch {
			continue;
		}
		if (cmd.includes(token))
			found.push(Number(pid));
	}
	return found;
}

/** Children of this process (sbx-supervisor ones are ours). */
function children() {
	const kids = [];
	for (const pid of fs.readdirSync('/proc')) {
		if (!/^\d+$/.test(pid))
			continue;
		let stat;
		try {
			stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
		} catch {
			continue;
		}
		// "pid (comm) state ppid ...": comm may hold spaces
		const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		if (Number(rest[1]) === process.pid)
			kids.push({ pid: Number(pid), comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) });
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

module.exports = { fdCount, processesWith, children, uniqueSeconds, tmpDir, srcdir, listener, skipUserns };
