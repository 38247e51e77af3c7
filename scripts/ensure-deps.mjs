#!/usr/bin/env node
// Run first by `npm start` and `npm test`: installs node dependencies when they are missing or
// stale, and with `--browser` makes sure Debian's Chromium is there for the e2e tests.
// Plain Node, no dependencies: it must work before `npm ci` has ever run.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const chromium = '/usr/bin/chromium';

function say(line) {
  console.log(`podhop: ${line}`);
}

function run(command, args) {
  say(`running ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.error) {
    say(`could not run ${command}: ${result.error.message}`);
    process.exit(1);
  }
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function mtime(path) {
  return statSync(path).mtimeMs;
}

function ensureNodeModules() {
  const lockfile = join(root, 'package-lock.json');
  const modules = join(root, 'node_modules');
  // npm writes node_modules/.package-lock.json after every install: its age is the install's.
  const installed = join(modules, '.package-lock.json');
  const hasLock = existsSync(lockfile);

  let reason;
  if (!existsSync(modules)) reason = 'node_modules is missing';
  else if (hasLock && !existsSync(installed)) reason = 'node_modules was not installed by npm';
  else if (hasLock && mtime(lockfile) > mtime(installed)) {
    reason = 'package-lock.json is newer than node_modules';
  }

  if (!reason) {
    say('node_modules is up to date');
    return;
  }
  say(reason);
  run('npm', hasLock ? ['ci'] : ['install']);
}

function ensureChromium() {
  if (existsSync(chromium)) {
    say(`${chromium} is present`);
    return;
  }
  if (process.getuid?.() === 0) {
    say(`${chromium} is missing: installing Debian's chromium`);
    // CI has no terminal: apt must never stop to ask
    process.env.DEBIAN_FRONTEND = 'noninteractive';
    run('apt-get', ['update']);
    run('apt-get', ['install', '-y', 'chromium']);
    return;
  }
  say("Debian's Chromium is needed for the browser tests: run `sudo apt-get install -y chromium`");
  process.exit(1);
}

ensureNodeModules();
if (process.argv.slice(2).includes('--browser')) ensureChromium();
