import type { ChildProcess } from 'node:child_process';

/**
 * Every worker and CLI process the tests started that has not exited yet. A test that times out
 * while it starts a worker loses track of it; left running, it would go on working on the database
 * the next files share. The harness ends them after each file.
 */
const running = new Set<ChildProcess>();

export function trackChild<T extends ChildProcess>(child: T): T {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Ends the processes still running (SIGKILL: they are left over, nothing they do is awaited). */
export async function killLeftoverChildren(): Promise<number> {
  const left = [...running];
  await Promise.all(
    left.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
  return left.length;
}
