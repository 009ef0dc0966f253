import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { areaByCode } from '../model/areas.js';
import { formatProblem, type Problem, UserError } from '../util/errors.js';
import { dataPath } from '../util/paths.js';
import {
  associatesAt,
  fixedComposition,
  groupById,
  groups,
  groupsOf,
  loadGroupFiles,
  membersAt,
  membership,
  membershipIntervals,
  membersInPeriod,
  parseGroupFile,
} from './groups.js';

const codesAt = (id: string, date: string) => membersAt(id, date).map((m) => m.code);

describe('bundled groups', () => {
  it('load without problems', () => {
    const { problems } = loadGroupFiles(dataPath('groups'));
    expect(problems.map(formatProblem)).toEqual([]);
    expect(groups().map((g) => g.id)).toEqual(
      expect.arrayContaining([
        'EU',
        'EU27_2020',
        'EU28',
        'ASEAN',
        'BRICS',
        'RCEP',
        'G7',
        'G20',
        'OECD',
        'EMU',
        'M49_142',
      ]),
    );
  });

  it('every member and associate code is a canonical area, and every group has a source', () => {
    for (const g of groups()) {
      expect(g.sources.length, g.id).toBeGreaterThan(0);
      expect(g.names.zh, g.id).toBeTruthy();
      if (g.areaCode) expect(areaByCode(g.areaCode)?.kind, g.id).toBe('group');
      for (const m of [...g.members, ...g.associates])
        expect(areaByCode(m.code)?.code, `${g.id} ${m.code}`).toBe(m.code);
    }
  });

  it('EU: 28 members on 2019-12-31, 27 on 2020-02-01; Croatia from 2013-07-01', () => {
    expect(membersAt('EU', '2019-12-31')).toHaveLength(28);
    expect(membersAt('EU', '2020-01-31')).toHaveLength(28);
    expect(membersAt('EU', '2020-02-01')).toHaveLength(27);
    expect(codesAt('EU', '2020-02-01')).not.toContain('GBR');
    expect(codesAt('EU', '2013-06-30')).not.toContain('HRV');
    expect(codesAt('EU', '2013-07-01')).toContain('HRV');
    expect(membersAt('EU', '1958-01-01')).toHaveLength(6);
    expect(membersAt('EU', '1995-01-01')).toHaveLength(15);
    expect(membersAt('EU', '2004-05-01')).toHaveLength(25);
  });

  it('fixed compositions equal the EU on their dates', () => {
    expect(fixedComposition('EU27_2020').sort()).toEqual(codesAt('EU', '2020-02-01').sort());
    expect(fixedComposition('EU28').sort()).toEqual(codesAt('EU', '2019-12-31').sort());
    expect(membersAt('EU27_2020', '2010-01-01')).toHaveLength(27);
    expect(() => fixedComposition('EU')).toThrow(/membership history/);
    expect(fixedComposition('EU', '2019-12-31')).toHaveLength(28);
  });

  it('ASEAN: 10 members on 2025-10-25, 11 (Timor-Leste) on 2025-10-27', () => {
    expect(membersAt('ASEAN', '2025-10-25')).toHaveLength(10);
    expect(membersAt('ASEAN', '2025-10-27')).toHaveLength(11);
    expect(codesAt('ASEAN', '2025-10-26')).toContain('TLS');
  });

  it('BRICS: 5, then 9 from 2024-01-01, then 10 from 2025-01-06; Saudi Arabia invited, not a member', () => {
    expect(membersAt('BRICS', '2023-12-31')).toHaveLength(5);
    expect(membersAt('BRICS', '2024-01-01')).toHaveLength(9);
    expect(membersAt('BRICS', '2025-01-05')).toHaveLength(9);
    expect(membersAt('BRICS', '2025-01-06')).toHaveLength(10);
    expect(codesAt('BRICS', '2025-06-30')).not.toContain('SAU');
    expect(associatesAt('BRICS', '2025-06-30').find((a) => a.code === 'SAU')?.status).toBe('invited');
  });

  it('RCEP: entry into force per member; Myanmar not counted', () => {
    expect(membersAt('RCEP', '2022-01-01')).toHaveLength(10);
    expect(membersAt('RCEP', '2022-02-01')).toHaveLength(11);
    expect(membersAt('RCEP', '2023-06-02')).toHaveLength(14);
    expect(codesAt('RCEP', '2025-01-01')).not.toContain('MMR');
  });

  it('G20 includes the EU throughout and the African Union from 2023-09-09', () => {
    expect(codesAt('G20', '2023-09-08')).toContain('EUU');
    expect(codesAt('G20', '2023-09-08')).not.toContain('AU_');
    expect(codesAt('G20', '2023-09-09')).toContain('AU_');
    expect(membersAt('G20', '2023-09-08')).toHaveLength(20);
    expect(membersAt('G20', '2023-09-09')).toHaveLength(21);
    expect(areaByCode('AU_')?.nameZh).toBe('非洲联盟');
  });

  it('G7 has 7 members, OECD 38 (Costa Rica from 2021-05-25), the euro area 20 in 2025 and 21 in 2026', () => {
    expect(membersAt('G7', '2025-01-01')).toHaveLength(7);
    expect(membersAt('OECD', '2025-01-01')).toHaveLength(38);
    expect(codesAt('OECD', '2021-05-24')).not.toContain('CRI');
    expect(membersAt('EMU', '2025-12-31')).toHaveLength(20);
    expect(membersAt('EMU', '2026-01-01')).toHaveLength(21);
  });

  it('finds groups by id, area code, M49 code and name in English or Chinese', () => {
    for (const [q, id] of [
      ['EU', 'EU'],
      ['eu', 'EU'],
      ['EUU', 'EU'],
      ['欧盟', 'EU'],
      ['European Union', 'EU'],
      ['ASEAN', 'ASEAN'],
      ['东盟', 'ASEAN'],
      ['EU27_2020', 'EU27_2020'],
      ['金砖国家', 'BRICS'],
      ['142', 'M49_142'],
      ['Eastern Asia', 'M49_030'],
      ['东亚', 'M49_030'],
    ] as const)
      expect(groupById(q)?.id, q).toBe(id);
    expect(groupById('Atlantis')).toBeUndefined();
  });

  it('membership per month: valid in each period by default, or a fixed composition on request', () => {
    expect(membersInPeriod('EU', '2019-12', '2020-03').map((m) => m.members.length)).toEqual([28, 28, 27, 27]);
    expect(membersInPeriod('EU', '2019-12', '2020-03', { fixed: 'EU27_2020' }).map((m) => m.members.length)).toEqual([
      27, 27, 27, 27,
    ]);
    expect(membersInPeriod('EU', '2012-01', '2012-02', { fixed: '2020-02-01' })[0]!.members).toHaveLength(27);
    // Timor-Leste joined on the 26th: a member at the end of October
    expect(membersInPeriod('ASEAN', '2025-09', '2025-11').map((m) => m.members.length)).toEqual([10, 11, 11]);
    expect(membersInPeriod('ASEAN', '2025-10', '2025-10', { rule: 'start' })[0]!.members).toHaveLength(10);
    expect(() => membersInPeriod('EU', '2020-13', '2021-01')).toThrow(/invalid month: 2020-13/);
  });

  it('month intervals for the store: the UK counts through January 2020', () => {
    const iv = membershipIntervals('EU', 201901, 202012);
    expect(iv.find((m) => m.partner === 'GBR')).toEqual({ partner: 'GBR', start: 201901, end: 202001 });
    expect(iv.find((m) => m.partner === 'HRV')).toEqual({ partner: 'HRV', start: 201901, end: 202012 });
    expect(membershipIntervals('EU27_2020', 201901, 201912)).toHaveLength(27);
    expect(membership('EU').find((m) => m.code === 'GBR')?.intervals).toHaveLength(1);
  });

  it('lists the groups of an area', () => {
    expect(groupsOf('TLS', '2025-10-27').map((g) => g.id)).toContain('ASEAN');
    expect(groupsOf('TLS', '2025-10-25').map((g) => g.id)).not.toContain('ASEAN');
    expect(groupsOf('GBR', '2020-02-01').map((g) => g.id)).not.toContain('EU');
  });
});

