#!/usr/bin/env node
// A FAKE kubectl for the command-target tests: a Kubernetes API server cannot run here. It understands the
// few declarative verbs the test plans use (set image, scale, rollout status, patch, annotate, get), keeps
// the cluster as JSON in $FAKE_KUBE_DIR/state.json and appends every argv to $FAKE_KUBE_DIR/calls.jsonl.

import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.FAKE_KUBE_DIR;
if (!dir) fail('FAKE_KUBE_DIR is not set');
const statePath = join(dir, 'state.json');
const args = process.argv.slice(2);
appendFileSync(join(dir, 'calls.jsonl'), `${JSON.stringify(args)}\n`);
const state = existsSync(statePath)
  ? JSON.parse(readFileSync(statePath, 'utf8'))
  : { deployment: {}, service: {}, virtualservice: {}, ingress: {} };

const [verb, ...rest] = args;
const flag = (name) => rest.find((a) => a.startsWith(`--${name}=`))?.split('=').slice(1).join('=') ??
  (rest.includes(`--${name}`) || rest.includes(`-${name}`) ? rest[rest.indexOf(rest.includes(`--${name}`) ? `--${name}` : `-${name}`) + 1] : undefined);

function resource(text) {
  const [kind, name] = text.includes('/') ? text.split('/') : [text, rest[1]];
  return { kind: kind.replace(/s$/, '').replace(/^deploy$/, 'deployment').replace(/^svc$/, 'service'), name };
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

function save() {
  writeFileSync(statePath, `${JSON.stringify(state, null, 2)}\n`);
}

function merge(into, patch) {
  for (const [key, value] of Object.entries(patch)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) into[key] = merge(into[key] ?? {}, value);
    else into[key] = value;
  }
  return into;
}

switch (verb) {
  case 'set': {
    // kubectl set image deployment/NAME CONTAINER=IMAGE
    const { name } = resource(rest[1]);
    const [container, image] = rest[2].split('=');
    state.deployment[name] = { replicas: 1, ...state.deployment[name], containers: { [container]: image } };
    save();
    console.log(`deployment.apps/${name} image updated`);
    break;
  }
  case 'scale': {
    const { name } = resource(rest[0]);
    if (!state.deployment[name]) fail(`Error from server (NotFound): deployments.apps "${name}" not found`);
    state.deployment[name].replicas = Number(flag('replicas'));
    save();
    console.log(`deployment.apps/${name} scaled`);
    break;
  }
  case 'rollout': {
    const { name } = resource(rest[1]);
    if (!state.deployment[name]) fail(`Error from server (NotFound): deployments.apps "${name}" not found`);
    console.log(`deployment "${name}" successfully rolled out`);
    break;
  }
  case 'patch': {
    const { kind, name } = resource(rest[0]);
    const patch = JSON.parse(flag('p'));
    state[kind] ??= {};
    state[kind][name] = merge(state[kind][name] ?? {}, patch);
    save();
    console.log(`${kind}/${name} patched`);
    break;
  }
  case 'annotate': {
    const { kind, name } = resource(rest[0]);
    state[kind] ??= {};
    const annotations = (state[kind][name] ??= {}).annotations ?? {};
    for (const pair of rest.slice(1).filter((a) => a.includes('=') && !a.startsWith('--'))) {
      const [key, value] = pair.split('=');
      annotations[key] = value;
    }
    state[kind][name].annotations = annotations;
    save();
    console.log(`${kind}/${name} annotated`);
    break;
  }
  case 'get': {
    const { kind, name } = resource(rest[0]);
    const found = name ? state[kind]?.[name] : state[kind];
    if (found === undefined) fail(`Error from server (NotFound): ${kind} "${name}" not found`);
    console.log(JSON.stringify(found));
    break;
  }
  default:
    fail(`fake kubectl: unsupported command: ${args.join(' ')}`);
}
