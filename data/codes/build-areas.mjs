#!/usr/bin/env node
// Dev tool: builds data/codes/areas.csv and data/codes/area-aliases.csv from the public code lists in
// the public source data (countries/) (and the BACI dictionary copied beside this script). The product only reads
// the committed csv files; rerun this after changing the hand tables below:
//
//   node data/codes/build-areas.mjs [path/to/source-data]
//
// Hand-made decisions are all in the tables at the top of this file and documented in data/PROVENANCE.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

const here = dirname(fileURLToPath(import.meta.url));
const sourceDir = process.argv[2] ?? process.env.SOURCE_DATA;
if (!sourceDir) {
  console.error('usage: node ' + process.argv[1] + ' <folder of the public source data> (or set SOURCE_DATA)');
  process.exit(2);
}
const shared = resolve(sourceDir);
const countries = join(shared, 'countries');

const read = (path, encoding = 'utf8') => {
  const text = encoding === 'latin1' ? new TextDecoder('latin1').decode(readFileSync(path)) : readFileSync(path, 'utf8');
  return parse(text, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: true });
};

/** Same normalisation as normaliseName in src/model/areas.ts: NFC, lowercase, trimmed, single spaces. */
const norm = (s) => s.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
const num = (s) => {
  const t = String(s ?? '').trim();
  return /^\d+$/.test(t) ? String(Number(t)) : '';
};
/** UNTERM marks some Chinese names with footnote asterisks (`库克群岛 **`): not part of the name. */
const unstar = (s) => String(s ?? '').replace(/\s*\*+\s*$/u, '');
const date = (s) => {
  const d = String(s ?? '').slice(0, 10);
  return d && d !== '1900-01-01' && d !== '1901-01-01' ? d : '';
};

// ---------------------------------------------------------------------------------------------------
// Hand tables
// ---------------------------------------------------------------------------------------------------

/** Chinese short names where UNTERM only has the formal name (or none): the names GAC and the press use. */
const ZH_SHORT = {
  USA: '美国',
  GBR: '英国',
  KOR: '韩国',
  PRK: '朝鲜',
  RUS: '俄罗斯',
  IRN: '伊朗',
  SYR: '叙利亚',
  LAO: '老挝',
  TZA: '坦桑尼亚',
  BOL: '玻利维亚',
  VEN: '委内瑞拉',
  MDA: '摩尔多瓦',
  CAF: '中非',
  COD: '刚果（金）',
  HKG: '中国香港',
  MAC: '中国澳门',
  TWN: '中国台湾',
};

/**
 * Comtrade codes whose alpha-3 in comtrade_partner_areas.csv is not distinct (it is the successor's ISO code,
 * a duplicate, or wrong), mapped to a canonical code. Made-up historical codes are `<ISO3>_<last year>`:
 * the area Comtrade's alpha-3 stood for until the end of that year.
 */
const COMTRADE_CANONICAL = {
  0: 'WLD',
  97: 'EUU',
  975: 'ASEAN',
  58: 'BLX', // Belgium-Luxembourg (...1998): BLX as used by IMF/WITS; Comtrade gives BEL
  280: 'DEU_1990', // Fed. Rep. of Germany (...1990); Comtrade gives DEU
  886: 'YAR', // Arab Rep. of Yemen (...1990) (North Yemen); Comtrade gives YEM
  588: 'PAK_1971', // East and West Pakistan (...1971)
  230: 'ETH_1992', // Ethiopia (...1992), with Eritrea
  356: 'IND_1974', // India (...1974), excluding Sikkim; ISO numeric 356 is still India
  532: 'ANT_1985', // Netherlands Antilles and Aruba (...1985); 530 keeps ANT
  590: 'PAN_1977', // Panama, excl. Canal Zone (...1977)
  658: 'KNA_1980', // Saint Kitts, Nevis and Anguilla (...1980)
  736: 'SDN_2011', // Sudan (...2011), with South Sudan
  841: 'USA_1980', // USA and Puerto Rico (...1980)
  868: 'VNM_1974', // Rep. of Vietnam (...1974) (South Vietnam)
  492: '_EU', // "Europe EU, nes": Comtrade lists MC/MCO (Monaco's ISO codes, ISO 492); Monaco is in 251 France
  636: '_RA', // "Rest of America, nes": Comtrade lists A79, which its data use for 473 "LAIA, nes"
  412: 'XKX', // Kosovo: Comtrade _KS; XKX is the user-assigned code used by the EU, IMF and World Bank
  80: 'ATB', // Br. Antarctic Terr.: ISO 3166-3 ATB (its alpha-2 BQ now belongs to Bonaire)
};

/** Comtrade alpha codes not to use as aliases (they belong to another area or are ambiguous). */
const COMTRADE_ALPHA_SKIP = new Set(['MCO', 'BEL:58', 'DEU:280', 'YEM:886', 'PAK:588', 'ETH:230', 'IND:356']);

