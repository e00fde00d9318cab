/** The auth server takes time from the shared clock; tests replace it to step through intervals and expiries. */
export { type Clock, systemClock } from '@media-gateway/domain';
