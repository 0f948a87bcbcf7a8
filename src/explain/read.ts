import { cellsAt, headerColumns, type Columns } from './columns.js';
import { classify, looksLikeTrouble } from './messages.js';
import { safeLine } from './mask.js';
import { SIGNALS, signalOfExitCode, signalOfReason, type Signal } from './signals.js';

/** One thing the paste shows, with what it names. `line` is 1-based in the text as given. */
export interface Finding {
  signal: Signal;
  line: number;
  /** The line as the reply may show it (secrets masked, pings defused). */
  text: string;
  pod?: string;
  container?: string;
  node?: string;
  object?: string;
  reason?: string;
  exitCode?: number;
  restarts?: number;
  detail?: string;
}

export interface UnknownLine {
  line: number;
  text: string;
}

export interface PasteReading {
  findings: Finding[];
  unknown: UnknownLine[];
  /** The paste was longer than we read; `lines` and `chars` say how much was read. */
  truncated: boolean;
  lines: number;
  chars: number;
}

export const MAX_CHARS = 12_000;
export const MAX_LINES = 300;
const MAX_UNKNOWN = 20;

type Table = { kind: 'pods' | 'nodes' | 'events' | 'endpoints' | 'pvc'; cols: Columns };

const POD_ROW = /^(?:(\S+)\s+)?([a-z0-9][a-z0-9.-]*)\s+(\d+\/\d+)\s+(\S+)\s+(\d+)(?:\s+\(([^)]*)\))?\s+(\S+)/;
const NODE_ROW = /^([a-z0-9][a-z0-9.-]*)\s+((?:Not)?Ready(?:,SchedulingDisabled)?|Unknown)\s+(\S+)\s+(\S+)\s+v\d/;
const EVENT_ROW = /^(?:(\S+)\s+)?(\S+(?: \(x\d+ over \S+\))?)\s+(Normal|Warning)\s+(\w+)\s+((?:[\w.-]+\/)?[\w.-]+\/\S+)\s+(.*)$/;
const DESCRIBE_EVENT = /^\s*(Normal|Warning)\s+(\w+)\s+(\S+(?: \(x\d+ over \S+\))?)\s+(\S+(?:, \S+)?)\s+(.*)$/;

function tableOf(line: string): Table | undefined {
  const t = line.trim();
  if (/^(NAMESPACE\s+)?NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/.test(t)) return { kind: 'pods', cols: headerColumns(line) };
  if (/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION/.test(t)) return { kind: 'nodes', cols: headerColumns(line) };
  if (/^(NAMESPACE\s+)?LAST SEEN\s+TYPE\s+REASON\s+OBJECT/.test(t)) return { kind: 'events', cols: headerColumns(line) };
  if (/^(NAMESPACE\s+)?NAME\s+ENDPOINTS\s+AGE/.test(t)) return { kind: 'endpoints', cols: headerColumns(line) };
  if (/^(NAMESPACE\s+)?NAME\s+STATUS\s+VOLUME\s+CAPACITY/.test(t)) return { kind: 'pvc', cols: headerColumns(line) };
  return undefined;
}

/** What a `kubectl describe` block has told us so far. */
interface Describe {
  name?: string;
  kind?: 'pod' | 'node' | 'pvc' | 'service';
  section?: string;
  container?: string;
  /** Which state block the next `Reason:`/`Exit Code:` belongs to. */
  state?: { which: 'State' | 'Last State'; value: string; reason?: string; reasonLine?: number; code?: number };
  events?: Columns;
}

class Reader {
  readonly findings: Finding[] = [];
  readonly unknown: UnknownLine[] = [];
  private d: Describe = {};
  private table: Table | undefined;

  constructor(private readonly lines: string[]) {}

  add(f: Omit<Finding, 'text'>, raw: string): void {
    const same = this.findings.find(
      (x) =>
        x.signal === f.signal &&
        (x.pod ?? x.node ?? x.object) === (f.pod ?? f.node ?? f.object) &&
        (x.container === f.container || !x.container || !f.container),
    );
    if (same) {
      // A second sighting (the table, then describe) adds what the first did not know.
      same.restarts ??= f.restarts;
      same.exitCode ??= f.exitCode;
      same.reason ??= f.reason;
      same.detail ??= f.detail;
      same.container ??= f.container;
      return;
    }
    this.findings.push({ ...f, text: safeLine(raw) });
  }

  miss(n: number, raw: string): void {
    if (this.unknown.length < MAX_UNKNOWN && raw.trim()) this.unknown.push({ line: n, text: safeLine(raw) });
  }