/** Names for areas Comtrade defines, for the historical ones and for made-up codes. */
const HISTORICAL_NAMES = {
  BLX: ['Belgium-Luxembourg', '比利时-卢森堡'],
  DEU_1990: ['Federal Republic of Germany (...1990)', '联邦德国'],
  DDR: ['German Democratic Republic (...1990)', '民主德国'],
  YAR: ['Yemen Arab Republic (...1990)', '阿拉伯也门共和国'],
  YMD: ["People's Democratic Republic of Yemen (...1990)", '也门民主人民共和国'],
  SUN: ['USSR (...1990)', '苏联'],
  YUG: ['Yugoslavia (...1991)', '南斯拉夫'],
  CSK: ['Czechoslovakia (...1992)', '捷克斯洛伐克'],
  SCG: ['Serbia and Montenegro (...2005)', '塞尔维亚和黑山'],
  ANT: ['Netherlands Antilles (...2010)', '荷属安的列斯'],
  SDN_2011: ['Sudan (...2011)', '苏丹（2011年前）'],
  ETH_1992: ['Ethiopia (...1992)', '埃塞俄比亚（1992年前）'],
  IND_1974: ['India, excluding Sikkim (...1974)', '印度（1974年前）'],
  USA_1980: ['USA and Puerto Rico (...1980)', '美国和波多黎各（1980年前）'],
};

/** Chinese names for Comtrade's special areas (none in the code lists). */
const SPECIAL_ZH = {
  S19: '其他亚洲地区',
  _X: '未列明地区',
  X1: '船用燃料',
  X2: '自由区',
  XX: '特殊类别',
  F19: '其他非洲地区',
  E19: '其他欧洲地区',
  O19: '其他大洋洲地区',
  _RA: '其他美洲地区',
  A79: '拉美一体化协会未列明地区',
  A59: '其他北美和中美洲地区',
  A49: '其他加勒比地区',
  E29: '其他东欧地区',
  F49: '其他北非地区',
  F97: '其他西亚地区',
  R20: '其他欧洲自由贸易联盟地区',
  R91: '其他中美洲共同市场地区',
  _AC: '其他中部非洲经济与货币共同体地区',
  _EU: '其他欧盟地区',
  _CI: '海峡群岛',
  _MI: '中途岛',
  _WI: '威克岛',
  NTZ: '中立区',
  PUS: '美属太平洋诸岛',
  ATB: '英属南极领地',
  ANT_1985: '荷属安的列斯和阿鲁巴',
  KNA_1980: '圣基茨-尼维斯-安圭拉',
  PAK_1971: '东西巴基斯坦',
  PAN_1977: '巴拿马（不含运河区）',
  PCI: '太平洋群岛托管地',
  PCZ: '巴拿马运河区',
  VDR: '越南民主共和国',
  VNM_1974: '越南共和国',
  ZA1: '南部非洲关税同盟',
  _PM: '马来亚半岛',
  _RI: '琉球群岛',
  _RN: '罗得西亚和尼亚萨兰联邦',
  _SH: '沙巴',
  _SK: '砂拉越',
  _SM: '锡金',
  _TK: '坦噶尼喀',
  _ZP: '桑给巴尔和奔巴',
  XKX: '科索沃',
};

/**
 * Published aggregates (kind group) and residual areas of publishers other than Comtrade.
 * [code, kind, name_en, name_zh, comtrade, valid_from, [aliases…], note]
 */
