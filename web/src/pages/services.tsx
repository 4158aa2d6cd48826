// Services and environments with the version running in each and the deployment in progress; recent
// deployments below. Refreshed whenever the server streams a status change.

import { useEffect, useState } from 'react';
import { api, type DeploymentSummary, type ServiceEnvironment } from '../api.js';

export function ServicesPage() {
  const [places, setPlaces] = useState<ServiceEnvironment[]>();
  const [recent, setRecent] = useState<DeploymentSummary[]>([]);
  const [error, setError] = useState<string>();
  const [version, setVersion] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version is what asks for a reload
  useEffect(() => {
    Promise.all([
      api<ServiceEnvironment[]>('GET', '/api/services'),
      api<DeploymentSummary[]>('GET', '/api/deployments?limit=30'),
    ])
      .then(([overview, deployments]) => {
        setPlaces(overview);
        setRecent(deployments);
      })
      .catch((thrown: Error) => setError(thrown.message));
  }, [version]);
  useEffect(() => {
    const source = new EventSource('/api/stream');
    let timer: ReturnType<typeof setTimeout> | undefined;
    source.addEventListener('journal', (message) => {
      const type = (JSON.parse((message as MessageEvent<string>).data) as { type: string }).type;
      if (type !== 'status.changed' && type !== 'deployment.created') return;
      clearTimeout(timer);
      timer = setTimeout(() => setVersion((v) => v + 1), 300);
    });
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, []);
  if (error) return <p className="error">{error}</p>;
  if (!places) return <p className="muted">Loading…</p>;
  return (
    <div>
      <h1>Services</h1>
      {places.length === 0 ? (
        <p className="muted">Nothing deployed yet: `gantry deploy PLAN --version V`.</p>
      ) : null}
      <table className="table" data-testid="services">
        <thead>
          <tr>
            <th>Service</th>
            <th>Environment</th>
            <th>Current version</th>
            <th>In progress</th>
          </tr>
        </thead>
        <tbody>
          {places.map((place) => (
            <tr key={`${place.service}/${place.environment}`}>
              <td>{place.service}</td>
              <td>{place.environment}</td>
              <td>{place.currentVersion ?? '—'}</td>
              <td>
                {place.inProgress ? (
                  <a href={`#/deployments/${place.inProgress.id}`}>
                    {place.inProgress.version} ({place.inProgress.status})
                  </a>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Recent deployments</h2>
      <table className="table" data-testid="recent">
        <tbody>
          {recent.map((d) => (
            <tr key={d.id}>
              <td>
                <a href={`#/deployments/${d.id}`}>{d.id}</a>
              </td>
              <td>
                {d.service} {d.version} → {d.environment}
              </td>
              <td>
                <span className={`status status-${d.status}`}>{d.status.replace('_', ' ')}</span>
              </td>
              <td>{d.requestedBy}</td>
              <td className="muted">{d.createdAt.slice(0, 19).replace('T', ' ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
