/**
 * Partner groups (EU, ASEAN, BRICS, RCEP, G7, G20, OECD, the euro area, M49 regions …) with membership history.
 *
 * Each group is one YAML file in `data/groups/` (bundled) or in a user directory (`$TRADESCOPE_GROUPS`, or the
 * `dir` option), validated the same way: zod for the shape, then the members against the canonical areas of
 * `src/model/areas.ts` and the intervals against each other. Every problem names the file, the key and the value;
 * all problems of all files are collected and reported together in one {@link UserError}.
 *
 * Two kinds of group:
 * - `membership-history`: members with `from`/`to` dates (both inclusive; no `from` = since the beginning, no `to` =
 *   still a member). Aggregating over such a group uses, by default, the membership valid in each period
 *   ({@link membersInPeriod}).
 * - `fixed`: one composition for every period (`EU27_2020`, `EU28`, the M49 regions), for comparisons over time.
 *
 * Members may be group areas themselves (the G20 has `EUU` and `AU_`): never add such a member to its own member
 * countries.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, delimiter, extname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { type Area, areaByCode, normaliseName, resolveArea, suggestArea } from '../model/areas.js';
import { type Problem, type ProblemCode, UserError } from '../util/errors.js';
import { dataPath } from '../util/paths.js';

/** `membership-history`: dated memberships; `fixed`: the same members in every period. */
export type GroupKind = 'membership-history' | 'fixed';

/** What sort of grouping this is (for listing; it changes no rule). */
export type GroupCategory =
  | 'economic-union'
  | 'monetary-union'
  | 'trade-agreement'
  | 'organisation'
  | 'forum'
  | 'region'
  | 'other';

/** The status of a non-member recorded beside a group (BRICS invitees and partners, the EU at the G7 …). */
export type AssociateStatus = 'invited' | 'partner' | 'observer' | 'participant' | 'former-participant' | 'signatory';

/** One membership interval of one area, as written in a group file. Dates are ISO `YYYY-MM-DD`, inclusive. */
export interface GroupMember {
  /** Canonical area code (`DEU`, `EUU`, `AU_`). */
  code: string;
  /** First day of membership; absent = since the group began (or no dates, in a fixed group). */
  from?: string;
  /** Last day of membership (inclusive); absent = still a member. */
  to?: string;
  note?: string;
}

/** A non-member with a status: counted in no aggregate. */
export interface GroupAssociate extends GroupMember {
  status: AssociateStatus;
}

/** Where the facts of a group file come from. */
export interface GroupSource {
  title: string;
  url?: string;
  publisher?: string;
  accessed?: string;
  note?: string;
}

/** A validated group. */
export interface Group {
  id: string;
  /** The canonical area code the group's published totals use (`EUU` for EU), if there is one (`area:` in the file). */
  areaCode?: string;
  /** The group's UN M49 code, for M49 regions. */
  m49?: number;
  names: { en: string; zh: string };
  aliases: readonly string[];
  kind: GroupKind;
  category?: GroupCategory;
  /** The id of the group this one is part of (M49 sub-region → region). */
  parent?: string;
  /** For a fixed group: the history group and date whose membership it freezes (checked on load). */
  derivedFrom?: { group: string; at: string };
  sources: readonly GroupSource[];
  notes?: string;
  members: readonly GroupMember[];
  associates: readonly GroupAssociate[];
  /** The file it was read from (absolute path). */
  file: string;
  origin: 'bundled' | 'user';
}

/** All membership intervals of one area in one group, sorted by start; they never overlap. */
export interface GroupMembership {
  code: string;
  intervals: readonly { from?: string; to?: string; note?: string }[];
}

/** Where to read user group files from, in addition to the bundled ones. */
export interface GroupOptions {
  /** Directories of user group files (default: `$TRADESCOPE_GROUPS`, several separated by the path delimiter). */
  dir?: string | readonly string[];
}

// ---------------------------------------------------------------------------------------------------------------
// File schema
// ---------------------------------------------------------------------------------------------------------------

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})-(\d{2})$/;

function isCalendarDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const isoDate = z
  .string({ error: 'expected a date YYYY-MM-DD' })
  .refine(isCalendarDate, { message: 'not a valid date (expected YYYY-MM-DD)' });

const memberSchema = z.strictObject({
  code: z.string().min(1),
  from: isoDate.optional(),
  to: isoDate.optional(),
  note: z.string().optional(),
});

const associateSchema = z.strictObject({
  ...memberSchema.shape,
  status: z.enum(['invited', 'partner', 'observer', 'participant', 'former-participant', 'signatory']),
});

const fileSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'expected letters, digits and _ (e.g. EU27_2020)'),
  area: z.string().min(1).optional(),
  m49: z.number().int().nonnegative().optional(),
  names: z.strictObject({ en: z.string().min(1), zh: z.string().min(1) }),
  aliases: z.array(z.string().min(1)).default([]),
  kind: z.enum(['membership-history', 'fixed']),
  category: z
    .enum(['economic-union', 'monetary-union', 'trade-agreement', 'organisation', 'forum', 'region', 'other'])
    .optional(),
  parent: z.string().min(1).optional(),
  derivedFrom: z.strictObject({ group: z.string().min(1), at: isoDate }).optional(),
  sources: z
    .array(
      z.strictObject({
        title: z.string().min(1),
        url: z.url().optional(),
        publisher: z.string().optional(),
        accessed: isoDate.optional(),
        note: z.string().optional(),
      }),
    )
    .min(1, 'every group needs at least one source'),
  notes: z.string().optional(),
  members: z.array(memberSchema).min(1, 'a group needs at least one member'),
  associates: z.array(associateSchema).default([]),
});

type GroupFile = z.infer<typeof fileSchema>;

// ---------------------------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------------------------

function fieldOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

