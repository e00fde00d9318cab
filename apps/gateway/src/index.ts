export { loadConfig, ConfigError, type GatewayConfig } from './config.ts';
export { buildApp } from './app.ts';
export { createContext, contextFor, closeContext, type Services } from './compose.ts';
export { startServer, type RunningServer } from './server.ts';
export type { AppContext } from './context.ts';
export { requireScope, optionalAuth, requireUser } from './auth-guard.ts';
export { defineRoute, parseInput } from './route.ts';