const HAND_AREAS = [
  ['WLD', 'group', 'World', '世界', '0', '', ['World', 'Total', 'All partners', '全球', '总值'], 'Comtrade 0 (W00)'],
  ['EUU', 'group', 'European Union', '欧盟', '97', '', ['EU', 'EU27', 'EU-27', 'European Union', '欧洲联盟'], 'Comtrade 97; membership as of the period'],
  ['EMU', 'group', 'Euro Area', '欧元区', '', '', ['Euro Area', 'Euro zone', 'Eurozone'], 'IMF DOTS aggregate'],
  ['ASEAN', 'group', 'ASEAN', '东盟', '975', '1967-08-01', ['ASEAN', 'Association of Southeast Asian Nations', '东南亚国家联盟'], 'Comtrade 975 (R4)'],
  ['G7', 'group', 'G7', '七国集团', '', '', ['G7', 'Group of Seven'], 'Ember aggregate'],
  ['G20', 'group', 'G20', '二十国集团', '', '', ['G20', 'Group of Twenty'], 'Ember aggregate'],
  ['OECD', 'group', 'OECD', '经合组织', '', '', ['OECD', 'Organisation for Economic Co-operation and Development', '经济合作与发展组织'], 'Ember aggregate'],
  // groups defined in data/groups/*.yaml (membership with dates and sources there)
  ['EU27_2020', 'group', 'European Union (27 countries, from 2020-02-01)', '欧盟27国（2020年起）', '', '', ['EU27_2020', 'EU-27 (2020)'], 'Eurostat code EU27_2020: fixed composition, see data/groups/EU27_2020.yaml'],
  ['EU28', 'group', 'European Union (28 countries, 2013-07-01 to 2020-01-31)', '欧盟28国', '', '', ['EU28', 'EU-28'], 'Eurostat code EU28: fixed composition, see data/groups/EU28.yaml'],
  ['BRICS', 'group', 'BRICS', '金砖国家', '', '', ['BRICS', 'BRIC', '金砖国家', '金砖'], 'see data/groups/BRICS.yaml'],
  ['RCEP', 'group', 'Regional Comprehensive Economic Partnership', '区域全面经济伙伴关系协定', '', '', ['RCEP', 'Regional Comprehensive Economic Partnership', '区域全面经济伙伴关系协定', 'RCEP members', '区域全面经济伙伴关系协定（RCEP）成员国', '区域全面经济伙伴关系协定(RCEP)成员国', 'RCEP成员国'], 'see data/groups/RCEP.yaml; GAC release spellings by hand'],
  ['BRI', 'group', 'Belt and Road countries (as published by GAC)', '共建“一带一路”国家', '', '', ['Jointly build the countries along Belt and Road Routes', 'Belt and Road countries', 'Belt and Road', 'Countries along the Belt and Road', '共建“一带一路”国家', '共建"一带一路"国家', '“一带一路”沿线国家', '"一带一路"沿线国家', '一带一路'], 'GAC release table (4) aggregate; its membership is GAC\'s own list (linked from the page), not encoded here; code made up'],
  ['AU_', 'group', 'African Union', '非洲联盟', '', '', ['African Union', '非盟'], 'G20 member from 2023-09-09 (data/groups/G20.yaml); code made up (AU is Australia in ISO 3166-1 alpha-2)'],
  ['R_AFRICA', 'group', 'Africa', '非洲', '', '', ['Africa'], 'IMF DOTS and Ember region (each publisher its own membership)'],
  ['R_ASIA', 'group', 'Asia', '亚洲', '', '', ['Asia'], 'Ember region'],
  ['R_EUROPE', 'group', 'Europe', '欧洲', '', '', ['Europe'], 'Ember region'],
  ['R_LATIN_AMERICA_CARIBBEAN', 'group', 'Latin America and Caribbean', '拉丁美洲和加勒比', '', '', ['Latin America and Caribbean', 'Latin America and the Caribbean', 'Latin America', '拉丁美洲', '拉美'], 'Ember region; GAC\'s release tables call it Latin America (拉丁美洲), their own membership'],
  ['R_MIDDLE_EAST', 'group', 'Middle East', '中东', '', '', ['Middle East'], 'IMF DOTS and Ember region (each publisher its own membership)'],
  ['R_NORTH_AMERICA', 'group', 'North America', '北美洲', '', '', ['North America'], 'Ember region'],
  ['R_OCEANIA', 'group', 'Oceania', '大洋洲', '', '', ['Oceania'], 'Ember region'],
  ['R_ADVANCED_ECONOMIES', 'group', 'Advanced Economies', '发达经济体', '', '', ['Advanced Economies'], 'IMF DOTS aggregate'],
  ['R_EMDE', 'group', 'Emerging and Developing Economies', '新兴市场和发展中经济体', '', '', ['Emerging and Developing Economies', 'Emerging Market and Developing Economies'], 'IMF DOTS aggregate'],
  ['R_EMDE_ASIA', 'group', 'Emerging and Developing Asia', '亚洲新兴市场和发展中经济体', '', '', ['Emerging and Developing Asia'], 'IMF DOTS aggregate'],
  ['R_EMDE_EUROPE', 'group', 'Emerging and Developing Europe', '欧洲新兴市场和发展中经济体', '', '', ['Emerging and Developing Europe'], 'IMF DOTS aggregate'],
  ['R_EMDE_FUEL', 'group', 'Emerging Market and Developing Economies by Source of Export Earnings: Fuel', '燃料出口型新兴市场和发展中经济体', '', '', ['Emerging Market and Developing Economies by Source of Export Earnings: Fuel'], 'IMF DOTS aggregate'],
  ['R_EMDE_NONFUEL', 'group', 'Emerging Market and Developing Economies by Source of Export Earnings: Nonfuel', '非燃料出口型新兴市场和发展中经济体', '', '', ['Emerging Market and Developing Economies by Source of Export Earnings: Nonfuel'], 'IMF DOTS aggregate'],
  ['R_MIDDLE_EAST_CENTRAL_ASIA', 'group', 'Middle East and Central Asia', '中东和中亚', '', '', ['Middle East and Central Asia'], 'IMF DOTS aggregate'],
  ['R_SUB_SAHARAN_AFRICA', 'group', 'Sub-Saharan Africa', '撒哈拉以南非洲', '', '', ['Sub-Saharan Africa'], 'IMF DOTS aggregate'],
  ['R_WESTERN_HEMISPHERE', 'group', 'Western Hemisphere', '西半球', '', '', ['Western Hemisphere'], 'IMF DOTS aggregate'],
  ['R_OTHER_NIE', 'group', 'Other Countries not included elsewhere', '其他未列入国家', '', '', ['Other Countries not included elsewhere', 'Other Countries n.i.e.'], 'IMF DOTS aggregate (in DOTS 40: Cuba + DPRK)'],
  ['NES_ASIA', 'special', 'Asia not specified', '亚洲未列明地区', '', '', ['Asia not specified'], 'IMF DOTS residual; not S19, which is Taiwan in practice'],
  ['NES_MIDDLE_EAST_CENTRAL_ASIA', 'special', 'Middle East and Central Asia not specified', '中东和中亚未列明地区', '', '', ['Middle East and Central Asia not specified'], 'IMF DOTS residual'],
];

