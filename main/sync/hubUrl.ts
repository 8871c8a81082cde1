import { DeskFailure } from '../../common/contract';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/**
 * A hub's address as the desk will use it: https anywhere; plain http only on this machine
 * (the embedded demo hub, tests). Anything else is refused with `insecure_hub_url`: a session
 * token must never cross a network in clear text.
 */
export function checkHubUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DeskFailure('invalid_request', `not a URL: ${raw.slice(0, 100)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new DeskFailure('insecure_hub_url', `a hub is reached over https, not ${url.protocol}`);
  }
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new DeskFailure(
      'insecure_hub_url',
      `a remote hub must use https (plain http only on 127.0.0.1): ${url.host}`,
      { host: url.host },
    );
  }
  if (url.username || url.password) throw new DeskFailure('invalid_request', 'no credentials in the hub URL');
  url.hash = '';
  url.search = '';
  return url.toString().replace(/\/+$/, '');
}
