/**
 * `tradescope groups [id] [--at <date>]`: the partner groups, or one group's members on a day with their dates.
 */
import type { Command } from 'commander';
import { associatesAt, type Group, type GroupOptions, groups, membersAt, requireGroup } from '../../classify/groups.js';
import { areaByCode } from '../../model/areas.js';
import { UserError } from '../../util/errors.js';
import { common, type Run } from '../common.js';
import { printJson, textTable } from '../format.js';

export interface GroupsCommandOptions {
  at?: string;
  json?: boolean;
  /** Directory of user group files (also `$TRADESCOPE_GROUPS`). */
  groups?: string;
  /** List the M49 regions too. */
  all?: boolean;
}

/** Today as `YYYY-MM-DD` (UTC). */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

function sourceLabel(g: Group): string {
  const s = g.sources[0];
  if (!s) return '';
  return s.publisher ?? s.title;
}

function describeGroup(g: Group, at: string, options: GroupOptions) {
  return {
    id: g.id,
    areaCode: g.areaCode ?? null,
    m49: g.m49 ?? null,
    nameEn: g.names.en,
    nameZh: g.names.zh,
    kind: g.kind,
    category: g.category ?? null,
    parent: g.parent ?? null,
    membersAt: at,
    memberCount: membersAt(g.id, at, options).length,
    sources: g.sources,
    file: g.file,
    origin: g.origin,
  };
}

/**
 * Runs `tradescope groups`; returns the exit code.
 * @example await groupsCommand('EU', { at: '2019-12-31' }) // prints the 28 members, returns 0
 */
export async function groupsCommand(id: string | undefined, o: GroupsCommandOptions): Promise<number> {
  const at = o.at ?? today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(at) || Number.isNaN(Date.parse(at)))
    throw new UserError(`--at: invalid date: ${at} (expected YYYY-MM-DD)`);
  const options: GroupOptions = o.groups ? { dir: o.groups } : {};
  if (id === undefined) {
    const list = groups(options).filter((g) => o.all || o.json || g.category !== 'region');
    if (o.json) {
      printJson({ at, groups: list.map((g) => describeGroup(g, at, options)) });
      return 0;
    }
    const rows = list.map((g) => {
      const d = describeGroup(g, at, options);
      return [g.id, g.areaCode ?? '', g.names.en, g.names.zh, d.memberCount, g.kind, sourceLabel(g)];
    });
    process.stdout.write(`${textTable(['id', 'area', 'name', '名称', `members ${at}`, 'kind', 'source'], rows)}\n`);
    if (!o.all) {
      const regions = groups(options).filter((g) => g.category === 'region').length;
      process.stdout.write(`\n+ ${regions} UN M49 regions (M49_002 Africa … M49_419): --all lists them\n`);
    }
    return 0;
  }
  const g = requireGroup(id, options);
  const members = membersAt(g.id, at, options);
  const associates = associatesAt(g.id, at, options);
  const row = (m: { code: string; from?: string; to?: string; note?: string }) => {
    const a = areaByCode(m.code);
    return { code: m.code, nameEn: a?.nameEn ?? '', nameZh: a?.nameZh ?? '', from: m.from, to: m.to, note: m.note };
  };
  if (o.json) {
    printJson({
      ...describeGroup(g, at, options),
      notes: g.notes ?? null,
      members: members.map(row),
      associates: associates.map((a) => ({ ...row(a), status: a.status })),
    });
    return 0;
  }
  const out: string[] = [];
  out.push(`${g.id}  ${g.names.en} / ${g.names.zh}${g.areaCode ? `  (area ${g.areaCode})` : ''}`);
  out.push(
    g.kind === 'fixed'
      ? `fixed composition: ${members.length} members in every period`
      : `${members.length} members on ${at} (membership history; dates inclusive)`,
  );
  out.push('');
  const cells = members.map((m) => {
    const r = row(m);
    return [r.code, r.nameEn, r.nameZh, r.from ?? '', r.to ?? '', r.note ?? ''];
  });
  out.push(textTable(['code', 'name', '名称', 'from', 'to', 'note'], cells));
  if (associates.length) {
    out.push('', `not members (${associates.length}):`);
    out.push(
      textTable(
        ['code', 'name', '名称', 'status', 'from', 'to', 'note'],
        associates.map((a) => {
          const r = row(a);
          return [r.code, r.nameEn, r.nameZh, a.status, r.from ?? '', r.to ?? '', r.note ?? ''];
        }),
      ),
    );
  }
  out.push('', 'sources:');
  for (const s of g.sources)
    out.push(`  ${s.title}${s.publisher ? ` — ${s.publisher}` : ''}${s.url ? ` <${s.url}>` : ''}`);
  if (g.notes) out.push('', `notes: ${g.notes}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

/**
 * Registers `tradescope groups` on a program.
 * @example registerGroups(program, run) // then: tradescope groups EU --at 2019-12-31
 */
export function registerGroups(program: Command, run: Run): Command {
  return common(
    program
      .command('groups')
      .description('partner groups (EU, ASEAN, BRICS, RCEP, G7, G20, OECD, euro area, M49 regions) and their members')
      .argument('[id]', 'a group: id, area code or name (EU, EUU, 欧盟, ASEAN, 东盟, M49_142, Asia)')
      .option('--at <date>', 'membership on this day, YYYY-MM-DD (default today)')
      .option('--all', 'list the M49 regions too')
      .option('--groups <dir>', 'also read the group files of this directory (default $TRADESCOPE_GROUPS)')
      .addHelpText(
        'after',
        '\nExamples:\n  tradescope groups\n  tradescope groups EU --at 2019-12-31\n  tradescope groups 东盟 --at 2025-10-27 --json\n',
      ),
  ).action((id: string | undefined, o: GroupsCommandOptions) => run(groupsCommand(id, o)));
}
