/**
 * One of two real processes racing to claim the same (channel, day) slots in one SQLite file
 * (test/schedule/exactly-once.test.ts). Opens the store, says it is ready, waits for the go file
 * so both race together, then prints the slots it won as one JSON line.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { openSqliteStore } from '../../src/store/sqlite.js';

const [dataDir, goFile, daysArg, owner] = process.argv.slice(2) as [string, string, string, string];
const days = Number(daysArg);
const store = openSqliteStore({ dataDir });
writeFileSync(`${goFile}.${owner}`, 'ready');
while (!existsSync(goFile)) await new Promise((r) => setTimeout(r, 5));
const won: string[] = [];
for (let d = 0; d < days; d++) {
  const day = `day-${d}`;
  for (const channel of ['c1', 'c2']) {
    const res = await store.daily.claim('race', channel, day, owner, Date.now(), 60_000);
    if (res.won) won.push(`${channel} ${day}`);
  }
}
await store.close();
process.stdout.write(`${JSON.stringify(won)}\n`);
