#!/usr/bin/env node
// `npm start`: runs the desk.
//  - With the Electron binary installed: builds what is missing and opens the desktop app.
//  - Without it (or with --browser): starts the browser host (dist/node/host.mjs, built from
//    main/host/cli.ts when missing or older than its sources) and opens the desk
//    in a Chromium-family browser's app window, or prints the URL to open.
// Data folder: ~/.delivery-desk, or DESK_DATA_DIR. Ctrl+C shuts everything down cleanly.
//
// Flags: --rebuild (build the renderer again even if present), --browser (never use Electron),
//        --no-open (print the URL, open no browser), --port N (browser host port; default: any free),
//        --no-demo-line (the browser host starts no local demo line for a desk without a SIP account)
// Environment: DESK_DATA_DIR, DESK_PORT, DESK_BROWSER (a browser executable),
//              DESK_BROWSER_ARGS (extra browser arguments, space-separated),
//              DESK_HUB_URL (the center's hub; without it an embedded demo hub runs in the data
//              folder: PGlite in <data>/hub, demo accounts shown on the login screen)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const isWindows = process.platform === 'win32';

const { values: flags } = parseArgs({
  options: {
    rebuild: { type: 'boolean', default: false },
    browser: { type: 'boolean', default: false },
    'no-open': { type: 'boolean', default: false },
    port: { type: 'string' },
    'no-demo-line': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (flags.help) {
  console.log('npm start [-- --rebuild] [--browser] [--no-open] [--port N] [--no-demo-line]');
  process.exit(0);
}

const dataDir = path.resolve(process.env.DESK_DATA_DIR || path.join(os.homedir(), '.delivery-desk'));
const rendererIndex = path.join(root, 'dist', 'renderer', 'index.html');

function say(zh, en) {
  console.log(`[desk] ${zh} / ${en}`);
}

function fail(zh, en, code = 1) {
  console.error(`[desk] ${zh} / ${en}`);
  process.exit(code);
}

/** Runs an npm script in the foreground; exits on failure. */
function npmRun(script) {
  const npmCli = process.env.npm_execpath;
  const result =
    npmCli && /\.c?js$/.test(npmCli)
      ? spawnSync(process.execPath, [npmCli, 'run', script], { cwd: root, stdio: 'inherit' })
      : spawnSync(isWindows ? 'npm.cmd' : 'npm', ['run', script], {
          cwd: root,
          stdio: 'inherit',
          shell: isWindows,
        });
  if (result.status !== 0)
    fail(`构建失败：npm run ${script}`, `build failed: npm run ${script}`, result.status || 1);
}

/** The Electron executable, if node_modules/electron has its binary (its index.js throws otherwise). */
function electronBinary() {
  try {
    const binary = createRequire(path.join(root, 'package.json'))('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Whether better-sqlite3, as built now, loads in Electron's Node (it is built for plain Node by npm install). */
function sqliteLoadsIn(electron) {
  const probe = spawnSync(electron, ['-e', "new (require('better-sqlite3'))(':memory:').close()"], {
    cwd: root,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return probe.status === 0;
}

function hasDisplay() {
  if (isWindows || process.platform === 'darwin') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

function onPath(name) {
  const exts = isWindows ? (process.env.PATHEXT || '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      try {
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/** A Chromium-family browser: DESK_BROWSER, else the usual places per platform, else PATH. */
function findBrowser() {
  if (process.env.DESK_BROWSER) {
    const wanted = process.env.DESK_BROWSER;
    return existsSync(wanted) ? wanted : onPath(wanted);
  }
  const fixed = [];
  if (process.platform === 'linux') fixed.push('/usr/bin/chromium');
  if (process.platform === 'darwin') {
    for (const app of ['Google Chrome', 'Chromium', 'Microsoft Edge'])
      fixed.push(`/Applications/${app}.app/Contents/MacOS/${app}`);
  }
  if (isWindows) {
    const roots = [
      process.env.ProgramFiles,
      process.env['ProgramFiles(x86)'],
      process.env.LOCALAPPDATA,
    ].filter(Boolean);
    for (const base of roots) {
      fixed.push(path.join(base, 'Microsoft', 'Edge', 'Application', 'msedge.exe'));
      fixed.push(path.join(base, 'Google', 'Chrome', 'Application', 'chrome.exe'));
      fixed.push(path.join(base, 'Chromium', 'Application', 'chrome.exe'));
    }
  }
  for (const candidate of fixed) if (existsSync(candidate)) return candidate;
  const names = [
    'chromium',
    'chromium-browser',
    'google-chrome',
    'google-chrome-stable',
    'microsoft-edge',
    'microsoft-edge-stable',
    'msedge',
    'chrome',
  ];
  for (const name of names) {
    const found = onPath(name);
    if (found) return found;
  }
  return null;
}

/**
 * The dedicated browser profile's preferences: the page shows personal data, so the browser never
 * offers to send it to a translation service, and never offers to save passwords.
 */
function prepareBrowserProfile(profile) {
  const file = path.join(profile, 'Default', 'Preferences');
  let prefs = {};
  try {
    prefs = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    // a new profile (or an unreadable file, which the browser would replace anyway)
  }
  prefs.translate = { ...(prefs.translate ?? {}), enabled: false };
  prefs.credentials_enable_service = false;
  prefs.browser = { ...(prefs.browser ?? {}), check_default_browser: false };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(prefs));
}

// ---------------------------------------------------------------------------------------------

function runElectron(electron) {
  if (flags.rebuild || !existsSync(rendererIndex)) npmRun('build:renderer');
  npmRun('build:electron'); // a second or so; never a stale main or preload
  say(`启动桌面应用（数据目录 ${dataDir}）`, `starting the desktop app (data in ${dataDir})`);
  const env = { ...process.env, DESK_DATA_DIR: dataDir };
  delete env.ELECTRON_RUN_AS_NODE;
  // Own process group on POSIX: Ctrl+C reaches Electron once, forwarded by us (it then quits cleanly).
  const child = spawn(electron, [root], { cwd: root, stdio: 'inherit', env, detached: !isWindows });
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (child.exitCode === null) child.kill(signal);
    });
  }
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function runBrowserHost() {
  if (flags.rebuild || !existsSync(rendererIndex)) npmRun('build:renderer');
  mkdirSync(dataDir, { recursive: true });
  const port = flags.port ?? process.env.DESK_PORT;
  // The host runs from its bundle; rebuilt (well under a second) only when a source is newer.
  const bundled = spawnSync(process.execPath, [path.join('scripts', 'build-node.mjs'), '--if-stale'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (bundled.status !== 0) fail('构建失败：build-node', 'build failed: scripts/build-node.mjs', 1);
  const args = [path.join('dist', 'node', 'host.mjs'), '--data-dir', dataDir];
  // With no SIP account saved, the desk uses the local demo line (Kamailio and a simulated party).
  if (!flags['no-demo-line']) args.push('--demo-line');
  if (port) args.push('--port', port);
  // Own process group on POSIX, so Ctrl+C reaches the host once, through us, not twice.
  const host = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, DESK_DATA_DIR: dataDir },
    detached: !isWindows,
  });
  let browser = null;
  let stopping = false;

  const stop = (signal = 'SIGTERM') => {
    if (stopping) return;
    stopping = true;
    if (browser && browser.exitCode === null) browser.kill('SIGTERM');
    if (host.exitCode === null) host.kill(signal);
    // The host closes its server and the database, then exits; don't wait forever.
    setTimeout(() => {
      if (host.exitCode === null) host.kill('SIGKILL');
    }, 10_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('exit', () => {
    if (host.exitCode === null) host.kill('SIGKILL');
  });

  const url = await new Promise((resolve) => {
    const lines = readline.createInterface({ input: host.stdout });
    let found = false;
    lines.on('line', (line) => {
      const match = /^DESK_URL (\S+)/.exec(line);
      if (match && !found) {
        found = true;
        resolve(match[1]);
      } else {
        console.log(line);
      }
    });
    host.on('exit', (code, signal) => {
      if (!found) {
        if (stopping) process.exit(0);
        fail('浏览器主机未能启动', `the browser host did not start (exit ${code ?? signal})`, code || 1);
      }
      if (!stopping) console.error(`[desk] 主机已退出 / host exited (${code ?? signal})`);
      process.exit(stopping ? 0 : code || 1);
    });
  });

  const executable = flags['no-open'] || !hasDisplay() ? null : findBrowser();
  if (!executable) {
    say('在浏览器中打开', 'Open in a browser');
    console.log(`\n    ${url}\n`);
    say('按 Ctrl+C 停止', 'press Ctrl+C to stop');
    return;
  }

  const profile = path.join(dataDir, 'browser-profile');
  prepareBrowserProfile(profile);
  const extra = (process.env.DESK_BROWSER_ARGS || '').split(/\s+/).filter(Boolean);
  const browserArgs = [
    `--app=${url}`,
    `--user-data-dir=${profile}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-sync',
    ...extra,
  ];
  const startedAt = Date.now();
  browser = spawn(executable, browserArgs, { stdio: 'ignore', detached: !isWindows });
  browser.on('error', () => {
    say('无法启动浏览器，请手动打开', `could not start ${executable}; open it yourself`);
    console.log(`\n    ${url}\n`);
  });
  browser.on('exit', (code) => {
    if (stopping) return;
    const ranFor = Date.now() - startedAt;
    if (ranFor < 5_000 && code !== 0) {
      say('浏览器启动失败，请手动打开', `the browser exited at once (code ${code}); open the desk yourself`);
      console.log(`\n    ${url}\n`);
      if (typeof process.getuid === 'function' && process.getuid() === 0) {
        say(
          '以 root 运行时 Chromium 需要 DESK_BROWSER_ARGS=--no-sandbox',
          'as root, Chromium needs DESK_BROWSER_ARGS=--no-sandbox',
        );
      }
    } else if (ranFor < 5_000) {
      say('窗口已交给正在运行的浏览器', 'handed to a browser already running with this profile');
    } else {
      say('窗口已关闭，正在停止', 'the desk window was closed; stopping');
      stop();
    }
  });
  say(`已在 ${path.basename(executable)} 中打开`, `opened in ${path.basename(executable)}`);
  console.log(`    ${url}`);
  say('关闭窗口或按 Ctrl+C 停止', 'close the window or press Ctrl+C to stop');
}

/**
 * With no hub configured: the embedded hub (scripts/embeddedHub.ts) on 127.0.0.1, its data in the
 * data folder, demo users and tasks on first start. Its URL and demo accounts reach the desk
 * through DESK_HUB_URL and DESK_HUB_DEMO_ACCOUNTS.
 */
async function startEmbeddedHub() {
  if (process.env.DESK_HUB_URL) return;
  mkdirSync(dataDir, { recursive: true });
  const hub = spawn(
    process.execPath,
    ['--import', 'tsx', path.join('scripts', 'embeddedHub.ts'), '--pglite', path.join(dataDir, 'hub')],
    { cwd: root, stdio: ['ignore', 'pipe', 'ignore'], detached: !isWindows },
  );
  process.on('exit', () => {
    if (hub.exitCode === null) hub.kill('SIGTERM');
  });
  const demo = await new Promise((resolve) => {
    let url = null;
    const lines = readline.createInterface({ input: hub.stdout });
    lines.on('line', (line) => {
      if (line.startsWith('HUB_URL ')) url = line.slice(8).trim();
      if (line.startsWith('HUB_DEMO ') && url) resolve({ url, ...JSON.parse(line.slice(9)) });
    });
    hub.on('exit', (code) => fail('内置中心服务未能启动', `the embedded hub did not start (exit ${code})`));
  });
  process.env.DESK_HUB_URL = demo.url;
  process.env.DESK_HUB_DEMO_ACCOUNTS = JSON.stringify(demo.accounts);
  say(
    `内置中心服务：${demo.url}（示范账号见登录页）`,
    `embedded hub at ${demo.url} (demo accounts on the login screen)`,
  );
}

await startEmbeddedHub();
const electron = flags.browser ? null : electronBinary();
if (electron && sqliteLoadsIn(electron)) {
  runElectron(electron);
} else {
  if (electron) {
    say(
      'better-sqlite3 不是为 Electron 构建的（运行 npx @electron/rebuild -f -w better-sqlite3），改用浏览器模式',
      'better-sqlite3 is not built for Electron (run npx @electron/rebuild -f -w better-sqlite3); using the browser host',
    );
  }
  await runBrowserHost();
}
