import { randomBytes } from 'node:crypto';

/** What a contract run may be told about one implementation. */
export interface ContractOptions {
  /**
   * Known gaps: test title → why this implementation does not meet it yet. The test still runs and
   * is reported as TODO (it does not fail the run), so the gap stays visible until it is fixed.
   */
  todo?: Readonly<Record<string, string>>;
}

/** Polls `check` every 10 ms until it holds or `ms` pass; returns whether it held. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 5_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A name no other test run uses (a Redis key prefix or channel), so parallel runs never collide. */
export function uniqueName(label: string): string {
  return `${label}:${process.pid}:${randomBytes(6).toString('hex')}`;
}
