import type { LoadedControls } from './load.js';

export interface FrameworkCoverage {
  framework: string;
  title: string;
  requirements: number;
  /** requirements with at least one automated check */
  automated: number;
  /** requirements with manual evidence only */
  manualOnly: number;
  coveragePercent: number;
}

export function controlCoverage(controls: LoadedControls): FrameworkCoverage[] {
  return controls.maps.map((m) => {
    const automated = m.requirements.filter((r) => r.checks.length > 0).length;
    const manualOnly = m.requirements.filter((r) => r.checks.length === 0 && r.evidence.length > 0).length;
    return {
      framework: m.framework.id,
      title: m.framework.title,
      requirements: m.requirements.length,
      automated,
      manualOnly,
      coveragePercent: Math.round((1000 * automated) / m.requirements.length) / 10,
    };
  });
}