/**
 * Eurostat's own area codes (its geonomenclature GEONOM, as Comext's REPORTER and PARTNER columns use them):
 * ISO 3166 alpha-2 for countries, except EL for Greece and UK for the United Kingdom in Eurostat's
 * dissemination (Comext's bulk files write GR and GB, which are ISO), plus codes ISO does not have for
 * stores and provisions, unspecified and confidential partners, Ceuta and Melilla, and Northern Ireland.
 * [code, kind, name_en, name_zh, eurostat code, note]. Source: Eurostat GEONOM / Comext partner list
 * (names as Eurostat words them); the canonical codes are made up here, one per Eurostat code.
 */
const EUROSTAT_AREAS = [
  ['EU_QP', 'special', 'High seas', '公海', 'QP', 'Eurostat QP'],
  ['EU_QQ', 'special', 'Stores and provisions', '船舶和飞机供应品', 'QQ', 'Eurostat QQ'],
  ['EU_QR', 'special', 'Stores and provisions within the framework of intra-EU trade', '欧盟内贸易中的船舶和飞机供应品', 'QR', 'Eurostat QR'],
  ['EU_QS', 'special', 'Stores and provisions within the framework of extra-EU trade', '欧盟外贸易中的船舶和飞机供应品', 'QS', 'Eurostat QS'],
  ['EU_QU', 'special', 'Countries and territories not specified', '未列明国家和地区', 'QU', 'Eurostat QU'],
  ['EU_QV', 'special', 'Countries and territories not specified within the framework of intra-EU trade', '欧盟内贸易中未列明的国家和地区', 'QV', 'Eurostat QV'],
  ['EU_QW', 'special', 'Countries and territories not specified within the framework of extra-EU trade', '欧盟外贸易中未列明的国家和地区', 'QW', 'Eurostat QW'],
  ['EU_QX', 'special', 'Countries and territories not specified for commercial or military reasons', '因商业或军事原因未列明的国家和地区', 'QX', 'Eurostat QX'],
  ['EU_QY', 'special', 'Countries and territories not specified for commercial or military reasons in the framework of intra-EU trade', '欧盟内贸易中因商业或军事原因未列明的国家和地区', 'QY', 'Eurostat QY'],
  ['EU_QZ', 'special', 'Countries and territories not specified for commercial or military reasons in the framework of extra-EU trade', '欧盟外贸易中因商业或军事原因未列明的国家和地区', 'QZ', 'Eurostat QZ'],
  ['ESP_CEUTA', 'territory', 'Ceuta', '休达', 'XC', 'Eurostat XC (outside the EU customs territory; ISO reserves EA for Ceuta and Melilla together)'],
  ['ESP_MELILLA', 'territory', 'Melilla', '梅利利亚', 'XL', 'Eurostat XL (outside the EU customs territory)'],
  ['GBR_NIR', 'territory', 'United Kingdom (Northern Ireland)', '英国（北爱尔兰）', 'XI', 'Eurostat XI, from 2021 (goods trade under the Windsor Framework)'],
];
/** Eurostat codes that differ from ISO alpha-2 for an area that has an ISO code. */
const EUROSTAT_ISO_DIFFERENT = { EL: 'GRC', UK: 'GBR', XK: 'XKX', EU: 'EUU', EU27_2020: 'EU27_2020', EU28: 'EU28' };

