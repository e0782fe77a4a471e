// index.d.ts - TypeScript declarations of the `sandbox` package.
/// <reference types="node" />

import type { Readable, Writable } from 'node:stream';

/** A size in bytes, or a string such as "512", "64K", "256M", "1.5G". */
export type Size = number | string;

/** How a standard stream of the program is connected (spawn). */
export type StdioMode = 'pipe' | 'ignore' | 'inherit';

/** A host path bound into the sandbox. */
export interface Bind {
  /** Absolute host path (file or directory). */
  src: string;
  /** Path inside the sandbox (default: the same as src). */
  dst?: string;
  /** Writable (default read-only, nosuid, nodev). */
  writable?: boolean;
  /** Skip it silently when src does not exist. */
  optional?: boolean;
}

/** What the sandbox looks like: set on a Sandbox, or per call. */
export interface SandboxOptions {
  /** CPU time of the whole sandbox, ms. */
  cpuTime?: number;
  /** Memory + swap of the whole sandbox (default 1G). */
  memory?: Size;
  /** Processes and threads (default 512). */
  pids?: number;
  /** Largest file written. */
  fileSize?: Size;
  /** Open files per process (default 1024). */
  openFiles?: number;
  /** Every byte written to /tmp, home and the workspace (default 512M). */
  disk?: Size;
  /** Bytes kept per output stream; the rest is dropped and `truncated`
   * is set (default 64M). */
  maxOutput?: Size;
  /** CPU bandwidth in CPUs, like 0.5 or 2. */
  cpuShare?: number;
  /** "none" (only lo, the default) or "host" (explicit opt-in). */
  network?: 'none' | 'host' | boolean;
  /** Host directory bound at /workspace, the start directory. */
  workspace?: string;
  /** Workspace writable: true (changes reach the host directory), "live"
   * (a live bind without disk budget), false (read-only, the default). */
  writable?: boolean | 'live';
  /** More host paths: a string binds that path read-only. */
  binds?: Array<string | Bind>;
  /** Variables added to the scrubbed environment (PATH, HOME, LANG, TERM,
   * TMPDIR); null passes the caller's own value of that name. */
  env?: Record<string, string | number | null | undefined>;
  /** Start directory inside the sandbox (default /workspace, else home). */
  cwd?: string;
  /** A denied system call kills the program (default: it fails, EPERM). */
  seccompKill?: boolean;
  /** Map only the caller's id into the sandbox. */
  singleId?: boolean;
}

/** Options of one run or spawn. */
export interface RunOptions extends SandboxOptions {
  /** Written to the program's standard input, which is then closed. */
  input?: string | NodeJS.ArrayBufferView;
  /** Of stdout and stderr: "utf8" (default), any Buffer encoding, or
   * "buffer" (or null) for Buffers. */
  encoding?: BufferEncoding | 'buffer' | null;
  /** Wall-clock limit in ms: every process is killed, status "timeout".
   * Counted from the start of the sandbox (0: none, the default). */
  timeout?: number;
  /** Aborting kills the sandbox; the Promise rejects with an AbortError
   * (its `result` holds what the run had produced). */
  signal?: AbortSignal;
  /** spawn(): how stdin, stdout and stderr are connected (default "pipe"). */
  stdio?: StdioMode | [StdioMode, StdioMode, StdioMode];
}

/** Options of a Sandbox. */
export interface SandboxConstructorOptions extends SandboxOptions {
  /** How many programs run at once; the others wait (default: no bound). */
  concurrency?: number;
  /** Default wall-clock limit of each run, ms. */
  timeout?: number;
}

export type Status =
  | 'exited' | 'signaled' | 'timeout' | 'setup_error' | 'cpu_limit'
  | 'memory_limit' | 'pids_limit' | 'killed';

export type Reason =
  | 'exit' | 'signal' | 'timeout' | 'setup' | 'cpu' | 'memory' | 'pids'
  | 'killed';

export interface LimitReport {
  value: number;
  /** What enforced it ("cgroup2", "rlimit", "supervisor", "tmpfs", ... or
   * "none" where nothing could). */
  mechanism: string;
  fired: boolean;
}

export interface SetupErrorInfo {
  step: string;
  errno: number;
  code: string | undefined;
  message: string;
}

