import { BlockList, isIP } from 'node:net';

/**
 * Addresses a person's webhook or push endpoint may not reach unless MG_ALERTS_WEBHOOK_PRIVATE=on: the server
 * would otherwise post, on anyone's behalf, to itself, its neighbours or a cloud metadata service.
 */
const PRIVATE = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3], // multicast and reserved, up to 255.255.255.255
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::1', 128],
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10], // site-local (deprecated, still routed on some networks)
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64: on a DNS64 network it reaches any IPv4 address, 169.254.169.254 included
  ['2002::', 16], // 6to4: an IPv4 address inside
] as const)
  PRIVATE.addSubnet(net, bits, 'ipv6');

const bare = (host: string) => host.replace(/^\[|\]$/g, '');

/** Whether the address (an IP literal) is loopback, link-local or private. */
export function isPrivateIp(address: string): boolean {
  const family = isIP(address);
  return family !== 0 && PRIVATE.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Whether a URL's host is private without asking DNS: an IP literal in a private range (the URL parser has already
 * turned "0x7f000001" into 127.0.0.1) or a name that always means this machine. For checking what a person types,
 * where a DNS lookup could stall the request; delivery checks the resolved addresses too (`postGuarded`).
 */
export function isPrivateLiteral(host: string): boolean {
  const h = bare(host).toLowerCase();
  return isPrivateIp(h) || h === 'localhost' || h.endsWith('.localhost');
}
