/**
 * npm run check:deploy — validates deploy/ without a cluster, a registry or a container engine
 * (issue 16; decision 0010). Run by `npm test` through scripts/test/deploy-check.test.ts.
 *
 * Kubernetes: renders deploy/kubernetes/overlays/* with a small Kustomize renderer for the subset
 * we use (`resources`, `namespace`, `images`; anything else is refused, so the subset cannot grow
 * unnoticed), validates every object against the Kubernetes OpenAPI schemas (the
 * `kubernetes-models` package; unknown fields of the parts we write by hand are refused too, which
 * the schemas alone allow), then checks our own rules: probes (/healthz, /readyz), resources and a
 * restrictive securityContext on every container, writable /tmp and /data, a grace period above the
 * drain, one worker replaced with Recreate, selectors that match, env names and values the gateway
 * accepts (the settings registry), placeholders only in the Secret template.
 *
 * Compose: parses deploy/compose.yaml (with YAML merge keys), checks its structure, that every
 * `${VAR}` is in deploy/.env.example and every key there is used, the gateway services' env names
 * and values, healthchecks, stop_grace_period, scalability of gateway-api, bind-mounted files, the
 * Prometheus scrape config, and runs `podman-compose config` when the installed podman-compose has it.
 *
 *   tsx scripts/deploy-check.ts [--root DIR] [--no-engines]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { checkSettings, SETTINGS } from '../apps/gateway/src/config-registry.ts';

// biome-ignore lint/suspicious/noExplicitAny: manifests are untyped YAML until validated
type Obj = Record<string, any>;

export interface DeployCheckResult {
  /** Anything wrong: the check fails when this is not empty. */
  problems: string[];
  /** What was checked, and what could not be (a tool missing, a file another change adds). */
  notes: string[];
  /** Rendered Kubernetes objects, per overlay. */
  rendered: Record<string, Obj[]>;
}

export interface DeployCheckOptions {
  /** Also run external tools when they are on PATH (podman-compose). Default true. */
  engines?: boolean;
}

/** Settings the gateway knows (apps/gateway/src/config-registry.ts, which lists every package's too). */
const KNOWN_SETTINGS = new Set(SETTINGS.map((s) => s.name));
/** OpenTelemetry's standard variables are read by the SDK, not the settings registry. */
const ALLOWED_EXTRA = /^OTEL_[A-Z0-9_]+$/;
const DEFAULT_DRAIN = 3;
const DEFAULT_SHUTDOWN = 25;

/**
 * Files the observability work (alert rules, Grafana provisioning and dashboard) adds: noted, not failed, while absent.
 */
const PENDING_FILES = new Set([
  'observability/alerts.yml',
  'observability/grafana/provisioning',
  'observability/grafana/dashboards',
]);

// ---------------------------------------------------------------------------------------------
// Kubernetes schemas

const MODELS: Record<string, { new (data: never): { validate(): void } }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PriorityClass', 'StorageClass']);

const modelsDir = join(dirname(new URL(import.meta.url).pathname), '..', 'node_modules', 'kubernetes-models');
const keyCache = new Map<string, Set<string>>();

/** The property names of the first interface in a kubernetes-models declaration file (e.g. `v1/Container`). */
function knownKeys(model: string): Set<string> {
  let keys = keyCache.get(model);
  if (!keys) {
    const text = readFileSync(join(modelsDir, `${model}.d.ts`), 'utf8');
    const start = text.indexOf('export interface ');
    const end = text.indexOf('\n}', start);
    keys = new Set([...text.slice(start, end).matchAll(/^ {4}"([A-Za-z0-9_$-]+)"\??:/gm)].map((m) => m[1]!));
    keyCache.set(model, keys);
  }
  return keys;
}

function unknownKeys(value: unknown, model: string, where: string, problems: string[]): void {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return;
  const known = knownKeys(model);
  for (const key of Object.keys(value)) {
    if (!known.has(key)) problems.push(`${where}: unknown field "${key}" (not in the ${model} schema)`);
  }
}

function modelPath(apiVersion: string, kind: string): string {
  // Core objects (apiVersion v1) live under v1/, the others under group/version/.
  return `${apiVersion}/${kind}`;
}

// ---------------------------------------------------------------------------------------------
// A Kustomize renderer for the subset we use

const KUSTOMIZATION_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images']);

interface Located {
  obj: Obj;
  file: string;
}

function readYamlDocs(file: string, root: string, problems: string[]): Obj[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  const out: Obj[] = [];
  for (const doc of docs) {
    for (const e of doc.errors) problems.push(`${relative(root, file)}: YAML: ${e.message}`);
    const value = doc.toJS() as unknown;
    if (value && typeof value === 'object') out.push(value as Obj);
  }
  return out;
}

