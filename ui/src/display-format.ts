/** How numbers from the gateway read on screen; a missing value is a dash, not "undefined". */

const DASH = "—";

export function formatDuration(milliseconds: number | undefined): string {
  if (milliseconds === undefined || !Number.isFinite(milliseconds) || milliseconds < 0) return DASH;
  const seconds = Math.floor(milliseconds / 1000);
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (days > 0) return `${days}d ${hours}h ${minutes}m`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m ${seconds % 60}s`;
  return `${seconds}s`;
}

export function formatHeap(usedMb: number | undefined, limitMb: number | undefined): string {
  if (usedMb === undefined && limitMb === undefined) return DASH;
  const used = usedMb === undefined ? DASH : usedMb.toFixed(1);
  return limitMb === undefined ? `${used} MB` : `${used} / ${Math.round(limitMb)} MB`;
}

export function formatPercent(fraction: number | undefined): string {
  if (fraction === undefined || !Number.isFinite(fraction)) return DASH;
  return `${Math.round(fraction * 100)}%`;
}

export function formatCount(value: number | undefined): string {
  return value === undefined ? DASH : String(value);
}

/** A tool's arguments or result, short enough for a transcript line. */
export function previewValue(value: unknown, maxLength = 2000): string {
  if (value === undefined) return "";
  let text: string;
  try {
    text = typeof value === "string" ? value : JSON.stringify(value, null, 2);
  } catch {
    text = String(value);
  }
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}
