/** Types for the benchmark's synthetic snapshot generator (plain JavaScript, run by Node directly). */
import type { SnapshotInput } from '../src/snapshot/schema.js';

export function generateSnapshot(total: number, collectedAt?: string): SnapshotInput;
/** Writes the snapshot and returns how many entities it holds. */
export function writeSnapshot(total: number, file: string): number;
