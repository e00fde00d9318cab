export { SCOPES, type Scope, isScope, parseScopes } from './scopes.ts';
export {
  createTokenService,
  type TokenService,
  type AccessTokenClaims,
  ACCESS_TOKEN_TTL_SECONDS,
} from './token-service.ts';
export { createAuthServer, type AuthServer, type AuthServerOptions, installationId } from './auth-server.ts';
export { OAuthError, isOAuthError, type OAuthErrorCode } from './oauth-error.ts';
export {
  DEVICE_GRANT,
  DEFAULT_SCOPES,
  redirectUriMatches,
  isNativeClient,
  type OAuthClient,
} from './client-registry.ts';
export { DEVICE_INTERVAL_SECONDS, DEVICE_CODE_TTL_SECONDS } from './device-flow.ts';
export { CODE_TTL_SECONDS } from './authorization-codes.ts';
export { DEFAULT_LIFETIMES, type GrantEvent, type GrantLifetimes, type TokenResponse } from './grant-service.ts';
export { audit, type AuditEvent } from './audit-log.ts';
export type { Clock } from './clock.ts';
export type { User } from './user-service.ts';
export {
  CODE_CHALLENGE_PATTERN,
  CODE_VERIFIER_PATTERN,
  USER_CODE_ALPHABET,
  generateUserCode,
  normalizeUserCode,
  s256,
} from './secrets.ts';
export { AttemptLimiter, type RateLimiter } from './attempt-limiter.ts';
