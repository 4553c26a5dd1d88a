/**
 * The desk's own admin actions (Settings > Roles > Plugins > Desk). Routes require them
 * (admin::hasPermissions) and the admin panel hides what a role lacks (useRBAC); the names are
 * a contract with the admin panel, the seed's roles and deployments' role settings, so they never change.
 */
export const DESK_ACTIONS = {
  preview: 'plugin::desk.preview',
  sendTest: 'plugin::desk.send-test',
  send: 'plugin::desk.send',
  cancel: 'plugin::desk.cancel',
  gdpr: 'plugin::desk.gdpr',
  queues: 'plugin::desk.queues',
  assemble: 'plugin::desk.assemble',
  duplicate: 'plugin::desk.duplicate',
  statistics: 'plugin::desk.statistics',
  subscribers: 'plugin::desk.subscribers',
} as const;

const DISPLAY_NAMES: Record<keyof typeof DESK_ACTIONS, string> = {
  preview: 'Preview editions and campaigns',
  sendTest: 'Send a test mail',
  send: 'Schedule, unschedule and send now',
  cancel: 'Cancel a scheduled or sending mailing',
  gdpr: 'GDPR export and erase of a subscriber',
  queues: 'Queue dashboard',
  assemble: 'Assemble an edition',
  duplicate: 'Duplicate an edition or campaign',
  statistics: 'Audience growth statistics (counts only)',
  subscribers: 'Import and export the subscriber list',
};

export const actionDefinitions = () =>
  (Object.keys(DESK_ACTIONS) as Array<keyof typeof DESK_ACTIONS>).map((key) => ({
    section: 'plugins',
    displayName: DISPLAY_NAMES[key],
    uid: DESK_ACTIONS[key].slice('plugin::desk.'.length),
    pluginName: 'desk',
  }));