/** How a run ended. */
export interface Result<T = string> {
  /** The library's status. */
  status: Status;
  /** Why it ended, in one word ("memory" for the memory limit). */
  reason: Reason;
  /** The exit code when status is "exited", else null. */
  exitCode: number | null;
  /** The signal that ended it ("SIGKILL"), else null. */
  signal: string | null;
  stdout: T;
  stderr: T;
  wallTimeMs: number;
  cpuTimeMs: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  /** 0 when unknown. */
  peakMemoryBytes: number;
  /** Output was dropped past maxOutput (either stream). */
  truncated: boolean;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  diskFull: boolean;
  /** How many ids were mapped into the sandbox. */
  idRange: number;
  /** The layers that were enforced. */
  layers: string[];
  /** Each limit: value, mechanism, whether it fired. */
  limits: Record<string, LimitReport>;
  /** The library's words on how it ended ("" when it just exited). */
  message: string;
  setupError: SetupErrorInfo | null;
}

/** A result of spawn(): the output went to the streams. */
export type SpawnResult = Omit<Result, 'stdout' | 'stderr'> & {
  stdout: undefined;
  stderr: undefined;
};

/** An error of the library: `code` is the errno name ("ENOENT"). */
export class SandboxError extends Error {
  code: string;
  /** Negative errno, as in Node's system errors. */
  errno: number;
  /** For a sandbox that could not be set up: the step that failed. */
  step?: string;
  /** For a sandbox that could not be set up: its result. */
  result?: Result<string | Buffer>;
}

/** A sandboxed program started by spawn(). */
export class SandboxProcess {
  /** null unless stdio[0] is "pipe". End it to give the program EOF. */
  readonly stdin: Writable | null;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  /** Settles when the sandbox has ended and been cleaned up.  Rejects
   * when it could not be set up (SandboxError) or was aborted. */
  readonly result: Promise<SpawnResult>;
  /** kill() was called and took effect. */
  readonly killed: boolean;
  /** Kill every process of the sandbox (always SIGKILL); false when it
   * had already ended. */
  kill(): boolean;
}

/**
 * Run file with args in a new sandbox and collect its output.  Resolves
 * with the result however the program ended (exit code, signal, timeout,
 * a limit); rejects when the sandbox could not run it (SandboxError: code
 * "ENOENT" for a program not found) or was aborted (AbortError).
 */
export function run(file: string, args?: readonly string[],
                    options?: RunOptions & { encoding?: BufferEncoding }): Promise<Result<string>>;
export function run(file: string, args: readonly string[] | undefined,
                    options: RunOptions & { encoding: 'buffer' | null }): Promise<Result<Buffer>>;
export function run(file: string, options: RunOptions & { encoding: 'buffer' | null }): Promise<Result<Buffer>>;
export function run(file: string, options?: RunOptions): Promise<Result<string>>;

/** Start file with args in a new sandbox, with streams. */
export function spawn(file: string, args?: readonly string[], options?: RunOptions): SandboxProcess;
export function spawn(file: string, options?: RunOptions): SandboxProcess;

/**
 * A reusable sandbox configuration with its native handles.  Call close()
 * when done (a forgotten one is cleaned up by the garbage collector).
 * Options given to run()/spawn() that change the sandbox itself (memory,
 * workspace, ...) give that run a handle of its own.
 */
export class Sandbox {
  constructor(options?: SandboxConstructorOptions);
  readonly closed: boolean;
  /** Programs running now, and waiting for a slot. */
  readonly pending: { running: number; queued: number };
  run(file: string, args?: readonly string[],
      options?: RunOptions & { encoding?: BufferEncoding }): Promise<Result<string>>;
  run(file: string, args: readonly string[] | undefined,
      options: RunOptions & { encoding: 'buffer' | null }): Promise<Result<Buffer>>;
  run(file: string, options?: RunOptions): Promise<Result<string>>;
  spawn(file: string, args?: readonly string[], options?: RunOptions): SandboxProcess;
  spawn(file: string, options?: RunOptions): SandboxProcess;
  /** Kill what runs (it settles "killed"), reject what waits (ECANCELED),
   * release the handles.  Idempotent. */
  close(): void;
}

/** Parse a size like "256M" into bytes. */
export function parseSize(text: string): number;

/** The libsandbox version, "MAJOR.MINOR.PATCH". */
export const version: string;
