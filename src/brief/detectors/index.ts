/** Every detector, in the order they run (ranking, not this order, decides what a brief shows first). */
import type { Detector } from '../detector.js';
import { declines } from './declines.js';
import { headline } from './headline.js';
import { milestones } from './milestones.js';
import { mirror } from './mirror.js';
import { partners } from './partners.js';
import { projection } from './projection.js';
import { records } from './records.js';
import { regions } from './regions.js';
import { releaseTables } from './release-tables.js';
import { revisions } from './revisions.js';
import { structure } from './structure.js';

export const DETECTORS: readonly Detector[] = [
  headline,
  records,
  milestones,
  partners,
  structure,
  declines,
  regions,
  mirror,
  revisions,
  projection,
  releaseTables,
];
