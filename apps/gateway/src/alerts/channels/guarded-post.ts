import { lookup } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPrivateIp, isPrivateLiteral } from './private-address.ts';

export class PrivateAddressError extends Error {
  constructor(host: string) {
    super(`${host} resolves to a private address`);
  }
}

/** Resolves a host name to every address it has (the default asks the system resolver, like fetch). */
export type Resolve = (host: string) => Promise<Array<{ address: string; family: number }>>;

const systemResolve: Resolve = (host) =>
  new Promise((done, fail) =>
    lookup(host, { all: true }, (error, addresses) => (error ? fail(error) : done(addresses))),
  );

export interface GuardedPost {
  headers: Record<string, string>;
  body: string | Uint8Array;
  signal: AbortSignal;
  allowPrivate: boolean;
  resolve?: Resolve | undefined;
}

/**
 * POSTs to a person's webhook or push endpoint and returns the status; the response body is discarded. The address
 * is checked in the same lookup the connection uses, so a name that answers with a public address for a check and a
 * private one a moment later (DNS rebinding) cannot reach this machine or its network. Never follows a redirect.
 * Rejects with PrivateAddressError (not worth retrying) or the network error.
 */
export function postGuarded(url: URL, init: GuardedPost): Promise<number> {
  if (!init.allowPrivate && isPrivateLiteral(url.hostname))
    return Promise.reject(new PrivateAddressError(url.hostname));
  const resolve = init.resolve ?? systemResolve;
  const guardedLookup: LookupFunction = (host, options, callback) => {
    resolve(host).then(
      (addresses) => {
        if (!init.allowPrivate && addresses.some((a) => isPrivateIp(a.address)))
          return callback(new PrivateAddressError(host), '', 0);
        if (addresses.length === 0) return callback(new Error(`${host} has no address`), '', 0);
        if (options.all) return (callback as (e: null, all: typeof addresses) => void)(null, addresses);
        const wanted = options.family === 6 || options.family === 4 ? options.family : 0;
        const first = addresses.find((a) => wanted === 0 || a.family === wanted) ?? addresses[0]!;
        callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((done, fail) => {
    const req = send(
      url,
      // agent: false: a pooled keep-alive socket would skip the lookup, so every request connects (and checks) anew.
      { method: 'POST', headers: init.headers, signal: init.signal, lookup: guardedLookup, agent: false },
      (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      },
    );
    req.on('error', fail);
    req.end(init.body);
  });
}
