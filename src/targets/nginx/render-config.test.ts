import { describe, expect, it } from 'vitest';
import { type NginxRouting, renderNginxConfig } from './render-config.js';

const CANARY: NginxRouting = {
  service: 'shop-api',
  environment: 'production',
  listen: '127.0.0.1:8080',
  slots: [
    { slot: 'blue', version: 'v1', servers: ['10.0.0.1:3000', '10.0.0.2:3000'], weightPct: 90 },
    { slot: 'green', version: 'v2', servers: ['10.0.0.3:3000'], weightPct: 10 },
  ],
  headerRoute: 'green',
  canaryHeader: 'X-Gantry-Canary',
  maintenance: { enabled: false },
  accessLog: '/var/log/nginx/shop-api.json',
  keepalive: 16,
  generation: '0123456789ab',
};

describe('the nginx configuration of a service', () => {
  it('splits by request id, routes the canary header, logs each version as JSON', () => {
    expect(renderNginxConfig(CANARY)).toBe(`upstream gantry_shop_api_production_blue {
    server 10.0.0.1:3000;
    server 10.0.0.2:3000;
    keepalive 16;
}

upstream gantry_shop_api_production_green {
    server 10.0.0.3:3000;
    keepalive 16;
}

split_clients "\${request_id}" $gantry_shop_api_production_split {
    10%     gantry_shop_api_production_green;
    *       gantry_shop_api_production_blue;
}

map $http_x_gantry_canary $gantry_shop_api_production_upstream {
    "1"     gantry_shop_api_production_green;
    "true"  gantry_shop_api_production_green;
    default $gantry_shop_api_production_split;
}

map $gantry_shop_api_production_upstream $gantry_shop_api_production_version {
    gantry_shop_api_production_blue "v1";
    gantry_shop_api_production_green "v2";
    default "";
}

map $http_upgrade $gantry_shop_api_production_connection {
    default upgrade;
    "" "";
}

log_format gantry_shop_api_production escape=json '{"time":$msec,"status":$status,"requestTime":$request_time,"upstream":"$upstream_addr","version":"$gantry_shop_api_production_version"}';

server {
    listen 127.0.0.1:8080;
    access_log /var/log/nginx/shop-api.json gantry_shop_api_production;

    location = /__gantry/generation {
        allow 127.0.0.1;
        allow ::1;
        deny all;
        access_log off;
        default_type text/plain;
        return 200 "0123456789ab";
    }

    location / {
        default_type text/html;
        proxy_pass http://$gantry_shop_api_production_upstream;
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $gantry_shop_api_production_connection;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        add_header X-Gantry-Version $gantry_shop_api_production_version always;
    }
}
`);
  });

  it('gives the remainder to the largest share, and rounds the others to the two decimals nginx reads', () => {
    const thirds = renderNginxConfig({
      ...CANARY,
      slots: [
        { slot: 'blue', version: 'v1', servers: ['10.0.0.1:3000'], weightPct: 66.6667 },
        { slot: 'green', version: 'v2', servers: ['10.0.0.3:3000'], weightPct: 33.3333 },
      ],
    });
    expect(thirds).toContain(
      '    33.33%  gantry_shop_api_production_green;\n    *       gantry_shop_api_production_blue;',
    );
  });

  it('serves the maintenance page to users, letting the canary header through while a version is header-routed', () => {
    const text = renderNginxConfig({
      ...CANARY,
      maintenance: { enabled: true, message: 'Back at 6 — costs $0 "really"', retryAfterSeconds: 120 },
    });
    expect(text).toContain(`    location / {
        default_type text/html;
        if ($http_x_gantry_canary !~ "^(1|true)$") {
            add_header X-Maintenance-Mode true always;
            add_header Retry-After 120 always;
            add_header Cache-Control no-store always;
            return 503 "<!doctype html><html lang=\\"en\\"><head><meta charset=\\"utf-8\\"><title>Down for maintenance</title></head><body><h1>Down for maintenance</h1><p>Back at 6 — costs &#36;0 &quot;really&quot;</p></body></html>";
        }
        proxy_pass`);
  });

  it('answers every request with the page when no version is header-routed', () => {
    const text = renderNginxConfig({ ...CANARY, headerRoute: null, maintenance: { enabled: true } });
    expect(text).toContain(`    location / {
        default_type text/html;
        add_header X-Maintenance-Mode true always;
        add_header Retry-After 300 always;
        add_header Cache-Control no-store always;
        return 503 "<!doctype html><html lang=\\"en\\"><head><meta charset=\\"utf-8\\"><title>Down for maintenance</title></head><body><h1>Down for maintenance</h1><p>shop-api is down for maintenance. Please try again in a few minutes.</p></body></html>";
    }`);
  });

  it('says so with a 503 when no version gets traffic yet, and logs nothing without an access log', () => {
    const text = renderNginxConfig({
      ...CANARY,
      slots: [{ slot: 'blue', version: 'v1', servers: ['10.0.0.1:3000'], weightPct: 0 }],
      headerRoute: null,
      accessLog: undefined,
    });
    expect(text).not.toContain('split_clients');
    expect(text).not.toContain('log_format');
    expect(text).toContain('    access_log off;');
    expect(text).toContain(`        if ($gantry_shop_api_production_upstream = "") {
            return 503 "no version of shop-api (production) receives traffic yet";
        }`);
  });
});
