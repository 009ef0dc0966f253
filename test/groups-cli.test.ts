/**
 * `tradescope groups` and `tradescope countries`, run through a commander program built here with the two command
 * modules registered (as src/cli/main.ts does), with stdout captured; a UserError maps to exit code 2 as in main.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { registerCountries } from '../src/cli/commands/countries.js';
import { registerGroups } from '../src/cli/commands/groups.js';
import { formatProblem, UserError } from '../src/util/errors.js';

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(...args: string[]): Promise<Result> {
  let pending: Promise<number> | undefined;
  const program = new Command('tradescope').exitOverride();
  registerGroups(program, (p) => {
    pending = p;
  });
  registerCountries(program, (p) => {
    pending = p;
  });
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(args, { from: 'user' });
    return { code: pending ? await pending : 0, stdout, stderr: '' };
  } catch (e) {
    if (e instanceof CommanderError) return { code: e.exitCode === 0 ? 0 : 2, stdout, stderr: e.message };
    if (e instanceof UserError)
      return { code: 2, stdout, stderr: [e.message, ...e.problems.map(formatProblem)].join('\n') };
    throw e;
  } finally {
    spy.mockRestore();
  }
}

const json = (r: Result) => JSON.parse(r.stdout);

describe('tradescope groups', () => {
  it('lists the groups with names, members today, kind and source', async () => {
    const r = await cli('groups');
    expect(r.code).toBe(0);
    for (const id of ['EU', 'EU27_2020', 'EU28', 'ASEAN', 'BRICS', 'RCEP', 'G7', 'G20', 'OECD', 'EMU'])
      expect(r.stdout).toMatch(new RegExp(`^${id}\\s`, 'm'));
    expect(r.stdout).toContain('东盟');
    expect(r.stdout).toContain('membership-history');
    expect(r.stdout).toContain('M49 regions');
    const all = json(await cli('groups', '--json'));
    expect(all.groups.find((g: { id: string }) => g.id === 'M49_142')).toBeTruthy();
  });

  it('EU: 28 members on 2019-12-31 and 27 on 2020-02-01, with English and Chinese names and dates', async () => {
    const before = await cli('groups', 'EU', '--at', '2019-12-31');
    expect(before.code).toBe(0);
    expect(before.stdout).toContain('28 members on 2019-12-31');
    expect(before.stdout).toMatch(/GBR\s+United Kingdom.*英国\s+1973-01-01\s+2020-01-31/);
    expect(before.stdout).toContain('europa.eu');
    const after = json(await cli('groups', 'EU', '--at', '2020-02-01', '--json'));
    expect(after.members).toHaveLength(27);
    expect(after.members.find((m: { code: string }) => m.code === 'HRV')).toMatchObject({
      nameEn: 'Croatia',
      nameZh: '克罗地亚',
      from: '2013-07-01',
    });
    expect(json(await cli('groups', '欧盟', '--at', '2019-12-31', '--json')).members).toHaveLength(28);
  });

  it('ASEAN: 10 members on 2025-10-25 and 11 on 2025-10-27', async () => {
    expect(json(await cli('groups', 'ASEAN', '--at', '2025-10-25', '--json')).members).toHaveLength(10);
    expect(json(await cli('groups', '东盟', '--at', '2025-10-27', '--json')).members).toHaveLength(11);
  });

  it('BRICS shows Saudi Arabia as invited, not a member', async () => {
    const r = await cli('groups', 'BRICS', '--at', '2025-06-30');
    expect(r.stdout).toContain('10 members on 2025-06-30');
    expect(r.stdout).toMatch(/not members[\s\S]*SAU\s+Saudi Arabia\s+沙特阿拉伯\s+invited/);
  });

  it('unknown group and bad date: exit 2 with a clear message', async () => {
    const r = await cli('groups', 'ASEN');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown group: ASEN \(did you mean ASEAN/);
    const d = await cli('groups', 'EU', '--at', '2019-13-01');
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/invalid date: 2019-13-01/);
  });

  describe('user group files', () => {
    let dir: string | undefined;
    afterEach(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    });

    it('are validated: a malformed file gives exit 2 naming file, key and value', async () => {
      dir = mkdtempSync(join(tmpdir(), 'groups-cli-'));
      writeFileSync(
        join(dir, 'MINE.yaml'),
        'id: MINE\nnames: { en: Mine, zh: 我的 }\nkind: membership-history\nsources: [{ title: me }]\nmembers:\n  - { code: FRA, from: "2001-01-01" }\n  - { code: FRA, from: "2005-01-01" }\n  - { code: USAA }\n',
      );
      const r = await cli('groups', 'MINE', '--groups', dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('invalid group files: 2 problems');
      expect(r.stderr).toMatch(/MINE\.yaml field members\[1\]: FRA is listed twice with overlapping dates/);
      expect(r.stderr).toMatch(/MINE\.yaml field members\[2\]\.code: unknown area code: USAA.*\(value: "USAA"\)/);
    });
  });
});

describe('tradescope countries', () => {
  it('842 and USA name the same country, in English and Chinese', async () => {
    const a = json(await cli('countries', '842', '--json'));
    const b = json(await cli('countries', 'USA', '--json'));
    expect(a.code).toBe('USA');
    expect(b.code).toBe('USA');
    expect(a.nameEn).toBe(b.nameEn);
    expect(a.nameZh).toBe('美国');
    expect(b.nameZh).toBe('美国');
    expect(a).toMatchObject({ iso2: 'US', iso3: 'USA', isoNumeric: 840, m49: 840, comtrade: 842 });
    expect(a.codes.comtrade).toEqual(expect.arrayContaining(['840', '842']));
    expect(a.codes.baci).toEqual(['842']);
    expect(a.readAs).toEqual(expect.arrayContaining([{ scheme: 'comtrade', code: 'USA' }]));
    const text = await cli('countries', '842');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^USA\s+United States of America \/ 美国/);
    expect(text.stdout).toMatch(/Comtrade\s+840 842 USA/);
  });

  it('informal names resolve', async () => {
    for (const [q, code] of [
      ['South Korea', 'KOR'],
      ['UAE', 'ARE'],
      ['Czech Republic', 'CZE'],
      ['美国', 'USA'],
    ] as const)
      expect(json(await cli('countries', q, '--json')).code, q).toBe(code);
  });

  it("Comtrade's special areas have Chinese names", async () => {
    for (const [q, code] of [
      ['490', 'S19'],
      ['837', 'X1'],
      ['838', 'X2'],
      ['839', 'XX'],
      ['899', '_X'],
      ['0', 'WLD'],
      ['97', 'EUU'],
    ] as const) {
      const r = json(await cli('countries', q, '--json'));
      expect(r.code, q).toBe(code);
      expect(r.nameZh, q).toMatch(/\p{Script=Han}/u);
    }
  });

  it('lists the groups of an area on a date', async () => {
    const r = json(await cli('countries', 'TLS', '--at', '2025-10-27', '--json'));
    expect(r.groups.map((g: { id: string }) => g.id)).toContain('ASEAN');
    const gbr = json(await cli('countries', 'GBR', '--at', '2020-02-01', '--json'));
    expect(gbr.groups.map((g: { id: string }) => g.id)).not.toContain('EU');
  });

  it('unknown codes: exit 2 with the nearest suggestions', async () => {
    const r = await cli('countries', '8420');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown country or area: 8420 \(did you mean 842 = USA/);
    const n = await cli('countries', 'Sout Korea');
    expect(n.code).toBe(2);
    expect(n.stderr).toContain('KOR');
  });
});
