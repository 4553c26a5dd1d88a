/** The personalizer's thread (personalizer.ts): builds what it is asked for, one request at a time. */
import { parentPort, workerData } from 'node:worker_threads';
import { personalizationsJson, type PersonalizationRecipe, type PersonalizationRow } from './personalization';

const { tokenSecret } = workerData as { tokenSecret: string };

parentPort?.on('message', (message: { id: number; recipe: PersonalizationRecipe; rows: PersonalizationRow[] }) => {
  try {
    parentPort!.postMessage({ id: message.id, built: personalizationsJson(message.recipe, message.rows, tokenSecret) });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
