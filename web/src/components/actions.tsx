// The buttons a person may use on this deployment: approve (with a comment), promote, pause, resume and
// abort. Each is shown only to those allowed; the server's answer, refusal included, is shown as it is.

import { useState } from 'react';
import { api } from '../api.js';
import type { Allowed } from '../deployment/permissions.js';

interface Props {
  id: string;
  allowed: Allowed;
  /** The last event index on screen: the approval records the analysis as of it. */
  seenEventIndex: number;
}

export function Actions({ id, allowed, seenEventIndex }: Props) {
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const act = async (path: string, body: Record<string, unknown>, done: string) => {
    setBusy(true);
    setMessage(undefined);
    try {
      await api('POST', `/api/deployments/${encodeURIComponent(id)}/${path}`, body);
      setMessage({ ok: true, text: done });
      setComment('');
    } catch (thrown) {
      setMessage({ ok: false, text: (thrown as Error).message });
    } finally {
      setBusy(false);
    }
  };
  const any = allowed.approve || allowed.pause || allowed.promote || allowed.resume || allowed.abort;
  if (!any && !message) return null;
  return (
    <section className="panel actions" aria-label="actions">
      {allowed.approve ? (
        <div className="approve">
          <label>
            Approve {allowed.approve.step.name} as {allowed.approve.roles.join(' or ')}
            <textarea
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              placeholder="Comment (recorded with your approval)"
              data-testid="approve-comment"
            />
          </label>
          <button
            type="button"
            disabled={busy}
            data-testid="approve"
            onClick={() =>
              act(
                'approve',
                { comment: comment || undefined, role: allowed.approve?.roles[0], seenEventIndex },
                'Approved',
              )
            }
          >
            Approve
          </button>
        </div>
      ) : null}
      <div className="buttons">
        {allowed.promote ? (
          <button
            type="button"
            disabled={busy}
            data-testid="promote"
            onClick={() => act('promote', {}, 'Promoted')}
          >
            Promote
          </button>
        ) : null}
        {allowed.resume ? (
          <button
            type="button"
            disabled={busy}
            data-testid="resume"
            onClick={() => act('resume', {}, 'Resumed')}
          >
            Resume
          </button>
        ) : null}
        {allowed.pause ? (
          <button
            type="button"
            disabled={busy}
            data-testid="pause"
            onClick={() => act('pause', {}, 'Pause requested')}
          >
            Pause
          </button>
        ) : null}
        {allowed.abort ? (
          <button
            type="button"
            className="danger"
            disabled={busy}
            data-testid="abort"
            onClick={() =>
              window.confirm('Abort this deployment and roll it back?') && act('abort', {}, 'Abort requested')
            }
          >
            Abort
          </button>
        ) : null}
      </div>
      {message ? (
        <p className={message.ok ? 'ok' : 'error'} role="status" data-testid="action-result">
          {message.text}
        </p>
      ) : null}
    </section>
  );
}
