import type { Location } from '../../errors.js';
import type { EntityInput } from '../../snapshot/schema.js';
import type { CollectContext } from '../types.js';
import type { LoadedInventoryFile } from './index.js';

const zoneId = (id: string) => `inventory:zone:${id}`;

/** Declared inventory → zone, data_flow, asset and one plant account; cross-references checked. */
export function normalizeInventory(
  files: LoadedInventoryFile[],
  plant: string,
  ctx: Pick<CollectContext, 'sourceId' | 'raw'>,
): { entities: EntityInput[]; problems: { location: Location; message: string }[] } {
  const problems: { location: Location; message: string }[] = [];
  const entities: EntityInput[] = [];
  const common = (rawRef: string | null) => ({ provider: 'inventory', source: ctx.sourceId, rawRef });

  const zones = new Map<string, { level: number; dmz: boolean }>();
  const systems = new Map<string, { zone?: string; region?: string; externalPartner?: string }>();
  const assets = new Map<string, string>();
  const seen = new Map<string, Location>();
  const claim = (kind: string, id: string, loc: Location) => {
    const prev = seen.get(`${kind}:${id}`);
    if (prev)
      problems.push({ location: loc, message: `duplicate ${kind} id "${id}" (first at line ${prev.line})` });
    else seen.set(`${kind}:${id}`, loc);
  };

  const rawRefs = new Map<LoadedInventoryFile, string>();
  for (const f of files) {
    const rawRef = ctx.raw(`file:${f.file}`, f.content);
    rawRefs.set(f, rawRef);
    f.content.zones.forEach((z, i) => {
      claim('zone', z.id, f.locate(['zones', i, 'id']));
      zones.set(z.id, { level: z.level, dmz: z.dmz });
      entities.push({
        ...common(rawRef),
        id: zoneId(z.id),
        kind: 'zone',
        name: z.name,
        level: z.level,
        dmz: z.dmz,
        description: z.description ?? null,
      });
    });
    f.content.systems.forEach((s, i) => {
      claim('system', s.id, f.locate(['systems', i, 'id']));
      systems.set(s.id, { zone: s.zone, region: s.region, externalPartner: s.externalPartner });
    });
    f.content.assets.forEach((a, i) => {
      claim('asset', a.id, f.locate(['assets', i, 'id']));
      assets.set(a.id, a.zone);
    });
  }

  /** zone of an asset, system or zone id; null for a system outside the plant; undefined if unknown */
  const zoneOf = (ref: string): string | null | undefined => {
    if (zones.has(ref)) return ref;
    if (assets.has(ref)) return assets.get(ref);
    if (systems.has(ref)) return systems.get(ref)?.zone ?? null;
    return undefined;
  };

  for (const f of files) {
    const rawRef = rawRefs.get(f) ?? null;
    f.content.systems.forEach((s, i) => {
      if (s.zone && !zones.has(s.zone))
        problems.push({ location: f.locate(['systems', i, 'zone']), message: `unknown zone "${s.zone}"` });
    });
    f.content.conduits.forEach((c, i) => {
      c.between.forEach((z, j) => {
        if (!zones.has(z))
          problems.push({
            location: f.locate(['conduits', i, 'between', j]),
            message: `unknown zone "${z}"`,
          });
      });
    });
    f.content.assets.forEach((a) => {
      // An asset in an undeclared zone is data for ot.asset_in_declared_zone, not a load error.
      entities.push({
        ...common(rawRef),
        id: `inventory:asset:${a.id}`,
        kind: 'asset',
        name: a.name ?? a.id,
        zone: zones.has(a.zone) ? zoneId(a.zone) : a.zone,
        assetType: a.type,
        vendor: a.vendor ?? null,
        model: a.model ?? null,
        firmwareVersion: a.firmwareVersion ?? null,
        firmwareSigned: a.firmwareSigned ?? null,
        defaultCredentialsChanged: a.defaultCredentialsChanged ?? null,
        criticality: a.criticality ?? null,
      });
    });
    f.content.flows.forEach((fl, i) => {
      const ends = { from: zoneOf(fl.from), to: zoneOf(fl.to) };
      for (const end of ['from', 'to'] as const) {
        if (ends[end] === undefined)
          problems.push({
            location: f.locate(['flows', i, end]),
            message: `unknown ${end} "${fl[end]}": declare it as a zone, system or asset`,
          });
      }
      fl.via.forEach((v, j) => {
        if (!zones.has(v))
          problems.push({ location: f.locate(['flows', i, 'via', j]), message: `unknown zone "${v}"` });
      });
      const dest = systems.get(fl.to);
      entities.push({
        ...common(rawRef),
        id: `inventory:flow:${fl.id}`,
        kind: 'data_flow',
        name: fl.description ?? fl.id,
        from: fl.from,
        to: fl.to,
        fromZone: ends.from ? zoneId(ends.from) : null,
        toZone: ends.to ? zoneId(ends.to) : null,
        protocol: fl.protocol,
        port: fl.port ?? null,
        encrypted: fl.encrypted,
        authenticated: fl.authenticated,
        classification: fl.classification,
        externalPartner:
          fl.externalPartner ?? dest?.externalPartner ?? systems.get(fl.from)?.externalPartner ?? null,
        agreementOnFile: fl.agreementOnFile ?? null,
        via: fl.via.map(zoneId),
        viaDmz: fl.via.some((v) => zones.get(v)?.dmz === true),
        destinationRegion: dest?.region ?? null,
      });
    });
  }

  entities.push({
    id: `inventory:plant:${plant}`,
    kind: 'account',
    provider: 'inventory',
    source: ctx.sourceId,
    rawRef: null,
    name: plant,
    accountType: 'plant',
  });
  return { entities, problems };
}
