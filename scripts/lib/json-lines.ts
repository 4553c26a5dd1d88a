import type { Readable } from 'node:stream';

/**
 * Calls `onEvent` for every JSON object a process prints on its own line (the worker's structured
 * log); other output is ignored.
 */
export function onJsonLines(stream: Readable, onEvent: (event: Record<string, unknown>) => void): void {
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      try {
        onEvent(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // a line that only looks like JSON
      }
    }
  });
}