/** Informal and publisher-specific names for areas that already have a canonical code. */
const EXTRA_NAMES = {
  // IMF DOTS spellings
  EST: ['Estonia, Rep. of'],
  SVN: ['Slovenia, Rep. of'],
  SMR: ['San Marino, Rep. of'],
  FJI: ['Fiji, Rep. of'],
  MHL: ['Marshall Islands, Rep. of the'],
  NRU: ['Nauru, Rep. of'],
  PLW: ['Palau, Rep. of'],
  BLR: ['Belarus, Rep. of'],
  HRV: ['Croatia, Rep. of'],
  POL: ['Poland, Rep. of'],
  AFG: ['Afghanistan, Islamic Rep. of'],
  ARM: ['Armenia, Rep. of'],
  AZE: ['Azerbaijan, Rep. of'],
  BHR: ['Bahrain, Kingdom of'],
  KAZ: ['Kazakhstan, Rep. of'],
  MRT: ['Mauritania, Islamic Rep. of'],
  TJK: ['Tajikistan, Rep. of'],
  UZB: ['Uzbekistan, Rep. of'],
  COM: ['Comoros, Union of the'],
  GNQ: ['Equatorial Guinea, Rep. of'],
  ERI: ['Eritrea, The State of'],
  ETH: ['Ethiopia, The Federal Dem. Rep. of'],
  LSO: ['Lesotho, Kingdom of'],
  MDG: ['Madagascar, Rep. of'],
  MOZ: ['Mozambique, Rep. of'],
  SSD: ['South Sudan, Rep. of'],
  YUG: ['Yugoslavia', 'SFR Yugoslavia'],
  CSK: ['Czechoslovakia'],
  SCG: ['Serbia and Montenegro'],
  ANT: ['Netherlands Antilles'],
  USA: ['USA', 'US', 'U.S.', 'United States', 'America', 'United States (US)'],
  ARE: ['UAE', 'U.A.E.'],
  TUR: ['Turkey', 'Turkiye'],
  CZE: ['Czech Republic', 'Czech Rep.'],
  GBR: ['United Kingdom', 'UK', 'Great Britain', 'Britain', 'United Kingdom (UK)'],
  KOR: ['South Korea', 'Korea', 'Korea, Rep. of', 'Korea, Republic of', 'Republic of Korea', 'R. O. Korea', 'R.O. Korea', 'R.O.Korea'],
  PRK: ['North Korea', "Korea, Dem. People's Rep. of"],
  TWN: ['Taiwan', 'Taiwan Province of China', 'Taiwan (China)', 'Chinese Taipei', '台湾', '中国台湾省', 'Taiwan, China'],
  HKG: ['Hong Kong', 'Hong Kong SAR', 'Hong Kong, China', 'China, P.R.: Hong Kong', 'Hong Kong (SAR of China)', '香港'],
  MAC: ['Macao', 'Macau', 'Macao SAR', 'China, P.R.: Macao', 'Macao (SAR of China)', '澳门'],
  CHN: ['China', 'Mainland China', "People's Republic of China", 'PRC', 'China, P.R.: Mainland', "China, peoples' republic of", 'China, People\'s Republic of', '中华人民共和国', '中国大陆'],
  RUS: ['Russia'],
  VNM: ['Vietnam'],
  IRN: ['Iran', 'Iran, Islamic Rep. of'],
  TZA: ['Tanzania', 'Tanzania, United Rep. of', 'Tanzania (the United Republic of)'],
  EGY: ['Egypt', 'Egypt, Arab Rep. of'],
  NLD: ['Netherlands, The', 'The Netherlands', 'Holland'],
  PHL: ['The Philippines'],
  LAO: ['Laos', 'Lao'],
  SYR: ['Syria', 'Syrian Arab Rep.'],
  BOL: ['Bolivia'],
  VEN: ['Venezuela', 'Venezuela, Rep. Bolivariana de'],
  MDA: ['Moldova', 'Moldova, Rep. of'],
  COD: ['Congo (DRC)', 'Congo, Dem. Rep. of the', 'DR Congo', 'DRC'],
  COG: ['Congo, Rep. of', 'Republic of the Congo'],
  CIV: ["Cote d'Ivoire", 'Ivory Coast'],
  CUW: ['Curacao', 'Curaçao, Kingdom of the Netherlands'],
  ABW: ['Aruba, Kingdom of the Netherlands'],
  SXM: ['Sint Maarten, Kingdom of the Netherlands'],
  BES: ['Bonaire and Sint Eustatius and Saba'],
  REU: ['Reunion'],
  BLM: ['Saint Barthelemy'],
  STP: ['Sao Tome and Principe', 'São Tomé and Príncipe, Dem. Rep. of'],
  SHN: ['Saint Helena and Ascension and Tristan da Cunha', 'Saint Helena, Ascension and Tristan da Cunha'],
  PSE: ['Palestine', 'Palestine (State of)', 'West Bank and Gaza'],
  PCN: ['Pitcairn Islands'],
  COK: ['Cook Islands (the)'],
  VGB: ['Virgin Islands (British)'],
  VIR: ['Virgin Islands (U.S.)'],
  WLF: ['Wallis and Futuna'],
  FSM: ['Micronesia', 'Micronesia, Federated States of'],
  KGZ: ['Kyrgyz Rep.', 'Kyrgyz Republic'],
  SVK: ['Slovak Rep.', 'Slovak Republic'],
  CAF: ['Central African Rep.'],
  DOM: ['Dominican Rep.'],
  BIH: ['Bosnia Herzegovina'],
  BHS: ['Bahamas, The'],
  GMB: ['Gambia, The'],
  VAT: ['Holy See'],
  MKD: ['North Macedonia, Republic of', 'Macedonia'],
  SWZ: ['Swaziland', 'Eswatini, Kingdom of'],
  TLS: ['East Timor', 'Timor-Leste, Dem. Rep. of'],
  CPV: ['Cape Verde'],
  MMR: ['Burma'],
  KNA: ['St. Kitts and Nevis'],
  LCA: ['St. Lucia'],
  VCT: ['St. Vincent and the Grenadines'],
  YEM: ['Yemen, Rep. of'],
  YMD: ["Yemen, People's Dem. Rep. of", 'South Yemen'],
  YAR: ['Yemen Arab Rep.', 'North Yemen'],
  DDR: ['Eastern Germany', 'East Germany', 'GDR'],
  DEU_1990: ['West Germany', 'FRG'],
  SUN: ['USSR', 'Soviet Union'],
  SRB: ['Serbia, Rep. of'],
  BRN: ['Brunei', '文莱'],
  _X: ['Countries & Areas not specified', 'Areas not elsewhere specified'],
  XX: ['Special Categories'],
  F19: ['Other Africa', 'Africa not specified'],
  E19: ['Other Europe', 'Europe not specified'],
  O19: ['Other Oceania', 'Oceania not specified'],
  _RA: ['Other Latin America', 'Western Hemisphere not specified', 'Other America'],
  S19: ['Other Asia', 'Other Asia, not elsewhere specified'],
};