function valueAt(doc: unknown, path: readonly PropertyKey[]): string | undefined {
  let v: unknown = doc;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  if (v === undefined) return undefined;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function problem(code: ProblemCode, file: string, field: string | undefined, message: string, value?: string): Problem {
  return { code, severity: 'error', message, at: { file, ...(field ? { field } : {}) }, ...(value ? { value } : {}) };
}

/** `did you mean …` for an area code, or '' when nothing is close. */
function areaHint(code: string): string {
  const resolved = resolveArea(code);
  if (resolved) return ` (did you mean ${resolved.code}, ${resolved.nameEn}?)`;
  const near = suggestArea(code, 3).map((s) => `${s.area.code} ${s.area.nameEn}`);
  return near.length ? ` (did you mean ${near.join(', ')}?)` : '';
}

/** Checks one area code of a group file; returns the area or records a problem. */
function checkCode(code: string, file: string, field: string, problems: Problem[]): Area | undefined {
  const area = areaByCode(code);
  if (area && area.code === code) return area;
  if (area) {
    problems.push(
      problem('non-canonical-code', file, field, `area codes are upper case: ${code} (use ${area.code})`, code),
    );
    return undefined;
  }
  const resolved = resolveArea(code);
  if (resolved) {
    problems.push(
      problem('non-canonical-code', file, field, `not a canonical area code: ${code}${areaHint(code)}`, code),
    );
    return undefined;
  }
  problems.push(problem('unknown-member', file, field, `unknown area code: ${code}${areaHint(code)}`, code));
  return undefined;
}

/** Checks dates and overlaps of a member or associate list. */
function checkIntervals(
  list: readonly GroupMember[],
  key: 'members' | 'associates',
  kind: GroupKind,
  file: string,
  problems: Problem[],
): void {
  const byCode = new Map<string, number[]>();
  list.forEach((m, i) => {
    checkCode(m.code, file, `${key}[${i}].code`, problems);
    if (kind === 'fixed' && key === 'members' && (m.from || m.to))
      problems.push(
        problem(
          'dated-fixed-member',
          file,
          `${key}[${i}].${m.from ? 'from' : 'to'}`,
          `a fixed group has the same members in every period: remove the dates of ${m.code} (or use kind: membership-history)`,
          m.from ?? m.to,
        ),
      );
    if (m.from && m.to && m.from > m.to)
      problems.push(
        problem('bad-interval', file, `${key}[${i}].to`, `${m.code}: from ${m.from} is after to ${m.to}`, m.to),
      );
    const idx = byCode.get(m.code) ?? [];
    idx.push(i);
    byCode.set(m.code, idx);
  });
  for (const [code, idx] of byCode) {
    if (idx.length < 2) continue;
    const sorted = [...idx].sort((a, b) => (list[a]!.from ?? '').localeCompare(list[b]!.from ?? ''));
    for (let k = 1; k < sorted.length; k++) {
      const prev = list[sorted[k - 1]!]!;
      const cur = list[sorted[k]!]!;
      if (prev.to === undefined || cur.from === undefined || prev.to >= cur.from)
        problems.push(
          problem(
            'overlapping-membership',
            file,
            `${key}[${sorted[k]}]`,
            `${code} is listed twice with overlapping dates: ${key}[${sorted[k - 1]}] ${prev.from ?? '…'}..${prev.to ?? '…'} and ${key}[${sorted[k]}] ${cur.from ?? '…'}..${cur.to ?? '…'}`,
            code,
          ),
        );
    }
  }
}

function toGroup(f: GroupFile, file: string, origin: Group['origin']): Group {
  const strip = <T extends object>(o: T): T =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return strip({
    id: f.id,
    areaCode: f.area,
    m49: f.m49,
    names: f.names,
    aliases: Object.freeze([...f.aliases]),
    kind: f.kind,
    category: f.category,
    parent: f.parent,
    derivedFrom: f.derivedFrom,
    sources: Object.freeze(f.sources.map((s) => strip(s))),
    notes: f.notes?.trim(),
    members: Object.freeze(f.members.map((m) => strip(m))),
    associates: Object.freeze(f.associates.map((m) => strip(m))),
    file,
    origin,
  });
}

/**
 * Parses and validates one group file's text. Problems name the file, the key (`members[3].code`) and the value.
 * @example parseGroupFile('id: X\n…', 'X.yaml').problems // []
 */
export function parseGroupFile(
  text: string,
  file: string,
  origin: Group['origin'] = 'user',
): { group?: Group; problems: Problem[] } {
  const problems: Problem[] = [];
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0]!;
    return { problems: [problem('bad-group-file', file, undefined, `not valid YAML: ${msg}`)] };
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    return {
      problems: [problem('bad-group-file', file, undefined, 'expected a mapping with id, names, kind, members …')],
    };
  const parsed = fileSchema.safeParse(doc);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys)
          problems.push(
            problem(
              'unknown-key',
              file,
              fieldOf([...issue.path, k]),
              `unknown key: ${k}`,
              valueAt(doc, [...issue.path, k]),
            ),
          );
        continue;
      }
      const field = fieldOf(issue.path);
      const message = issue.message.charAt(0).toLowerCase() + issue.message.slice(1);
      problems.push(problem('bad-field', file, field, message, valueAt(doc, issue.path)));
    }
    return { problems };
  }
  const f = parsed.data;
  const stem = basename(file, extname(file));
  if (stem !== f.id)
    problems.push(
      problem('id-mismatch', file, 'id', `the id must match the file name: ${f.id} in ${stem}${extname(file)}`, f.id),
    );
  if (f.area) {
    const a = checkCode(f.area, file, 'area', problems);
    if (a && a.kind !== 'group')
      problems.push(
        problem(
          'bad-field',
          file,
          'area',
          `the area of a group must be a group area, not a ${a.kind}: ${f.area}`,
          f.area,
        ),
      );
  }
  checkIntervals(f.members, 'members', f.kind, file, problems);
  checkIntervals(f.associates, 'associates', 'membership-history', file, problems);
  if (f.derivedFrom && f.kind !== 'fixed')
    problems.push(
      problem('bad-field', file, 'derivedFrom', 'only a fixed group can be derived from another', f.derivedFrom.group),
    );
  return problems.length ? { problems } : { group: toGroup(f, file, origin), problems };
}

function listYaml(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => /\.ya?ml$/i.test(n))
    .sort()
    .map((n) => join(dir, n));
}

