/**
 * `tradescope countries <code|name>`: one area in every code scheme (ISO 3166, M49, Comtrade, BACI, Eurostat), its English and
 * Chinese names, and the groups it belongs to.
 */
import type { Command } from 'commander';
import { type GroupOptions, groupsOf } from '../../classify/groups.js';
import {
  type Area,
  type AreaScheme,
  areaAliases,
  areaByCode,
  areaCodeIn,
  normaliseName,
  resolveArea,
  suggestArea,
} from '../../model/areas.js';
import { UserError } from '../../util/errors.js';
import { common, type Run } from '../common.js';
import { printJson } from '../format.js';
import { today } from './groups.js';

export interface CountriesCommandOptions {
  at?: string;
  json?: boolean;
  groups?: string;
}

const SCHEMES: readonly AreaScheme[] = ['iso2', 'iso3', 'iso-numeric', 'm49', 'comtrade', 'baci', 'eurostat'];

/** What an input means in each scheme where it is an alias (842: comtrade and baci → USA). */
function readings(input: string): { scheme: AreaScheme | 'code'; code: string }[] {
  const s = input.trim();
  const out: { scheme: AreaScheme | 'code'; code: string }[] = [];
  const direct = /^[A-Za-z0-9_]{1,30}$/.test(s) && !/^\d+$/.test(s) ? areaByCode(s) : undefined;
  if (direct) out.push({ scheme: 'code', code: direct.code });
  for (const scheme of [...SCHEMES, 'name'] as AreaScheme[]) {
    const code = areaCodeIn(scheme, s);
    if (code) out.push({ scheme, code });
  }
  return out;
}

/** Everything known about one area, as printed by `tradescope countries`. */
export interface CountryReport {
  input: string;
  code: string;
  kind: Area['kind'];
  nameEn: string;
  nameZh: string | null;
  iso2: string | null;
  iso3: string | null;
  isoNumeric: number | null;
  m49: number | null;
  /** The area's main Comtrade code, and every Comtrade code (numeric and alpha) that maps to it. */
  comtrade: number | null;
  codes: Record<Exclude<AreaScheme, 'name'>, string[]>;
  names: string[];
  validFrom: string | null;
  validTo: string | null;
  /** How the input was read, and what it means in other schemes when that differs. */
  readAs: { scheme: string; code: string }[];
  groupsAt: string;
  groups: { id: string; nameEn: string; nameZh: string; kind: string }[];
}

/**
 * Describes one area; an unknown input is a {@link UserError} with the nearest codes and names.
 * @example countryReport('842').code // 'USA'
 */
export function countryReport(input: string, at: string = today(), options: GroupOptions = {}): CountryReport {
  const area = resolveArea(input);
  if (!area) {
    const near = suggestArea(input, 5);
    throw new UserError(
      `unknown country or area: ${input}${near.length ? ` (did you mean ${near.map((s) => `${s.input} = ${s.area.code} ${s.area.nameEn}`).join(', ')}?)` : ''}`,
      near.map((s) => ({
        code: 'suggestion',
        severity: 'info' as const,
        message: `${s.input} (${s.scheme}) = ${s.area.code} ${s.area.nameEn}${s.area.nameZh ? ` ${s.area.nameZh}` : ''}`,
      })),
    );
  }
  const codes = Object.fromEntries(SCHEMES.map((s) => [s, [] as string[]])) as CountryReport['codes'];
  const names: string[] = [];
  for (const a of areaAliases()) {
    if (a.code !== area.code) continue;
    if (a.scheme === 'name') names.push(a.alias);
    else codes[a.scheme].push(a.alias);
  }
  for (const list of Object.values(codes))
    list.sort((x, y) => {
      const nx = /^\d+$/.test(x);
      const ny = /^\d+$/.test(y);
      return nx && ny ? Number(x) - Number(y) : nx !== ny ? (nx ? -1 : 1) : x.localeCompare(y);
    });
  const shown = new Set([normaliseName(area.nameEn), normaliseName(area.nameZh ?? '')]);
  return {
    input,
    code: area.code,
    kind: area.kind,
    nameEn: area.nameEn,
    nameZh: area.nameZh ?? null,
    iso2: area.iso2 ?? null,
    iso3: area.iso3 ?? null,
    isoNumeric: area.isoNumeric ?? null,
    m49: area.m49 ?? null,
    comtrade: area.comtrade ?? null,
    codes,
    names: names.filter((n) => !shown.has(n)),
    validFrom: area.validFrom ?? null,
    validTo: area.validTo ?? null,
    readAs: readings(input),
    groupsAt: at,
    groups: groupsOf(area.code, at, options).map((g) => ({
      id: g.id,
      nameEn: g.names.en,
      nameZh: g.names.zh,
      kind: g.kind,
    })),
  };
}

