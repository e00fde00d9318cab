import { parse, type Setting, type SettingValues, setting } from '@media-gateway/domain';

const MG_SYNC_PRESENCE_MS = setting(
  'MG_SYNC_PRESENCE_MS',
  parse.int(100, 600_000),
  'how often a replica repeats its devices’ presence on Redis (a replica silent for 3 periods counts as gone)',
  '`10000`',
);

/** The sync package's environment variables (validated and documented by the gateway). */
export const SYNC_SETTINGS: Setting[] = [MG_SYNC_PRESENCE_MS];

export interface SyncSettings {
  /** Presence refresh period across replicas (ms); unset = the hub's default (10 s). */
  presenceRefreshMs: number | undefined;
}

export function syncSettings(values: SettingValues): SyncSettings {
  return { presenceRefreshMs: values.get(MG_SYNC_PRESENCE_MS) };
}