/** Checks between files: duplicate ids and areas, parents, and fixed groups against what they are derived from. */
function crossCheck(list: Group[], problems: Problem[]): void {
  const byId = new Map<string, Group>();
  const byArea = new Map<string, Group>();
  for (const g of list) {
    const other = byId.get(g.id.toUpperCase());
    if (other)
      problems.push(
        problem('duplicate-group', g.file, 'id', `duplicate group id: ${g.id} (also in ${other.file})`, g.id),
      );
    else byId.set(g.id.toUpperCase(), g);
    if (g.areaCode) {
      const same = byArea.get(g.areaCode);
      if (same)
        problems.push(
          problem(
            'duplicate-group',
            g.file,
            'area',
            `area ${g.areaCode} is already the area of group ${same.id} (${same.file})`,
            g.areaCode,
          ),
        );
      else byArea.set(g.areaCode, g);
    }
  }
  for (const g of list) {
    if (g.parent && !byId.has(g.parent.toUpperCase()))
      problems.push(problem('unknown-group', g.file, 'parent', `unknown group: ${g.parent}`, g.parent));
    if (!g.derivedFrom) continue;
    const base = byId.get(g.derivedFrom.group.toUpperCase());
    if (!base) {
      problems.push(
        problem(
          'unknown-group',
          g.file,
          'derivedFrom.group',
          `unknown group: ${g.derivedFrom.group}`,
          g.derivedFrom.group,
        ),
      );
      continue;
    }
    const want = new Set(activeAt(base.members, g.derivedFrom.at).map((m) => m.code));
    const have = new Set(g.members.map((m) => m.code));
    const missing = [...want].filter((c) => !have.has(c));
    const extra = [...have].filter((c) => !want.has(c));
    if (missing.length || extra.length)
      problems.push(
        problem(
          'composition-mismatch',
          g.file,
          'members',
          `members differ from ${base.id} on ${g.derivedFrom.at}:${missing.length ? ` missing ${missing.join(' ')}` : ''}${extra.length ? ` not members then ${extra.join(' ')}` : ''}`,
        ),
      );
  }
}

/**
 * Reads and validates every group file of the given directories (bundled first). Never throws for bad files:
 * the problems are returned, all of them.
 * @example loadGroupFiles([dataPath('groups')]).problems // []
 */
export function loadGroupFiles(
  bundledDir: string,
  userDirs: readonly string[] = [],
): { groups: Group[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const out: Group[] = [];
  const dirs: [string, Group['origin']][] = [
    [bundledDir, 'bundled'],
    ...userDirs.map((d) => [d, 'user'] as [string, Group['origin']]),
  ];
  for (const [dir, origin] of dirs) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      problems.push(problem('bad-group-dir', dir, undefined, `group directory not found: ${dir}`));
      continue;
    }
    for (const file of listYaml(dir)) {
      const r = parseGroupFile(readFileSync(file, 'utf8'), file, origin);
      problems.push(...r.problems);
      if (r.group) out.push(r.group);
    }
  }
  crossCheck(out, problems);
  return { groups: out, problems };
}

// ---------------------------------------------------------------------------------------------------------------
// Registry
// ---------------------------------------------------------------------------------------------------------------

interface Registry {
  list: readonly Group[];
  byKey: ReadonlyMap<string, Group>;
}

const registries = new Map<string, Registry>();

function userDirsOf(options?: GroupOptions): string[] {
  const d = options?.dir ?? process.env.TRADESCOPE_GROUPS?.split(delimiter);
  const list = d === undefined ? [] : typeof d === 'string' ? [d] : [...d];
  return list.filter((s) => s.trim()).map((s) => resolve(s));
}

