/**
 * SQL that turns a staged file into canonical rows and problems, inside DuckDB.
 *
 * The staging file is attached as `stg`. The result relation has the fact columns plus `problem`
 * (a code), `p_field`, `p_value` and `p_reason`; rows with a problem go to quarantine, the others to
 * `facts` (or `rates` for published growth rates). Nothing here contains user text: the only inputs are
 * the staged tables and constants of this module.
 */

/**
 * Decimal text to DECIMAL(38,12). DuckDB's text → DECIMAL(38,…) cast is slow (µs per value), so text that fits
 * DECIMAL(18,6) exactly (≤ 12 integer and ≤ 6 fractional characters) takes the fast path; the rest, the wide one.
 */
const parseDecimal = (x: string) => `CASE
    WHEN (strpos(${x}, '.') = 0 AND length(${x}) <= 12)
      OR (strpos(${x}, '.') BETWEEN 1 AND 13 AND length(${x}) - strpos(${x}, '.') <= 6)
    THEN CAST(TRY_CAST(${x} AS DECIMAL(18,6)) AS DECIMAL(38,12))
    ELSE TRY_CAST(${x} AS DECIMAL(38,12)) END`;

/** The largest magnitude a weight or quantity column (DECIMAL(18,3)) holds, exclusive. */
const KG_LIMIT = 'CAST(1000000000000000 AS DECIMAL(38,0))';

/** Scales a DECIMAL(38,12) by 10^e (e ≥ 0) exactly. */
const scaled = (x: string, e: string) => `(${x} * CAST(power(10, ${e}) AS DECIMAL(38,0)))`;

const HS_CLASS = `upper(classification) IN ('HS','H0','H1','H2','H3','H4','H5','H6','HS92','HS96','HS02','HS07','HS12','HS17','HS22','CN8','HS6','HS8','HS10')`;

/** The normalized relation for a generic (StagedRow) staging file. */
export function genericNormalizedSql(stg: string): string {
  return `
  WITH s AS (
    SELECT st.*,
      rm.code AS reporter_code, rm.note AS reporter_note,
      pm.code AS partner_code, pm.note AS partner_note,
      CASE WHEN st.region = '' THEN '' ELSE gm.code END AS region_code,
      ${parseDecimal('st.value')} AS v12,
      ${parseDecimal('st.net_weight')} AS w12,
      ${parseDecimal('st.quantity')} AS q12,
      replace(st.product, '.', '') AS prod0
    FROM ${stg}.staged st
    LEFT JOIN ${stg}.code_map rm ON rm.scheme = st.reporter_scheme AND rm.raw = st.reporter
    LEFT JOIN ${stg}.code_map pm ON pm.scheme = st.partner_scheme AND pm.raw = st.partner
    LEFT JOIN ${stg}.region_map gm ON gm.raw = st.region
  ), n AS (
    SELECT s.*,
      CASE WHEN measure <> 'yoy' AND v12 IS NOT NULL AND abs(v12) < power(10, 25 - exponent)
           THEN ${scaled('v12', 'exponent')} END AS vbase,
      CASE WHEN w12 IS NOT NULL AND abs(w12) < power(10, 25 - weight_exp) THEN ${scaled('w12', 'weight_exp')} END AS wbase,
      CASE WHEN prod0 = 'TOTAL' OR NOT (${HS_CLASS}) OR NOT regexp_full_match(prod0, '[0-9]+') OR length(prod0) % 2 = 0
           THEN prod0 ELSE lpad(prod0, CAST(length(prod0) + 1 AS INTEGER), '0') END AS product_code
    FROM s
  )
  SELECT n.*,
    CASE
      WHEN pre_code IS NOT NULL THEN pre_code
      WHEN reporter_code IS NULL THEN 'unknown-reporter'
      WHEN partner_code IS NULL THEN 'unknown-partner'
      WHEN flow NOT IN ('X','M','RX','RM') THEN 'bad-flow'
      WHEN measure NOT IN ('value','cumulative','yoy') THEN 'bad-measure'
      WHEN NOT regexp_full_match(prod0, 'TOTAL|[0-9A-Za-z]{1,12}') THEN 'bad-product'
      WHEN value IS NULL OR trim(value) = '' THEN 'missing-value'
      WHEN v12 IS NULL THEN 'bad-number'
      WHEN measure <> 'yoy' AND v12 < 0 THEN 'negative-value'
      WHEN measure <> 'yoy' AND vbase IS NULL THEN 'value-too-large'
      WHEN region_code IS NULL THEN 'unknown-region'
      WHEN net_weight IS NOT NULL AND (w12 IS NULL OR wbase IS NULL) THEN 'bad-number-weight'
      WHEN net_weight IS NOT NULL AND abs(wbase) >= ${KG_LIMIT} THEN 'weight-too-large'
      WHEN quantity IS NOT NULL AND q12 IS NULL THEN 'bad-number-quantity'
      WHEN quantity IS NOT NULL AND abs(q12) >= ${KG_LIMIT} THEN 'quantity-too-large'
    END AS problem
  FROM n`;
}

