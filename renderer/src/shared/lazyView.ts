import { lazy, type ComponentType } from 'react';

/**
 * A view whose code is a separate chunk, left out of the first load (less to fetch, parse and
 * run before the queue shows). `preload()` fetches it ahead of need, e.g. once the queue is up,
 * so opening it later does not wait for the network.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any props, as React.lazy takes
export function lazyView<P extends Record<string, any>>(load: () => Promise<ComponentType<P>>) {
  let loading: Promise<ComponentType<P>> | null = null;
  const preload = () => (loading ??= load());
  const View = lazy(async () => ({ default: await preload() }));
  return Object.assign(View, { preload });
}
