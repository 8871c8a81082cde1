import { z } from 'zod';
import { DemoAccount } from '../../common/contract';
import type { HubSessionOptions } from '../sync/hubSession';

/**
 * The hub from the environment `npm start` prepares: DESK_HUB_URL (a configured or the embedded
 * hub) and DESK_HUB_DEMO_ACCOUNTS (JSON; set only for the embedded demo hub). Checked here,
 * because the environment is input too.
 */
export function hubOptionsFromEnv(env: NodeJS.ProcessEnv, flagUrl?: string): HubSessionOptions {
  const url = flagUrl ?? env.DESK_HUB_URL ?? null;
  const demo = env.DESK_HUB_DEMO_ACCOUNTS;
  const accounts = demo ? z.array(DemoAccount).parse(JSON.parse(demo)) : null;
  return { configuredUrl: url || null, embedded: accounts ? { accounts } : null };
}
