import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/**
 * Child processes of a long-running command (dev): started with a label, stopped together when the
 * parent is interrupted or one of them exits.
 */
export class ProcessGroup {
  private readonly children = new Map<string, ChildProcess>();
  private readonly hardStopped = new Set<ChildProcess>();
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

  /**
   * Runs a command to completion and fails loudly when it fails. With `hardStop`, for a step whose
   * own signal handling misbehaves (Strapi's build: see cms-command.ts), the step runs in a process
   * group of its own, so Ctrl+C in the terminal does not reach it, and stopping the group kills it
   * (it holds nothing that needs closing; an unfinished build is redone at the next start).
   */
  run(label: string, command: string, args: string[], options: SpawnOptions & { hardStop?: boolean } = {}): Promise<void> {
    const { hardStop = false, ...spawnOptions } = options;
    return new Promise((resolve, reject) => {
      const child = spawn(command, args, { stdio: 'inherit', ...spawnOptions, detached: hardStop || spawnOptions.detached });
      if (hardStop) this.hardStopped.add(child);
      child.on('error', reject);
      child.on('exit', (code) => {
        this.hardStopped.delete(child);
        // Stopped with the group: stopAll ends the process, the step did not fail.
        if (this.stopping) return;
        if (code === 0) resolve();
        else reject(new Error(`${label} failed with exit code ${code}`));
      });
    });
  }

  async stopAll(exitCode = 0): Promise<never> {
    this.stopping = true;
    for (const step of this.hardStopped) step.kill('SIGKILL');
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
