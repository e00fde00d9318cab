import { createTokenService } from '@media-gateway/auth';
import { createDb } from '@media-gateway/db';
import { type Logger, systemClock } from '@media-gateway/domain';
import type { GatewayConfig } from './config.ts';
import type { AppContext } from './context.ts';

/** Composes the context: storage, tokens and every feature service. The one place that wires things. */
export async function createContext(config: GatewayConfig, logger: Logger): Promise<AppContext> {
  const db = await createDb({
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : { dataDir: config.dataDir }),
  });
  const tokens = await createTokenService(db, { issuer: config.publicUrl });
  const ctx: AppContext = {
    config,
    db,
    logger,
    clock: systemClock(),
    tokens,
    onClose: [() => db.close()],
    services: {},
  };
  return ctx;
}
