// The `brickguard.*` settings as the server uses them, normalised from whatever the client sends.
import type { SeveritySetting } from '../engine/types';
import { DEFAULT_MAX_FILE_SIZE } from '../engine/read';

export { DEFAULT_MAX_FILE_SIZE };

export type TraceLevel = 'off' | 'messages' | 'verbose';

export interface Settings {
  enable: boolean;
  rules: Record<string, SeveritySetting>;
  /** Bytes; larger files get one information diagnostic instead of analysis. */
  maxFileSize: number;
  trace: TraceLevel;
}

export const defaultSettings: Settings = { enable: true, rules: {}, maxFileSize: DEFAULT_MAX_FILE_SIZE, trace: 'off' };

const SEVERITIES = new Set<string>(['off', 'info', 'information', 'warning', 'error']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads settings leniently: an invalid entry falls back to its default instead of failing. */
export function normalizeSettings(raw: unknown): Settings {
  if (!isRecord(raw)) return { ...defaultSettings, rules: {} };
  const rules: Record<string, SeveritySetting> = {};
  if (isRecord(raw.rules)) {
    for (const [id, value] of Object.entries(raw.rules)) {
      if (typeof value === 'string' && SEVERITIES.has(value)) rules[id] = value as SeveritySetting;
    }
  }
  const trace = raw.trace === 'messages' || raw.trace === 'verbose' ? raw.trace : 'off';
  // VS Code nests the trace level as `brickguard.trace.server` in many extensions; accept both shapes.
  const nestedTrace = isRecord(raw.trace) ? raw.trace.server : undefined;
  return {
    enable: raw.enable !== false,
    rules,
    maxFileSize:
      typeof raw.maxFileSize === 'number' && Number.isFinite(raw.maxFileSize) && raw.maxFileSize > 0
        ? raw.maxFileSize
        : DEFAULT_MAX_FILE_SIZE,
    trace: nestedTrace === 'messages' || nestedTrace === 'verbose' ? nestedTrace : trace,
  };
}
