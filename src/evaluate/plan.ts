/** One thread's share of an evaluation: the checks it runs and the entity kinds they read. */
export interface CheckGroup {
  checks: string[];
  kinds: string[];
  /** estimated work: entities read, summed over the group's checks */
  cost: number;
}

/** Fixed work per check, in entities: each evaluation has a cost of its own besides reading entities. */
const CHECK_COST = 1_000;

/**
 * Split checks into at most `threads` groups that share no entity kind, so each thread parses only the part
 * of the snapshot its checks read. Checks linked by a kind (directly or through other checks) stay together;
 * the linked sets are dealt out largest first to the least loaded group.
 */
export function planGroups(
  checks: { id: string; kinds: readonly string[] }[],
  counts: Record<string, number>,
  threads: number,
): CheckGroup[] {
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(k, root);
    return root;
  };
  for (const c of checks) {
    for (const k of c.kinds) if (!parent.has(k)) parent.set(k, k);
    const [first, ...rest] = c.kinds;
    if (first === undefined) continue;
    for (const k of rest) parent.set(find(k), find(first));
  }

  const linked = new Map<string, CheckGroup>();
  for (const c of checks) {
    const root = c.kinds[0] === undefined ? '' : find(c.kinds[0]);
    const set = linked.get(root) ?? { checks: [], kinds: [], cost: 0 };
    set.checks.push(c.id);
    for (const k of c.kinds) if (!set.kinds.includes(k)) set.kinds.push(k);
    set.cost += CHECK_COST + c.kinds.reduce((n, k) => n + (counts[k] ?? 0), 0);
    linked.set(root, set);
  }

  const sets = [...linked.values()].sort((a, b) => b.cost - a.cost || (a.checks[0]! < b.checks[0]! ? -1 : 1));
  const groups: CheckGroup[] = [];
  for (const set of sets) {
    if (groups.length < Math.max(1, threads)) {
      groups.push({ checks: [...set.checks], kinds: [...set.kinds], cost: set.cost });
      continue;
    }
    const lightest = groups.reduce((min, g) => (g.cost < min.cost ? g : min));
    lightest.checks.push(...set.checks);
    lightest.kinds.push(...set.kinds);
    lightest.cost += set.cost;
  }
  for (const g of groups) {
    g.checks.sort();
    g.kinds.sort();
  }
  return groups;
}