function setImage(image: string, rules: Obj[]): string {
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const colon = withoutDigest.lastIndexOf(':');
  const name = colon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(0, colon) : withoutDigest;
  const tag = name === withoutDigest ? undefined : withoutDigest.slice(colon + 1);
  const rule = rules.find((r) => r['name'] === name);
  if (!rule) return image;
  const newName = (rule['newName'] as string | undefined) ?? name;
  if (rule['digest']) return `${newName}@${rule['digest']}`;
  const newTag = (rule['newTag'] as string | undefined) ?? tag;
  return newTag ? `${newName}:${newTag}` : newName;
}

function podSpecOf(obj: Obj): Obj | undefined {
  if (obj['kind'] === 'Deployment' || obj['kind'] === 'StatefulSet' || obj['kind'] === 'DaemonSet')
    return obj['spec']?.['template']?.['spec'];
  if (obj['kind'] === 'Job') return obj['spec']?.['template']?.['spec'];
  if (obj['kind'] === 'CronJob') return obj['spec']?.['jobTemplate']?.['spec']?.['template']?.['spec'];
  return undefined;
}

/** Renders a kustomization directory: `resources` (files or directories), then `images`, then `namespace`. */
export function renderKustomization(
  dir: string,
  root: string,
  problems: string[],
  seen = new Set<string>(),
): Located[] {
  const file = join(dir, 'kustomization.yaml');
  if (seen.has(dir)) {
    problems.push(`${relative(root, file)}: included twice`);
    return [];
  }
  seen.add(dir);
  if (!existsSync(file)) {
    problems.push(`${relative(root, dir)}: no kustomization.yaml`);
    return [];
  }
  const k = (parseYaml(readFileSync(file, 'utf8')) ?? {}) as Obj;
  for (const field of Object.keys(k)) {
    if (!KUSTOMIZATION_FIELDS.has(field))
      problems.push(
        `${relative(root, file)}: "${field}" is not supported by ` +
          `scripts/deploy-check.ts's renderer (resources, namespace, images)`,
      );
  }
  const out: Located[] = [];
  for (const entry of (k['resources'] ?? []) as string[]) {
    const path = resolve(dir, entry);
    if (!existsSync(path)) {
      problems.push(`${relative(root, file)}: resource ${entry} does not exist`);
      continue;
    }
    if (statSync(path).isDirectory()) out.push(...renderKustomization(path, root, problems, seen));
    else for (const obj of readYamlDocs(path, root, problems)) out.push({ obj, file: relative(root, path) });
  }
  const images = (k['images'] ?? []) as Obj[];
  if (images.length > 0) {
    for (const { obj } of out) {
      const spec = podSpecOf(obj);
      for (const c of [...(spec?.['containers'] ?? []), ...(spec?.['initContainers'] ?? [])] as Obj[]) {
        if (typeof c['image'] === 'string') c['image'] = setImage(c['image'], images);
      }
    }
  }
  if (typeof k['namespace'] === 'string') {
    for (const { obj } of out) {
      if (CLUSTER_SCOPED.has(obj['kind'])) continue;
      obj['metadata'] ??= {};
      obj['metadata']['namespace'] = k['namespace'];
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes: our rules

function labelsMatch(selector: Obj | undefined, labels: Obj | undefined): boolean {
  const wanted = (selector?.['matchLabels'] ?? {}) as Record<string, string>;
  if (Object.keys(wanted).length === 0) return false;
  return Object.entries(wanted).every(([k, v]) => labels?.[k] === v);
}

function imageUser(root: string): number | undefined {
  const dockerfile = join(root, 'Dockerfile');
  if (!existsSync(dockerfile)) return undefined;
  const m = /--uid (\d+)/.exec(readFileSync(dockerfile, 'utf8'));
  return m ? Number(m[1]) : undefined;
}

function probePath(probe: Obj | undefined): string | undefined {
  return probe?.['httpGet']?.['path'];
}

function checkKubernetes(overlay: string, located: Located[], root: string, problems: string[]): void {
  const objects = located.map((l) => l.obj);
  const byKind = (kind: string) => objects.filter((o) => o['kind'] === kind);
  const id = (o: Obj) => `${overlay}: ${o['kind']}/${o['metadata']?.['name'] ?? '?'}`;
  const keys = new Set<string>();
  for (const { obj, file } of located) {
    const key = `${obj['kind']}/${obj['metadata']?.['namespace'] ?? ''}/${obj['metadata']?.['name']}`;
    if (keys.has(key)) problems.push(`${id(obj)} (${file}): defined twice`);
    keys.add(key);
    const model = MODELS[`${obj['apiVersion']}/${obj['kind']}`];
    if (!model) {
      problems.push(`${id(obj)} (${file}): no schema for apiVersion ${obj['apiVersion']} kind ${obj['kind']}`);
      continue;
    }
    try {
      new model(obj as never).validate();
    } catch (error) {
      problems.push(`${id(obj)} (${file}): schema: ${(error as Error).message}`);
    }
    unknownKeys(obj, modelPath(obj['apiVersion'], obj['kind']), `${id(obj)} (${file})`, problems);
  }

  const configMaps = new Map(
    byKind('ConfigMap').map((o) => [o['metadata']['name'] as string, (o['data'] ?? {}) as Obj]),
  );
  const secrets = new Map(
    byKind('Secret').map((o) => [
      o['metadata']['name'] as string,
      {
        ...Object.fromEntries(
          Object.entries((o['data'] ?? {}) as Record<string, string>).map(([k, v]) => [
            k,
            Buffer.from(v, 'base64').toString('utf8'),
          ]),
        ),
        ...((o['stringData'] ?? {}) as Obj),
      } as Obj,
    ]),
  );
  for (const s of byKind('Secret')) {
    for (const [k, v] of Object.entries((s['stringData'] ?? {}) as Record<string, string>)) {
      if (v !== '' && !String(v).includes('CHANGE_ME'))
        problems.push(`${id(s)}: ${k} holds a value; the template keeps placeholders only (CHANGE_ME or "")`);
    }
    if (s['data'] && Object.keys(s['data']).length > 0)
      problems.push(`${id(s)}: use stringData placeholders, not encoded data, in the template`);
  }

  const uid = imageUser(root);
  const deployments = byKind('Deployment');
  for (const d of [...deployments, ...byKind('Job')]) {
    const spec = podSpecOf(d) ?? {};
    const where = id(d);
    unknownKeys(spec, 'v1/PodSpec', `${where} pod spec`, problems);
    unknownKeys(spec['securityContext'], 'v1/PodSecurityContext', `${where} pod securityContext`, problems);
    if (d['kind'] === 'Deployment') {
      unknownKeys(d['spec'], 'apps/v1/DeploymentSpec', `${where} spec`, problems);
      if (!labelsMatch(d['spec']?.['selector'], d['spec']?.['template']?.['metadata']?.['labels']))
        problems.push(`${where}: spec.selector does not match the pod template's labels`);
    }
    const podSc = (spec['securityContext'] ?? {}) as Obj;
    if (spec['automountServiceAccountToken'] !== false)
      problems.push(`${where}: automountServiceAccountToken must be false (the gateway does not call the API server)`);
    const volumes = new Map(((spec['volumes'] ?? []) as Obj[]).map((v) => [v['name'] as string, v]));
    for (const c of (spec['containers'] ?? []) as Obj[]) {
      const cw = `${where} container ${c['name']}`;
      unknownKeys(c, 'v1/Container', cw, problems);
      for (const p of ['startupProbe', 'livenessProbe', 'readinessProbe'])
        unknownKeys(c[p], 'v1/Probe', `${cw} ${p}`, problems);
      unknownKeys(c['securityContext'], 'v1/SecurityContext', `${cw} securityContext`, problems);

      // Environment: ConfigMaps and Secrets by envFrom, then env.
      const env: Record<string, string> = {};
      for (const from of (c['envFrom'] ?? []) as Obj[]) {
        const cm = from['configMapRef']?.['name'];
        const sec = from['secretRef']?.['name'];
        const source = cm ? configMaps.get(cm) : sec ? secrets.get(sec) : undefined;
        if (!source) {
          if (!(from['configMapRef'] ?? from['secretRef'])?.['optional'])
            problems.push(`${cw}: envFrom ${cm ? `ConfigMap ${cm}` : `Secret ${sec}`} is not in the rendered output`);
          continue;
        }
        for (const [k, v] of Object.entries(source)) env[k] = String(v ?? '');
      }
      for (const e of (c['env'] ?? []) as Obj[]) env[e['name']] = e['value'] === undefined ? '' : String(e['value']);
      checkEnv(env, cw, problems);

      if (d['kind'] === 'Deployment') {
        for (const p of ['startupProbe', 'livenessProbe', 'readinessProbe']) if (!c[p]) problems.push(`${cw}: no ${p}`);
        if (c['livenessProbe'] && probePath(c['livenessProbe']) !== '/healthz')
          problems.push(`${cw}: livenessProbe must be GET /healthz (alive), not ${probePath(c['livenessProbe'])}`);
        if (c['startupProbe'] && probePath(c['startupProbe']) !== '/healthz')
          problems.push(`${cw}: startupProbe must be GET /healthz, not ${probePath(c['startupProbe'])}`);
        if (c['readinessProbe'] && probePath(c['readinessProbe']) !== '/readyz')
          problems.push(
            `${cw}: readinessProbe must be GET /readyz (503 while draining), not ${probePath(c['readinessProbe'])}`,
          );
      }
      const res = (c['resources'] ?? {}) as Obj;
      if (!res['requests']?.['cpu'] || !res['requests']?.['memory'])
        problems.push(`${cw}: resources.requests needs cpu and memory`);
      if (!res['limits']?.['memory']) problems.push(`${cw}: resources.limits needs memory`);

      const sc = (c['securityContext'] ?? {}) as Obj;
      if ((sc['runAsNonRoot'] ?? podSc['runAsNonRoot']) !== true) problems.push(`${cw}: runAsNonRoot must be true`);
      const runAs = sc['runAsUser'] ?? podSc['runAsUser'];
      if (uid !== undefined && runAs !== undefined && runAs !== uid)
        problems.push(`${cw}: runAsUser ${runAs} is not the image's user ${uid} (Dockerfile)`);
      if (sc['readOnlyRootFilesystem'] !== true) problems.push(`${cw}: readOnlyRootFilesystem must be true`);
      if (sc['allowPrivilegeEscalation'] !== false) problems.push(`${cw}: allowPrivilegeEscalation must be false`);
      if (!((sc['capabilities']?.['drop'] ?? []) as string[]).includes('ALL'))
        problems.push(`${cw}: capabilities.drop must include ALL`);
      if ((sc['seccompProfile']?.['type'] ?? podSc['seccompProfile']?.['type']) !== 'RuntimeDefault')
        problems.push(`${cw}: seccompProfile must be RuntimeDefault`);
      // The image writes only /tmp and /data (decision 0008): with a read-only root both must be volumes.
      const mounts = new Map(((c['volumeMounts'] ?? []) as Obj[]).map((m) => [m['mountPath'] as string, m]));
      for (const path of ['/tmp', '/data']) {
        const m = mounts.get(path);
        if (!m) problems.push(`${cw}: ${path} must be a writable volume (read-only root filesystem)`);
        else if (!volumes.has(m['name'])) problems.push(`${cw}: volume ${m['name']} for ${path} is not declared`);
        else if (m['readOnly']) problems.push(`${cw}: ${path} must be writable`);
      }

      if (d['kind'] === 'Deployment') {
        const drain = Number(env['MG_DRAIN_DELAY_SECONDS'] || DEFAULT_DRAIN);
        const shutdown = Number(env['MG_SHUTDOWN_TIMEOUT_SECONDS'] || DEFAULT_SHUTDOWN);
        const grace = spec['terminationGracePeriodSeconds'] ?? 30;
        if (!(grace >= drain + shutdown))
          problems.push(
            `${where}: terminationGracePeriodSeconds ${grace} ` +
              `< MG_DRAIN_DELAY_SECONDS + MG_SHUTDOWN_TIMEOUT_SECONDS (${drain} + ${shutdown})`,
          );
        const role = env['MG_ROLE'] || 'all';
        const component = d['spec']?.['template']?.['metadata']?.['labels']?.['app.kubernetes.io/component'];
        if (role !== component)
          problems.push(`${where}: MG_ROLE=${role} but the pods are labelled app.kubernetes.io/component=${component}`);
        if (role === 'worker') {
          if (d['spec']?.['replicas'] !== 1) problems.push(`${where}: the worker runs 1 replica`);
          if (d['spec']?.['strategy']?.['type'] !== 'Recreate')
            problems.push(`${where}: the worker is replaced with strategy Recreate`);
        }
      }
    }
  }

  const api = deployments.find(
    (d) => d['spec']?.['template']?.['metadata']?.['labels']?.['app.kubernetes.io/component'] === 'api',
  );
  if (!api) problems.push(`${overlay}: no Deployment with pods labelled app.kubernetes.io/component=api`);
  if (
    !deployments.some(
      (d) => d['spec']?.['template']?.['metadata']?.['labels']?.['app.kubernetes.io/component'] === 'worker',
    )
  )
    problems.push(`${overlay}: no worker Deployment`);
  const apiLabels = api?.['spec']?.['template']?.['metadata']?.['labels'];
  const hpas = byKind('HorizontalPodAutoscaler');
  if (api && !hpas.some((h) => h['spec']?.['scaleTargetRef']?.['name'] === api['metadata']['name']))
    problems.push(`${overlay}: no HorizontalPodAutoscaler for ${api['metadata']['name']}`);
  for (const h of hpas) {
    const target = h['spec']?.['scaleTargetRef'];
    if (!deployments.some((d) => d['metadata']['name'] === target?.['name']))
      problems.push(`${id(h)}: scaleTargetRef ${target?.['name']} is not a Deployment here`);
  }
  const pdbs = byKind('PodDisruptionBudget');
  if (api && !pdbs.some((p) => labelsMatch(p['spec']?.['selector'], apiLabels)))
    problems.push(`${overlay}: no PodDisruptionBudget selects the api pods`);
  for (const s of byKind('Service')) {
    const sel = s['spec']?.['selector'] as Obj | undefined;
    const matches = deployments.filter((d) =>
      labelsMatch({ matchLabels: sel }, d['spec']?.['template']?.['metadata']?.['labels']),
    );
    if (matches.length === 0) problems.push(`${id(s)}: its selector matches no pods`);
    for (const d of matches)
      if (d !== api)
        problems.push(`${id(s)}: its selector also matches ${d['metadata']['name']} (only the api serves users)`);
    const portNames = new Set(
      ((api?.['spec']?.['template']?.['spec']?.['containers'] ?? []) as Obj[]).flatMap((c) =>
        ((c['ports'] ?? []) as Obj[]).map((p) => p['name']),
      ),
    );
    for (const p of (s['spec']?.['ports'] ?? []) as Obj[])
      if (typeof p['targetPort'] === 'string' && !portNames.has(p['targetPort']))
        problems.push(`${id(s)}: targetPort ${p['targetPort']} is not a named port of the api container`);
  }
  const services = new Map(byKind('Service').map((s) => [s['metadata']['name'] as string, s]));
  for (const ing of byKind('Ingress')) {
    for (const rule of (ing['spec']?.['rules'] ?? []) as Obj[]) {
      for (const path of (rule['http']?.['paths'] ?? []) as Obj[]) {
        const backend = path['backend']?.['service'];
        const svc = services.get(backend?.['name']);
        if (!svc) problems.push(`${id(ing)}: backend service ${backend?.['name']} is not in the rendered output`);
        else if (
          backend?.['port']?.['name'] &&
          !((svc['spec']?.['ports'] ?? []) as Obj[]).some((p) => p['name'] === backend['port']['name'])
        )
          problems.push(`${id(ing)}: service ${backend['name']} has no port named ${backend['port']['name']}`);
      }
    }
    const ann = (ing['metadata']?.['annotations'] ?? {}) as Record<string, string>;
    for (const a of [
      'nginx.ingress.kubernetes.io/proxy-read-timeout',
      'nginx.ingress.kubernetes.io/proxy-send-timeout',
    ])
      if (!(Number(ann[a]) >= 3600))
        problems.push(`${id(ing)}: ${a} should be at least 3600 (long-lived /sync WebSockets)`);
  }
  const policies = byKind('NetworkPolicy');
  for (const d of deployments) {
    const labels = d['spec']?.['template']?.['metadata']?.['labels'];
    if (!policies.some((p) => labelsMatch(p['spec']?.['podSelector'], labels)))
      problems.push(`${id(d)}: no NetworkPolicy selects its pods`);
  }
  for (const kind of ['StatefulSet', 'PersistentVolumeClaim'])
    if (byKind(kind).length > 0)
      problems.push(`${overlay}: ${kind}: PostgreSQL and Redis are external (no state in the cluster)`);
}

/** Env names must be settings the gateway knows; values must pass its own validation. */
function checkEnv(env: Record<string, string>, where: string, problems: string[]): void {
  for (const name of Object.keys(env)) {
    if (!KNOWN_SETTINGS.has(name) && !ALLOWED_EXTRA.test(name))
      problems.push(`${where}: env ${name} is not a setting of the gateway (apps/gateway/src/config-registry.ts)`);
  }
  for (const p of checkSettings(env)) {
    // Unknown MG_* names are reported above already, with the same wording for every name.
    if (/not a setting of this program/.test(p)) continue;
    problems.push(`${where}: ${p}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Compose

const COMPOSE_TOP = new Set(['name', 'services', 'volumes', 'networks', 'secrets', 'configs', 'include']);
const COMPOSE_SERVICE = new Set([
  'image',
  'build',
  'command',
  'entrypoint',
  'environment',
  'env_file',
  'ports',
  'expose',
  'volumes',
  'tmpfs',
  'read_only',
  'restart',
  'depends_on',
  'healthcheck',
  'stop_grace_period',
  'stop_signal',
  'profiles',
  'networks',
  'labels',
  'user',
  'working_dir',
  'deploy',
  'cap_drop',
  'cap_add',
  'security_opt',
  'logging',
  'ulimits',
  'secrets',
  'configs',
  'init',
  'extra_hosts',
  'hostname',
  'mem_limit',
  'cpus',
  'scale',
  'container_name',
]);

function parseDuration(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const m = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(value.trim());
  if (!m || (!m[1] && !m[2])) return undefined;
  return Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0);
}

function readEnvFile(file: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

const VAR = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g;

/** Compose interpolation with `values`; required variables (`:?`) left empty get a placeholder. */
function interpolate(text: string, values: Map<string, string>): string {
  return text.replace(
    new RegExp(`\\$\\$|${VAR.source}`, 'g'),
    (m, name: string, op: string | undefined, arg: string) => {
      if (m === '$$') return '$';
      const v = values.get(name);
      if (op?.endsWith('-')) return v ? v : (arg ?? '');
      if (op?.endsWith('?')) return v ? v : 'placeholder';
      return v ?? '';
    },
  );
}

function envOf(service: Obj): Record<string, string> {
  const env = service['environment'];
  if (Array.isArray(env))
    return Object.fromEntries(
      env.map((e: string) => {
        const i = e.indexOf('=');
        return i < 0 ? [e, ''] : [e.slice(0, i), e.slice(i + 1)];
      }),
    );
  return Object.fromEntries(Object.entries((env ?? {}) as Obj).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function checkCompose(deployDir: string, root: string, problems: string[], notes: string[], engines: boolean): void {
  const file = join(deployDir, 'compose.yaml');
  const envFile = join(deployDir, '.env.example');
  const rel = (p: string) => relative(root, p);
  if (!existsSync(file)) {
    problems.push(`${rel(file)} is missing`);
    return;
  }
  if (!existsSync(envFile)) {
    problems.push(`${rel(envFile)} is missing`);
    return;
  }
  const raw = readFileSync(file, 'utf8');
  const example = readEnvFile(envFile);
  const used = new Set([...raw.replace(/\$\$/g, '').matchAll(VAR)].map((m) => m[1]!));
  for (const name of used) if (!example.has(name)) problems.push(`${rel(file)}: \${${name}} is not in ${rel(envFile)}`);
  for (const name of example.keys())
    if (!used.has(name)) problems.push(`${rel(envFile)}: ${name} is not used by ${rel(file)}`);

  const docs = parseAllDocuments(interpolate(raw, example), { merge: true });
  if (docs.length !== 1) problems.push(`${rel(file)}: expected one YAML document`);
  for (const e of docs[0]?.errors ?? []) problems.push(`${rel(file)}: YAML: ${e.message}`);
  const compose = (docs[0]?.toJS({ maxAliasCount: 100 }) ?? {}) as Obj;
  for (const key of Object.keys(compose))
    if (!COMPOSE_TOP.has(key) && !key.startsWith('x-')) problems.push(`${rel(file)}: unknown top-level key "${key}"`);
  const services = (compose['services'] ?? {}) as Record<string, Obj>;
  const volumes = new Set(Object.keys((compose['volumes'] ?? {}) as Obj));
  for (const [name, s] of Object.entries(services)) {
    const where = `${rel(file)}: service ${name}`;
    for (const key of Object.keys(s)) if (!COMPOSE_SERVICE.has(key)) problems.push(`${where}: unknown key "${key}"`);
    if (!s['image'] && !s['build']) problems.push(`${where}: neither image nor build`);
    const deps = Array.isArray(s['depends_on']) ? s['depends_on'] : Object.keys((s['depends_on'] ?? {}) as Obj);
    for (const dep of deps as string[]) {
      if (!services[dep]) problems.push(`${where}: depends_on ${dep}, which is not a service`);
      const condition = (s['depends_on'] as Obj)?.[dep]?.['condition'];
      if (condition === 'service_healthy' && !services[dep]?.['healthcheck'])
        problems.push(`${where}: waits for ${dep} to be healthy, but ${dep} has no healthcheck`);
    }
    for (const v of (s['volumes'] ?? []) as unknown[]) {
      if (typeof v !== 'string') continue;
      const source = v.split(':')[0]!;
      if (source.startsWith('.') || source.startsWith('/')) {
        const path = resolve(deployDir, source);
        const key = relative(deployDir, path);
        if (!existsSync(path)) {
          if (PENDING_FILES.has(key))
            notes.push(`compose: ${key} (mounted by ${name}) is not there yet (deploy/observability work)`);
          else problems.push(`${where}: bind mount ${source} does not exist`);
        }
      } else if (!volumes.has(source)) problems.push(`${where}: volume ${source} is not declared under volumes:`);
    }
  }

  const gateway = Object.entries(services).filter(([, s]) => s['build'] || /media-gateway/.test(String(s['image'])));
  const api = services['gateway-api'];
  const worker = services['gateway-worker'];
  if (!api) problems.push(`${rel(file)}: no gateway-api service`);
  if (!worker) problems.push(`${rel(file)}: no gateway-worker service`);
  for (const [name, s] of gateway) {
    const where = `${rel(file)}: service ${name}`;
    const env = envOf(s);
    checkEnv(env, where, problems);
    const role = env['MG_ROLE'];
    if (name === 'gateway-api' && role !== 'api') problems.push(`${where}: MG_ROLE must be api, not ${role}`);
    if (name === 'gateway-worker' && role !== 'worker') problems.push(`${where}: MG_ROLE must be worker, not ${role}`);
    const test = JSON.stringify(s['healthcheck']?.['test'] ?? '');
    if (name === 'gateway-api' && !test.includes('/readyz')) problems.push(`${where}: healthcheck must call /readyz`);
    if (!s['healthcheck']) problems.push(`${where}: no healthcheck`);
    const drain = Number(env['MG_DRAIN_DELAY_SECONDS'] || DEFAULT_DRAIN);
    const shutdown = Number(env['MG_SHUTDOWN_TIMEOUT_SECONDS'] || DEFAULT_SHUTDOWN);
    const grace = parseDuration(s['stop_grace_period'] ?? '10s');
    if (grace === undefined || grace <= drain + shutdown)
      problems.push(
        `${where}: stop_grace_period ${s['stop_grace_period'] ?? '10s (default)'} must be ` +
          `above MG_DRAIN_DELAY_SECONDS + MG_SHUTDOWN_TIMEOUT_SECONDS (${drain} + ${shutdown})`,
      );
    if (s['read_only'] === true) {
      const tmpfs = ([] as string[]).concat(s['tmpfs'] ?? []).map((t) => t.split(':')[0]);
      const mounted = ((s['volumes'] ?? []) as string[]).map((v) => String(v).split(':')[1]);
      for (const path of ['/tmp', '/data'])
        if (!tmpfs.includes(path) && !mounted.includes(path))
          problems.push(`${where}: read_only needs ${path} as a tmpfs or volume (the image writes there)`);
    }
  }
  if (api) {
    if (api['container_name']) problems.push(`${rel(file)}: gateway-api has a container_name, so it cannot be scaled`);
    if (api['ports'])
      problems.push(`${rel(file)}: gateway-api publishes ports, so --scale would collide (Caddy fronts it)`);
  }
  if (worker?.['deploy']?.['replicas'] !== undefined && worker['deploy']['replicas'] !== 1)
    problems.push(`${rel(file)}: gateway-worker runs one replica`);
  const caddy = services['caddy'];
  if (!caddy) problems.push(`${rel(file)}: no caddy service`);
  else {
    const caddyfile = join(deployDir, 'Caddyfile');
    const text = existsSync(caddyfile) ? readFileSync(caddyfile, 'utf8') : '';
    if (!/dynamic a gateway-api 3000/.test(text))
      problems.push(`${rel(caddyfile)}: must proxy to every gateway-api replica (dynamic a gateway-api 3000)`);
    if (!/\{\$MG_DOMAIN\}/.test(text))
      problems.push(`${rel(caddyfile)}: the site address must be {$MG_DOMAIN} (automatic TLS)`);
  }
  for (const name of ['prometheus', 'grafana']) {
    const profiles = (services[name]?.['profiles'] ?? []) as string[];
    if (!services[name]) problems.push(`${rel(file)}: no ${name} service`);
    else if (!profiles.includes('monitoring')) problems.push(`${rel(file)}: ${name} belongs to the monitoring profile`);
  }

  const promFile = join(deployDir, 'observability', 'prometheus.yml');
  if (!existsSync(promFile)) problems.push(`${rel(promFile)} is missing`);
  else {
    const prom = (parseYaml(readFileSync(promFile, 'utf8')) ?? {}) as Obj;
    if (!((prom['rule_files'] ?? []) as string[]).includes('alerts.yml'))
      problems.push(`${rel(promFile)}: rule_files must list alerts.yml`);
    if (!existsSync(join(deployDir, 'observability', 'alerts.yml')))
      notes.push('compose: observability/alerts.yml is not there yet (deploy/observability work)');
    const names = ((prom['scrape_configs'] ?? []) as Obj[]).flatMap((j) =>
      ((j['dns_sd_configs'] ?? []) as Obj[]).flatMap((d) => (d['names'] ?? []) as string[]),
    );
    for (const n of ['gateway-api', 'gateway-worker'])
      if (!names.includes(n)) problems.push(`${rel(promFile)}: does not scrape ${n}`);
    for (const n of names)
      if (!services[n]) problems.push(`${rel(promFile)}: scrapes ${n}, which is not a compose service`);
  }

  if (!engines) return;
  const pc = spawnSync('podman-compose', ['--help'], { encoding: 'utf8' });
  if (pc.error) {
    notes.push('compose: podman-compose is not on PATH; structural check only');
    return;
  }
  if (!/\bconfig\b/.test(pc.stdout)) {
    const version = (({ stdout, stderr }) => stdout + stderr)(
      spawnSync('podman-compose', ['version'], { encoding: 'utf8' }),
    ).match(/podman-composer? version:? +([\d.]+)/)?.[1];
    notes.push(
      `compose: podman-compose ${version ?? '(unknown version)'} has no "config" ` +
        `command (its --dry-run still creates volumes); structural check only`,
    );
    return;
  }
  const env = { ...process.env } as Record<string, string>;
  for (const [k, v] of example) env[k] = v || 'placeholder';
  const run = spawnSync('podman-compose', ['-f', file, 'config'], { encoding: 'utf8', env, cwd: deployDir });
  if (run.status !== 0)
    problems.push(`podman-compose config failed: ${(run.stderr || run.stdout).trim().slice(0, 800)}`);
  else notes.push('compose: podman-compose config accepted compose.yaml');
}

/** Our renderer must agree with Kustomize itself: `kubectl kustomize` (offline) when it is on PATH. */
function compareWithKubectl(dir: string, overlay: string, mine: Obj[], problems: string[], notes: string[]): void {
  const run = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', timeout: 60_000 });
  if (run.error) {
    notes.push(`kubernetes: kubectl is not on PATH; ${overlay} rendered by scripts/deploy-check.ts only`);
    return;
  }
  if (run.status !== 0) {
    problems.push(`${overlay}: kubectl kustomize failed: ${run.stderr.trim().slice(0, 800)}`);
    return;
  }
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canon((v as Obj)[k])]),
          )
        : v;
  const key = (o: Obj) => `${o['kind']}/${o['metadata']?.['name']}`;
  const ours = new Map(mine.map((o) => [key(o), JSON.stringify(canon(o))]));
  const theirs = parseAllDocuments(run.stdout).map((d) => d.toJS() as Obj);
  for (const o of theirs) {
    if (ours.get(key(o)) !== JSON.stringify(canon(o)))
      problems.push(`${overlay}: ${key(o)} differs from what kubectl kustomize renders`);
  }
  if (theirs.length !== mine.length)
    problems.push(
      `${overlay}: kubectl kustomize renders ${theirs.length} objects, scripts/deploy-check.ts ${mine.length}`,
    );
  else notes.push(`kubernetes: ${overlay} renders the same as kubectl kustomize`);
}

// ---------------------------------------------------------------------------------------------

export function checkDeploy(root: string, options: DeployCheckOptions = {}): DeployCheckResult {
  const problems: string[] = [];
  const notes: string[] = [];
  const rendered: Record<string, Obj[]> = {};
  const deployDir = join(root, 'deploy');
  const overlaysDir = join(deployDir, 'kubernetes', 'overlays');
  const overlays = existsSync(overlaysDir)
    ? readdirSync(overlaysDir).filter((n) => statSync(join(overlaysDir, n)).isDirectory())
    : [];
  if (overlays.length === 0) problems.push('deploy/kubernetes/overlays has no overlay');
  for (const name of overlays.sort()) {
    const overlay = `overlays/${name}`;
    const located = renderKustomization(join(overlaysDir, name), root, problems);
    rendered[overlay] = located.map((l) => l.obj);
    checkKubernetes(overlay, located, root, problems);
    notes.push(`kubernetes: ${overlay} renders ${located.length} objects, validated against the Kubernetes schemas`);
    if (options.engines ?? true)
      compareWithKubectl(join(overlaysDir, name), overlay, rendered[overlay], problems, notes);
  }
  checkCompose(deployDir, root, problems, notes, options.engines ?? true);
  return { problems, notes, rendered };
}

if (process.argv[1] && resolve(process.argv[1]) === new URL(import.meta.url).pathname) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--root');
  const root = i >= 0 && args[i + 1] ? resolve(args[i + 1]!) : join(dirname(new URL(import.meta.url).pathname), '..');
  const { problems, notes } = checkDeploy(root, { engines: !args.includes('--no-engines') });
  for (const n of notes) console.log(`deploy-check: ${n}`);
  if (problems.length > 0) {
    console.error(`deploy-check: ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log('deploy-check: ok');
}