function registry(options?: GroupOptions): Registry {
  const dirs = userDirsOf(options);
  // user files can change while the process runs (tests, a server): the key includes their size and mtime
  const cacheKey = dirs
    .map((d) => {
      if (!existsSync(d) || !statSync(d).isDirectory()) return `${d}:missing`;
      return [d, ...listYaml(d).map((f) => `${f}:${statSync(f).mtimeMs}:${statSync(f).size}`)].join('|');
    })
    .join('\0');
  const cached = registries.get(cacheKey);
  if (cached) return cached;
  const { groups: list, problems } = loadGroupFiles(dataPath('groups'), dirs);
  if (problems.length)
    throw new UserError(`invalid group files: ${problems.length} problem${problems.length === 1 ? '' : 's'}`, problems);
  const byKey = new Map<string, Group>();
  const add = (key: string, g: Group) => {
    const k = normaliseName(key);
    if (!byKey.has(k)) byKey.set(k, g);
  };
  // ids first, then areas, then names: an id always wins
  for (const g of list) add(g.id, g);
  for (const g of list) if (g.areaCode) add(g.areaCode, g);
  for (const g of list) if (g.m49 !== undefined) add(`m49:${g.m49}`, g);
  for (const g of list) for (const n of [g.names.en, g.names.zh, ...g.aliases]) add(n, g);
  const reg = { list: Object.freeze(list), byKey };
  if (registries.size > 16) registries.clear();
  registries.set(cacheKey, reg);
  return reg;
}

/**
 * All groups, bundled and user-defined, validated; throws a {@link UserError} listing every problem of every file.
 * @example groups().map((g) => g.id) // ['ASEAN', 'BRICS', 'EMU', 'EU', 'EU27_2020', …]
 */
export function groups(options?: GroupOptions): readonly Group[] {
  return registry(options).list;
}

/**
 * The group an input means: its id (`EU`), its area code (`EUU`), an M49 code (`142`), a name or alias in English
 * or Chinese (`European Union`, `欧盟`, `东盟`), or anything {@link resolveArea} resolves to a group's area.
 * @example groupById('欧盟')?.id // 'EU'
 * @example groupById('EUU')?.id // 'EU'
 * @example groupById('142')?.id // 'M49_142'
 */
export function groupById(query: string, options?: GroupOptions): Group | undefined {
  const { byKey } = registry(options);
  const s = query.trim();
  if (!s) return undefined;
  const direct = byKey.get(normaliseName(s)) ?? (/^\d+$/.test(s) ? byKey.get(`m49:${Number(s)}`) : undefined);
  if (direct) return direct;
  const area = resolveArea(s);
  return area ? byKey.get(normaliseName(area.code)) : undefined;
}

/**
 * Like {@link groupById}, but an unknown group is a {@link UserError} with the nearest ids.
 * @example requireGroup('ASEN') // throws: unknown group: ASEN (did you mean ASEAN?)
 */
export function requireGroup(query: string, options?: GroupOptions): Group {
  const g = groupById(query, options);
  if (g) return g;
  const needle = normaliseName(query);
  const scored = groups(options)
    .map((x) => {
      const keys = [x.id, x.names.en, x.names.zh, ...x.aliases].map(normaliseName);
      const score = Math.min(
        ...keys.map((k) => (k.includes(needle) || needle.includes(k) ? 0 : editDistance(k, needle))),
      );
      return { id: x.id, score };
    })
    .filter((x) => x.score <= Math.max(2, Math.floor(needle.length / 3)))
    .sort((a, b) => a.score - b.score)
    .slice(0, 3);
  const hint = scored.length ? ` (did you mean ${scored.map((x) => x.id).join(', ')}?)` : '';
  throw new UserError(`unknown group: ${query}${hint}`, [
    {
      code: 'unknown-group',
      severity: 'error',
      message: `groups: ${groups(options)
        .filter((x) => x.category !== 'region')
        .map((x) => x.id)
        .join(', ')}, and the M49 regions M49_002 …`,
      value: query,
    },
  ]);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = cur;
  }
  return prev[b.length]!;
}

function checkDate(date: string, what = 'date'): string {
  if (!isCalendarDate(date)) throw new UserError(`invalid ${what}: ${date} (expected YYYY-MM-DD)`);
  return date;
}

function activeAt(members: readonly GroupMember[], date: string): GroupMember[] {
  return members.filter((m) => (m.from === undefined || m.from <= date) && (m.to === undefined || date <= m.to));
}

