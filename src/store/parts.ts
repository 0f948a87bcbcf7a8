import { SqlConversationStore } from './conversation.js';
import { SqlDailyStore } from './daily.js';
import { SqlInstallationStore } from './installations.js';
import { sqlLearningStore } from './learning.js';
import { SqlLeaseStore } from './leases.js';
import { SqlQuizStore } from './quiz.js';
import type { Sql } from './sql.js';
import type { Store } from './types.js';

/** The store's parts, each a repository on the SQL seam: the same for SQLite and PostgreSQL. */
export function storeParts(sql: Sql): Pick<Store, 'quiz' | 'daily' | 'conversation' | 'learning' | 'leases' | 'installations'> {
  return {
    quiz: new SqlQuizStore(sql),
    daily: new SqlDailyStore(sql),
    conversation: new SqlConversationStore(sql),
    learning: sqlLearningStore(sql),
    leases: new SqlLeaseStore(sql),
    installations: new SqlInstallationStore(sql),
  };
}
