/** The worker's queue for its daily chores (purging expired sign-ups); named here for the queue dashboard too. */
export const MAINTENANCE_QUEUE = 'maintenance';
