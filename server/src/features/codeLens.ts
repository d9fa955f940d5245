/**
 * Code lenses of the language service: on a Service whose selector picks one
 * color of a blue/green pair, which Deployment gets the traffic now (and its
 * image) and a switch to the other color.
 */
import { ManifestFile } from '../model/manifest';
import { Color, trafficLenses } from './actions/blueGreen';

export interface CodeLensEntry {
  start: number;
  end: number;
  title: string;
  /** The command the lens runs (none: the lens only informs). */
  command?: { command: string; arguments: unknown[] };
}

export const SWITCH_TRAFFIC_COMMAND = 'kubeManifests.switchTraffic';

export function doCodeLenses(file: ManifestFile): CodeLensEntry[] {
  if (file.disabled) return [];
  return trafficLenses(file).map((l) => ({
    start: l.start,
    end: l.end,
    title: l.title,
    command: l.switchTo ? { command: SWITCH_TRAFFIC_COMMAND, arguments: [file.uri, l.serviceOffset, l.switchTo as Color] } : undefined,
  }));
}
