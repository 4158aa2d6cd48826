// A separate process appending to a shared journal, for the concurrency tests: argv[2] is a JSON WorkerTask.
// Prints one JSON line with what it wrote.

import { openJournal } from '../../src/journal/open.js';

export interface WorkerTask {
  databaseUrl?: string;
  home: string;
  deploymentIds: string[];
  eventsPerDeployment: number;
}

const task = JSON.parse(process.argv[2] ?? '{}') as WorkerTask;
const journal = await openJournal({ databaseUrl: task.databaseUrl, home: task.home });
let written = 0;
await Promise.all(
  task.deploymentIds.map(async (deploymentId) => {
    for (let i = 0; i < task.eventsPerDeployment; i++) {
      const [result] = await journal.append([
        { deploymentId, events: [{ type: 'worker.tick', data: { i, pid: process.pid } }] },
      ]);
      if (!result?.ok) throw new Error(`append to ${deploymentId} failed: ${JSON.stringify(result)}`);
      written++;
    }
  }),
);
await journal.close();
console.log(JSON.stringify({ written }));
