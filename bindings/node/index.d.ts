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

/** A preset shipped with the library (docs/policy.md, "Presets"). */
export type PresetName = 'default' | 'strict' | 'build';

/** A size or a time in a policy: a number, or a string like "512M", "90s". */
export type PolicyQuantity = number | string;

/**
 * A policy document: the JSON that `sbx run --policy FILE` reads and
 * sbx_policy_load_string() applies (docs/policy.md is the reference).
 * Keys are the library's (snake_case).
 */
export interface PolicyDocument {
  $schema?: string;
  $comment?: string;
  version?: 1;
  /** Resets everything to the preset first, then applies the rest. */
  preset?: PresetName;
  /** A path, or { path, mode }; a mode without path applies to the
   * workspace the policy already has.  Relative paths are relative to
   * the policy file (to the current directory for an object). */
  workspace?: string | { path?: string; mode?: 'ro' | 'rw' | 'rw-live'; $comment?: string } | null;
  cwd?: string | null;
  /** A host path (read-only, same place), or a bind. */
  binds?: Array<string | { src: string; dst?: string; rw?: boolean; optional?: boolean; $comment?: string }>;
  /** null: the caller's own value of that name. */
  env?: Record<string, string | null>;
  network?: 'none' | 'host';
  read_only?: boolean;
  single_id?: boolean;
  allow_setid?: boolean;
  allow_degraded?: boolean;
  allow_trusted_paths?: boolean;
  /** Layer names a run must have. */
  require?: string[];
  limits?: {
    /** Seconds, or "500ms", "90s", "2m", "1h". */
    wall?: PolicyQuantity;
    /** The same as wall (one or the other). */
    timeout?: PolicyQuantity;
    cpu?: PolicyQuantity;
    /** Bytes, or "512M", "1.5G". */
    memory?: PolicyQuantity;
    pids?: number;
    fsize?: PolicyQuantity;
    nofile?: number;
    disk?: PolicyQuantity;
    output?: PolicyQuantity;
    /** CPUs, like 1.5. */
    cpus?: number;
    $comment?: string;
  };
  seccomp?: {
    on_deny?: 'errno' | 'kill';
    allow?: string[];
    /** A name, or { name, errno } with an errno name or number. */
    deny?: Array<string | { name: string; errno?: string | number }>;
    kill?: string[];
    $comment?: string;
  };
}

/** sandbox.explain() of a path inside the sandbox. */
export interface PathExplanation {
  what: string;
  kind: 'path';
  path: string;
  /** null below places made at run time. */
  exists: boolean | null;
  read: boolean;
  write: boolean;
  exec: boolean;
  /** The rule that decides, in words. */
  rule: string;
  /** What the path shows of the host, or null. */
  host_path: string | null;
  /** That file's mode bits ("0644"), which still apply. */
  host_mode?: string;
  /** Whether Landlock enforces the same rule on this kernel. */
  landlock: string;
}

/** sandbox.explain() of a system call. */
export interface SyscallExplanation {
  what: string;
  kind: 'syscall';
  number: number;
  action: 'allow' | 'deny' | 'kill' | 'conditional';
  errno: string | null;
  rule: string;
  /** What a run without namespaces does differently, when it does. */
  degraded?: { action: string; errno: string | null; rule: string };
}

export type Explanation = PathExplanation | SyscallExplanation;

