import type { CardView } from '../../src/reply.js';

/** A small etcd card for rendering tests; pass what a test needs to differ. */
export const card = (over: Partial<CardView> = {}): CardView => ({
  id: 'etcd',
  title: { ko: 'etcd', en: 'etcd' },
  category: 'control-plane',
  summary: { ko: '클러스터 상태 저장소', en: 'The cluster state store' },
  body: 'etcd는 키-값 저장소입니다.',
  related: [],
  confusedWith: [],
  aliases: [],
  source: { file: 'ch3-kubernetes/etcd.md', heading: 'etcd', line: 1 },
  ...over,
});
