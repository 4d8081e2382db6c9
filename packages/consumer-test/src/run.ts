/** Child processes for the consumer test, with an environment free of the workspace's. */
import { execFile } from 'node:child_process';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The parent's environment without what pnpm / npm put there for scripts (`npm_config_*` would
 * steer the apps' npm, e.g. towards the workspace's settings), plus `extra`.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(npm_|pnpm_|PNPM_|INIT_CWD$|VITEST|TURBO_)/i.test(k)) env[k] = v;
  }
  return {
    ...env,
    // onnxruntime-node's install script only downloads optional CUDA files (README).
    ONNXRUNTIME_NODE_INSTALL: 'skip',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
    npm_config_loglevel: 'error',
    ...extra,
  };
}

/** Runs a command; resolves with its exit code and output (never rejects on a non-zero exit). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; timeoutMs?: number },
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        env: cleanEnv(options.env),
        maxBuffer: 1 << 26,
        timeout: options.timeoutMs ?? 600_000,
        killSignal: 'SIGKILL',
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

/** As `run`, but throws with the output when the exit code is not 0. */
export async function runOk(
  command: string,
  args: readonly string[],
  options: Parameters<typeof run>[2],
): Promise<RunResult> {
  const r = await run(command, args, options);
  if (r.code !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${options.cwd}) exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}
