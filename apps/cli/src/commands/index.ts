import type { Command } from './command.ts';
import { exportCommand } from './export.ts';
import { ingestCommand } from './ingest.ts';
import { loginCommand } from './login.ts';
import { logoutCommand } from './logout.ts';
import { resolutionCommand } from './resolution.ts';
import { serveCommand } from './serve.ts';
import { titlesCommand } from './titles.ts';
import { recommendCommand } from './recommend.ts';
import { whoamiCommand } from './whoami.ts';
import { searchCommand } from './search.ts';
import { mcpCommand } from './mcp.ts';
import { watchlistCommand } from './watchlist.ts';
import { devicesCommand } from './devices.ts';
import { sendCommand } from './send.ts';
import { meCommand } from './me.ts';
import { importCommand } from './import.ts';
import { notificationsCommand } from './notifications.ts';

/** Every command, in the order `help` lists them. A feature adds one line here. */
export const COMMANDS: Command[] = [
  serveCommand,
  ingestCommand,
  titlesCommand,
  searchCommand,
  recommendCommand,
  resolutionCommand,
  exportCommand,
  loginCommand,
  logoutCommand,
  whoamiCommand,
  mcpCommand,
  watchlistCommand,
  devicesCommand,
  sendCommand,
  meCommand,
  importCommand,
  notificationsCommand,
];
