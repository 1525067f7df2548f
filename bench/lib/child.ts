import { fork, type ChildProcess } from 'node:child_process';
import { forkPinned } from './cpu-pin.js';

/** Starts a bench helper process (a simulator or floor server: on the simulator's CPU under --pin) and waits for its first IPC message (e.g. its port). */
export function startChild<T>(script: URL, args: string[], timeoutMs = 15_000): Promise<{ child: ChildProcess; hello: T }> {
  return new Promise((resolve, reject) => {
    const child = fork(script, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], ...forkPinned('sim', process.execArgv) });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script.pathname} did not start within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('message', (m) => {
      clearTimeout(timer);
      resolve({ child, hello: m as T });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script.pathname} exited early with ${code}`));
    });
  });
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.disconnect?.();
  const t = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(t);
}
