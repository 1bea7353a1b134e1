// The two questions every state machine here (leases, payments) asks of its one table of
// allowed transitions.
export type TransitionTable<S extends string> = Record<S, readonly S[]>;

export function allows<S extends string>(table: TransitionTable<S>, from: S, to: S): boolean {
  return table[from].includes(to);
}

/** Every state from which `to` may be reached: the `WHERE status IN (…)` of a conditional update. */
export function sourcesOf<S extends string>(table: TransitionTable<S>, to: S): S[] {
  return (Object.keys(table) as S[]).filter((from) => allows(table, from, to));
}
