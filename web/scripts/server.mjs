// The server for the board's tests: its binary (built by cargo), a fresh directory with the
// bundled playbook, users with tokens, deals made through its API.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The server's binary: STAGEGATE_SERVICE, else cargo's debug build of it. */
function binary() {
  if (process.env.STAGEGATE_SERVICE) return process.env.STAGEGATE_SERVICE;
  const built = spawnSync('cargo', ['build', '--quiet', '-p', 'stagegate-server'], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) throw new Error('cargo build -p stagegate-server failed');
  const target = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
  return join(target, 'debug', 'stagegate-server');
}

/**
 * Starts the service over web/dist on a free port, with ada (admin, manager), mia (manager), rex
 * (rep) and han (finance); `{base, dir, token(user), call, stop}`.
 */
export async function startService() {
  const exe = binary();
  if (!existsSync(exe)) throw new Error(`${exe} is missing`);
  const dir = mkdtempSync(join(tmpdir(), 'stagegate-board-'));
  mkdirSync(join(dir, 'playbooks'));
  copyFileSync(join(root, 'playbooks', 'b2b-sales.yaml'), join(dir, 'playbooks', 'b2b-sales.yaml'));
  const run = (args, token) => {
    const env = { ...process.env };
    delete env.STAGEGATE_TOKEN;
    if (token) env.STAGEGATE_TOKEN = token;
    const done = spawnSync(exe, [...args, '--db', 'deals.sqlite3'], { cwd: dir, env, encoding: 'utf8' });
    if (done.status !== 0) throw new Error(`stagegate-server ${args.join(' ')}: ${done.stderr}`);
    return done.stdout.trim();
  };
  const tokens = {};
  tokens.ada = run(['add-user', 'ada', '--role', 'admin', '--role', 'manager']);
  tokens.mia = run(['add-user', 'mia', '--role', 'manager'], tokens.ada);
  tokens.rex = run(['add-user', 'rex', '--role', 'rep'], tokens.ada);
  tokens.han = run(['add-user', 'han', '--role', 'finance'], tokens.ada);
  const child = spawn(exe, ['--playbooks', 'playbooks', '--db', 'deals.sqlite3', '--addr', '127.0.0.1:0', '--web', join(root, 'web', 'dist')], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the service exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', resolve);
  });
  const address = /http:\/\/(\S+)/.exec(line)?.[1];
  if (!address) throw new Error(`no address in ${line}`);
  const base = `http://${address}/`;
  /** One call to the API as `user`: {status, body}. */
  const call = async (user, method, path, body) => {
    const response = await fetch(new URL(path, base), {
      method,
      headers: { Authorization: `Bearer ${tokens[user]}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  return {
    base,
    dir,
    token: (user) => tokens[user],
    /** Revokes `user`: their token stops working. */
    revoke: (user) => run(['revoke-user', user], tokens.ada),
    call,
    stop: () => {
      child.removeAllListeners('exit');
      child.kill();
    },
  };
}
