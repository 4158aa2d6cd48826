// The dashboard: who is signed in, and which page the location's hash names.

import { useEffect, useState } from 'react';
import { ApiError, api, type Me } from './api.js';
import { DeploymentPage } from './pages/deployment.js';
import { ServicesPage } from './pages/services.js';
import { SignIn } from './pages/sign-in.js';

function useHash(): string {
  const [hash, setHash] = useState(window.location.hash);
  useEffect(() => {
    const update = () => setHash(window.location.hash);
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return hash;
}

export function App() {
  const [me, setMe] = useState<Me | null>();
  const [error, setError] = useState<string>();
  const hash = useHash();
  useEffect(() => {
    api<Me>('GET', '/api/me')
      .then(setMe)
      .catch((thrown: Error) => {
        // Not signed in (or the session's token expired or was revoked): ask for a token.
        if (thrown instanceof ApiError && thrown.status === 401) setMe(null);
        else setError(thrown.message);
      });
  }, []);
  if (error) return <p className="error">{error}</p>;
  if (me === undefined) return null;
  if (me === null) return <SignIn onSignedIn={setMe} />;
  const deployment = /^#\/deployments\/([\w-]+)$/.exec(hash)?.[1];
  return (
    <>
      <nav className="top">
        <a href="#/" className="brand">
          Gantry
        </a>
        <span className="who" data-testid="who">
          {me.name} ({me.roles.join(', ')})
        </span>
        <button
          type="button"
          className="small"
          onClick={() => api('DELETE', '/api/session').finally(() => setMe(null))}
        >
          Sign out
        </button>
      </nav>
      <main>
        {deployment ? <DeploymentPage key={deployment} id={deployment} me={me} /> : <ServicesPage />}
      </main>
    </>
  );
}
