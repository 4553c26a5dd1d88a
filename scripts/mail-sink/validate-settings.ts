/**
 * Validation of `mail_settings` and `tracking_settings`: each known setting has the documented
 * property types, and bypass_list_management is not combined with the other bypass filters.
 */
import { isRecord, wrongType, type Errors, type Json } from './validate-common';

type SettingShape = Record<string, 'boolean' | 'string'>;

/** Checks a `{ enable: boolean, ... }` settings object against the property types it allows. */
function checkSetting(value: unknown, field: string, shape: SettingShape, errors: Errors): void {
  if (value === undefined || value === null) return;
  if (!isRecord(value)) {
    wrongType(errors, field, 'object', value);
    return;
  }
  for (const [key, expected] of Object.entries(shape)) {
    const v = value[key];
    if (v !== undefined && v !== null && typeof v !== expected) wrongType(errors, `${field}.${key}`, expected, v);
  }
}

const ENABLE_ONLY: SettingShape = { enable: 'boolean' };

const MAIL_SETTINGS: Record<string, SettingShape> = {
  bypass_list_management: ENABLE_ONLY,
  bypass_spam_management: ENABLE_ONLY,
  bypass_bounce_management: ENABLE_ONLY,
  bypass_unsubscribe_management: ENABLE_ONLY,
  footer: { enable: 'boolean', text: 'string', html: 'string' },
  sandbox_mode: ENABLE_ONLY,
};

const TRACKING_SETTINGS: Record<string, SettingShape> = {
  click_tracking: { enable: 'boolean', enable_text: 'boolean' },
  open_tracking: { enable: 'boolean', substitution_tag: 'string' },
  subscription_tracking: { enable: 'boolean', text: 'string', html: 'string', substitution_tag: 'string' },
  ganalytics: {
    enable: 'boolean',
    utm_source: 'string',
    utm_medium: 'string',
    utm_term: 'string',
    utm_content: 'string',
    utm_campaign: 'string',
  },
};

function isEnabled(settings: Json, key: string): boolean {
  const setting = settings[key];
  return isRecord(setting) && setting.enable === true;
}

/** `mail_settings`: known settings have the documented shape; bypass_list_management is exclusive. */
export function checkMailSettings(body: Json, errors: Errors): void {
  const settings = body.mail_settings;
  if (settings === undefined || settings === null) return;
  if (!isRecord(settings)) {
    wrongType(errors, 'mail_settings', 'object', settings);
    return;
  }
  for (const [key, shape] of Object.entries(MAIL_SETTINGS)) {
    checkSetting(settings[key], `mail_settings.${key}`, shape, errors);
  }
  const otherBypass = ['bypass_spam_management', 'bypass_bounce_management', 'bypass_unsubscribe_management'];
  if (isEnabled(settings, 'bypass_list_management') && otherBypass.some((k) => isEnabled(settings, k))) {
    errors.add('mail_settings.bypass_list_management', 'The bypass_list_management filter cannot be combined with other bypass filters.');
  }
}

export function checkTrackingSettings(body: Json, errors: Errors): void {
  const settings = body.tracking_settings;
  if (settings === undefined || settings === null) return;
  if (!isRecord(settings)) {
    wrongType(errors, 'tracking_settings', 'object', settings);
    return;
  }
  for (const [key, shape] of Object.entries(TRACKING_SETTINGS)) {
    checkSetting(settings[key], `tracking_settings.${key}`, shape, errors);
  }
}