// Names used by a publisher for a *different* area than another list uses; the value wins.
const NAME_OVERRIDES = {
  korea: 'KOR', // BACI/other lists use it for the Republic of Korea
  'netherlands antilles': 'ANT',
  'serbia and montenegro': 'SCG',
  sudan: 'SDN',
  ethiopia: 'ETH',
  india: 'IND',
  france: 'FRA',
  usa: 'USA',
  norway: 'NOR',
  switzerland: 'CHE',
  italy: 'ITA',
  germany: 'DEU',
  'belgium-luxembourg': 'BLX',
  'europe eu, nes': '_EU',
  'rest of america, nes': '_RA',
  'laia, nes': 'A79',
};

// ---------------------------------------------------------------------------------------------------
// Build
// ---------------------------------------------------------------------------------------------------

const areas = new Map(); // code -> row
const aliases = new Map(); // scheme -> Map(alias -> code)
const conflicts = [];

function addArea(row) {
  if (areas.has(row.code)) throw new Error(`duplicate area ${row.code}`);
  areas.set(row.code, {
    kind: '',
    iso2: '',
    iso3: '',
    iso_numeric: '',
    m49: '',
    comtrade: '',
    name_en: '',
    name_zh: '',
    valid_from: '',
    valid_to: '',
    source: '',
    ...row,
  });
}

function addAlias(scheme, alias, code, { override = false } = {}) {
  if (!alias) return;
  const key = scheme === 'name' ? norm(alias) : scheme.match(/numeric|m49|comtrade|baci/) && /^\d+$/.test(alias) ? num(alias) : alias.trim().toUpperCase();
  if (!key) return;
  if (!areas.has(code)) throw new Error(`alias ${scheme}:${alias} -> unknown code ${code}`);
  let m = aliases.get(scheme);
  if (!m) aliases.set(scheme, (m = new Map()));
  const forced = scheme === 'name' ? NAME_OVERRIDES[key] : undefined;
  const target = forced ?? code;
  const had = m.get(key);
  if (had && had !== target && !override) {
    conflicts.push(`${scheme}:${key} -> ${had} and ${target}`);
    return;
  }
  m.set(key, target);
}

// 1. ISO 3166 countries and territories (datasets/country-codes)
const cc = read(join(countries, 'country-codes.csv'));
for (const r of cc) {
  const iso3 = r['ISO3166-1-Alpha-3'];
  if (!iso3) continue;
  const zhShort = ZH_SHORT[iso3];
  addArea({
    code: iso3,
    kind: r.is_independent === 'Yes' ? 'country' : 'territory',
    iso2: r['ISO3166-1-Alpha-2'],
    iso3,
    iso_numeric: num(r['ISO3166-1-numeric']),
    m49: num(r.M49),
    name_en: r.official_name_en,
    name_zh: zhShort ?? unstar(r['UNTERM Chinese Short'] || r.official_name_cn),
    source: zhShort ? 'country-codes.csv; name_zh by hand' : 'country-codes.csv',
  });
}

// 2. Comtrade areas (partners and reporters)
const ctRows = new Map();
for (const f of ['comtrade_partner_areas.csv', 'comtrade_reporters.csv']) {
  for (const r of read(join(countries, f))) {
    const code = num(r.id);
    const prev = ctRows.get(code);
    const text = (r.text ?? '').trim();
    ctRows.set(code, {
      code,
      text,
      desc: (r.PartnerDesc ?? r.reporterDesc ?? '').trim(),
      alpha2: (r.PartnerCodeIsoAlpha2 ?? r.reporterCodeIsoAlpha2 ?? '').trim(),
      alpha3: (r.PartnerCodeIsoAlpha3 ?? r.reporterCodeIsoAlpha3 ?? '').trim(),
      from: date(r.entryEffectiveDate),
      to: date(r.entryExpiredDate),
      isGroup: r.isGroup === 'True',
      reporter: f === 'comtrade_reporters.csv' || prev?.reporter === true,
    });
  }
}

