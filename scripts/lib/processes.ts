import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/**
 * Child processes of a long-running command (dev): started with a label, stopped together when the
 * parent is interrupted or one of them exits.
 */
export class ProcessGroup {
  private readonly children = new Map<string, ChildProcess>();
  private stopping = false;

  start(label: string, command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
    return this.adopt(label, spawn(command, args, { stdio: 'inherit', ...options }));
  }

  /** Takes a child started elsewhere into the group. */
  adopt(label: string, child: ChildProcess): ChildProcess {
    this.children.set(label, child);
    child.on('exit', (code, signal) => {
      this.children.delete(label);
      if (!this.stopping) {
        console.error(`[dev] ${label} stopped (${signal ?? `exit code ${code}`}); stopping the rest.`);
        void this.stopAll(code ?? 1);
      }
    });
    return child;
  }

  /** Runs a command to completion and fails loudly when it fails. */
  run(label: string, command: string, args: string[], options: SpawnOptions = {}): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { stdio: 'inherit', ...options });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${label} failed with exit code ${code}`))));
    });
  }

  async stopAll(exitCode = 0): Promise<never> {
    this.stopping = true;
    const waits = [...this.children.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
          setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
        }),
    );
    await Promise.all(waits);
    process.exit(exitCode);
  }

  stopOnSignals(): void {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void this.stopAll(0));
  }
}
