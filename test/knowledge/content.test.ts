import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { boldLead, cleanTitle } from '../../src/knowledge/markdown.js';
import { compactKey } from '../../src/search/normalize.js';
import { SEED_NOTES, announceSkip } from '../support/shared.js';

/** The shipped study set: every card complete, every link resolving, every drill explained. */
const kb = loadKnowledge(['knowledge']);
const aggregateIds = new Set([...kb.sequences.map((s) => s.conceptId), ...kb.classifications.map((s) => s.id)]);
const cards = kb.concepts.filter((c) => !aggregateIds.has(c.id));

describe('the shipped knowledge', () => {
  it('loads with no problems reported', () => {
    expect(kb.problems).toEqual([]);
  });

  it('has a card for every concept the issue lists', () => {
    const required = [
      'container-infrastructure', 'container', 'monolithic', 'microservices', 'docker', 'kubernetes', 'jenkins', 'prometheus', 'grafana',
      'iac', 'vagrant', 'virtualbox',
      'orchestration', 'docker-swarm', 'mesos', 'nomad', 'managed-kubernetes', 'rancher', 'openshift', 'kubeadm', 'krib', 'kubespray', 'minikube',
      'master-node', 'worker-node', 'kubectl', 'api-server', 'etcd', 'controller-manager', 'scheduler', 'kubelet', 'container-runtime', 'pod', 'cni',
      'calico', 'coredns', 'kube-proxy', 'pod-creation', 'declarative', 'kubectl-run', 'kubectl-create-deployment', 'kubectl-get-pods-wide',
      'kubectl-port-forward', 'k8s-object', 'namespace', 'volume', 'service', 'deployment', 'replicaset', 'configmap', 'persistent-volume',
      'persistent-volume-claim', 'statefulset', 'rolling-update', 'kubectl-scale',
      'image', 'image-layer', 'dockerfile', 'registry', 'image-tag', 'docker-build', 'docker-run', 'docker-push-pull', 'port-mapping',
      'bind-mount-volume', 'multi-stage-build', 'docker-compose',
      'continuous-integration', 'continuous-delivery', 'jenkins-pipeline', 'jenkinsfile', 'jenkins-stage', 'jenkins-agent', 'jenkins-job',
      'webhook-trigger', 'jenkins-on-kubernetes',
      'metric', 'time-series', 'scrape', 'exporter', 'node-exporter', 'kube-state-metrics', 'promql', 'alertmanager', 'grafana-data-source',
      'grafana-dashboard', 'grafana-panel', 'grafana-alert',
    ];
    expect(required.filter((id) => !kb.byId.has(id))).toEqual([]);
  });

  it.each(cards.map((c) => [c.id, c] as const))('card %s has both languages, summaries, a body, a source and two aliases', (_id, c) => {
    expect(c.title.ko.trim()).not.toBe('');
    expect(c.title.en.trim()).not.toBe('');
    expect(c.summary.ko.trim().length).toBeGreaterThan(5);
    expect(c.summary.en.trim().length).toBeGreaterThan(5);
    expect(c.summary.ko).toMatch(/[\uAC00-\uD7A3]/);
    expect(c.body).toMatch(/[\uAC00-\uD7A3]/);
    expect(c.aliases.length).toBeGreaterThanOrEqual(2);
    expect(c.source.file || c.source.url).toBeTruthy();
    expect(c.source.heading).toBeTruthy();
    expect(c.related.length).toBeGreaterThan(0);
  });

  it('gives every card, sequence and set a "why it matters" line in both languages for the concept of the day', () => {
    const missing = kb.concepts.filter((c) => !c.why?.ko || !c.why?.en).map((c) => c.id);
    expect(missing).toEqual([]);
  });

  it('links every related, confused-with and prerequisite id to a card that exists', () => {
    const dangling = kb.concepts.flatMap((c) => [...c.related, ...c.confusedWith, ...c.prerequisites].filter((id) => !kb.byId.has(id)).map((id) => `${c.id} → ${id}`));
    expect(dangling).toEqual([]);
  });

  it('links every confusion both ways: a learner who mixes up A and B meets the warning on either card', () => {
    const oneWay = kb.concepts.flatMap((c) => c.confusedWith.filter((id) => kb.byId.get(id) && !kb.byId.get(id)!.confusedWith.includes(c.id)).map((id) => `${c.id} → ${id}`));
    expect(oneWay).toEqual([]);
  });

  it('links the classic confusions both ways', () => {
    const pairs = [
      ['kube-proxy', 'cni'], ['kube-proxy', 'coredns'], ['cni', 'coredns'], ['replicaset', 'deployment'], ['kubectl-run', 'kubectl-create-deployment'],
      ['kubelet', 'kubectl'], ['prometheus', 'grafana'], ['image', 'container'], ['continuous-integration', 'continuous-delivery'],
    ];
    for (const [a, b] of pairs) {
      expect(kb.byId.get(a!)!.confusedWith, `${a} ↔ ${b}`).toContain(b);
      expect(kb.byId.get(b!)!.confusedWith, `${b} ↔ ${a}`).toContain(a);
    }
  });

  it('gives every sequence at least four steps, each with its reason in both languages', () => {
    expect(kb.sequences.length).toBeGreaterThanOrEqual(10);
    for (const s of kb.sequences) {
      expect(s.steps.length, s.id).toBeGreaterThanOrEqual(4);
      for (const step of s.steps) {
        expect(step.text.ko, s.id).toMatch(/[\uAC00-\uD7A3]/);
        expect(step.text.en, s.id).toMatch(/[A-Za-z]/);
        expect(step.reason?.ko, `${s.id}: ${step.text.ko}`).toBeTruthy();
        expect(step.reason?.en, `${s.id}: ${step.text.ko}`).toBeTruthy();
      }
    }
    const pod = kb.sequences.find((s) => s.id === 'pod-creation')!;
    expect(pod.steps).toHaveLength(8);
  });

  it('has classification sets with at least two classes of real concepts, among them control plane vs worker node', () => {
    expect(kb.classifications.length).toBeGreaterThanOrEqual(4);
    for (const set of kb.classifications) {
      expect(set.classes.length, set.id).toBeGreaterThanOrEqual(2);
      for (const cls of set.classes) expect(cls.members.length, `${set.id}/${cls.label.en}`).toBeGreaterThan(0);
    }
    const cp = kb.classifications.find((s) => s.id === 'control-plane-vs-worker')!;
    const members = (en: RegExp) => cp.classes.find((c) => en.test(c.label.en))!.members;
    expect(members(/control plane/i)).toEqual(expect.arrayContaining(['api-server', 'etcd', 'controller-manager', 'scheduler']));
    expect(members(/worker/i)).toEqual(expect.arrayContaining(['kubelet', 'container-runtime', 'kube-proxy']));
  });
});

