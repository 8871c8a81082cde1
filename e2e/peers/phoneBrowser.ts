import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../support/chromium';

// A Chromium that can make calls on loopback: a fake microphone playing `wav`, no permission
// prompt, loopback ICE candidates, audio without a user gesture, and no lookups off the host.

export function phoneChromiumArgs(wav: string): string[] {
  return [
    ...CHROMIUM_ARGS,
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-audio-capture=${wav}`,
    '--use-fake-ui-for-media-stream',
    '--allow-loopback-in-peer-connection',
    '--autoplay-policy=no-user-gesture-required',
    '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1',
  ];
}

export function launchPhoneChromium(wav: string): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: phoneChromiumArgs(wav), headless: true });
}
