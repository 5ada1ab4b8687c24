import type { z } from 'zod';
import type { EntityInput, EntityKind, RawRecord } from '../snapshot/schema.js';

/** What a collector gets for one run against one target. */
export interface CollectContext {
  /** `<collector>:<target>`: put it on every entity as `source` */
  readonly sourceId: string;
  /** directory of plantproof.yaml; relative paths in collector options resolve against it */
  readonly configDir: string;
  readonly signal: AbortSignal;
  readonly env: NodeJS.ProcessEnv;
  now(): Date;
  /** keep a raw payload for evidence; returns the `rawRef` to put on entities built from it */
  raw(api: string, payload: unknown): string;
  /** count one API call (or file read) */
  call(n?: number): void;
  /** note something not collected (a region not recording, a denied permission); makes the source `partial` */
  gap(what: string): void;
  /** progress text for a terminal */
  progress(message: string): void;
}

export interface CollectorOutput {
  entities: EntityInput[];
}

/**
 * One source of configuration. A collector throws `CollectorError` (or anything) when it cannot
 * read its source at all; the runner records that as a source error and carries on.
 */
export interface Collector<Options = unknown> {
  readonly id: string;
  readonly title: string;
  readonly kinds: readonly EntityKind[];
  /** options of one `collectors[]` entry in plantproof.yaml, without `type` */
  readonly options: z.ZodType<Options>;
  /** a short label for the target, e.g. the account id or host; part of the source id */
  target(options: Options): string;
  collect(options: Options, ctx: CollectContext): Promise<CollectorOutput>;
}

// biome-ignore lint/suspicious/noExplicitAny: the registry holds collectors whose option types differ
export type AnyCollector = Collector<any>;

export type RawRecordInput = Omit<RawRecord, 'source'>;
