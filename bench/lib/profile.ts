import fs from 'node:fs';

/** Reads a V8 .cpuprofile and attributes its samples to packages / project files and to named functions. */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Where the CPU was, by package or project file: self time, and time with a frame of it on the stack. */
  byOwner: Array<{ owner: string; selfMs: number; inclusiveMs: number }>;
  /** Hottest functions by self time. */
  topFunctions: Array<{ fn: string; selfMs: number }>;
  /** Time with these project functions on the (synchronous) stack. */
  keyFunctions: Record<string, number>;
}

const KEY_FUNCTIONS = [
  'planMailing',
  'sendBatch',
  'settle',
  'close',
  'finishIfDone',
  'reconcile',
  'tick',
  'enqueueBatches',
  'toSendGridRequest',
  'toWireBody',
  'mailingRecipient',
  'mailLinks',
  'renderEditionVariant',
  'compileMjml',
];

function owner(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const project = /\/(src|workers|scripts|bench|config|database)\/(.*)$/.exec(url);
  return project ? `${project[1]}/${project[2]}` : url;
}

/** `keyFunctions`: project functions whose time on the stack is reported (default: the sending pipeline's). */
export function summariseProfile(file: string, keyFunctions: string[] = KEY_FUNCTIONS): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const fnSelf = new Map<string, number>();
  const keys = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const ms = (profile.timeDeltas[index + 1] ?? profile.timeDeltas[index] ?? 0) / 1000;
    total += ms;
    const leaf = byId.get(id)!;
    const leafOwner = owner(leaf.callFrame.url, leaf.callFrame.functionName);
    self.set(leafOwner, (self.get(leafOwner) ?? 0) + ms);
    const fn = `${leaf.callFrame.functionName || '(anonymous)'} ${leafOwner}:${leaf.callFrame.lineNumber + 1}`;
    fnSelf.set(fn, (fnSelf.get(fn) ?? 0) + ms);
    const owners = new Set<string>();
    const names = new Set<string>();
    for (let node: ProfileNode | undefined = leaf; node; node = byId.get(parent.get(node.id) ?? -1)) {
      owners.add(owner(node.callFrame.url, node.callFrame.functionName));
      if (!node.callFrame.url.includes('node_modules')) names.add(node.callFrame.functionName);
    }
    for (const name of owners) inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
    for (const name of keyFunctions) if (names.has(name)) keys.set(name, (keys.get(name) ?? 0) + ms);
  });
  return {
    totalMs: total,
    byOwner: [...self.keys()]
      .map((name) => ({ owner: name, selfMs: self.get(name)!, inclusiveMs: inclusive.get(name) ?? 0 }))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, 25),
    topFunctions: [...fnSelf.entries()]
      .map(([fn, ms]) => ({ fn, selfMs: ms }))
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, 25),
    keyFunctions: Object.fromEntries(keyFunctions.map((name) => [name, keys.get(name) ?? 0])),
  };
}
