/** SQLite gives NULL where our records say "absent". */
export const u = <T>(v: T | null): T | undefined => (v === null ? undefined : v);