/** What the sandbox looks like: set on a Sandbox, or per call.  The
 * preset is applied first, then the policy, then the other options over
 * both; options left undefined (or null) keep what the policy says.
 * Each option takes exactly what is declared here: switches are true or
 * false (never 0, 1 or 'false'), network is 'none' or 'host'.  Anything
 * else, and an unknown option name, throws a TypeError (code
 * ERR_INVALID_ARG_TYPE for a wrong type, ERR_INVALID_ARG_VALUE for a
 * wrong value) or a RangeError (ERR_OUT_OF_RANGE) naming the option; run()
 * rejects with it. */
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
  /** CPU bandwidth in CPUs, like 0.5 or 2 (0: no limit). */
  cpuShare?: number;
  /** "none" (only lo, the default) or "host" (explicit opt-in). */
  network?: 'none' | 'host';
  /** Host directory bound at /workspace, the start directory. */
  workspace?: string;
  /** Workspace writable: true (changes reach the host directory), "live"
   * (a live bind without disk budget), false (read-only, the default).
   * Without `workspace`, the mode of the policy's workspace; with no
   * workspace at all, true or "live" is a SandboxError (code EINVAL). */
  writable?: boolean | 'live';
  /** More host paths: a string binds that path read-only. */
  binds?: ReadonlyArray<string | Bind>;
  /** Variables added to the scrubbed environment (PATH, HOME, LANG, TERM,
   * TMPDIR); null passes the caller's own value of that name (policy()
   * shows null, never the value). */
  env?: Record<string, string | number | null | undefined>;
  /** Start directory inside the sandbox (default /workspace, else home). */
  cwd?: string;
  /** A denied system call kills the program (default: it fails, EPERM). */
  seccompKill?: boolean;
  /** Map only the caller's id into the sandbox. */
  singleId?: boolean;
  /** Start from a preset shipped with the library. */
  preset?: PresetName;
  /** A policy document: the path of a JSON file, or an object (made into
   * JSON one key a line, so the library's errors name its line).  Its
   * wall-clock limit is the default timeout of runs. */
  policy?: string | PolicyDocument;
  /** Without user namespaces on the host, run with the layers that remain
   * (Landlock, seccomp, the limits) instead of refusing; the result says
   * `degraded` and lists the `layers`. */
  allowDegraded?: boolean;
  /** Layers a run must have ("netns", "landlock", ...): a run without one
   * rejects with a SandboxError whose step is "require". */
  require?: string | readonly string[];
  /** Nothing writable in the sandbox, not even /tmp. */
  readOnly?: boolean;
  /** Keep CAP_SETUID and CAP_SETGID inside the sandbox's user namespace
   * (programs that switch users work; layers say "caps:setid"). */
  allowSetid?: boolean;
  /** Let the program change what the host runs or trusts (.git/config
   * and hooks, .envrc, .vscode/, CI workflows, shell rc files), and
   * leave symlinks that lead out of the workspace: by default a
   * writable: true workspace withholds them (result.withheld) and 'live'
   * workspaces and writable binds keep the existing ones read-only. */
  allowTrustedPaths?: boolean;
}

/** Options of one run or spawn. */
export interface RunOptions extends SandboxOptions {
  /** Written to the program's standard input, which is then closed. */
  input?: string | NodeJS.ArrayBufferView;
  /** Of stdout and stderr: "utf8" (default), any Buffer encoding, or
   * "buffer" (or null) for Buffers. */
  encoding?: BufferEncoding | 'buffer' | null;
  /** Wall-clock limit in ms: every process is killed, status "timeout".
   * Counted from the start of the sandbox.  Default: the Sandbox's, else
   * the policy's, else the library's (1 hour); 0: no limit.  A run's own
   * timeout is for that run only. */
  timeout?: number;
  /** Aborting kills the sandbox; the Promise rejects with an AbortError
   * (its `result` holds what the run had produced). */
  signal?: AbortSignal;
  /** spawn(): how stdin, stdout and stderr are connected (default "pipe").
   * "inherit" is relayed by the sandbox's supervisor: the program never
   * holds this process's descriptors. */
  stdio?: StdioMode | [StdioMode, StdioMode, StdioMode];
  /** A terminal of the program's own as its stdout (isatty is true, so it
   * streams and colours as on a terminal), relayed like a pipe; also its
   * stdin when that is "pipe" (what you write is typed: echoed, line
   * edited).  Its output has "\r\n" line ends.  Default false. */
  pty?: boolean;
}