announceSkip('seed headings and bold terms → concepts');
describe.skipIf(!SEED_NOTES)('every heading and bold term of the seed notes', () => {
  it('maps to a concept by its title or an alias', () => {
    const names = new Set(kb.concepts.flatMap((c) => [c.title.ko, c.title.en, c.id, ...c.aliases]).map(compactKey));
    const text = readFileSync(SEED_NOTES!, 'utf8');
    const terms = new Set<string>();
    const headings = new Map<string, string>();
    for (const m of text.matchAll(/^#{1,6}\s+(.+)$/gm)) {
      terms.add(cleanTitle(m[1]!));
      headings.set(cleanTitle(m[1]!), m[1]!.trim());
    }
    for (const m of text.matchAll(/\*\*([^*\n]+)\*\*/g)) {
      const lead = boldLead({ raw: m[0] } as Parameters<typeof boldLead>[0]);
      if (lead) terms.add(lead.term);
    }
    expect(terms.size).toBeGreaterThan(30);
    // A heading counts as mapped by its text with or without its numbering (`1.1 …`, `CH3. …`).
    const unmapped = [...terms].filter((t) => !names.has(compactKey(t)) && !names.has(compactKey(headings.get(t) ?? t)));
    expect(unmapped).toEqual([]);
  });
});