/**
 * Each member's intervals, sorted by start, in the order members first appear.
 * @example membership('EU').find((m) => m.code === 'GBR')?.intervals // [{ from: '1973-01-01', to: '2020-01-31', … }]
 */
export function membership(groupId: string, options?: GroupOptions): GroupMembership[] {
  const g = requireGroup(groupId, options);
  const byCode = new Map<string, GroupMember[]>();
  for (const m of g.members) byCode.set(m.code, [...(byCode.get(m.code) ?? []), m]);
  return [...byCode].map(([code, list]) => ({
    code,
    intervals: list
      .sort((a, b) => (a.from ?? '').localeCompare(b.from ?? ''))
      .map(({ from, to, note }) => ({ ...(from ? { from } : {}), ...(to ? { to } : {}), ...(note ? { note } : {}) })),
  }));
}

/**
 * The members of a group on one day (the interval valid that day); for a fixed group, all its members.
 * @example membersAt('EU', '2019-12-31').length // 28
 * @example membersAt('EU', '2020-02-01').length // 27
 */
export function membersAt(groupId: string, date: string, options?: GroupOptions): GroupMember[] {
  const g = requireGroup(groupId, options);
  return g.kind === 'fixed' ? [...g.members] : activeAt(g.members, checkDate(date));
}

/**
 * Associates (invited, partner, observer … — never members) of a group on one day.
 * @example associatesAt('BRICS', '2025-06-30').find((a) => a.code === 'SAU')?.status // 'invited'
 */
export function associatesAt(groupId: string, date: string, options?: GroupOptions): GroupAssociate[] {
  const g = requireGroup(groupId, options);
  const d = checkDate(date);
  return g.associates.filter((m) => (m.from === undefined || m.from <= d) && (m.to === undefined || d <= m.to));
}

/**
 * The composition of a fixed group; for a membership-history group, its members on `at` (required).
 * @example fixedComposition('EU27_2020').length // 27
 * @example fixedComposition('EU', '2019-12-31').length // 28
 */
export function fixedComposition(groupId: string, at?: string, options?: GroupOptions): string[] {
  const g = requireGroup(groupId, options);
  if (g.kind === 'fixed') return g.members.map((m) => m.code);
  if (at === undefined)
    throw new UserError(
      `${g.id} has a membership history, not a fixed composition: give a date, or use a fixed group${g.id === 'EU' ? ' such as EU27_2020 or EU28' : ''}`,
    );
  return activeAt(g.members, checkDate(at)).map((m) => m.code);
}

/** Which day of a month decides membership for that month. */
export type MonthRule = 'end' | 'start' | 'any';

/** How {@link membersInPeriod} picks each month's members. */
export interface PeriodOptions extends GroupOptions {
  /**
   * Which members count in a month: `end` (default) those members on the month's last day, `start` on its first
   * day, `any` on any day of it. Accessions mostly happen on the 1st, so the rules differ only for mid-month dates
   * (Timor-Leste joined ASEAN on 2025-10-26: in October under `end` and `any`, from November under `start`).
   */
  rule?: MonthRule;
  /**
   * A fixed composition instead of the membership valid in each month: the id of a fixed group (`EU27_2020`) or a
   * date (`2020-02-01`: the group's members that day, in every month).
   */
  fixed?: string;
}

/** The members of a group in one month. */
export interface MonthMembers {
  /** `YYYY-MM`. */
  month: string;
  members: string[];
}

function monthBounds(month: string): [string, string] {
  const m = MONTH_RE.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new UserError(`invalid month: ${month} (expected YYYY-MM)`);
  const last = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
  return [`${month}-01`, `${month}-${String(last).padStart(2, '0')}`];
}

function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * Month-by-month membership from `startMonth` to `endMonth` (inclusive, `YYYY-MM`): by default the membership valid
 * in each month, which is how an aggregate over a group is computed unless a fixed composition is asked for.
 * @example membersInPeriod('EU', '2020-01', '2020-02').map((m) => m.members.length) // [28, 27]
 * @example membersInPeriod('EU', '2020-01', '2020-02', { fixed: 'EU27_2020' }).map((m) => m.members.length) // [27, 27]
 */
