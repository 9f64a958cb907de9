/** How figures read on screen: binary units, short ages, percentages. */

import { STATUS_NAMES } from "./wire";

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"] as const;

function significant(value: number): string {
  if (value < 10) {
    return value.toFixed(2);
  }
  return value < 100 ? value.toFixed(1) : value.toFixed(0);
}

/** `1023 B`, `1.00 KiB`, `12.3 MiB`, `512 GiB`: about three digits. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) {
    return "unknown";
  }
  if (bytes < 0) {
    return `-${formatBytes(-bytes)}`;
  }
  if (bytes < 1024) {
    return `${Math.round(bytes)} B`;
  }
  let unit = 0;
  let value = bytes;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  let digits = significant(value);
  // 1023.7 KiB rounds to "1024": say 1.00 MiB instead.
  if (Number(digits) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
    digits = significant(value);
  }
  return `${digits} ${UNITS[unit]}`;
}

/** The age of a sample: `0.4 s`, `12 s`, `3 min 5 s`, `2 h 10 min`. */
export function formatAge(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) {
    return "unknown";
  }
  if (seconds < 9.95) {
    return `${seconds.toFixed(1)} s`;
  }
  const whole = Math.round(seconds);
  if (whole < 60) {
    return `${whole} s`;
  }
  if (whole < 3600) {
    return `${Math.floor(whole / 60)} min ${whole % 60} s`;
  }
  const minutes = Math.floor(whole / 60);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** A length of time set by the user, such as the window: `30 s`, `5 min`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) {
    return "unknown";
  }
  if (seconds < 120) {
    return `${Number(seconds.toFixed(1))} s`;
  }
  return `${Number((seconds / 60).toFixed(1))} min`;
}

/** Process memory as a share of the limit: `42%`, `<1%`, `no limit`. */
export function formatShare(process: number, limit: number | null): string {
  if (limit === null || limit <= 0) {
    return "no limit";
  }
  const percent = (100 * process) / limit;
  if (percent > 0 && percent < 1) {
    return "<1%";
  }
  return `${Math.round(percent)}%`;
}

/** A status code in words: `closing_gracefully` reads "closing gracefully". */
export function statusName(code: number): string {
  return (STATUS_NAMES[code] ?? "other").replace("_", " ");
}
