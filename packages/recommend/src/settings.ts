import { parse, type Setting, type SettingValues, setting } from '@media-gateway/domain';

const MG_RECS_RETRAIN_HOURS = setting(
  'MG_RECS_RETRAIN_HOURS',
  parse.int(1, 10_000),
  'retrain the recommendation base model at least this often',
  '`24`',
);
const MG_RECS_RETRAIN_CATALOG_CHANGES = setting(
  'MG_RECS_RETRAIN_CATALOG_CHANGES',
  parse.int(1, 100_000_000),
  '…or after this many catalog changes',
  '`1000`',
);
const MG_RECS_CHECK_MINUTES = setting(
  'MG_RECS_CHECK_MINUTES',
  parse.int(1, 10_000),
  'how often the worker checks whether a retrain is due',
  '`10`',
);

/** The recommender's environment variables (validated and documented by the gateway). */
export const RECOMMEND_SETTINGS: Setting[] = [
  MG_RECS_RETRAIN_HOURS,
  MG_RECS_RETRAIN_CATALOG_CHANGES,
  MG_RECS_CHECK_MINUTES,
];

export interface RecommendSettings {
  /** Retrain when the model is this many hours old… */
  retrainEveryHours: number;
  /** …or the catalog changed this many times since it was trained. */
  retrainAfterCatalogChanges: number;
  /** How often the worker asks whether a retrain is due. */
  checkEveryMinutes: number;
}

export function recommendSettings(values: SettingValues): RecommendSettings {
  return {
    retrainEveryHours: values.get(MG_RECS_RETRAIN_HOURS) ?? 24,
    retrainAfterCatalogChanges: values.get(MG_RECS_RETRAIN_CATALOG_CHANGES) ?? 1000,
    checkEveryMinutes: values.get(MG_RECS_CHECK_MINUTES) ?? 10,
  };
}
