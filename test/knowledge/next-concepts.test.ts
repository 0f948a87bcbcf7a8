import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitFrontMatter } from '../../src/knowledge/frontMatter.js';
import { loadKnowledge } from '../../src/knowledge/load.js';
import { GLOSSARY, ROOT, announceSkip } from '../support/shared.js';

/**
 * Issue 12, "Concepts learners need next": the cards, drills and classification sets that teach what comes
 * after the notes. The ids below are the list; each must exist, be reviewed, cite an official page,
 * link its classic confusions, and spell its Korean terms as the official glossary does.
 */
const kb = loadKnowledge(['knowledge']);

const NEXT_CARDS = [
  'labels-selectors', 'ingress', 'secret', 'daemonset', 'helm', 'hpa', 'metrics-server',
  'liveness-probe', 'readiness-probe', 'startup-probe', 'service-types', 'metallb',
  'service-clusterip', 'service-nodeport', 'service-loadbalancer', 'service-externalname',
  'storage-class', 'kubectl-cordon-drain', 'resource-requests-limits', 'qos-guaranteed', 'qos-burstable', 'qos-besteffort',
  'job', 'cronjob', 'rbac', 'service-account', 'static-pod',
  'kubectl-describe', 'kubectl-logs', 'kubectl-exec', 'kubectl-expose', 'kubectl-edit', 'kubectl-delete',
  'docker-network', 'entrypoint-cmd', 'private-registry', 'jenkins-credentials', 'jenkins-plugin', 'kustomize',
  'kube-prometheus-stack', 'servicemonitor', 'relabeling', 'cadvisor', 'recording-rule', 'grafana-variable',
];
const NEXT_SETS = ['probe-kinds', 'qos-classes', 'service-type-kinds', 'workload-controllers', 'metric-sources', 'kubectl-read-vs-change'];
const NEXT_DRILLS = ['node-maintenance', 'servicemonitor-flow', 'hpa-loop', 'ingress-request-flow', 'probe-lifecycle'];
const ALL_NEXT = [...NEXT_CARDS, ...NEXT_SETS, ...NEXT_DRILLS];

/** Pages whose owners document the product: the project sites a fact must be checked against. */
const OFFICIAL_HOSTS = [
  'kubernetes.io', 'docs.docker.com', 'prometheus.io', 'grafana.com', 'www.jenkins.io', 'helm.sh',
  'metallb.io', 'prometheus-operator.dev',
];

function frontMatterOf(id: string): Record<string, unknown> {
  const concept = kb.byId.get(id)!;
  return splitFrontMatter(readFileSync(join(ROOT, 'knowledge', concept.origin.file), 'utf8')).data ?? {};
}

