/**
 * Hooks the application installs so that packages can make trace spans and carry trace context
 * across processes without depending on a tracing library (the gateway implements them with
 * OpenTelemetry when tracing is on). Until then every hook is a no-op that costs one call.
 */
export interface Instrument {
  /** Runs `fn` inside a span named `name`, ended when `fn` settles. */
  span<T>(name: string, attributes: Record<string, string | number | boolean>, fn: () => Promise<T>): Promise<T>;
  /** The active trace context as W3C headers (`traceparent`); empty when there is none. */
  carrier(): Record<string, string>;
  /** Runs `fn` in a span `name` that continues the trace in `carrier` (received from another process). */
  continueFrom<T>(carrier: Record<string, string> | undefined, name: string, fn: () => T): T;
}

const noop: Instrument = {
  span: (_name, _attributes, fn) => fn(),
  carrier: () => ({}),
  continueFrom: (_carrier, _name, fn) => fn(),
};

let current: Instrument = noop;

/** Installs the process's instrument; undefined restores the no-op one. */
export function setInstrument(instrument: Instrument | undefined): void {
  current = instrument ?? noop;
}

export function instrument(): Instrument {
  return current;
}
