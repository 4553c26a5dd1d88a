/** Structured logs: one JSON line per event, with the ids that tie events together. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type Logger = (level: LogLevel, event: string, fields?: Record<string, unknown>) => void;

export function createJsonLogger(component: string, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  return (level, event, fields = {}) => {
    write(JSON.stringify({ time: new Date().toISOString(), level, component, event, ...fields }));
  };
}