describe('the concepts learners need next (issue 12)', () => {
  it('has every card, drill and classification set the issue asks for', () => {
    expect(ALL_NEXT.filter((id) => !kb.byId.has(id))).toEqual([]);
    expect(NEXT_DRILLS.filter((id) => !kb.sequences.some((s) => s.id === id))).toEqual([]);
    expect(NEXT_SETS.filter((id) => !kb.classifications.some((s) => s.id === id))).toEqual([]);
  });

  it.each(ALL_NEXT)('%s says when it was reviewed and against which version', (id) => {
    const reviewed = frontMatterOf(id).reviewed as { date?: unknown; against?: unknown } | undefined;
    expect(reviewed, id).toBeDefined();
    // YAML reads an unquoted 2026-12-01 as a string or a Date depending on the schema; either is a date.
    const date = reviewed!.date instanceof Date ? reviewed!.date.toISOString().slice(0, 10) : String(reviewed!.date);
    expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(String(reviewed!.against ?? '')).toMatch(/\bv?\d+(\.\d+)?\b|LTS/);
  });

  it.each(ALL_NEXT)('%s cites a page of the official documentation', (id) => {
    const url = kb.byId.get(id)!.source.url;
    expect(url, id).toBeTruthy();
    expect(OFFICIAL_HOSTS).toContain(new URL(url!).hostname);
  });

  it('links the confusions a learner makes between these concepts, both ways', () => {
    const pairs = [
      ['liveness-probe', 'readiness-probe'], ['helm', 'kustomize'], ['kubectl-describe', 'kubectl-logs'], ['rbac', 'service-account'],
      ['relabeling', 'recording-rule'], ['job', 'cronjob'], ['qos-guaranteed', 'qos-burstable'], ['qos-burstable', 'qos-besteffort'],
      ['service-nodeport', 'service-loadbalancer'], ['kubectl-delete', 'kubectl-cordon-drain'], ['secret', 'jenkins-credentials'],
    ];
    for (const [a, b] of pairs) {
      expect(kb.byId.get(a!)!.confusedWith, `${a} → ${b}`).toContain(b);
      expect(kb.byId.get(b!)!.confusedWith, `${b} → ${a}`).toContain(a);
    }
  });

  it('asks each classification question with one right class per member', () => {
    for (const id of NEXT_SETS) {
      const set = kb.classifications.find((s) => s.id === id)!;
      expect(set.classes.length, id).toBeGreaterThanOrEqual(2);
      const members = set.classes.flatMap((c) => c.members);
      expect(new Set(members).size, `${id}: a member in two classes has no single answer`).toBe(members.length);
      expect(members.filter((m) => !kb.byId.has(m)), id).toEqual([]);
    }
    const evictedFirst = kb.classifications.find((s) => s.id === 'qos-classes')!.classes[0]!;
    expect(evictedFirst.members).toEqual(['qos-besteffort']);
    const restarts = kb.classifications.find((s) => s.id === 'probe-kinds')!.classes.find((c) => /restart/i.test(c.label.en))!;
    expect(restarts.members).toEqual(['liveness-probe']);
  });

  it('puts the node maintenance drill in the order that keeps the service up: cordon, drain, work, uncordon', () => {
    const steps = kb.sequences.find((s) => s.id === 'node-maintenance')!.steps.map((s) => s.text.en.toLowerCase());
    const at = (word: string) => steps.findIndex((t) => t.includes(word));
    expect(at('cordon')).toBeGreaterThanOrEqual(0);
    expect(at('cordon')).toBeLessThan(at('drain'));
    expect(at('drain')).toBeLessThan(at('reboot'));
    expect(at('reboot')).toBeLessThan(at('uncordon'));
  });
});

announceSkip('Korean spellings of the new cards against the official glossary');
describe.skipIf(!GLOSSARY)('Korean spellings of the new cards', () => {
  /** glossary file → the card that must use its Korean title (the part before the English in parentheses). */
  const TERMS: [string, string][] = [
    ['label', 'labels-selectors'], ['selector', 'labels-selectors'], ['secret', 'secret'], ['daemonset', 'daemonset'],
    ['job', 'job'], ['cronjob', 'cronjob'], ['ingress', 'ingress'], ['service-account', 'service-account'],
    ['static-pod', 'static-pod'], ['mirror-pod', 'static-pod'], ['probe', 'probe-kinds'], ['eviction', 'qos-classes'],
    ['qos-class', 'qos-classes'], ['cadvisor', 'cadvisor'], ['helm-chart', 'helm'],
  ];

  it.each(TERMS)('glossary "%s" is spelled as the glossary does in %s', (term, id) => {
    const title = /^title:\s*(.+)$/m.exec(readFileSync(join(GLOSSARY!, `${term}.md`), 'utf8'))![1]!;
    const korean = title.replace(/\s*\(.*$/, '').trim();
    const c = kb.byId.get(id)!;
    expect(`${c.title.ko}\n${c.summary.ko}\n${c.body}`, `${id} should say ${korean}`).toContain(korean);
  });

  it('avoids spellings the glossary does not use in titles, summaries and bodies (aliases may keep what people type)', () => {
    const variants = [/라벨/, /셀랙터/, /씨크릿/, /인그래스/, /데몬 셋/, /크론 잡/, /서비스 계정/, /컨피그 맵/];
    const offenders = ALL_NEXT.flatMap((id) => {
      const c = kb.byId.get(id)!;
      const text = `${c.title.ko}\n${c.summary.ko}\n${c.body}`;
      return variants.filter((v) => v.test(text)).map((v) => `${id}: ${v.source}`);
    });
    expect(offenders).toEqual([]);
  });
});
