import type { Queryable } from '@media-gateway/db';
import { DomainError, getPlatform, isRegion, toCountryCode } from '@media-gateway/domain';

/** What a person told us about themselves: where they watch and which services they pay for. */
export interface UserSettings {
  userId: string;
  region: string;
  /** Platform registry ids. Empty = no preference (every service counts). */
  services: string[];
  onboardingPicks: string[];
}

export const DEFAULT_REGION = 'US';

function storedRegion(region: string): string {
  if (isRegion(region)) return region;
  const country = toCountryCode(region);
  return country && isRegion(country) ? country : DEFAULT_REGION;
}

export async function getUserSettings(db: Queryable, userId: string): Promise<UserSettings> {
  const { rows } = await db.query<{ region: string; services: string[]; onboarding_picks: string[] }>(
    'SELECT region, services, onboarding_picks FROM user_settings WHERE user_id = $1',
    [userId],
  );
  const row = rows[0];
  return {
    userId,
    // A region stored before only real countries were accepted ("UK", "XX") reads as its country, or the default.
    region: row ? storedRegion(row.region) : DEFAULT_REGION,
    services: row?.services ?? [],
    onboardingPicks: row?.onboarding_picks ?? [],
  };
}

export async function updateUserSettings(
  db: Queryable,
  userId: string,
  patch: { region?: string | undefined; services?: string[] | undefined; onboardingPicks?: string[] | undefined },
): Promise<UserSettings> {
  if (patch.region !== undefined && !isRegion(patch.region)) {
    throw new DomainError(
      'INVALID_INPUT',
      `Region must be a country's two-letter ISO code such as US or GB, got "${patch.region}".`,
    );
  }
  const services = patch.services?.map((s) => {
    const platform = getPlatform(s);
    if (!platform) throw new DomainError('INVALID_INPUT', `Unknown service "${s}" (see /api/platforms).`);
    return platform.id;
  });
  const current = await getUserSettings(db, userId);
  const next = {
    region: patch.region ?? current.region,
    services: services ? [...new Set(services)] : current.services,
    onboardingPicks: patch.onboardingPicks ?? current.onboardingPicks,
  };
  await db.query(
    `INSERT INTO user_settings (user_id, region, services, onboarding_picks) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id) DO UPDATE SET region = EXCLUDED.region, services = EXCLUDED.services,
       onboarding_picks = EXCLUDED.onboarding_picks, updated_at = now()`,
    [userId, next.region, next.services, next.onboardingPicks],
  );
  return { userId, ...next };
}