/** Field, raw value and reason for each problem code of {@link genericNormalizedSql}. */
export const GENERIC_PROBLEM_DETAIL = `
  CASE problem
    WHEN 'unknown-reporter' THEN coalesce(json_extract_string(fields, '$.reporter'), 'reporter')
    WHEN 'unknown-partner' THEN coalesce(json_extract_string(fields, '$.partner'), 'partner')
    WHEN 'bad-flow' THEN coalesce(json_extract_string(fields, '$.flow'), 'flow')
    WHEN 'bad-measure' THEN 'measure'
    WHEN 'bad-product' THEN coalesce(json_extract_string(fields, '$.product'), 'product')
    WHEN 'unknown-region' THEN coalesce(json_extract_string(fields, '$.region'), 'region')
    WHEN 'bad-number-weight' THEN coalesce(json_extract_string(fields, '$.netWeight'), 'net weight')
    WHEN 'weight-too-large' THEN coalesce(json_extract_string(fields, '$.netWeight'), 'net weight')
    WHEN 'bad-number-quantity' THEN coalesce(json_extract_string(fields, '$.quantity'), 'quantity')
    WHEN 'quantity-too-large' THEN coalesce(json_extract_string(fields, '$.quantity'), 'quantity')
    ELSE coalesce(pre_field, json_extract_string(fields, '$.value'), 'value')
  END AS p_field,
  CASE problem
    WHEN 'unknown-reporter' THEN reporter
    WHEN 'unknown-partner' THEN partner
    WHEN 'bad-flow' THEN flow
    WHEN 'bad-measure' THEN measure
    WHEN 'bad-product' THEN product
    WHEN 'unknown-region' THEN region
    WHEN 'bad-number-weight' THEN net_weight
    WHEN 'weight-too-large' THEN net_weight
    WHEN 'bad-number-quantity' THEN quantity
    WHEN 'quantity-too-large' THEN quantity
    ELSE coalesce(pre_value, value)
  END AS p_value,
  CASE problem
    WHEN 'unknown-reporter' THEN coalesce(reporter_note, 'unknown reporter code: ' || reporter || ' (' || reporter_scheme || ')')
    WHEN 'unknown-partner' THEN coalesce(partner_note, 'unknown partner code: ' || partner || ' (' || partner_scheme || ')')
    WHEN 'bad-flow' THEN 'unknown flow: ' || flow || ' (expected X, M, RX or RM; map the source label in the mapping file)'
    WHEN 'bad-measure' THEN 'unknown measure: ' || measure
    WHEN 'bad-product' THEN 'invalid product code: ' || product
    WHEN 'missing-value' THEN 'missing value'
    WHEN 'bad-number' THEN 'not a number: ' || value
    WHEN 'negative-value' THEN 'negative trade value: ' || value
    WHEN 'value-too-large' THEN 'value too large: ' || value
    WHEN 'unknown-region' THEN 'unknown region: ' || region || ' (not in the region table; use an administrative code such as 330000)'
    WHEN 'bad-number-weight' THEN 'net weight is not a number: ' || net_weight
    WHEN 'bad-number-quantity' THEN 'quantity is not a number: ' || quantity
    WHEN 'weight-too-large' THEN 'net weight too large for the store (under 10^15 kg): ' || net_weight
    WHEN 'quantity-too-large' THEN 'quantity too large for the store (under 10^15): ' || quantity
    ELSE coalesce(pre_reason, problem)
  END AS p_reason`;