/**
 * Runs `tradescope countries`; returns the exit code.
 * @example await countriesCommand('USA', {}) // prints USA, 美国, ISO US/USA/840, Comtrade 842 …
 */
export async function countriesCommand(input: string, o: CountriesCommandOptions): Promise<number> {
  const at = o.at ?? today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(at) || Number.isNaN(Date.parse(at)))
    throw new UserError(`--at: invalid date: ${at} (expected YYYY-MM-DD)`);
  const r = countryReport(input, at, o.groups ? { dir: o.groups } : {});
  if (o.json) {
    printJson(r);
    return 0;
  }
  const list = (xs: string[]) => (xs.length ? xs.join(' ') : '—');
  const other = r.readAs.filter((x) => x.code !== r.code);
  const lines = [
    `${r.code}  ${r.nameEn}${r.nameZh ? ` / ${r.nameZh}` : ''}  (${r.kind})`,
    '',
    `  ISO 3166 alpha-2   ${r.iso2 ?? '—'}`,
    `  ISO 3166 alpha-3   ${r.iso3 ?? '—'}`,
    `  ISO 3166 numeric   ${r.isoNumeric ?? '—'}`,
    `  UN M49             ${list(r.codes.m49)}`,
    `  Comtrade           ${list(r.codes.comtrade)}${r.comtrade !== null && r.codes.comtrade.length > 1 ? `  (main: ${r.comtrade})` : ''}`,
    `  BACI (V202201)     ${list(r.codes.baci)}`,
    `  Eurostat (GEONOM)  ${list(r.codes.eurostat)}`,
  ];
  if (r.validFrom || r.validTo) lines.push(`  valid              ${r.validFrom ?? '…'} .. ${r.validTo ?? '…'}`);
  if (r.names.length)
    lines.push(`  also called        ${r.names.slice(0, 12).join('; ')}${r.names.length > 12 ? ' …' : ''}`);
  const read = r.readAs.filter((x) => x.code === r.code).map((x) => x.scheme);
  lines.push(`  input ${JSON.stringify(r.input)} read as ${read.join(', ') || 'name'}`);
  for (const x of other) {
    const a = areaByCode(x.code);
    lines.push(`  note: in ${x.scheme}, ${r.input} means ${x.code}${a ? ` ${a.nameEn}` : ''}`);
  }
  lines.push(
    '',
    `groups on ${r.groupsAt}: ${r.groups.length ? r.groups.map((g) => `${g.id} (${g.nameEn}, ${g.nameZh})`).join(', ') : '—'}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/**
 * Registers `tradescope countries` on a program.
 * @example registerCountries(program, run) // then: tradescope countries 842
 */
export function registerCountries(program: Command, run: Run): Command {
  return common(
    program
      .command('countries')
      .description('one country or area in every code scheme (ISO, M49, Comtrade, BACI), its names and groups')
      .argument('<code|name>', 'a code in any scheme or a name: 842, 840, US, USA, "South Korea", 美国, 490')
      .option('--at <date>', 'groups it belongs to on this day, YYYY-MM-DD (default today)')
      .option('--groups <dir>', 'also read the group files of this directory (default $TRADESCOPE_GROUPS)')
      .addHelpText(
        'after',
        '\nExamples:\n  tradescope countries 842\n  tradescope countries USA --json\n  tradescope countries "Czech Republic"\n',
      ),
  ).action((input: string, o: CountriesCommandOptions) => run(countriesCommand(input, o)));
}
