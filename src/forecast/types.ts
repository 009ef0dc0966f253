/**
 * Shapes shared by the forecasting modules.
 */

/** A prediction interval at one level, e.g. 80 %: lower[h-1] … upper[h-1] for h = 1…horizon. */
export interface PredictionInterval {
  level: number;
  lower: number[];
  upper: number[];
}

/** A soft problem with the series or the fit, e.g. too short for a seasonal model. Collected, never thrown. */
export interface ForecastWarning {
  code:
    | 'short-series'
    | 'structural-break'
    | 'zeros'
    | 'negative-values'
    | 'constant-series'
    | 'intermittent'
    | 'lunar-new-year'
    | 'seasonally-adjusted'
    | 'revisions'
    | 'dataset-choice'
    | 'independent-flows';
  message: string;
}

/** What one forecasting method produces. */
export interface MethodForecast {
  /** `ETS(M,A,M)`, `Theta`, `seasonal naive` … */
  name: string;
  point: number[];
  intervals: PredictionInterval[];
  /** Model parameters (smoothing weights, drift …). */
  params: Record<string, number>;
  /** How the intervals were computed. */
  intervalMethod: 'analytic' | 'simulation' | 'calibrated on long series' | `${string} intervals re-centred`;
}
