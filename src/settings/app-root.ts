import fs from 'node:fs';
import path from 'node:path';

/**
 * The project root, whether this file runs from source (src/config) or compiled (dist/src/config):
 * the nearest folder upwards that holds package.json.
 */
export const APP_ROOT = findAppRoot(__dirname);

function findAppRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}
