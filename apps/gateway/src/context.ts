import type { TokenService } from '@media-gateway/auth';
import type { Db } from '@media-gateway/db';
import type { Clock, Logger } from '@media-gateway/domain';
import type { Services } from './compose.ts';
import type { GatewayConfig } from './config.ts';

/** What routes receive: the validated config, storage, time, and every service (built in compose.ts). */
export interface AppContext {
  config: GatewayConfig;
  db: Db;
  logger: Logger;
  /** The one source of "now" for decisions made with time; tests pass a manual clock. */
  clock: Clock;
  tokens: TokenService;
  /** Functions to run on close, last registered first. */
  onClose: Array<() => Promise<void> | void>;
  /** Set when the process starts draining (SIGTERM): /readyz then answers 503. */
  lifecycle: { draining: boolean };
  /** Every feature service, typed; built once per context by compose.ts. */
  services: Services;
}