  read(): void {
    this.lines.forEach((raw, i) => this.line(raw.replace(/^\s*`{3,}\w*\s*$|`{3,}/g, ''), i + 1));
    this.endState();
  }

  private line(raw: string, n: number): void {
    if (raw.trim() === '') {
      this.table = undefined;
      return;
    }
    if (/^\s*[$#>]\s*(?:kubectl|docker|k)\s/.test(raw) || /^\s*(?:kubectl|docker)\s/.test(raw)) {
      // A shell prompt with the command: it starts something new.
      this.table = undefined;
      this.endState();
      const kind = /describe\s+(po|pods?|no|nodes?|pvc|persistentvolumeclaims?|svc|services?)\b/.exec(raw)?.[1];
      this.d = kind
        ? { kind: kind.startsWith('po') ? 'pod' : kind.startsWith('no') ? 'node' : kind.startsWith('s') ? 'service' : 'pvc' }
        : {};
      return;
    }
    const header = tableOf(raw);
    if (header) {
      this.table = header;
      return;
    }
    if (this.table && this.tableRow(this.table, raw, n)) return;
    if (this.describe(raw, n)) return;
    if (this.headerless(raw, n)) return;
    this.free(raw, n);
  }

  /** A line nothing structured claimed: an error, a log line. */
  private free(raw: string, n: number): void {
    const c = classify(raw);
    if (c) this.add({ signal: c.signal, line: n, ...(c.detail ? { detail: c.detail } : {}), ...(this.d.name ? this.subject() : {}) }, raw);
    else if (looksLikeTrouble(raw)) this.miss(n, raw);
  }

  private subject(): Pick<Finding, 'pod' | 'node' | 'object'> {
    const name = this.d.name;
    if (!name) return {};
    if (this.d.kind === 'node') return { node: name };
    if (this.d.kind === 'pod' || this.d.kind === undefined) return { pod: name };
    return { object: name };
  }

  private podStatus(n: number, raw: string, pod: string, status: string, restarts: number | undefined, node?: string): void {
    const signal = signalOfReason(status);
    if (signal && signal !== 'NodeNotReady')
      this.add(
        {
          signal,
          line: n,
          pod,
          reason: status,
          ...(restarts !== undefined ? { restarts } : {}),
          ...(node && node !== '<none>' ? { node } : {}),
        },
        raw,
      );
    else if (!signal && !/^(Running|Completed|Succeeded|Init:\d+\/\d+|PodInitializing)$/.test(status)) this.miss(n, raw);
  }

  /** `Running` but not all containers ready, and restarting: trouble no signal names (probes? crashes?), so listed. */
  private notReadyRunning(n: number, raw: string, ready: string, status: string, restarts: number): void {
    const [up, all] = ready.split('/').map(Number);
    if (status === 'Running' && up !== undefined && all !== undefined && up < all && restarts > 0) this.miss(n, raw);
  }

  private tableRow(t: Table, raw: string, n: number): boolean {
    const cells = cellsAt(t.cols, raw);
    switch (t.kind) {
      case 'pods': {
        if (cells?.NAME && cells.STATUS && /^\d+\/\d+$/.test(cells.READY ?? '')) {
          this.podStatus(n, raw, cells.NAME, cells.STATUS, Number.parseInt(cells.RESTARTS ?? '', 10) || 0, cells.NODE);
          this.notReadyRunning(n, raw, cells.READY!, cells.STATUS, Number.parseInt(cells.RESTARTS ?? '', 10) || 0);
          return true;
        }
        return this.headerless(raw, n);
      }
      case 'nodes': {
        if (cells?.NAME && cells.STATUS) {
          if (/NotReady|Unknown/.test(cells.STATUS))
            this.add({ signal: 'NodeNotReady', line: n, node: cells.NAME, reason: cells.STATUS }, raw);
          return true;
        }
        return this.headerless(raw, n);
      }
      case 'events': {
        if (cells?.TYPE && cells.REASON && cells.MESSAGE !== undefined) {
          this.event(n, raw, cells.TYPE, cells.REASON, cells.MESSAGE, cells.OBJECT);
          return true;
        }
        return this.headerless(raw, n);
      }
      case 'endpoints': {
        if (cells?.NAME && cells.ENDPOINTS !== undefined) {
          if (cells.ENDPOINTS === '<none>' || cells.ENDPOINTS === '')
            this.add({ signal: 'ServiceNoEndpoints', line: n, object: cells.NAME }, raw);
          return true;
        }
        return false;
      }
      case 'pvc': {
        if (cells?.NAME && cells.STATUS) {
          if (cells.STATUS === 'Pending') this.add({ signal: 'PVCPending', line: n, object: cells.NAME }, raw);
          else if (cells.STATUS === 'Lost') this.miss(n, raw);
          return true;
        }
        return false;
      }
    }
  }

  /** Rows without their header: a clipped paste, `--no-headers`, or a table reflowed by chat. */
  private headerless(raw: string, n: number): boolean {
    const ev = EVENT_ROW.exec(raw.trim());
    if (ev) {
      this.event(n, raw, ev[3]!, ev[4]!, ev[6]!, ev[5]);
      return true;
    }
    const de = DESCRIBE_EVENT.exec(raw);
    if (de) {
      this.event(n, raw, de[1]!, de[2]!, de[5]!, undefined);
      return true;
    }
    const node = NODE_ROW.exec(raw.trim());
    if (node) {
      if (/NotReady|Unknown/.test(node[2]!)) this.add({ signal: 'NodeNotReady', line: n, node: node[1]!, reason: node[2]! }, raw);
      return true;
    }
    const pod = POD_ROW.exec(raw.trim());
    if (pod && !/:$/.test(pod[2]!)) {
      this.podStatus(n, raw, pod[2]!, pod[4]!, Number(pod[5]));
      this.notReadyRunning(n, raw, pod[3]!, pod[4]!, Number(pod[5]));
      return true;
    }
    return false;
  }

  private event(n: number, raw: string, type: string, reason: string, message: string, object: string | undefined): void {
    const who = object ? objectRef(object) : this.subject();
    const c = classify(message, reason);
    if (c) {
      const container = /(?:failed )?container "?([a-z0-9][a-z0-9-]*)"? in pod|Container ([a-z0-9][a-z0-9-]*) failed/i.exec(message);
      this.add(
        {
          signal: c.signal,
          line: n,
          reason,
          ...who,
          ...(container ? { container: container[1] ?? container[2]! } : {}),
          ...(c.detail ? { detail: c.detail } : {}),
        },
        raw,
      );
    } else if (type === 'Warning') this.miss(n, raw);
  }

  /** `kubectl describe pod|node|pvc|svc`: fields, container states, conditions, events. */
  private describe(raw: string, n: number): boolean {
    if (/^\s*Type\s+Reason\s+Age\s+From\s+Message/.test(raw)) {
      this.endState();
      this.d.section = 'Events';
      this.d.events = headerColumns(raw);
      return true;
    }
    if (this.d.events) {
      if (/^\s*-{4,}/.test(raw)) return true;
      const cells = cellsAt(this.d.events, raw);
      if (cells?.TYPE && /^(Normal|Warning)$/.test(cells.TYPE) && cells.REASON) {
        this.event(n, raw, cells.TYPE, cells.REASON, cells.MESSAGE ?? '', undefined);
        return true;
      }
    }
    const de = DESCRIBE_EVENT.exec(raw);
    if (de) {
      this.event(n, raw, de[1]!, de[2]!, de[5]!, undefined);
      return true;
    }
    const kv = /^(\s*)([A-Za-z][\w -]*?):(?:\s+(.*))?$/.exec(raw);
    if (!kv) return this.conditionRow(raw, n);
    const indent = kv[1]!.length;
    const key = kv[2]!;
    const value = (kv[3] ?? '').trim();
    if (indent === 0) {
      if (key === 'Name') {
        this.endState();
        this.d = { name: value, ...(this.d.kind && !this.d.name ? { kind: this.d.kind } : {}) };
        return true;
      }
      this.d.section = undefined;
      if (key === 'Events') {
        this.endState();
        this.d.section = 'Events';
        return true;
      }
      if (key === 'Containers' || key === 'Init Containers') {
        this.endState();
        this.d.kind = 'pod';
        this.d.section = key;
        this.d.container = undefined;
        return true;
      }
      if (key === 'Conditions') {
        this.endState();
        this.d.section = key;
        return true;
      }
      if (/^(Roles|Taints|Unschedulable|Kubelet Version|Addresses|Capacity|Allocatable)$/.test(key)) this.d.kind ??= 'node';
      if (/^(StorageClass|Access Modes|VolumeMode|Used By)$/.test(key)) this.d.kind ??= 'pvc';
      if (/^(Selector|Type|IP Family Policy|ClusterIP|TargetPort|Endpoints|Session Affinity)$/.test(key) && this.d.kind !== 'pod')
        this.d.kind ??= 'service';
      if (key === 'Status') this.topStatus(value, n, raw);
      if (key === 'Reason' && value === 'Evicted') this.add({ signal: 'Evicted', line: n, ...this.subject(), reason: value }, raw);
      if (key === 'Message') {
        const c = classify(value);
        if (c) this.add({ signal: c.signal, line: n, ...this.subject(), ...(c.detail ? { detail: c.detail } : {}) }, raw);
      }
      if (key === 'Endpoints' && (value === '' || value === '<none>'))
        this.add({ signal: 'ServiceNoEndpoints', line: n, object: this.d.name ?? 'service' }, raw);
      return (
        this.d.name !== undefined ||
        /^(Namespace|Status|Node|Labels|Annotations|Priority|IP|IPs|Controlled By|QoS Class|Tolerations|Node-Selectors|Volumes|Start Time|Service Account|Reason|Message)$/.test(
          key,
        )
      );
    }
    if (this.d.section === 'Containers' || this.d.section === 'Init Containers') return this.containerField(indent, key, value, raw, n);
    return this.d.name !== undefined;
  }

  private topStatus(value: string, n: number, raw: string): void {
    if (this.d.kind === 'pvc') {
      if (value === 'Pending') this.add({ signal: 'PVCPending', line: n, object: this.d.name ?? 'pvc' }, raw);
      return;
    }
    if (/^Terminating\b/.test(value)) this.add({ signal: 'Terminating', line: n, ...this.subject(), reason: 'Terminating' }, raw);
    else if (value === 'Pending') this.add({ signal: 'Pending', line: n, ...this.subject(), reason: 'Pending' }, raw);
  }

  private containerField(indent: number, key: string, value: string, raw: string, n: number): boolean {
    if (value === '' && indent <= 2 && !/^(State|Last State|Limits|Requests|Environment|Mounts|Ports|Host Ports|Args|Command)$/.test(key)) {
      this.endState();
      this.d.container = key;
      return true;
    }
    if (key === 'State' || key === 'Last State') {
      this.endState();
      this.d.state = { which: key, value };
      return true;
    }
    if (key === 'Reason' && this.d.state) {
      this.d.state.reason = value;
      this.d.state.reasonLine = n;
      if (this.d.state.value === 'Waiting') this.waiting(value, n, raw);
      return true;
    }
    if (key === 'Exit Code' && this.d.state) {
      const code = Number(value);
      const s = this.d.state;
      s.code = code;
      const signal = signalOfExitCode(code, s.reason);
      // For an OOM kill the `Reason:` line says it best; otherwise the exit code does.
      const at = s.reason === 'OOMKilled' && s.reasonLine ? s.reasonLine : n;
      // A non-zero code we have no card for is still trouble: listed, not dropped.
      if (!signal && code !== 0 && Number.isFinite(code)) this.miss(n, raw);
      if (signal)
        this.add(
          {
            signal,
            line: at,
            ...this.subject(),
            ...(this.d.container ? { container: this.d.container } : {}),
            exitCode: code,
            ...(s.reason ? { reason: s.reason } : {}),
          },
          this.lines[at - 1] ?? raw,
        );
      return true;
    }
    if (key === 'Restart Count') {
      const restarts = Number(value);
      for (const f of this.findings) if (f.pod === this.d.name && f.container === this.d.container) f.restarts = restarts;
      return true;
    }
    if (/^(Started|Finished|Message|Signal)$/.test(key) && this.d.state) {
      if (key === 'Message') {
        const c = classify(value);
        if (c && c.signal !== 'OOMKilled')
          this.add(
            {
              signal: c.signal,
              line: n,
              ...this.subject(),
              ...(this.d.container ? { container: this.d.container } : {}),
              ...(c.detail ? { detail: c.detail } : {}),
            },
            raw,
          );
      }
      return true;
    }
    if (indent <= 4) this.endState();
    return true;
  }

  private waiting(reason: string, n: number, raw: string): void {
    const signal = signalOfReason(this.d.section === 'Init Containers' && reason === 'CrashLoopBackOff' ? 'Init:CrashLoopBackOff' : reason);
    if (signal) this.add({ signal, line: n, ...this.subject(), ...(this.d.container ? { container: this.d.container } : {}), reason }, raw);
    else if (looksLikeTrouble(reason) || /Error$/.test(reason)) this.miss(n, raw);
  }

  /** A terminated state with a reason and no exit code line in the paste (clipped). */
  private endState(): void {
    const s = this.d.state;
    this.d.state = undefined;
    if (!s || s.value !== 'Terminated' || s.code !== undefined || s.reason !== 'OOMKilled' || s.reasonLine === undefined) return;
    this.add(
      {
        signal: 'OOMKilled',
        line: s.reasonLine,
        ...this.subject(),
        ...(this.d.container ? { container: this.d.container } : {}),
        reason: s.reason,
      },
      this.lines[s.reasonLine - 1] ?? '',
    );
  }

  /** `Ready False …` under a node's Conditions. */
  private conditionRow(raw: string, n: number): boolean {
    if (this.d.section !== 'Conditions') return false;
    const m = /^\s*(Ready|MemoryPressure|DiskPressure|PIDPressure|NetworkUnavailable)\s+(True|False|Unknown)\b/.exec(raw);
    if (!m) return /^\s*Type\s+Status/.test(raw) || /^\s*-{4,}/.test(raw) || /^\s*\w+\s+(True|False)\s*$/.test(raw);
    const [, type, status] = m;
    const who = { node: this.d.name ?? 'node' };
    const nodeRow = this.d.kind === 'node' || /\d{4}|Kubelet|NodeStatus/.test(raw);
    if (type === 'Ready' && status !== 'True' && nodeRow) this.add({ signal: 'NodeNotReady', line: n, ...who, reason: status }, raw);
    if (type === 'MemoryPressure' && status === 'True') this.add({ signal: 'MemoryPressure', line: n, ...who }, raw);
    if (type === 'DiskPressure' && status === 'True') this.add({ signal: 'DiskPressure', line: n, ...who }, raw);
    return true;
  }
}

/** `pod/web-7d9c`, `node/worker-1`, `service/web` from an events table. */
function objectRef(obj: string): Pick<Finding, 'pod' | 'node' | 'object'> {
  const [kind = '', name = obj] = obj.includes('/') ? [obj.slice(0, obj.lastIndexOf('/')), obj.slice(obj.lastIndexOf('/') + 1)] : ['', obj];
  if (/^pods?$/i.test(kind)) return { pod: name };
  if (/^nodes?$/i.test(kind)) return { node: name };
  return { object: obj };
}

/** Where a symptom word names nothing a cause beside it does not already say. */
function dropRedundant(findings: Finding[]): Finding[] {
  return findings.filter((f) => {
    if (f.signal !== 'Pending' && f.signal !== 'ContainerCreating') return true;
    const who = f.pod ?? f.object;
    return !findings.some((g) => g !== f && (g.pod ?? g.object) === who && SIGNALS[g.signal].tier < 3);
  });
}

/**
 * Root causes first (see SIGNALS: tier, then how often it happens), then where they appear. Within a
 * tier, a cause whose container also shows a symptom in the paste (its exit code behind a
 * CrashLoopBackOff) comes before one that stands alone.
 */
export function rootCauseOrder(findings: Finding[]): Finding[] {
  const behindSymptom = (f: Finding) =>
    findings.some(
      (g) =>
        g !== f &&
        SIGNALS[g.signal].tier === 3 &&
        SIGNALS[f.signal].tier < 3 &&
        g.pod !== undefined &&
        g.pod === f.pod &&
        (g.container ?? f.container) === f.container,
    );
  const key = new Map(findings.map((f) => [f, behindSymptom(f) ? 0 : 1]));
  return [...findings].sort((a, b) => {
    const x = SIGNALS[a.signal];
    const y = SIGNALS[b.signal];
    return x.tier - y.tier || key.get(a)! - key.get(b)! || x.rank - y.rank || a.line - b.line;
  });
}

/** Reads a paste: at most MAX_CHARS characters and MAX_LINES lines of it. */
export function readPaste(text: string): PasteReading {
  const source = typeof text === 'string' ? text : '';
  let body = source.length > MAX_CHARS ? source.slice(0, MAX_CHARS) : source;
  let lines = body.split(/\r?\n/);
  let truncated = source.length > MAX_CHARS;
  if (lines.length > MAX_LINES) {
    lines = lines.slice(0, MAX_LINES);
    truncated = true;
  }
  // A line cut in the middle by the character cap is not read as a whole line.
  if (source.length > MAX_CHARS && lines.length > 1) lines.pop();
  body = lines.join('\n');
  const r = new Reader(lines);
  r.read();
  const findings = rootCauseOrder(dropRedundant(r.findings));
  return { findings, unknown: r.unknown, truncated, lines: lines.length, chars: body.length };
}
