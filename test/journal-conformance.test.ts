// One suite, every journal backend: what the engine, CLI and server may rely on whichever database they use.
// Over 400 lines because it is the single contract test of the Journal interface (kysely's DIALECTS style).

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGantryError } from '../src/errors.js';
import { verifyChain } from '../src/journal/audit.js';
import { canonicalJson, hashEvent } from '../src/journal/hash-chain.js';
import type { Journal } from '../src/journal/journal.js';
import { openJournal } from '../src/journal/open.js';
import { journalBackends, type TestJournal } from './support/journal-backends.js';
import {
  appendOne,
  buildChain,
  createDeployment,
  newDeployment,
  runAppendWorker,
  statusChanged,
} from './support/journal-fixtures.js';

const BACKENDS = await journalBackends();
const HOLDER = { holderId: 'engine-a', host: 'host-a', pid: 101 };
const OTHER = { holderId: 'engine-b', host: 'host-b', pid: 202 };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

for (const backend of BACKENDS) {
  describe.skipIf(!backend.check.available)(`journal on ${backend.name}`, () => {
    let t: TestJournal;
    let journal: Journal;

    beforeEach(async () => {
      t = await backend.open();
      journal = t.journal;
    });
    afterEach(async () => {
      await t?.dispose();
    });

    describe('deployments and the service/environment lock', () => {
      it('creates a pending deployment with its deployment.created event and takes the lock', async () => {
        const input = newDeployment({ requestedBy: 'carol' });
        const result = await journal.createDeployment(input);

        expect(result).toMatchObject({
          created: true,
          deployment: { id: input.id, status: 'pending', queued: false },
        });
        expect(await journal.getDeployment(input.id)).toMatchObject({
          plan: input.plan,
          planHash: input.planHash,
          requestedBy: 'carol',
        });
        expect(await journal.readEvents(input.id)).toMatchObject([
          { index: 0, seq: 1, type: 'deployment.created', actor: 'carol', data: input.createdEvent },
        ]);
        expect((await journal.lockHolder('shop-api', 'production'))?.id).toBe(input.id);
      });

      it('refuses a second deployment to a locked place, naming the holder, and writes nothing', async () => {
        const first = await createDeployment(journal);
        const second = newDeployment();

        const result = await journal.createDeployment(second);

        expect(result).toMatchObject({ created: false, holder: { id: first.id, status: 'pending' } });
        expect(await journal.getDeployment(second.id)).toBeUndefined();
        expect((await journal.chainHead()).seq).toBe(1);
      });

      it('locks each service and environment separately', async () => {
        await createDeployment(journal, { environment: 'production' });
        await createDeployment(journal, { environment: 'staging' });
        await createDeployment(journal, { service: 'billing', environment: 'production' });
      });

      it('queues a deployment when asked, and it takes the lock only once the holder has ended', async () => {
        const first = await createDeployment(journal);
        const queued = await createDeployment(journal, { queue: true });
        expect(queued).toMatchObject({ status: 'pending', queued: true });
        expect(await journal.takeQueuedLock(queued.id)).toBe(false);

        await appendOne(journal, first.id, statusChanged('succeeded'));

        expect(await journal.takeQueuedLock(queued.id)).toBe(true);
        expect(await journal.getDeployment(queued.id)).toMatchObject({ queued: false });
        expect((await journal.lockHolder('shop-api', 'production'))?.id).toBe(queued.id);
      });

      it('hands a freed lock to the oldest queued deployment, never to a newcomer', async () => {
        const first = await createDeployment(journal);
        const older = await createDeployment(journal, { queue: true });
        const younger = await createDeployment(journal, { queue: true });
        await appendOne(journal, first.id, statusChanged('failed'));

        const newcomer = await journal.createDeployment(newDeployment());
        expect(newcomer).toMatchObject({ created: false, holder: { id: older.id } });
        expect(await journal.takeQueuedLock(younger.id)).toBe(false);
        expect(await journal.takeQueuedLock(older.id)).toBe(true);
      });

      it('skips a queued deployment that was aborted while waiting', async () => {
        const first = await createDeployment(journal);
        const aborted = await createDeployment(journal, { queue: true });
        const next = await createDeployment(journal, { queue: true });
        await appendOne(journal, aborted.id, statusChanged('aborted'));
        await appendOne(journal, first.id, statusChanged('succeeded'));

        expect(await journal.takeQueuedLock(aborted.id)).toBe(false);
        expect(await journal.takeQueuedLock(next.id)).toBe(true);
      });

      it('replaces a stale lock whose holder ended without releasing it', async () => {
        const crashed = await createDeployment(journal);
        await t.raw.exec(`UPDATE deployments SET status = 'failed' WHERE id = '${crashed.id}'`);

        expect(await journal.lockHolder('shop-api', 'production')).toBeUndefined();
        const next = await createDeployment(journal);
        expect((await journal.lockHolder('shop-api', 'production'))?.id).toBe(next.id);
      });

      it('replaces a stale lock that points at a deployment that does not exist', async () => {
        await createDeployment(journal);
        await t.raw.exec(`UPDATE locks SET deployment_id = 'gone' WHERE service = 'shop-api'`);

        const next = await createDeployment(journal);
        expect((await journal.lockHolder('shop-api', 'production'))?.id).toBe(next.id);
      });

      it('projects status.changed events onto the deployment and releases the lock only at a terminal status', async () => {
        const deployment = await createDeployment(journal);
        await appendOne(journal, deployment.id, statusChanged('running'));
        await appendOne(journal, deployment.id, statusChanged('paused'));
        expect(await journal.getDeployment(deployment.id)).toMatchObject({ status: 'paused' });
        expect((await journal.lockHolder('shop-api', 'production'))?.id).toBe(deployment.id);

        await appendOne(journal, deployment.id, statusChanged('rolled_back'));

        const ended = await journal.getDeployment(deployment.id);
        expect(ended?.status).toBe('rolled_back');
        expect(Date.parse(ended?.updatedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(deployment.updatedAt));
        expect(await journal.lockHolder('shop-api', 'production')).toBeUndefined();
      });

      it('lists deployments newest first, filtered by service, environment and status', async () => {
        const a = await createDeployment(journal, { service: 'shop-api' });
        const b = await createDeployment(journal, { service: 'billing' });
        const c = await createDeployment(journal, { service: 'shop-api', environment: 'staging' });
        await appendOne(journal, a.id, statusChanged('succeeded'));

        const ids = async (filter?: Parameters<Journal['listDeployments']>[0]) =>
          (await journal.listDeployments(filter)).map((d) => d.id);
        expect(await ids()).toEqual([c.id, b.id, a.id]);
        expect(await ids({ service: 'shop-api' })).toEqual([c.id, a.id]);
        expect(await ids({ service: 'shop-api', environment: 'production' })).toEqual([a.id]);
        expect(await ids({ statuses: ['pending'] })).toEqual([c.id, b.id]);
        expect(await ids({ limit: 2 })).toEqual([c.id, b.id]);
      });
    });

    describe('appending events', () => {
      it('gives each event the next global seq and the next index in its deployment, linked to the previous hash', async () => {
        const { a, b } = await buildChain(journal);

        const chain = await journal.readChain(0, 100);
        expect(chain.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect((await journal.readEvents(a.id)).map((e) => [e.seq, e.index])).toEqual([
          [1, 0],
          [4, 1],
          [5, 2],
          [7, 3],
          [10, 4],
        ]);
        expect((await journal.readEvents(b.id)).map((e) => e.index)).toEqual([0, 1, 2]);
        for (let i = 1; i < chain.length; i++) expect(chain[i]?.prevHash).toBe(chain[i - 1]?.hash);
        expect(await journal.chainHead()).toEqual({ seq: 10, hash: chain[9]?.hash });
      });

      it('reads a deployment from a given index, and the chain in pages', async () => {
        const { a } = await buildChain(journal);

        expect((await journal.readEvents(a.id, 3)).map((e) => e.index)).toEqual([3, 4]);
        expect((await journal.readChain(4, 3)).map((e) => e.seq)).toEqual([5, 6, 7]);
        expect(await journal.readChain(10, 3)).toEqual([]);
      });

      it('stores data as the canonical JSON it hashed and gives it back equal', async () => {
        const deployment = await createDeployment(journal);
        const data = { z: [3, { y: 'ü ✓ "quoted"' }], a: { nested: true, n: -0.5 }, skipped: undefined };

        const [result] = await journal.append([
          { deploymentId: deployment.id, events: [{ type: 'note', data, at: '2030-01-02T03:04:05Z' }] },
        ]);

        const stored = await t.raw.rows<{ data: string }>('SELECT data FROM events WHERE seq = 2');
        expect(stored[0]?.data).toBe('{"a":{"n":-0.5,"nested":true},"z":[3,{"y":"ü ✓ \\"quoted\\""}]}');
        const [event] = await journal.readEvents(deployment.id, 1);
        expect(event).toEqual(result?.ok ? result.events[0] : undefined);
        expect(event).toMatchObject({
          at: '2030-01-02T03:04:05.000Z',
          data: { z: [3, { y: 'ü ✓ "quoted"' }], a: { nested: true, n: -0.5 } },
        });
      });

      it('commits a batch in which one request is fenced out and another names an unknown deployment', async () => {
        const held = await createDeployment(journal, { service: 'held' });
        const lost = await createDeployment(journal, { service: 'lost' });
        await journal.acquireLease(held.id, HOLDER, 60_000);
        await journal.acquireLease(lost.id, OTHER, 60_000);

        const results = await journal.append([
          { deploymentId: held.id, events: [{ type: 'a' }, { type: 'b' }], fenceHolderId: HOLDER.holderId },
          { deploymentId: lost.id, events: [{ type: 'c' }], fenceHolderId: HOLDER.holderId },
          { deploymentId: 'no-such-deployment', events: [{ type: 'd' }] },
          { deploymentId: lost.id, events: [{ type: 'e' }] },
        ]);

        expect(results.map((r) => (r.ok ? r.events.map((e) => e.type) : r.reason))).toEqual([
          ['a', 'b'],
          'lease_lost',
          'not_found',
          ['e'],
        ]);
        expect((await journal.readEvents(lost.id)).map((e) => e.type)).toEqual(['deployment.created', 'e']);
        expect((await verifyChain(journal)).ok).toBe(true);
      });

      it('refuses an event that cannot be stored faithfully, writing nothing of its batch', async () => {
        const deployment = await createDeployment(journal);
        const attempt = journal.append([
          { deploymentId: deployment.id, events: [{ type: 'fine' }] },
          { deploymentId: deployment.id, events: [statusChanged('finished' as never)] },
        ]);

        await expect(attempt).rejects.toSatisfy((error) => isGantryError(error, 'GANTRY_INTERNAL'));
        expect(await journal.readEvents(deployment.id)).toHaveLength(1);
      });
    });

    describe('leases', () => {
      it('grants a free lease and refuses another holder while it is valid', async () => {
        const deployment = await createDeployment(journal);

        const first = await journal.acquireLease(deployment.id, HOLDER, 60_000);
        const second = await journal.acquireLease(deployment.id, OTHER, 60_000);

        expect(first).toMatchObject({
          acquired: true,
          lease: { ...HOLDER, deploymentId: deployment.id, epoch: 1 },
        });
        expect(second).toEqual({ acquired: false, lease: first.lease });
        expect(await journal.getLease(deployment.id)).toEqual(first.lease);
      });

      it('lets another holder take an expired lease, with the next epoch', async () => {
        const deployment = await createDeployment(journal);
        await journal.acquireLease(deployment.id, HOLDER, 150);
        await sleep(400);

        const taken = await journal.acquireLease(deployment.id, OTHER, 60_000);

        expect(taken).toMatchObject({ acquired: true, lease: { holderId: OTHER.holderId, epoch: 2 } });
        expect(await journal.renewLease(deployment.id, HOLDER.holderId, 60_000)).toBe(false);
      });

      it('takes over from a holder the caller knows to be dead, before its lease expires', async () => {
        const deployment = await createDeployment(journal);
        await journal.acquireLease(deployment.id, HOLDER, 60_000);

        expect(await journal.acquireLease(deployment.id, OTHER, 60_000, 'some-other-holder')).toMatchObject({
          acquired: false,
        });
        expect(await journal.acquireLease(deployment.id, OTHER, 60_000, HOLDER.holderId)).toMatchObject({
          acquired: true,
          lease: { holderId: OTHER.holderId, epoch: 2 },
        });
      });

      it('renews a lease only for its holder, and lets the holder ask again without a new epoch', async () => {
        const deployment = await createDeployment(journal);
        const { lease } = await journal.acquireLease(deployment.id, HOLDER, 1_000);

        expect(await journal.renewLease(deployment.id, OTHER.holderId, 60_000)).toBe(false);
        expect(await journal.renewLease(deployment.id, HOLDER.holderId, 60_000)).toBe(true);
        const renewed = await journal.getLease(deployment.id);
        expect(Date.parse(renewed?.expiresAt ?? '')).toBeGreaterThan(Date.parse(lease.expiresAt));
        expect(await journal.acquireLease(deployment.id, HOLDER, 60_000)).toMatchObject({
          acquired: true,
          lease: { epoch: 1 },
        });
      });

      it('releases a lease only for its holder, and epochs keep growing after a release', async () => {
        const deployment = await createDeployment(journal);
        await journal.acquireLease(deployment.id, HOLDER, 60_000);

        await journal.releaseLease(deployment.id, OTHER.holderId);
        expect(await journal.getLease(deployment.id)).toMatchObject({ holderId: HOLDER.holderId });
        await journal.releaseLease(deployment.id, HOLDER.holderId);
        expect(await journal.getLease(deployment.id)).toBeUndefined();

        expect(await journal.acquireLease(deployment.id, OTHER, 60_000)).toMatchObject({
          acquired: true,
          lease: { epoch: 2 },
        });
      });

      it('fences out the appends of a holder whose lease was taken over', async () => {
        const deployment = await createDeployment(journal);
        await journal.acquireLease(deployment.id, HOLDER, 60_000);
        await journal.acquireLease(deployment.id, OTHER, 60_000, HOLDER.holderId);

        const [stale] = await journal.append([
          { deploymentId: deployment.id, events: [{ type: 'x' }], fenceHolderId: HOLDER.holderId },
        ]);
        const [current] = await journal.append([
          { deploymentId: deployment.id, events: [{ type: 'y' }], fenceHolderId: OTHER.holderId },
        ]);

        expect(stale).toEqual({ ok: false, reason: 'lease_lost' });
        expect(current).toMatchObject({ ok: true, events: [{ type: 'y', index: 1 }] });
      });

      it('refuses a lease on a deployment that does not exist', async () => {
        await expect(journal.acquireLease('no-such-deployment', HOLDER, 60_000)).rejects.toSatisfy((error) =>
          isGantryError(error, 'GANTRY_DEPLOYMENT_NOT_FOUND'),
        );
      });
    });

    describe('audit', () => {
      it('verifies an untouched chain, counting its events and deployments', async () => {
        await buildChain(journal);

        const report = await verifyChain(journal, { pageSize: 3 });

        expect(report).toMatchObject({ ok: true, eventsChecked: 10, deployments: 3, problems: [] });
      });

      it('names an event whose data was edited', async () => {
        const { a } = await buildChain(journal);
        await t.raw.exec(`UPDATE events SET data = '{"weightPct":100}' WHERE seq = 5`);

        const report = await verifyChain(journal, { pageSize: 4 });

        expect(report.ok).toBe(false);
        expect(report.problems).toEqual([
          expect.objectContaining({
            kind: 'edited',
            seq: 5,
            deploymentId: a.id,
            index: 2,
            type: 'weight.set',
          }),
        ]);
        expect(report.problems[0]?.message).toMatch(
          /^seq 5 \(deployment .+, event 2, weight\.set\): .*edited/,
        );
      });

      it('names an event whose data was replaced by text that is not JSON', async () => {
        await buildChain(journal);
        await t.raw.exec(`UPDATE events SET data = 'not json' WHERE seq = 3`);

        const report = await verifyChain(journal);

        expect(report.problems).toEqual([expect.objectContaining({ kind: 'edited', seq: 3 })]);
      });

      it('names the event after one rewritten together with its hash', async () => {
        await buildChain(journal);
        const [event] = await journal.readChain(4, 1);
        if (!event) throw new Error('chain too short');
        const forged = hashEvent(event.prevHash, event, canonicalJson({ weightPct: 100 }));
        await t.raw.exec(`UPDATE events SET data = '{"weightPct":100}', hash = '${forged}' WHERE seq = 5`);

        const report = await verifyChain(journal);

        expect(report.problems).toEqual([expect.objectContaining({ kind: 'unlinked', seq: 6 })]);
        expect(report.problems[0]?.message).toMatch(/does not match the hash of seq 5/);
      });

      it('names an event removed from the middle of the chain', async () => {
        const { a } = await buildChain(journal);
        await t.raw.exec('DELETE FROM events WHERE seq = 5');

        const report = await verifyChain(journal);

        expect(report.problems).toEqual([
          expect.objectContaining({
            kind: 'missing',
            seq: 6,
            message: expect.stringMatching(/seq 5 is missing/),
          }),
          expect.objectContaining({
            kind: 'missing',
            seq: 7,
            deploymentId: a.id,
            message: expect.stringMatching(/skips from event 1 to event 3: event 2 is missing/),
          }),
        ]);
      });

      it('names events removed from the end of the chain', async () => {
        await buildChain(journal);
        await t.raw.exec('DELETE FROM events WHERE seq >= 9');

        const report = await verifyChain(journal);

        expect(report.problems).toEqual([
          expect.objectContaining({
            kind: 'missing',
            seq: null,
            message: expect.stringMatching(/seq 9–10\) were removed/),
          }),
        ]);
      });

      it('names events that were swapped', async () => {
        await buildChain(journal);
        await t.raw.exec('UPDATE events SET seq = -5 WHERE seq = 5');
        await t.raw.exec('UPDATE events SET seq = 5 WHERE seq = 6');
        await t.raw.exec('UPDATE events SET seq = 6 WHERE seq = -5');

        const report = await verifyChain(journal);

        expect(report.problems).toEqual([
          expect.objectContaining({
            kind: 'reordered',
            seq: 5,
            type: 'status.changed',
            message: expect.stringMatching(/written as seq 6/),
          }),
          expect.objectContaining({
            kind: 'reordered',
            seq: 6,
            type: 'weight.set',
            message: expect.stringMatching(/written as seq 5/),
          }),
        ]);
      });
    });

    describe('users', () => {
      it('stores users with their roles, replacing the roles on a second put', async () => {
        const created = await journal.putUser('dana', ['engineering-lead']);
        const updated = await journal.putUser('dana', ['release-manager', 'security-lead']);
        await journal.putUser('bob', []);

        expect(updated).toEqual({ ...created, roles: ['release-manager', 'security-lead'] });
        expect(await journal.getUser('dana')).toEqual(updated);
        expect(await journal.getUser('nobody')).toBeUndefined();
        expect((await journal.listUsers()).map((u) => u.name)).toEqual(['bob', 'dana']);
      });
    });

    describe('tokens', () => {
      it('stores a token by its secret hash, lists it by user and revokes it once', async () => {
        await journal.putUser('dana', ['deployer']);
        await journal.putUser('erin', ['viewer']);
        const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
        const created = await journal.createToken({
          id: 't-dana1',
          user: 'dana',
          secretHash: 'a'.repeat(64),
          description: 'laptop',
          expiresAt,
        });
        await journal.createToken({
          id: 't-erin1',
          user: 'erin',
          secretHash: 'b'.repeat(64),
          expiresAt: null,
        });

        expect(created).toMatchObject({ id: 't-dana1', user: 'dana', description: 'laptop', expiresAt });
        expect(created.revokedAt).toBeNull();
        expect(await journal.getToken('t-dana1')).toEqual({ ...created, secretHash: 'a'.repeat(64) });
        expect(await journal.getToken('t-nobody')).toBeUndefined();
        expect((await journal.listTokens()).map((t) => t.id)).toEqual(['t-dana1', 't-erin1']);
        expect((await journal.listTokens('erin')).map((t) => [t.id, t.expiresAt])).toEqual([
          ['t-erin1', null],
        ]);

        expect(await journal.revokeToken('t-dana1')).toBe(true);
        expect(await journal.revokeToken('t-dana1')).toBe(false);
        expect(await journal.revokeToken('t-nobody')).toBe(false);
        expect((await journal.getToken('t-dana1'))?.revokedAt).toEqual(expect.any(String));
        expect((await journal.getToken('t-erin1'))?.revokedAt).toBeNull();
      });

      it('refuses a token for a user it does not know', async () => {
        const error = await journal
          .createToken({ id: 't-x', user: 'ghost', secretHash: 'c'.repeat(64), expiresAt: null })
          .catch((thrown: unknown) => thrown);
        expect(isGantryError(error, 'GANTRY_USER_NOT_FOUND')).toBe(true);
        expect(await journal.listTokens()).toEqual([]);
      });
    });

    describe('migrations', () => {
      it('applies each migration once, however often migrate runs', async () => {
        await buildChain(journal);
        await journal.migrate();
        const again = await openJournal(t.options);
        await again.migrate();
        await again.close();

        const applied = await t.raw.rows<{ version: number }>('SELECT version FROM schema_migrations');
        expect(applied.map((row) => Number(row.version))).toEqual([1, 2]);
        expect((await verifyChain(journal)).eventsChecked).toBe(10);
      });
    });

    describe('concurrency', () => {
      it('keeps one linear, verifying chain while two processes and this one append at once', async () => {
        const deployments = await Promise.all(
          Array.from({ length: 30 }, (_, i) => createDeployment(journal, { service: `svc-${i}` })),
        );
        const ids = deployments.map((d) => d.id);
        const eventsPerDeployment = 20;
        const task = { databaseUrl: t.options.databaseUrl, home: t.options.home, eventsPerDeployment };
        const local = await openJournal({ ...t.options, batchAppends: true });

        const written = await Promise.all([
          runAppendWorker({ ...task, deploymentIds: ids.slice(0, 10) }),
          runAppendWorker({ ...task, deploymentIds: ids.slice(10, 20) }),
          Promise.all(
            ids.slice(20).map(async (id) => {
              for (let i = 0; i < eventsPerDeployment; i++)
                await appendOne(local, id, { type: 'local.tick', data: { i } });
            }),
          ),
        ]);
        await local.close();

        expect(written.slice(0, 2)).toEqual([200, 200]);
        const report = await verifyChain(journal, { pageSize: 128 });
        expect(report).toMatchObject({
          ok: true,
          eventsChecked: 30 + 30 * eventsPerDeployment,
          deployments: 30,
        });
        for (const id of ids) {
          expect((await journal.readEvents(id)).map((e) => e.index)).toEqual(
            Array.from({ length: 21 }, (_, i) => i),
          );
        }
      });
    });
  });
}