describe('malformed group files', () => {
  const base = (members: string, extra = '') => `id: T
names: { en: Test, zh: 测试 }
kind: membership-history
sources: [{ title: test }]
${extra}members:
${members}
`;
  const problemsOf = (text: string, file = '/x/T.yaml') => parseGroupFile(text, file).problems;
  const one = (ps: Problem[]) => {
    expect(ps).toHaveLength(1);
    return formatProblem(ps[0]!);
  };

  it('unknown member code: names file, key and value, with suggestions', () => {
    const p = problemsOf(base('  - { code: DEU }\n  - { code: GERM }'));
    expect(p[0]).toMatchObject({
      code: 'unknown-member',
      at: { file: '/x/T.yaml', field: 'members[1].code' },
      value: 'GERM',
    });
    expect(one(p)).toMatch(/\/x\/T\.yaml field members\[1\]\.code: unknown area code: GERM/);
  });

  it('a code in another scheme is not canonical: says which to use', () => {
    expect(one(problemsOf(base('  - { code: "842" }')))).toMatch(/not a canonical area code: 842 \(did you mean USA/);
    expect(one(problemsOf(base('  - { code: Germany }')))).toMatch(/did you mean DEU/);
  });

  it('overlapping intervals for the same member', () => {
    const p = problemsOf(
      base('  - { code: FRA, from: "2000-01-01", to: "2010-12-31" }\n  - { code: FRA, from: "2010-06-01" }'),
    );
    expect(p[0]).toMatchObject({ code: 'overlapping-membership', at: { field: 'members[1]' }, value: 'FRA' });
    expect(one(p)).toMatch(/FRA is listed twice with overlapping dates/);
    expect(problemsOf(base('  - { code: FRA, to: "2000-12-31" }\n  - { code: FRA, from: "2001-01-01" }'))).toEqual([]);
  });

  it('from after to, and dates that are not dates', () => {
    expect(one(problemsOf(base('  - { code: FRA, from: "2010-01-01", to: "2009-12-31" }')))).toMatch(
      /field members\[0\]\.to: FRA: from 2010-01-01 is after to 2009-12-31/,
    );
    const bad = problemsOf(base('  - { code: FRA, from: "2010-02-30" }'));
    expect(bad[0]).toMatchObject({ code: 'bad-field', at: { field: 'members[0].from' }, value: '2010-02-30' });
    expect(one(problemsOf(base('  - { code: FRA, from: 2010 }')))).toMatch(/members\[0\]\.from: expected a date/);
  });

  it('unknown keys, missing fields, wrong kind, bad YAML, id not matching the file name', () => {
    expect(one(problemsOf(base('  - { code: FRA, form: "2010-01-01" }')))).toMatch(
      /members\[0\]\.form: unknown key: form/,
    );
    expect(problemsOf('id: T\nkind: fixed\nmembers: [{ code: FRA }]\n').map((p) => p.at?.field)).toEqual(
      expect.arrayContaining(['names', 'sources']),
    );
    expect(problemsOf(base('  - { code: FRA }').replace('membership-history', 'sometimes'))[0]?.at?.field).toBe('kind');
    expect(one(problemsOf('id: [unclosed'))).toMatch(/not valid YAML/);
    expect(one(problemsOf(base('  - { code: FRA }'), '/x/Other.yaml'))).toMatch(/the id must match the file name/);
    expect(
      one(problemsOf(base('  - { code: FRA, from: "2000-01-01" }').replace('membership-history', 'fixed'))),
    ).toMatch(/a fixed group has the same members in every period/);
  });

  describe('user directories', () => {
    let dir: string | undefined;
    afterEach(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    });

    it('are read and validated like the bundled files; duplicate ids are errors', () => {
      dir = mkdtempSync(join(tmpdir(), 'groups-'));
      writeFileSync(
        join(dir, 'CHIP4.yaml'),
        base('  - { code: USA }\n  - { code: KOR }\n  - { code: JPN }\n  - { code: TWN }').replace(
          'id: T',
          'id: CHIP4',
        ),
      );
      expect(membersAt('CHIP4', '2024-01-01', { dir })).toHaveLength(4);
      expect(groupById('CHIP4', { dir })?.origin).toBe('user');
      expect(groupById('CHIP4')).toBeUndefined();

      writeFileSync(join(dir, 'EU.yaml'), base('  - { code: FRA }').replace('id: T', 'id: EU'));
      writeFileSync(join(dir, 'BAD.yaml'), base('  - { code: XYZ1 }').replace('id: T', 'id: BAD'));
      const { problems } = loadGroupFiles(dataPath('groups'), [dir]);
      expect(problems.map((p) => p.code).sort()).toEqual(['duplicate-group', 'unknown-member']);
      let err: unknown;
      try {
        groups({ dir: [dir] });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).message).toBe('invalid group files: 2 problems');
      expect((err as UserError).problems.map(formatProblem).join('\n')).toMatch(
        /EU\.yaml field id: duplicate group id: EU/,
      );
    });
  });
});
