// types-check.ts - compiled (never run) by types.test.js with tsc --strict:
// the ways of calling run() that the README shows must type-check.
import { run, spawn, Sandbox, RunOptions, Result } from 'libsandbox';

const opts: RunOptions = { timeout: 1000, memory: '256M' };

export async function calls(): Promise<void> {
  const a: Result<string> = await run('echo', ['hi']);
  const b: Result<Buffer> = await run('echo', ['hi'], { encoding: 'buffer' });
  const c: Result<string> = await run('echo', { timeout: 5 });
  const d: Result<Buffer> = await run('echo', { encoding: null });
  // a RunOptions variable: the output is a string or a Buffer
  const e: Result<string | Buffer> = await run('echo', ['hi'], opts);
  const f: Result<string | Buffer> = await run('echo', opts);
  const p = spawn('echo', ['hi'], opts);
  const sb = new Sandbox({ timeout: 2000 });
  const g: Result<string | Buffer> = await sb.run('echo', ['hi'], opts);
  const h: Result<string> = await sb.run('echo', ['hi']);
  sb.close();
  console.log(a.stdout, b.stdout, c.stdout, d.stdout, e.stdout, f.stdout,
              g.stdout, h.stdout, p);
}
