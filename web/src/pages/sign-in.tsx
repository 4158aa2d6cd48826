// Signing in: paste a token from `gantry token create`; the server keeps it in an HttpOnly cookie.

import { useState } from 'react';
import { api, type Me } from '../api.js';

export function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<{ message: string; hint?: string }>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      className="sign-in panel"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setError(undefined);
        try {
          onSignedIn(await api<Me>('POST', '/api/session', { token }));
        } catch (thrown) {
          const failure = thrown as Error & { hint?: string };
          setError({ message: failure.message, hint: failure.hint });
        } finally {
          setBusy(false);
        }
      }}
    >
      <h1>Sign in to Gantry</h1>
      <label>
        Token
        <input
          type="password"
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          placeholder="gty.t-…"
          data-testid="token"
        />
      </label>
      <button type="submit" disabled={busy || !token} data-testid="sign-in">
        Sign in
      </button>
      <p className="muted">Ask an administrator for one: gantry token create --user NAME</p>
      {error ? (
        <p className="error" role="alert">
          {error.message}
          {error.hint ? <span className="hint"> — {error.hint}</span> : null}
        </p>
      ) : null}
    </form>
  );
}
