import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createDemoSeal } from '../seal/demoSeal';

// `npm run hub:admin -- seal-demo --out DIR [--center NAME]`: a demo root CA and a seal certificate
// issued by it, in DIR (no database involved). The hub then runs with `--seal-demo DIR`.
export async function runSealDemoCommand(args: string[]): Promise<unknown> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' }, center: { type: 'string' } } });
  if (!values.out) throw new Error('seal-demo --out DIR [--center NAME]');
  const paths = await createDemoSeal(resolve(values.out), values.center ? { centerName: values.center } : {});
  return {
    seal: paths,
    hub: `npm run hub -- --seal-demo ${paths.dir}`,
    note: 'the key file is readable by this user only; verifiers trust the root certificate',
  };
}
