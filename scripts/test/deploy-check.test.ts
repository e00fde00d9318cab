import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { parseDocument } from 'yaml';
import { checkDeploy } from '../deploy-check.ts';

const root = new URL('../..', import.meta.url).pathname;
const script = new URL('../deploy-check.ts', import.meta.url).pathname;

describe('deploy/ validates: Kubernetes manifests and compose file (issue 16)', () => {
  test('the real files render and pass every check', () => {
    const { problems, rendered } = checkDeploy(root, { engines: false });
    assert.deepEqual(problems, []);
    const objects = rendered['overlays/example'] ?? [];
    const kinds = new Set(objects.map((o) => `${o['apiVersion']}/${o['kind']}`));
    for (const kind of [
      'apps/v1/Deployment',
      'autoscaling/v2/HorizontalPodAutoscaler',
      'policy/v1/PodDisruptionBudget',
      'networking.k8s.io/v1/Ingress',
      'networking.k8s.io/v1/NetworkPolicy',
      'v1/Secret',
    ])
      assert.ok(kinds.has(kind), `rendered output has a ${kind}`);
    // The overlay's namespace and image reach every namespaced object and every container.
    for (const o of objects) if (o['kind'] !== 'Namespace') assert.equal(o['metadata']['namespace'], 'media-gateway');
    const api = objects.find((o) => o['metadata']['name'] === 'media-gateway-api' && o['kind'] === 'Deployment');
    assert.equal(
      api?.['spec']['template']['spec']['containers'][0]['image'],
      'registry.example.com/media-gateway:0.1.0',
    );
  });

  describe('a broken copy fails with clear messages', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-deploy-check-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(join(root, 'deploy'), join(dir, 'deploy'), { recursive: true });
    cpSync(join(root, 'Dockerfile'), join(dir, 'Dockerfile'));

    // The api Deployment's readinessProbe is misspelt (the schemas allow unknown fields; we do not), it
    // gains an env var the gateway does not know, a short grace period and a replica count as text.
    const apiFile = join(dir, 'deploy/kubernetes/base/api-deployment.yaml');
    const api = parseDocument(readFileSync(apiFile, 'utf8'));
    const container = ['spec', 'template', 'spec', 'containers', 0];
    api.setIn([...container, 'readinesProbe'], api.getIn([...container, 'readinessProbe']));
    api.deleteIn([...container, 'readinessProbe']);
    const env = api.getIn([...container, 'env']) as { add(v: unknown): void };
    env.add(api.createNode({ name: 'MG_SEARCH_INDX', value: 'disk' }));
    api.setIn(['spec', 'template', 'spec', 'terminationGracePeriodSeconds'], 20);
    api.setIn(['spec', 'replicas'], 'three');
    writeFileSync(apiFile, api.toString());
    // Compose: an unknown variable on the api service, and a worker without its role.
    const composeFile = join(dir, 'deploy/compose.yaml');
    const compose = readFileSync(composeFile, 'utf8')
      .replace('      MG_ROLE: api\n', '      MG_ROLE: api\n      MG_NOT_A_SETTING: "1"\n')
      .replace('      MG_ROLE: worker\n', '');
    writeFileSync(composeFile, compose);

    test('checkDeploy lists each problem', () => {
      const { problems } = checkDeploy(dir, { engines: false });
      const text = problems.join('\n');
      assert.match(text, /overlays\/example: Deployment\/media-gateway-api container gateway: no readinessProbe/);
      assert.match(text, /container gateway: unknown field "readinesProbe" \(not in the v1\/Container schema\)/);
      assert.match(text, /env MG_SEARCH_INDX is not a setting of the gateway/);
      assert.match(
        text,
        /terminationGracePeriodSeconds 20 < MG_DRAIN_DELAY_SECONDS \+ MG_SHUTDOWN_TIMEOUT_SECONDS \(10 \+ 25\)/,
      );
      assert.match(
        text,
        /Deployment\/media-gateway-api \(deploy\/kubernetes\/base\/api-deployment.yaml\): schema: .*replicas must be integer/,
      );
      assert.match(text, /service gateway-api: env MG_NOT_A_SETTING is not a setting of the gateway/);
      assert.match(text, /service gateway-worker: MG_ROLE must be worker/);
    });

    test('the command exits 1 and prints them', () => {
      const run = spawnSync(process.execPath, ['--import', 'tsx', script, '--root', dir, '--no-engines'], {
        cwd: root,
        encoding: 'utf8',
      });
      assert.equal(run.status, 1, run.stdout + run.stderr);
      assert.match(run.stderr, /deploy-check: \d+ problem\(s\):/);
      assert.match(run.stderr, /no readinessProbe/);
      assert.match(run.stderr, /MG_NOT_A_SETTING is not a setting of the gateway/);
    });
  });
});
