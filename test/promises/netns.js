// A second network address for "non-loopback client" tests: a network namespace with one end
// of a veth pair, the other end on this host. Requests made from inside the namespace reach the
// monitoring server (listening on 0.0.0.0) from `clientAddress`, which is not a loopback
// address. Both addresses are in 198.18.0.0/15 (RFC 2544, reserved for such tests) and exist
// only on the veth pair. Needs root (ip netns); cleaned up by close().
import { execFileSync, execFile } from 'node:child_process';

const ip = (...args) => execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });

export function createNetns() {
  if (process.getuid?.() !== 0) throw new Error('these tests need root: they create a network namespace (ip netns add)');
  const tag = String(process.pid);
  const name = `mon-promises-${tag}`;
  const hostIf = `mph${tag}`;
  const nsIf = `mpn${tag}`;
  const net = `198.18.${process.pid % 250}`;
  const hostAddress = `${net}.1`;
  const clientAddress = `${net}.2`;
  ip('netns', 'add', name);
  try {
    ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf);
    ip('link', 'set', nsIf, 'netns', name);
    ip('addr', 'add', `${hostAddress}/30`, 'dev', hostIf);
    ip('link', 'set', hostIf, 'up');
    ip('-n', name, 'addr', 'add', `${clientAddress}/30`, 'dev', nsIf);
    ip('-n', name, 'link', 'set', nsIf, 'up');
    ip('-n', name, 'link', 'set', 'lo', 'up');
  } catch (e) {
    close();
    throw e;
  }
  function close() {
    try {
      ip('link', 'del', hostIf);
    } catch {}
    try {
      ip('netns', 'del', name);
    } catch {}
  }
  return {
    hostAddress,
    clientAddress,
    close,
    /**
     * GET each `{ path, headers?, method? }` of `base` (a URL on hostAddress) from inside the
     * namespace, in order; resolves to `[{ status, headers, body }]` (body parsed as JSON when it is).
     */
    requests(base, list) {
      const script = `
        const [base, list] = JSON.parse(process.argv[1]);
        const out = [];
        for (const r of list) {
          const res = await fetch(base + r.path, { method: r.method ?? 'GET', headers: r.headers ?? {}, signal: AbortSignal.timeout(5000) });
          const text = await res.text();
          let body = text;
          try { body = JSON.parse(text); } catch {}
          out.push({ status: res.status, headers: Object.fromEntries(res.headers), body });
        }
        console.log(JSON.stringify(out));`;
      return new Promise((resolve, reject) => {
        execFile(
          'ip',
          ['netns', 'exec', name, process.execPath, '--input-type=module', '-e', script, JSON.stringify([base, list])],
          { timeout: 20000 },
          (err, stdout, stderr) => {
            if (err) reject(new Error(`request from the namespace failed: ${err.message} ${stderr}`));
            else resolve(JSON.parse(stdout));
          },
        );
      });
    },
  };
}
