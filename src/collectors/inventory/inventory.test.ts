import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Entity } from '../../snapshot/schema.js';
import { runCollector } from '../run.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '__fixtures__');

describe('inventory collector', () => {
  it('normalizes zones, flows and assets with resolved zones', async () => {
    const r = await runCollector('inventory', { files: ['plant.yaml'], name: 't' }, fixtures);
    expect(r.source).toMatchObject({ id: 'inventory:t', status: 'ok', error: null, apiCalls: 1 });
    const entities = r.entities.map((e) => Entity.parse(e));
    const byId = new Map(entities.map((e) => [e.id, e]));
    expect(entities.filter((e) => e.kind === 'zone')).toHaveLength(4);
    expect(byId.get('inventory:flow:f1')).toMatchObject({
      fromZone: 'inventory:zone:l1',
      toZone: 'inventory:zone:l3',
      viaDmz: false,
    });
    expect(byId.get('inventory:flow:f3')).toMatchObject({
      toZone: null,
      viaDmz: true,
      via: ['inventory:zone:dmz'],
      destinationRegion: 'eu-central-1',
    });
    expect(byId.get('inventory:flow:f4')).toMatchObject({
      externalPartner: 'Partner AG',
      agreementOnFile: false,
    });
    expect(byId.get('inventory:asset:logger')).toMatchObject({ zone: 'wifi', firmwareSigned: null });
    expect(byId.get('inventory:plant:t')).toMatchObject({ kind: 'account', accountType: 'plant' });
    const flow = byId.get('inventory:flow:f1')!;
    expect(flow.rawRef && r.raw[flow.rawRef]?.api).toContain('plant.yaml');
  });

  it('reports an undeclared reference as a source error naming file and line', async () => {
    const r = await runCollector('inventory', { files: ['bad-reference.yaml'] }, fixtures);
    expect(r.source.status).toBe('error');
    expect(r.source.error).toMatch(/bad-reference\.yaml:6:\d+ \(flows\[0\]\.to\): unknown to "nowhere"/);
  });

  it('reports a missing file and a YAML syntax error without throwing', async () => {
    const missing = await runCollector('inventory', { files: ['nope.yaml'] }, fixtures);
    expect(missing.source.status).toBe('error');
    expect(missing.source.error).toMatch(/nope\.yaml: cannot read file: ENOENT/);
  });
});