for (const [code, ...rest] of HAND_AREAS) {
  const [kind, nameEn, nameZh, comtrade, validFrom, , note] = rest;
  addArea({ code, kind, name_en: nameEn, name_zh: nameZh, comtrade, valid_from: validFrom, source: `hand: ${note}` });
}

for (const [code, kind, nameEn, nameZh, es, note] of EUROSTAT_AREAS) {
  addArea({ code, kind, name_en: nameEn, name_zh: nameZh, source: `hand: ${note}` });
}

const ctCanonical = new Map(); // comtrade code -> canonical
for (const ct of ctRows.values()) {
  let canon = COMTRADE_CANONICAL[ct.code];
  if (!canon && areas.has(ct.alpha3) && !ct.alpha3.startsWith('_')) canon = ct.alpha3;
  if (!canon) canon = ct.alpha3;
  if (!areas.has(canon)) {
    const isNes = /\bnes\b|Bunkers|Free Zones|Special Categories/i.test(ct.text);
    const iso3166_3 = /^[A-Z]{3}$/.test(canon) ? canon : '';
    const [histEn, histZh] = HISTORICAL_NAMES[canon] ?? [];
    addArea({
      code: canon,
      kind: ct.to ? 'historical' : isNes ? 'special' : canon === 'XKX' ? 'country' : 'territory',
      iso3: iso3166_3 && canon === ct.alpha3 ? iso3166_3 : '',
      iso2: ['SU', 'YU', 'DD', 'AN', 'YD', 'VD', 'PZ', 'PC', 'NT', 'PU'].includes(ct.alpha2) && iso3166_3 ? ct.alpha2 : '',
      name_en: histEn ?? ct.text,
      name_zh: histZh ?? SPECIAL_ZH[canon] ?? '',
      valid_from: ct.from,
      valid_to: ct.to,
      source: `comtrade_partner_areas.csv (code ${ct.code})${histZh || SPECIAL_ZH[canon] ? '; name_zh by hand' : ''}${canon !== ct.alpha3 ? '; code chosen by hand' : ''}`,
    });
  }
  ctCanonical.set(ct.code, canon);
}
for (const [code, [en, zh]] of Object.entries(HISTORICAL_NAMES)) {
  const a = areas.get(code);
  if (a && !a.name_zh) a.name_zh = zh;
  if (a && a.kind === 'historical') a.name_en = en;
}
// ISO 3166-3 numerics of withdrawn codes (ISO 3166-3; same as Comtrade's)
for (const [code, n] of Object.entries({ SUN: 810, YUG: 890, CSK: 200, DDR: 278, SCG: 891, ANT: 530, YMD: 720, DEU_1990: 280 })) {
  const a = areas.get(code);
  a.iso_numeric = String(n);
  a.m49 = String(n);
}

// primary Comtrade code per canonical area: the reporter code if there is one, else the unexpired one
const byCanon = new Map();
for (const [ct, canon] of ctCanonical) {
  const list = byCanon.get(canon) ?? [];
  list.push(ctRows.get(ct));
  byCanon.set(canon, list);
}
for (const [canon, list] of byCanon) {
  const a = areas.get(canon);
  if (a.comtrade) continue;
  list.sort((x, y) => Number(y.reporter) - Number(x.reporter) || Number(!!x.to) - Number(!!y.to) || Number(x.code) - Number(y.code));
  a.comtrade = list[0].code;
  if (a.kind === 'historical') {
    a.valid_from ||= list[0].from;
    a.valid_to ||= list[0].to;
  }
}

// 3. aliases: ISO schemes
for (const a of areas.values()) {
  if (a.iso2) addAlias('iso2', a.iso2, a.code);
  if (a.iso3) addAlias('iso3', a.iso3, a.code);
  if (a.iso_numeric) addAlias('iso-numeric', a.iso_numeric, a.code);
  if (a.m49) addAlias('m49', a.m49, a.code);
}
addAlias('iso2', 'XK', 'XKX');
addAlias('iso3', 'XKX', 'XKX');
addAlias('m49', '1', 'WLD');

// eurostat: ISO alpha-2, Eurostat's exceptions, its special codes
for (const a of areas.values()) if (a.iso2 && !a.valid_to) addAlias('eurostat', a.iso2, a.code);
for (const [es, code] of Object.entries(EUROSTAT_ISO_DIFFERENT)) addAlias('eurostat', es, code);
for (const [code, , , , es] of EUROSTAT_AREAS) addAlias('eurostat', es, code);