/**
 * The normalized relation for a BACI staging file (typed t,i,j,k,v,q landed by DuckDB's CSV reader),
 * given the temporary maps `bmap` (BACI code → area id), `pmap` (k → product id) and `smap` (t → slice id).
 */
export function baciNormalizedSql(stg: string, hasSegments: boolean): string {
  const line = hasSegments ? 'b.rank + 1 + coalesce(seg.s, 0)' : 'b.rank + 1';
  const segJoin = hasSegments ? `ASOF LEFT JOIN ${stg}.line_segments seg ON b.rank >= seg.a` : '';
  return `
  SELECT ${line} AS line, b.t, b.i, b.j, b.k, b.v, b.q,
    r.id AS rid, p.id AS pid, pm.id AS prod_id, sm.slice_id,
    CASE
      WHEN r.id IS NULL THEN 'unknown-reporter'
      WHEN p.id IS NULL THEN 'unknown-partner'
      WHEN sm.slice_id IS NULL THEN 'bad-period'
      WHEN pm.id IS NULL THEN 'bad-product'
      WHEN b.v IS NULL THEN 'missing-value'
      WHEN b.v < 0 THEN 'negative-value'
      WHEN b.q < 0 THEN 'negative-weight'
    END AS problem
  FROM (SELECT rowid + 1 AS rank, * FROM ${stg}.baci) b ${segJoin}
  LEFT JOIN temp.bmap r ON r.c = b.i
  LEFT JOIN temp.bmap p ON p.c = b.j
  LEFT JOIN temp.pmap pm ON pm.k = b.k
  LEFT JOIN temp.smap sm ON sm.t = b.t`;
}

/** Field, raw value and reason for each problem code of {@link baciNormalizedSql}. */
export function baciProblemDetail(stg: string): string {
  const note = (col: string) =>
    `(SELECT any_value(cm.note) FROM ${stg}.code_map cm WHERE cm.scheme = 'baci' AND cm.raw = CAST(${col} AS VARCHAR))`;
  return `
  CASE problem WHEN 'unknown-reporter' THEN 'i' WHEN 'unknown-partner' THEN 'j' WHEN 'bad-period' THEN 't'
    WHEN 'bad-product' THEN 'k' WHEN 'negative-weight' THEN 'q' ELSE 'v' END AS p_field,
  CASE problem WHEN 'unknown-reporter' THEN CAST(i AS VARCHAR) WHEN 'unknown-partner' THEN CAST(j AS VARCHAR)
    WHEN 'bad-period' THEN CAST(t AS VARCHAR) WHEN 'bad-product' THEN CAST(k AS VARCHAR)
    WHEN 'negative-weight' THEN CAST(q AS VARCHAR) ELSE coalesce(CAST(v AS VARCHAR), 'NA') END AS p_value,
  CASE problem
    WHEN 'unknown-reporter' THEN coalesce(${note('i')}, 'unknown exporter code: ' || i)
    WHEN 'unknown-partner' THEN coalesce(${note('j')}, 'unknown importer code: ' || j)
    WHEN 'bad-period' THEN 'year out of range: ' || t
    WHEN 'bad-product' THEN 'invalid HS6 code: ' || k
    WHEN 'missing-value' THEN 'missing value (NA)'
    WHEN 'negative-value' THEN 'negative trade value: ' || v
    WHEN 'negative-weight' THEN 'negative quantity: ' || q
  END AS p_reason`;
}
