import { RecommenderService } from '@media-gateway/recommend';
import type { AppContext } from '../context.ts';

/**
 * ctx.services.recommend: the SONA recommender. Created on first use so every way of building a
 * context (server, tests) gets one without touching the shared composition code.
 */
export function recommenderOf(ctx: AppContext): RecommenderService {
  let service = ctx.services['recommend'] as RecommenderService | undefined;
  if (!service) {
    service = new RecommenderService(ctx.db, { clock: ctx.clock });
    ctx.services['recommend'] = service;
  }
  return service;
}