// comtrade: numeric codes, then alpha codes of unexpired (then expired) areas
for (const [ct, canon] of ctCanonical) addAlias('comtrade', ct, canon);
const ctSorted = [...ctRows.values()].sort((x, y) => Number(!!x.to) - Number(!!y.to) || Number(y.reporter) - Number(x.reporter));
for (const ct of ctSorted) {
  const canon = ctCanonical.get(ct.code);
  if (!ct.alpha3 || COMTRADE_ALPHA_SKIP.has(ct.alpha3) || COMTRADE_ALPHA_SKIP.has(`${ct.alpha3}:${ct.code}`)) continue;
  if (ct.code === '636') continue; // its A79 belongs to 473 in Comtrade's data
  const had = aliases.get('comtrade')?.get(ct.alpha3.toUpperCase());
  if (had && had !== canon) continue; // expired duplicates (ANT for 532, USA for 841 …) keep the current meaning
  addAlias('comtrade', ct.alpha3, canon);
}

// 4. BACI V202201 dictionary (same numbering as Comtrade, plus 381 Italy)
const baci = read(join(here, 'baci_country_codes_V202201.csv'), 'latin1');
const baciCanon = new Map();
for (const r of baci) {
  const code = num(r.country_code);
  let canon = ctCanonical.get(code) ?? (areas.has(r.iso_3digit_alpha) ? r.iso_3digit_alpha : undefined);
  if (code === '711') canon = 'ZA1';
  if (!canon || !areas.has(canon)) throw new Error(`BACI ${code} ${r.country_name_abbreviation}: no canonical area`);
  addAlias('baci', code, canon);
  baciCanon.set(code, canon);
}

// 5. names
const nameSources = [];
for (const a of areas.values()) nameSources.push([a.name_en, a.code], [a.name_zh, a.code]);
for (const r of cc) {
  const c = r['ISO3166-1-Alpha-3'];
  if (!c) continue;
  for (const n of [r['UNTERM English Short'], r['UNTERM English Formal'], r.official_name_en, r['CLDR display name'], r.official_name_cn, r['UNTERM Chinese Short'], r['UNTERM Chinese Formal']]) {
    if (!n) continue;
    nameSources.push([unstar(n), c]);
    const stripped = n.replace(/\s*\(the\)\s*$/i, '').replace(/^the\s+/i, '');
    if (stripped !== n) nameSources.push([stripped, c]);
  }
}
for (const r of read(join(countries, 'iso3166_m49_all.csv'))) if (areas.has(r['alpha-3'])) nameSources.push([r.name, r['alpha-3']]);
for (const r of read(join(countries, 'Countrycodes.csv'))) if (areas.has(r.ISO_3166_3)) nameSources.push([r['NAME.EN'], r.ISO_3166_3]);
for (const [ct, canon] of ctCanonical) {
  const r = ctRows.get(ct);
  nameSources.push([r.text, canon], [r.desc, canon]);
}
for (const r of baci) {
  const canon = baciCanon.get(num(r.country_code));
  nameSources.push([r.country_name_abbreviation, canon], [r.country_name_full, canon]);
}
for (const [code, , , , , , names] of HAND_AREAS) for (const n of names) nameSources.push([n, code]);
for (const [code, names] of Object.entries(EXTRA_NAMES)) for (const n of names) nameSources.push([n, code]);
// hand names first so they win over accidental duplicates in the lists
const handCount = HAND_AREAS.reduce((s, h) => s + h[6].length, 0) + Object.values(EXTRA_NAMES).flat().length;
const ordered = [...nameSources.slice(-handCount), ...nameSources.slice(0, -handCount)];
for (const [n, code] of ordered) if (n) addAlias('name', n, code);

if (conflicts.length) {
  console.error(`${conflicts.length} alias conflicts (first mapping kept):`);
  for (const c of [...new Set(conflicts)]) console.error(`  ${c}`);
}

// ---------------------------------------------------------------------------------------------------
// Write
// ---------------------------------------------------------------------------------------------------
const q = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const cols = ['code', 'kind', 'iso2', 'iso3', 'iso_numeric', 'm49', 'comtrade', 'name_en', 'name_zh', 'valid_from', 'valid_to', 'source'];
const kindOrder = ['country', 'territory', 'historical', 'special', 'group'];
const rows = [...areas.values()].sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind) || (a.code < b.code ? -1 : 1));
writeFileSync(join(here, 'areas.csv'), `${[cols.join(','), ...rows.map((r) => cols.map((c) => q(r[c] ?? '')).join(','))].join('\n')}\n`);
const aliasRows = [];
for (const scheme of ['iso2', 'iso3', 'iso-numeric', 'm49', 'comtrade', 'baci', 'eurostat', 'name']) {
  const m = aliases.get(scheme) ?? new Map();
  for (const [alias, code] of [...m].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))) aliasRows.push([scheme, alias, code]);
}
writeFileSync(join(here, 'area-aliases.csv'), `${['scheme,alias,code', ...aliasRows.map((r) => r.map(q).join(','))].join('\n')}\n`);
console.log(`areas.csv: ${rows.length} areas; area-aliases.csv: ${aliasRows.length} aliases`);
