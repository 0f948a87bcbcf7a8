/**
 * Whether a bare message is pasted kubectl or Docker output rather than a question. The core decides
 * this from the neutral message alone, so every platform behaves the same: a fenced code block that
 * holds output, two or more lines that look like output, or one line that is unmistakably a
 * kubectl or Docker error.
 */

const OUTPUT_LINE: RegExp[] = [
  /^\s*(?:NAMESPACE\s+)?NAME\s+(?:READY\s+STATUS|STATUS\s+ROLES|ENDPOINTS|STATUS\s+VOLUME|TYPE\s+CLUSTER-IP)/,
  /^\s*(?:NAMESPACE\s+)?LAST SEEN\s+TYPE\s+REASON/,
  /^\s*Type\s+Reason\s+Age\s+From\s+Message/,
  /^\s*(?:Normal|Warning)\s+\w+\s+\S+/,
  /^(?:\S+\s+)?\S+\s+\d+\/\d+\s+\S+\s+\d+/,
  /^\S+\s+(?:Not)?Ready(?:,SchedulingDisabled)?\s+\S+\s+\S+\s+v\d/,
  /^(?:Name|Namespace|Status|Node|Containers|Init Containers|Conditions|Events|Labels|Annotations|Controlled By|QoS Class|StorageClass|Volume|Roles|Taints|Selector|Endpoints):(?:\s|$)/,
  /^\s+(?:State|Last State|Reason|Exit Code|Restart Count|Ready|Image|Container ID):\s/,
];

/** The command someone ran: it starts a paste in the terminal, but alone it is a question about the command. */
const COMMAND_LINE = /^\s*(?:\$|#|>)?\s*(?:kubectl|docker)\s+\w+/;

const ERROR_LINE: RegExp[] = [
  /^\s*Error from server\b/,
  /^\s*error: /,
  /^\s*The connection to the server \S+ was refused/,
  /^\s*Unable to connect to the server:/,
  /^\s*(?:docker: )?Error response from daemon:/,
  /x509: certificate/,
  /\bport is already allocated\b/,
  /\bno space left on device\b/,
  /\bmanifest unknown\b/,
];

function isOutput(line: string): boolean {
  return OUTPUT_LINE.some((re) => re.test(line)) || ERROR_LINE.some((re) => re.test(line));
}

export function looksLikePaste(text: string): boolean {
  if (typeof text !== 'string') return false;
  const sample = text.length > 4000 ? text.slice(0, 4000) : text;
  const lines = sample.split(/\r?\n/).filter((l) => l.trim() !== '');
  const fenced = /```/.test(sample);
  const output = lines.filter((l) => isOutput(l.replace(/`{3,}\w*/g, ''))).length;
  if (fenced) return output >= 1;
  if (lines.length >= 2) return output >= 2;
  return lines.length === 1 && ERROR_LINE.some((re) => re.test(lines[0]!));
}

/** A line that starts or continues a paste (the terminal collects such lines into one message). */
export function looksLikeOutputLine(line: string): boolean {
  return /^```/.test(line.trim()) || COMMAND_LINE.test(line) || isOutput(line);
}