/** Options of a Sandbox. */
export interface SandboxConstructorOptions extends SandboxOptions {
  /** How many programs run at once; the others wait (default: no bound). */
  concurrency?: number;
  /** Wall-clock limit of each run, ms.  Default: the policy's, else the
   * library's (1 hour); 0: no limit. */
  timeout?: number;
}

export type Status =
  | 'exited' | 'signaled' | 'timeout' | 'setup_error' | 'cpu_limit'
  | 'memory_limit' | 'pids_limit' | 'killed';

/** What ended a run: a limit, a kill, a sandbox that could not be set
 * up.  The Python binding's Result.reason has the same words. */
export type Reason =
  | 'timeout' | 'setup' | 'cpu' | 'memory' | 'pids' | 'killed';

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
  /** What ended it, in one word ("memory" for the memory limit, "pids"
   * when the process limit stopped it); null when the program ended by
   * itself (status "exited" or "signaled"). */
  reason: Reason | null;
  /** The program's own exit code: status "exited", or "pids_limit" /
   * "memory_limit" when it failed there with a code; else null (a
   * timeout, a kill: never 0). */
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
  /** The run had no namespaces (the host gives none; allowDegraded). */
  degraded: boolean;
  /** Why it was degraded, else null. */
  degradedReason: string | null;
  /** Paths of a writable: true workspace that the host runs or trusts
   * (".git/config", ".envrc", ...), or symlinks that lead out of it,
   * whose changes were not applied. */
  withheld: string[];
  /** What a degraded run did not hide from the program (the host's
   *  processes and their command lines, ...), else null. */
  degradedNotHidden: string[] | null;
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
export function run(file: string, options?: RunOptions & { encoding?: BufferEncoding }): Promise<Result<string>>;
/* Options in a variable of type RunOptions, whose encoding may be either:
 * the output is a string or a Buffer as options.encoding says. */
export function run(file: string, args: readonly string[] | undefined,
                    options: RunOptions): Promise<Result<string | Buffer>>;
export function run(file: string, options: RunOptions): Promise<Result<string | Buffer>>;

/** Start file with args in a new sandbox, with streams. */
export function spawn(file: string, args?: readonly string[], options?: RunOptions): SandboxProcess;
export function spawn(file: string, options?: RunOptions): SandboxProcess;

/**
 * A reusable sandbox configuration with its native handles.  Call close()
 * when done (a forgotten one is cleaned up by the garbage collector).
 * Options given to run()/spawn() that change the sandbox itself (memory,
 * workspace, ...) give that run a handle of its own: they override the
 * Sandbox's, except env, binds and require, which add to them.
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
  run(file: string, options: RunOptions & { encoding: 'buffer' | null }): Promise<Result<Buffer>>;
  run(file: string, options?: RunOptions & { encoding?: BufferEncoding }): Promise<Result<string>>;
  run(file: string, args: readonly string[] | undefined,
      options: RunOptions): Promise<Result<string | Buffer>>;
  run(file: string, options: RunOptions): Promise<Result<string | Buffer>>;
  spawn(file: string, args?: readonly string[], options?: RunOptions): SandboxProcess;
  spawn(file: string, options?: RunOptions): SandboxProcess;
  /** The effective policy of its runs (preset, policy and options) as one
   * complete document; limits.wall is the timeout of a run without one of
   * its own, in seconds (0: none).  `new Sandbox({ policy: sb.policy() })` is the same
   * sandbox.  Throws a SandboxError (EBADF once closed). */
  policy(): Required<Omit<PolicyDocument, '$schema' | '$comment' | 'preset'>>;
  /** What the policy does with a path inside the sandbox or a system
   * call, and which rule decides.  Throws a SandboxError with code
   * EINVAL for a relative path or an unknown system call. */
  explain(what: string): Explanation;
  /** Kill what runs (it settles "killed"), reject what waits (ECANCELED),
   * release the handles.  Idempotent. */
  close(): void;
}

/** Parse a size like "256M" into bytes. */
export function parseSize(text: string): number;

/** The libsandbox version, "MAJOR.MINOR.PATCH". */
export const version: string;