export function membersInPeriod(
  groupId: string,
  startMonth: string,
  endMonth: string,
  options: PeriodOptions = {},
): MonthMembers[] {
  const g = requireGroup(groupId, options);
  monthBounds(startMonth);
  monthBounds(endMonth);
  if (startMonth > endMonth) throw new UserError(`invalid period: ${startMonth}..${endMonth} (start after end)`);
  let fixed: string[] | undefined;
  if (options.fixed !== undefined)
    fixed = isCalendarDate(options.fixed)
      ? fixedComposition(g.id, options.fixed, options)
      : fixedComposition(requireGroup(options.fixed, options).id, undefined, options);
  const rule = options.rule ?? 'end';
  const out: MonthMembers[] = [];
  for (let month = startMonth; month <= endMonth; month = nextMonth(month)) {
    if (fixed || g.kind === 'fixed') {
      out.push({ month, members: [...(fixed ?? g.members.map((m) => m.code))] });
      continue;
    }
    const [first, last] = monthBounds(month);
    const members = g.members
      .filter((m) => {
        if (rule === 'end') return (m.from === undefined || m.from <= last) && (m.to === undefined || last <= m.to);
        if (rule === 'start') return (m.from === undefined || m.from <= first) && (m.to === undefined || first <= m.to);
        return (m.from === undefined || m.from <= last) && (m.to === undefined || first <= m.to);
      })
      .map((m) => m.code);
    out.push({ month, members: [...new Set(members)] });
  }
  return out;
}

/**
 * The groups an area belongs to on a day (directly: France is in the G20 and in the EU, not through the EU).
 * @example groupsOf('TLS', '2025-10-27').map((g) => g.id) // ['ASEAN', 'M49_035', 'M49_142']
 */
export function groupsOf(code: string, date: string, options?: GroupOptions): Group[] {
  const d = checkDate(date);
  return groups(options).filter((g) =>
    (g.kind === 'fixed' ? g.members : activeAt(g.members, d)).some((m) => m.code === code),
  );
}

/** A partner valid within a window of months (`YYYYMM` numbers, inclusive), as the store's `partnerIntervals`. */
export interface MemberMonths {
  partner: string;
  start: number;
  end: number;
}

const monthNumber = (date: string): number => Number(date.slice(0, 4)) * 100 + Number(date.slice(5, 7));

function isLastDayOfMonth(date: string): boolean {
  const [, last] = monthBounds(date.slice(0, 7));
  return date === last;
}

/**
 * The months (`YYYYMM`, clipped to `start`…`end`) in which each member counts, with the same rule as
 * {@link membersInPeriod} (`end`: a member in a month is a member on its last day). For a fixed group, or with
 * `fixed`, every member counts in every month. For the store's `partnerIntervals` filter.
 * @example membershipIntervals('EU', 201901, 202012).find((m) => m.partner === 'GBR') // { partner: 'GBR', start: 201901, end: 202001 }
 */
export function membershipIntervals(
  group: Group | string,
  start: number,
  end: number,
  options: Pick<PeriodOptions, 'fixed'> & GroupOptions = {},
): MemberMonths[] {
  const g = typeof group === 'string' ? requireGroup(group, options) : group;
  if (g.kind === 'fixed' || options.fixed !== undefined) {
    const codes =
      options.fixed === undefined
        ? g.members.map((m) => m.code)
        : isCalendarDate(options.fixed)
          ? fixedComposition(g.id, options.fixed, options)
          : fixedComposition(requireGroup(options.fixed, options).id, undefined, options);
    return [...new Set(codes)].map((partner) => ({ partner, start, end }));
  }
  const out: MemberMonths[] = [];
  for (const m of g.members) {
    const from = m.from ? monthNumber(m.from) : start;
    let to = end;
    if (m.to) {
      to = monthNumber(m.to);
      if (!isLastDayOfMonth(m.to)) to = to % 100 === 1 ? to - 89 : to - 1; // the month it left in does not count
    }
    const s = Math.max(from, start);
    const e = Math.min(to, end);
    if (s <= e) out.push({ partner: m.code, start: s, end: e });
  }
  return out;
}
