/**
 * 7z archives (Eurostat's Comext bulk files) through a kept tool: Debian's `p7zip-full` (`7z`, or `7za`), found on
 * the PATH or named by `$TRADESCOPE_7Z`. A member is streamed from the tool's standard output, so a 500 MB `.dat`
 * never sits in memory; the tool's exit status is checked when the stream ends (a truncated or corrupt archive
 * is an error, not a short file).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { UserError } from '../util/errors.js';

/** One file inside an archive, as `7z l -slt` lists it. */
export interface ArchiveEntry {
  path: string;
  /** Uncompressed size in bytes (0 when the listing does not say). */
  size: number;
}

let found: string | undefined;

/**
 * The 7z executable to run: `$TRADESCOPE_7Z`, else `7z` or `7za` on the PATH.
 * @example sevenZip() // '7z'
 */
export function sevenZip(): string {
  if (found) return found;
  const candidates = [process.env.TRADESCOPE_7Z, '7z', '7za'].filter((c): c is string => !!c);
  for (const c of candidates) {
    const r = spawnSync(c, ['i'], { stdio: 'ignore' });
    if (!r.error && r.status === 0) {
      found = c;
      return c;
    }
  }
  throw new UserError(
    'reading a .7z archive needs the 7z tool: install it (Debian/Ubuntu: apt-get install p7zip-full) or set TRADESCOPE_7Z to its path',
  );
}

/**
 * Lists the files of an archive.
 * @example listArchive('full_v2_202511.7z') // [{ path: 'full_v2_202511.dat', size: 512000000 }]
 */
export function listArchive(archive: string): ArchiveEntry[] {
  const r = spawnSync(sevenZip(), ['l', '-slt', '-ba', '--', archive], { encoding: 'utf8', maxBuffer: 16 << 20 });
  if (r.status !== 0)
    throw new UserError(`cannot read the archive ${archive}: ${(r.stderr || r.stdout || '').trim().split('\n').pop()}`);
  const entries: ArchiveEntry[] = [];
  let cur: Partial<ArchiveEntry> & { folder?: boolean } = {};
  const flush = () => {
    if (cur.path !== undefined && !cur.folder) entries.push({ path: cur.path, size: cur.size ?? 0 });
    cur = {};
  };
  for (const line of r.stdout.split('\n')) {
    const m = /^(\w[\w ]*?) = (.*)$/.exec(line.trim());
    if (!m) {
      if (line.trim() === '') flush();
      continue;
    }
    if (m[1] === 'Path') {
      flush();
      cur.path = m[2]!;
    } else if (m[1] === 'Size') cur.size = Number(m[2]) || 0;
    else if (m[1] === 'Folder' && m[2] === '+') cur.folder = true;
    else if (m[1] === 'Attributes' && m[2]!.startsWith('D')) cur.folder = true;
  }
  flush();
  return entries;
}

/**
 * Streams one member of an archive (decompressed), in chunks; throws when the tool fails.
 * @example for await (const chunk of archiveMember('full_v2_202511.7z', 'full_v2_202511.dat')) …
 */
export async function* archiveMember(archive: string, member: string): AsyncGenerator<Buffer> {
  const child: ChildProcess = spawn(sevenZip(), ['e', '-so', '-bd', '--', archive, member], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < 4000) stderr += d.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
  let completed = false;
  try {
    for await (const chunk of child.stdout! as AsyncIterable<Buffer>) yield chunk;
    completed = true;
  } finally {
    // a reader that stops early (an error downstream) must not leave the tool running
    if (!completed && child.exitCode === null) child.kill();
  }
  const code = await exited;
  if (code !== 0)
    throw new UserError(
      `cannot decompress ${member} from ${archive} (7z exit ${code}): ${stderr.trim().split('\n').filter(Boolean).pop() ?? ''}`,
    );
}
