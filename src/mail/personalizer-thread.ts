/** The personalizer's thread (personalizer.ts): builds what it is asked for, one request at a time. */
import { parentPort, workerData } from 'node:worker_threads';
import { personalizationsJson, type PersonalizationRecipe, type PersonalizationRow } from './personalization';
import { PersonalizationList } from './personalization-list';

const { tokenSecret } = workerData as { tokenSecret: string };

parentPort?.on('message', (message: { id: number; recipe: PersonalizationRecipe; rows: PersonalizationRow[] }) => {
  try {
    // The list's buffers are transferred: the main thread gets them without a copy.
    const { transfer, ...built } = PersonalizationList.of(personalizationsJson(message.recipe, message.rows, tokenSecret)).parts();
    parentPort!.postMessage({ id: message.id, built }, transfer);
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
