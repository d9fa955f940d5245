// Process helpers for the E2E harness and `npm start`: stop a whole process tree by PID
// (code-server's children outlive a plain kill of the parent) and wait for HTTP readiness.
import fs from 'node:fs';

/** PIDs of all descendants of `rootPid`, found by walking /proc (Linux only). */
export function descendantPids(rootPid) {
  const children = new Map();
  let entries = [];
  try { entries = fs.readdirSync('/proc'); } catch { return []; }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try { stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8'); } catch { continue; }
    // field 4 (ppid) follows the ")" that closes the command name, which may contain spaces
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(name));
  }
  const out = [];
  const todo = [rootPid];
  while (todo.length) {
    const pid = todo.pop();
    for (const c of children.get(pid) ?? []) { out.push(c); todo.push(c); }
  }
  return out;
}

const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };

/** SIGTERM the process and every descendant, then SIGKILL whatever is left after `graceMs`. */
export async function killTree(pid, graceMs = 8000) {
  if (!pid) return;
  const pids = [pid, ...descendantPids(pid)];
  for (const p of pids) { try { process.kill(p, 'SIGTERM'); } catch {} }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && pids.some(alive)) await sleep(150);
  // children may have forked meanwhile: collect again before the hard kill
  for (const p of new Set([...pids, ...pids.flatMap(descendantPids)])) {
    if (alive(p)) { try { process.kill(p, 'SIGKILL'); } catch {} }
  }
}

/** Synchronous best-effort variant for 'exit' handlers (no waiting). */
export function killTreeSync(pid) {
  if (!pid) return;
  for (const p of [...descendantPids(pid).reverse(), pid]) { try { process.kill(p, 'SIGKILL'); } catch {} }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Poll `url` until it answers 2xx; returns the body. */
export async function waitForHttp(url, timeoutMs, isDead = () => false) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url);
      if (res.ok) return await res.text();
    } catch {}
    if (isDead()) throw new Error(`process exited before ${url} answered`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${url}`);
    await sleep(250);
  }
}
