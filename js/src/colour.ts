/**
 * The base colour of a bar, as SPEC.md defines it.
 *
 * The names say what the colour means, not how it looks: the shades live in
 * styles.ts, keyed on the `data-colour` attribute.
 */

import { STATUS_INIT, STATUS_RUNNING, STATUS_UNKNOWN } from "./wire";

export type Colour = "neutral" | "orange" | "red";

/** Fractions of a worker's memory limit; `null` when turned off. */
export interface Thresholds {
  target: number | null;
  spill: number | null;
  pause: number | null;
  terminate: number | null;
}

export const NO_THRESHOLDS: Thresholds = {
  target: null,
  spill: null,
  pause: null,
  terminate: null,
};

const SEVERITY: Record<Colour, number> = { neutral: 0, orange: 1, red: 2 };

/**
 * Whether a worker's status alone colours it red.
 *
 * Running is fine. Unknown is not evidence of trouble (old releases and
 * workers that have not reported yet), so only the memory rules apply to
 * it. A worker still starting up that has sent no sample is also normal.
 * Paused, closing, closed and anything else are trouble.
 */
export function statusIsAlarming(status: number, hasData: boolean): boolean {
  if (status === STATUS_RUNNING || status === STATUS_UNKNOWN) {
    return false;
  }
  return !(status === STATUS_INIT && !hasData);
}

function spillLevel(thresholds: Thresholds): number | null {
  const { target, spill } = thresholds;
  if (target === null) {
    return spill;
  }
  return spill === null ? target : Math.min(target, spill);
}

/** The colour of one worker's bar. */
export function baseColour(
  process: number,
  limit: number | null,
  status: number,
  hasData: boolean,
  thresholds: Thresholds,
): Colour {
  if (statusIsAlarming(status, hasData)) {
    return "red";
  }
  if (limit === null || limit <= 0 || !hasData) {
    return "neutral";
  }
  const { terminate } = thresholds;
  if (terminate !== null && process >= limit * terminate) {
    return "red";
  }
  const spill = spillLevel(thresholds);
  if (spill !== null && process >= limit * spill) {
    return "orange";
  }
  return "neutral";
}

export function worse(a: Colour, b: Colour): Colour {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}

/** The cluster's colour: the worst of its workers'. */
export function worstColour(colours: Iterable<Colour>): Colour {
  let result: Colour = "neutral";
  for (const colour of colours) {
    result = worse(result, colour);
    if (result === "red") {
      break;
    }
  }
  return result;
}

/** A few words on why a bar has its colour, for the tooltip. */
export function colourMeaning(colour: Colour, alarmingStatus: boolean): string {
  if (colour === "red") {
    return alarmingStatus ? "not running" : "near the terminate threshold";
  }
  return colour === "orange" ? "may be spilling" : "";
}
