import { z } from 'zod';

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'ids use letters, digits, . _ : -');

/** One inventory file: any of the sections may be present; several files are combined. */
export const InventoryFile = z.strictObject({
  zones: z
    .array(
      z.strictObject({
        id,
        name: z.string().min(1),
        /** Purdue level 0-5; the DMZ is 3.5 */
        level: z.number().min(0).max(5),
        dmz: z.boolean().default(false),
        description: z.string().optional(),
      }),
    )
    .default([]),
  systems: z
    .array(
      z.strictObject({
        id,
        name: z.string().min(1),
        /** the zone it runs in; omit for a system outside the plant (cloud service, partner) */
        zone: id.optional(),
        /** cloud region where it keeps data, for systems outside the plant */
        region: z.string().optional(),
        externalPartner: z.string().optional(),
      }),
    )
    .default([]),
  conduits: z
    .array(
      z.strictObject({
        id,
        between: z.tuple([id, id]),
        protocols: z.array(z.string()).default([]),
        description: z.string().optional(),
      }),
    )
    .default([]),
  flows: z
    .array(
      z.strictObject({
        id,
        from: id,
        to: id,
        protocol: z.string().min(1),
        port: z.number().int().min(1).max(65535).optional(),
        encrypted: z.boolean(),
        authenticated: z.boolean(),
        classification: z.enum(['public', 'internal', 'confidential', 'restricted']),
        via: z.array(id).default([]),
        externalPartner: z.string().optional(),
        agreementOnFile: z.boolean().optional(),
        description: z.string().optional(),
      }),
    )
    .default([]),
  assets: z
    .array(
      z.strictObject({
        id,
        name: z.string().optional(),
        zone: id,
        type: z.string().min(1),
        vendor: z.string().optional(),
        model: z.string().optional(),
        firmwareVersion: z.string().nullable().optional(),
        firmwareSigned: z.boolean().nullable().optional(),
        defaultCredentialsChanged: z.boolean().nullable().optional(),
        criticality: z.enum(['low', 'medium', 'high', 'critical']).optional(),
      }),
    )
    .default([]),
});
export type InventoryFile = z.infer<typeof InventoryFile>;

export const InventoryOptions = z.strictObject({
  /** inventory YAML files, relative to plantproof.yaml */
  files: z.array(z.string().min(1)).min(1),
  /** a label for the source id; defaults to "plant" */
  name: z.string().min(1).default('plant'),
});
export type InventoryOptions = z.infer<typeof InventoryOptions>;
