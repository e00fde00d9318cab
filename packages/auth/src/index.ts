export { SCOPES, type Scope, isScope, parseScopes } from './scopes.ts';
export {
  createTokenService, type TokenService, type AccessTokenClaims, ACCESS_TOKEN_TTL_SECONDS,
} from './token-service.ts';
