// Whether the journal's hash chain verifies, as `gantry audit verify` on the server says.

import { useEffect, useState } from 'react';
import { type AuditStatus, api } from '../api.js';

/** Checked again whenever `refreshKey` changes (the page passes the deployment's status). */
export function AuditBadge({ refreshKey }: { refreshKey: string }) {
  const [status, setStatus] = useState<AuditStatus>();
  const [error, setError] = useState<string>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey is what asks for a new check
  useEffect(() => {
    api<AuditStatus>('GET', '/api/audit')
      .then(setStatus)
      .catch((thrown: Error) => setError(thrown.message));
  }, [refreshKey]);
  if (error) return <span className="badge bad">audit: {error}</span>;
  if (!status) return <span className="badge">audit: checking…</span>;
  return (
    <span
      className={`badge ${status.ok ? 'good' : 'bad'}`}
      data-testid="audit"
      title={status.problems.map((p) => p.message).join('\n') || `checked ${status.checkedAt}`}
    >
      {status.ok
        ? `audit chain intact (${status.eventsChecked} events)`
        : `audit chain TAMPERED: ${status.problems.length} problem(s)`}
    </span>
  );
}
