/**
 * Run a child process and measure its wall time and peak resident memory.
 *
 * Peak RSS is the largest of: GNU time's "Maximum resident set size" (exact for the wrapped process and the
 * children it waited for) when /usr/bin/time -v works; the largest sum of VmRSS over the whole process tree
 * seen while polling /proc every 25 ms; and the largest VmHWM seen for any single process of the tree.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface Measured {
  exitCode: number | null;
  signal: string | null;
  wallSeconds: number;
  peakRssBytes: number;
  /** How peak RSS was obtained. */
  rssMethod: string;
  stdout: string;
  stderr: string;
}

let gnuTime: boolean | undefined;

/** Whether /usr/bin/time is GNU time with -v. */
export function hasGnuTime(): boolean {
  if (gnuTime === undefined) {
    if (!existsSync('/usr/bin/time')) gnuTime = false;
    else {
      const r = spawnSync('/usr/bin/time', ['-v', 'true'], { encoding: 'utf8' });
      gnuTime = r.status === 0 && /Maximum resident set size/.test(r.stderr);
    }
  }
  return gnuTime;
}

function readStatusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(s);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const txt = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
        if (txt) for (const c of txt.split(/\s+/)) out.push(Number(c));
      } catch {
        return scanChildren(pid);
      }
    }
  } catch {
    /* process gone */
  }
  return out;
}

/** Fallback when /proc/<pid>/task/<tid>/children is not available: scan every process's ppid. */
function scanChildren(pid: number): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(e));
    } catch {
      /* gone */
    }
  }
  return out;
}

function tree(root: number): number[] {
  const all: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const p = stack.pop()!;
    all.push(p);
    stack.push(...childrenOf(p));
  }
  return all;
}

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  pollMs?: number;
  /** Echo the child's stderr as it comes (progress messages). */
  echoStderr?: boolean;
}

export function runMeasured(cmd: string, args: string[], opts: RunOptions = {}): Promise<Measured> {
  const useTime = hasGnuTime();
  const argv = useTime ? ['-v', cmd, ...args] : args;
  const exe = useTime ? '/usr/bin/time' : cmd;
  const t0 = performance.now();
  const child = spawn(exe, argv, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    if (opts.echoStderr) process.stderr.write(d);
  });
  let treePeakKb = 0;
  let hwmPeakKb = 0;
  const wrapper = child.pid;
  const poll = () => {
    if (wrapper === undefined) return;
    let sum = 0;
    for (const p of tree(wrapper)) {
      if (useTime && p === wrapper) continue; // GNU time itself
      sum += readStatusKb(p, 'VmRSS');
      const hwm = readStatusKb(p, 'VmHWM');
      if (hwm > hwmPeakKb) hwmPeakKb = hwm;
    }
    if (sum > treePeakKb) treePeakKb = sum;
  };
  const timer = setInterval(poll, opts.pollMs ?? 25);
  poll();
  return new Promise((resolve, reject) => {
    child.on('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearInterval(timer);
      const wallSeconds = (performance.now() - t0) / 1000;
      let timeKb = 0;
      if (useTime) {
        const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
        if (m) timeKb = Number(m[1]);
        // strip GNU time's report from the child's stderr
        const at = stderr.lastIndexOf('\tCommand being timed:');
        if (at >= 0) stderr = stderr.slice(0, at);
        const ex = /Command exited with non-zero status (\d+)/.exec(stderr);
        if (ex) stderr = stderr.slice(0, ex.index);
      }
      const peakKb = Math.max(timeKb, treePeakKb, hwmPeakKb);
      const rssMethod = useTime ? 'max(GNU time -v, /proc tree poll)' : '/proc tree poll (VmRSS sum, VmHWM)';
      // GNU time exits with the child's status; a signal shows as 128+n
      resolve({
        exitCode: code,
        signal,
        wallSeconds,
        peakRssBytes: peakKb * 1024,
        rssMethod,
        stdout,
        stderr,
      });
    });
  });
}
