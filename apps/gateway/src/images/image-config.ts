import { parse, type Setting, type SettingValues, setting } from '@media-gateway/domain';

const MG_IMAGE_PROXY = setting(
  'MG_IMAGE_PROXY',
  parse.onOff,
  'artwork: `off` never contacts image hosts (TMDb, JustWatch, Watchmode); every title then shows its generated cover',
  '`on`',
);
const MG_IMAGE_CACHE_MB = setting(
  'MG_IMAGE_CACHE_MB',
  parse.int(0, 4096),
  'artwork: bytes of proxied images kept in memory per process (least recently used go first)',
  '`64`',
);
const MG_IMAGE_DISK_CACHE_MB = setting(
  'MG_IMAGE_DISK_CACHE_MB',
  parse.int(0, 1_000_000),
  'artwork: bytes of proxied images kept under `<data dir>/images` ' +
    'when a data dir is in use (`0` = none; oldest go first)',
  '`512`',
);
const MG_IMAGE_TIMEOUT_MS = setting(
  'MG_IMAGE_TIMEOUT_MS',
  parse.int(100, 60_000),
  'artwork: how long one upstream image fetch may take before the generated cover is shown instead',
  '`5000`',
);

/** The image proxy's environment variables (validated and documented with the gateway's). */
export const IMAGE_SETTINGS: Setting[] = [
  MG_IMAGE_PROXY,
  MG_IMAGE_CACHE_MB,
  MG_IMAGE_DISK_CACHE_MB,
  MG_IMAGE_TIMEOUT_MS,
];

export interface ImagesConfig {
  /** False: no upstream fetch at all. */
  enabled: boolean;
  memoryBytes: number;
  diskBytes: number;
  timeoutMs: number;
}

export function imagesConfig(values: SettingValues): ImagesConfig {
  return {
    enabled: values.get(MG_IMAGE_PROXY) !== 'off',
    memoryBytes: (values.get(MG_IMAGE_CACHE_MB) ?? 64) * 1024 * 1024,
    diskBytes: (values.get(MG_IMAGE_DISK_CACHE_MB) ?? 512) * 1024 * 1024,
    timeoutMs: values.get(MG_IMAGE_TIMEOUT_MS) ?? 5000,
  };
}
