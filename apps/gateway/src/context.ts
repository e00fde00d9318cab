import type { TokenService } from '@media-gateway/auth';
import type { Db } from '@media-gateway/db';
import type { Clock, Logger } from '@media-gateway/domain';
import type { GatewayConfig } from './config.ts';

/**
 * What routes receive. Feature modules add their own services here (search, sync hub,
 * recommender…) as they are composed in `services.ts`.
 */
export interface AppContext {
  config: GatewayConfig;
  db: Db;
  logger: Logger;
  /** The one source of "now" for decisions made with time; tests pass a manual clock. */
  clock: Clock;
  tokens: TokenService;
  /** Functions to run on close, last registered first. */
  onClose: Array<() => Promise<void> | void>;
  /** Feature services keyed by name; each feature module documents its own key. */
  services: Record<string, unknown>;
}
