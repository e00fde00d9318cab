/** A CLI command: parses its own arguments (node:util parseArgs) and returns an exit code. */
export interface Command {
  name: string;
  /** One line for `media-gateway help`. */
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}
